#pragma once
// Key events held back so that none is lost between frames. Dear ImGui 1.86 sees keys only as
// "down" flags sampled once per frame: a key pressed and released within one frame (a quick tap
// when software GL draws a frame in 50 ms) never reads as pressed. The queue hands each frame
// at most one change per key; the rest of the events wait, in order, for the next frames.
#include <deque>
#include <vector>

namespace ms {

struct KeyEvent {
  int key = 0, scancode = 0;
  int action = 0;  // as GLFW: 0 release, 1 press, 2 repeat
  int mods = 0;
};

class KeyQueue {
 public:
  void push(const KeyEvent& e) { q_.push_back(e); }
  bool empty() const { return q_.empty(); }
  // The events for this frame, in order: up to (not including) the first that would change a
  // key already changed in this frame, or release a key after a press in this frame (so that
  // Ctrl still reads as held in the frame of Ctrl+S). Repeats change nothing and pass.
  std::vector<KeyEvent> take_frame();

 private:
  std::deque<KeyEvent> q_;
};

}  // namespace ms
