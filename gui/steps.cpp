#include "steps.hpp"

#include <algorithm>
#include <cstdio>

namespace ms {

int step_at(const std::vector<Step>& steps, Tick t) {
  int cur = -1;
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (steps[i].at <= t) cur = static_cast<int>(i);
  return cur;
}

Tick step_end(const std::vector<Step>& steps, int i, Tick duration) {
  if (i < 0) return steps.empty() ? duration : std::max<Tick>(0, steps[0].at - 1);
  if (i + 1 < static_cast<int>(steps.size()))
    return std::max(steps[i].at, steps[i + 1].at - 1);
  return duration;
}

StepMove step_move(const std::vector<Step>& steps, Tick cursor, Tick duration, int dir,
                   bool showing) {
  StepMove mv;
  mv.seek = cursor;
  if (steps.empty() || dir == 0) return mv;
  const int n = static_cast<int>(steps.size());
  const int cur = step_at(steps, cursor);
  int to;
  if (dir > 0) {
    if (cur == n - 1) {
      // The last step: its end first (what it leaves is the lesson's conclusion), then the
      // course goes on.
      if (cursor < duration) {
        mv.play_until = duration;
        return mv;
      }
      mv.next_lesson = true;
      return mv;
    }
    to = cur + 1;
  } else {
    to = (cur >= 0 && cursor > steps[cur].at && !showing) ? cur : cur - 1;
    to = std::max(0, to);
  }
  mv.seek = steps[to].at;
  mv.play_until = step_end(steps, to, duration);
  return mv;
}

Tick play_stop(const std::vector<Step>& steps, Tick cursor, Tick duration) {
  if (steps.empty()) return -1;
  const int cur = step_at(steps, cursor);
  const Tick end = step_end(steps, cur, duration);
  if (cursor < end) return end;
  return step_end(steps, std::min(cur + 1, static_cast<int>(steps.size()) - 1), duration);
}

Tick clamp_playback(Tick next, Tick until, Tick duration, bool* stop) {
  const Tick limit = until >= 0 ? std::min(until, duration) : duration;
  const Tick t = std::min(next, limit);
  if (stop) *stop = t >= limit;
  return t;
}

bool lesson_seen_at(const std::vector<Step>& steps, Tick cursor, Tick duration) {
  return steps.empty() ? cursor >= duration : cursor >= steps.back().at;
}

namespace {
std::string duration_words(double s) {
  const long n = static_cast<long>(s + 0.5);
  if (n < 60) return std::to_string(n) + " s";
  const long min = n / 60, sec = n % 60;
  return std::to_string(min) + " min" + (sec ? " " + std::to_string(sec) + " s" : "");
}
}  // namespace

std::string pace_note(double sim_seconds, double real_seconds, float speed) {
  char x[16];
  std::snprintf(x, sizeof x, "%gx", static_cast<double>(speed));
  return "Teaching pace, not real time: at " + std::string(x) + " this lesson's " +
         duration_words(sim_seconds) + " play in about " + duration_words(real_seconds) +
         " (packets slowed down to be watched, idle time skipped).";
}

NavAction nav_key(NavKey key) {
  switch (key) {
    case NavKey::PageDown:
    case NavKey::Right: return {1, 0};
    case NavKey::PageUp:
    case NavKey::Left: return {-1, 0};
    case NavKey::Period: return {0, 1};
    case NavKey::Comma: return {0, -1};
  }
  return {};
}

}  // namespace ms
