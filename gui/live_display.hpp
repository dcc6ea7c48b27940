#pragma once
// Display times for a live world's trace. Units from real peers (LiveServer, LiveClient) are
// recorded with their real times: a command and its reply within microseconds, far too fast
// to follow. The GUI draws a copy of the trace in which those units cross their link one after
// another, kTransit each; the world's own trace keeps the real times (as
// `mailscope-cli serve --save-trace` saves them). Headless (no ImGui), so the tests use it.
//
// A live world runs for as long as the GUI is open, so the copy is a bounded window: once
// 2 * keep records have come in since the window began, all but the last `keep` are dropped
// and replaced by a checkpoint, records that rebuild the state at the cut (devices, their
// names, settings and links, every folder and message of every store, the step in force) so that the
// worlds view still shows every message; the records themselves (wire lines, events) before
// the cut are gone, and dropped() says how many, for the GUI's "not kept" marker. The GUI keeps
// no trace file, so there is nothing to read them back from.
#include <cstddef>
#include <cstdint>
#include <unordered_map>

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
  // Records of the window kept after a cut: a few minutes of a busy classroom, a few
  // seconds of a stress test; at most twice as many are held between cuts.
  static constexpr std::size_t kKeep = 20000;

  explicit LiveDisplay(std::size_t keep = kKeep) : keep_(keep < 1 ? 1 : keep) {}

  // Copies the records of `src` added since the last call (with its new actors and the
  // messages they refer to): same order, same records, display times. `src` may itself keep
  // only a window (Trace::keep_last); records it dropped before they were copied count as
  // dropped here too. Returns true when records were added.
  bool take(const Trace& src);
  // The copy the GUI draws; its address stays put (the model points into it), its contents
  // are replaced at a cut.
  const Trace& trace() const { return out_; }
  // When the last unit shown arrives: the live timeline's end.
  Tick end() const { return end_; }
  // True when the last take() made a cut: the record indices the model holds are stale.
  bool cut() const { return cut_; }
  // Records of the world no longer in the window (the checkpoint stands for them).
  std::size_t dropped() const { return dropped_; }
  // The display time from which the window holds every record (0 before the first cut).
  Tick kept_from() const { return kept_from_; }
  // Records at the head of the window that rebuild the state at the cut.
  std::size_t checkpoint_size() const { return checkpoint_; }

 private:
  std::uint32_t copy_message(const Trace& src, std::uint32_t n);
  void make_cut(const Trace& src);

  std::size_t keep_;
  Trace out_;
  std::size_t copied_ = 0;  // records of src taken (absolute index)
  // src's message numbers -> out_'s: src numbers messages by its own history.
  std::unordered_map<std::uint32_t, std::uint32_t> msg_map_;
  std::size_t checkpoint_ = 0;
  std::size_t dropped_ = 0;
  Tick kept_from_ = 0;
  bool cut_ = false;
  Tick end_ = 0;       // when the last unit shown arrives
  Tick live_end_ = 0;  // when the last spaced-out unit arrives
  Tick last_t_ = 0;    // the last display time given (display times never go back)
};

}  // namespace ms
