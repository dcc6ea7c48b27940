#pragma once
// The sequence diagram's layout, headless: which arrows are drawn, where, and the time <-> y
// axis through them. The GUI's sequence panel draws it with Dear ImGui and the SVG export
// (export/sequence) writes it, so both place the same rows the same way.
//
// Time flows down in proportion where there is room; where units follow each other faster
// than a label row, rows push the later ones down (so labels never overprint), and an idle
// stretch longer than a few rows is cut to one row saying how long it was ("12 s later"). A
// run of units from one sender to one receiver that would crowd each other is drawn as one
// arrow ("N lines") until expanded. The printed diagram (rows()) is the same placement with no
// room for time: every unit and step a row of its own, in the order they happened.
#include <cstdint>
#include <vector>

#include "trace/trace.hpp"
#include "view/time_axis.hpp"

namespace ms::view::seq {

// One wire unit as the diagram sees it, in start-time order.
struct Unit {
  Tick t = 0, t_end = 0;   // sent, arrived
  int lane = 0;            // whose lifelines (a world, when several are shown side by side)
  int from = 0, to = 0;    // sender and receiver
  int lines = 1;           // protocol lines in it
  std::uint64_t key = 0;   // names it across frames (expanded bursts are remembered by key)
};

enum class Kind { Unit, Burst, Step, Break };

struct Item {
  Kind kind = Kind::Unit;
  int lane = -1;           // -1: across every lane (steps, breaks)
  Tick t = 0, t_end = 0;   // Unit/Burst: first sent, last arrived; Step: t; Break: the gap
  // The row's bottom: the arrow starts here and its label sits in [y - row_h, y].
  double y = 0.0;
  // Unit/Burst: where its arrow ends, at its arrival's y, but never inside the label band of
  // a later row of its lane that starts after the arrival (where rows are pushed apart, time
  // is not to scale anyway, and an arrow through a label would hide it).
  double y_end = 0.0;
  std::size_t first = 0, count = 0;  // the units drawn: [first, first + count)
  int lines = 0;           // Unit/Burst: protocol lines in it
  int step = -1;           // Step: its index
  // A Unit that opens an expanded burst: how many units the burst has (0: none).
  std::size_t burst = 0;
};

struct Params {
  double pps = 600.0;       // pixels per simulated second where there is room
  double row_h = 18.0;      // one label row
  double max_gap_px = 72.0; // an idle stretch longer than this is cut to one row
  Tick end = 0;             // the run's end (the cursor can be there)
};

struct Layout {
  std::vector<Item> items;  // in time order
  TimeAxis axis;            // t -> y (x_of), y -> t (t_of)
  double height = 0.0;
};

// Runs of units of one lane with the same sender and receiver, each sent less than `crowd`
// after the lane's previous unit, as [first, count] over `units` (a run may be interleaved
// with other lanes' units; `first` is its first unit). Runs of one unit are not listed.
struct Run {
  std::size_t first = 0, count = 0;
  std::vector<std::size_t> members;  // indices into units
};
std::vector<Run> bursts(const std::vector<Unit>& units, Tick crowd);

// The GUI's diagram: `units` in start-time order, `steps` the lesson steps' times (a step's
// row comes before the units at its time: it opens what follows); `expanded`: the keys of
// bursts (their first unit's key) drawn unit by unit.
Layout layout(const std::vector<Unit>& units, const std::vector<Tick>& steps, const Params& p,
              const std::vector<std::uint64_t>& expanded = {});

// A lesson step's row in the printed diagram: its time, and its key, which orders it among
// units at the same time (as their keys order them).
struct StepMark {
  Tick t = 0;
  std::uint64_t key = 0;
};
// The printed diagram: every unit and step a row of its own, `row_h` apart, in time order and
// at equal times in the order of their keys (the SVG export gives record indices, so rows
// keep the order the trace recorded them in). Nothing is grouped or cut.
Layout rows(const std::vector<Unit>& units, const std::vector<StepMark>& steps, double row_h);

// The largest zoom in [lo, hi] at which [t0, t1] fits in `height` pixels (lo if none does).
double fit_pps(const std::vector<Unit>& units, const std::vector<Tick>& steps, Params p,
               const std::vector<std::uint64_t>& expanded, Tick t0, Tick t1, double height,
               double lo, double hi);

// Where a label `w` wide centred on `centre` starts, kept inside [lo, hi] (at lo when it is
// wider than that).
double place_label(double centre, double w, double lo, double hi);

}  // namespace ms::view::seq
