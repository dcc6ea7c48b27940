#pragma once
// Moving through a lesson by its steps, as a teacher shows it: going to a step plays that step
// and stops at its end (the moment before the next step begins), so the class sees what the
// step is about (the phone reading message 1) under the step's own caption, and the caption
// never switches mid-explanation. Stepping on from the last step offers the next lesson.
// The keys that move are the same in normal and presenter mode (nav_key). No ImGui in here.
#include <string>
#include <vector>

#include "lesson/lesson.hpp"

namespace ms {

// The step (0-based) in force at t: the last that has begun; -1 before the first.
int step_at(const std::vector<Step>& steps, Tick t);
// The end of step i: the last moment before step i + 1 begins, or the run's end.
Tick step_end(const std::vector<Step>& steps, int i, Tick duration);

struct StepMove {
  Tick seek = 0;          // where the cursor goes
  Tick play_until = -1;   // play from there and stop here (-1: do not play)
  bool next_lesson = false;  // stepping on from the last step: open the course's next lesson
};
// The move for "next step" (dir > 0) or "previous step" (dir < 0) from `cursor`. Next: the
// following step, played to its end; from the last step: next_lesson (after its end has been
// shown: inside the last step it first plays to the end). Previous: back to the start of the
// current step when inside it, else of the one before, played to its end. `showing`: the step
// in force is being played after a step move; "previous" then means the step before it (a
// clicker pressed twice goes back two steps, not twice to the start of the one playing).
StepMove step_move(const std::vector<Step>& steps, Tick cursor, Tick duration, int dir,
                   bool showing = false);
// Play in presenter mode: to the end of the step in force, or, paused at that end already,
// through the next step to its end. -1: play on to the end of the run (no steps).
Tick play_stop(const std::vector<Step>& steps, Tick cursor, Tick duration);
// Playback's next cursor: `next`, held at `until` (when set); *stop says playback ends there.
Tick clamp_playback(Tick next, Tick until, Tick duration, bool* stop);

// Whether the lesson has been seen through at `cursor`: its last step has been reached (a
// lesson without steps: its end). Opening a lesson is not seeing it.
bool lesson_seen_at(const std::vector<Step>& steps, Tick cursor, Tick duration);

// The speed control's explanation: playback runs at a teaching pace (packets in flight are
// slowed to be watched, idle stretches crossed quickly), not in real time. `sim_seconds` of the
// run play in `real_seconds` at `speed`: "Teaching pace, not real time: at 1x this lesson's
// 50 s play in about 2 min 45 s (packets slowed down to be watched, idle time skipped)."
std::string pace_note(double sim_seconds, double real_seconds, float speed);

// What a navigation key does; the same in both modes (a clicker's arrows and PageUp/PageDown
// move by step, as the lesson panel's buttons do; '.' and ',' by protocol unit).
enum class NavKey { PageDown, PageUp, Right, Left, Period, Comma };
struct NavAction {
  int steps = 0;  // +1 next step, -1 previous step
  int units = 0;  // +1 next protocol unit, -1 previous
};
NavAction nav_key(NavKey key);

}  // namespace ms
