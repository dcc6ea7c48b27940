#pragma once
// Display times for a live world's trace. Units from real peers (LiveServer, LiveClient) are
// recorded with their real times: a command and its reply within microseconds, far too fast
// to follow. The GUI draws a copy of the trace in which those units cross their link one after
// another, kTransit each; the world's own trace keeps the real times (as
// `mailscope-cli serve --save-trace` saves them). Headless (no ImGui), so the tests use it.
#include <cstddef>

#include "trace/trace.hpp"
#include "world/scheduler.hpp"

namespace ms {

class LiveDisplay {
 public:
  // How long a real peer's unit takes to cross its link on the display.
  static constexpr Tick kTransit = 20 * kMs;
  // Once the display runs this much later than real time (a burst of thousands of units),
  // it stops spacing units out and catches up.
  static constexpr Tick kMaxLag = kSecond;

  // Copies the records of `src` added since the last call (with its new actors and
  // messages, so that ids and message numbers match): same order, same records, display
  // times. Returns true when records were added.
  bool take(const Trace& src);
  // The copy the GUI draws; its address stays put (the model points into it).
  const Trace& trace() const { return out_; }
  // When the last unit shown arrives: the live timeline's end.
  Tick end() const { return end_; }

 private:
  Trace out_;
  std::size_t copied_ = 0;
  Tick end_ = 0;       // when the last unit shown arrives
  Tick live_end_ = 0;  // when the last spaced-out unit arrives
  Tick last_t_ = 0;    // the last display time given (display times never go back)
};

}  // namespace ms
