#pragma once
// Time <-> position on a drawn axis: piecewise linear through knots, with idle stretches
// drawn as short "breaks" so that a multi-day lesson's busy minutes get the room. Used by the
// timeline (time across) and the sequence diagram (time down), headless like their layouts.
#include <string>
#include <vector>

#include "trace/trace.hpp"
#include "world/scheduler.hpp"

namespace ms {

class TimeAxis {
 public:
  struct Knot {
    Tick t;
    double x;
  };
  // An idle stretch [t0, t1] drawn compressed in [x0, x1].
  struct Break {
    Tick t0, t1;
    double x0, x1;
  };
  TimeAxis() = default;
  // Knots nondecreasing in both t and x. Several knots may share a time (rows stacked at one
  // instant) or a position.
  explicit TimeAxis(std::vector<Knot> knots, std::vector<Break> breaks = {});

  // Position of time t, clamped to the axis. At a time several knots share, the last one:
  // the cursor at t is after everything that happened at t.
  double x_of(Tick t) const;
  // Time at position x (the inverse of x_of, rounded to a tick), clamped to the axis.
  Tick t_of(double x) const;
  double length() const { return knots_.empty() ? 0.0 : knots_.back().x; }
  const std::vector<Knot>& knots() const { return knots_; }
  const std::vector<Break>& breaks() const { return breaks_; }

 private:
  std::vector<Knot> knots_;
  std::vector<Break> breaks_;
};

// A stretch of time when something happens (a unit on the wire, a store change, a step).
struct Span {
  Tick t0, t1;
};

// What happens in a run: every record of its traces (from send to arrival) and every step.
std::vector<Span> busy_spans(const std::vector<const Trace*>& traces, const std::vector<Tick>& steps);

// The timeline's axis: [0, duration] onto [0, width]. Idle gaps (no span in them) become
// breaks of width `break_w` (less when many breaks would not leave half the width) when they
// are at least `min_gap` long and longer than `ratio` times the time still drawn linearly
// without them, largest first: a 13-day wait in a lesson of a few busy minutes is cut, the
// five minutes between two polls of an hour-long lesson is not. The rest is linear, except
// that consecutive `anchors` (the steps' times) are kept at least `min_apart` apart where the
// time between them is linear (a step 4 s after another in a lesson of minutes).
TimeAxis compress_idle(std::vector<Span> busy, Tick duration, double width, double break_w,
                       std::vector<Tick> anchors = {}, double min_apart = 0.0,
                       Tick min_gap = kMinute, double ratio = 0.25);

// "14 days later", "3 hours later", "1 minute later", "12 s later", "0.8 s later"; with
// `brief`, "14d later", "3h later", "1m later", "12s later", "0.8s later".
std::string gap_label(Tick gap, bool brief = false);

}  // namespace ms
