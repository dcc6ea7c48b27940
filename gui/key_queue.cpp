#include "key_queue.hpp"

#include <algorithm>

namespace ms {

std::vector<KeyEvent> KeyQueue::take_frame() {
  std::vector<KeyEvent> out;
  std::vector<int> changed;
  bool pressed = false;
  while (!q_.empty()) {
    const KeyEvent& e = q_.front();
    if (e.action != 2) {
      if (std::find(changed.begin(), changed.end(), e.key) != changed.end()) break;
      // Dear ImGui reads Ctrl/Shift/Alt as "down" at the start of the frame: a modifier's
      // release must not land in the frame of a key pressed while it was held.
      if (e.action == 0 && pressed) break;
      if (e.action == 1) pressed = true;
      changed.push_back(e.key);
    }
    out.push_back(e);
    q_.pop_front();
  }
  return out;
}

}  // namespace ms
