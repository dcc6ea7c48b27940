#include "world/scheduler.hpp"

#include <algorithm>

namespace ms {

std::uint64_t Scheduler::at(Tick t, Fn fn) {
  std::uint64_t id = ++seq_;
  q_.push(Ev{std::max(t, now_), id, std::move(fn)});
  return id;
}

void Scheduler::cancel(std::uint64_t id) {
  cancelled_.insert(std::upper_bound(cancelled_.begin(), cancelled_.end(), id), id);
}

bool Scheduler::step() {
  while (!q_.empty()) {
    Ev ev = q_.top();
    q_.pop();
    auto it = std::lower_bound(cancelled_.begin(), cancelled_.end(), ev.seq);
    if (it != cancelled_.end() && *it == ev.seq) {
      cancelled_.erase(it);
      continue;
    }
    now_ = ev.t;
    ev.fn();
    return true;
  }
  return false;
}

void Scheduler::run_until(Tick t) {
  while (!q_.empty() && q_.top().t <= t) step();
  if (t > now_) now_ = t;
}

void Scheduler::run(Tick limit) {
  while (!q_.empty() && q_.top().t <= limit) step();
}

}  // namespace ms
