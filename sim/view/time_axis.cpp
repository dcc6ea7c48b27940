#include "view/time_axis.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ms {

TimeAxis::TimeAxis(std::vector<Knot> knots, std::vector<Break> breaks)
    : knots_(std::move(knots)), breaks_(std::move(breaks)) {}

double TimeAxis::x_of(Tick t) const {
  if (knots_.empty()) return 0.0;
  // The first knot later than t; the one before it is the last knot at or before t.
  const auto it = std::upper_bound(knots_.begin(), knots_.end(), t,
                                   [](Tick v, const Knot& k) { return v < k.t; });
  if (it == knots_.begin()) return it->x;
  if (it == knots_.end()) return knots_.back().x;
  const Knot& a = *std::prev(it);
  const Knot& b = *it;
  return a.x + static_cast<double>(t - a.t) / static_cast<double>(b.t - a.t) * (b.x - a.x);
}

Tick TimeAxis::t_of(double x) const {
  if (knots_.empty()) return 0;
  const auto it = std::upper_bound(knots_.begin(), knots_.end(), x,
                                   [](double v, const Knot& k) { return v < k.x; });
  if (it == knots_.begin()) return it->t;
  if (it == knots_.end()) return knots_.back().t;
  const Knot& a = *std::prev(it);
  const Knot& b = *it;
  return a.t + static_cast<Tick>(std::llround((x - a.x) / (b.x - a.x) *
                                              static_cast<double>(b.t - a.t)));
}

std::vector<Span> busy_spans(const std::vector<const Trace*>& traces, const std::vector<Tick>& steps) {
  std::vector<Span> busy;
  for (const Trace* tr : traces)
    for (const Record& r : tr->records()) busy.push_back({r.t, std::max(r.t, r.t_end)});
  for (Tick t : steps) busy.push_back({t, t});
  return busy;
}

TimeAxis compress_idle(std::vector<Span> busy, Tick duration, double width, double break_w,
                       std::vector<Tick> anchors, double min_apart, Tick min_gap, double ratio) {
  duration = std::max<Tick>(duration, 1);
  // Busy spans clipped to the run and merged: what is left between them is idle.
  for (Span& s : busy) {
    s.t0 = std::clamp<Tick>(s.t0, 0, duration);
    s.t1 = std::clamp<Tick>(std::max(s.t0, s.t1), 0, duration);
  }
  std::sort(busy.begin(), busy.end(), [](const Span& a, const Span& b) { return a.t0 < b.t0; });
  std::vector<Span> merged;
  for (const Span& s : busy) {
    if (!merged.empty() && s.t0 <= merged.back().t1) merged.back().t1 = std::max(merged.back().t1, s.t1);
    else merged.push_back(s);
  }
  struct Gap {
    Tick t0, t1;
    bool cut = false;
  };
  std::vector<Gap> gaps;
  Tick at = 0;
  for (const Span& s : merged) {
    if (s.t0 > at) gaps.push_back({at, s.t0});
    at = std::max(at, s.t1);
  }
  if (duration > at) gaps.push_back({at, duration});

  // Largest first; once one is not worth cutting, no smaller one is (the linear time left
  // only shrinks by the gaps already cut, which were larger).
  std::vector<std::size_t> order(gaps.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return gaps[a].t1 - gaps[a].t0 > gaps[b].t1 - gaps[b].t0;
  });
  Tick linear = duration;
  int cuts = 0;
  for (std::size_t i : order) {
    const Tick len = gaps[i].t1 - gaps[i].t0;
    if (len < min_gap || static_cast<double>(len) <= ratio * static_cast<double>(linear - len)) break;
    gaps[i].cut = true;
    linear -= len;
    ++cuts;
  }
  const double bw = cuts == 0 ? 0.0 : linear > 0 ? std::min(break_w, width * 0.5 / cuts) : width / cuts;

  // The axis in pieces: each cut gap, and the linear stretches split at the anchors.
  struct Piece {
    Tick t0, t1;
    bool cut;
    double w = 0.0;
    bool fixed = false;  // its width is decided (a break, or stretched to part two anchors)
  };
  std::vector<Piece> pieces;
  std::sort(anchors.begin(), anchors.end());
  anchors.erase(std::unique(anchors.begin(), anchors.end()), anchors.end());
  auto linear_piece = [&](Tick a, Tick b) {
    for (Tick t : anchors)
      if (t > a && t < b) pieces.push_back({a, t, false}), a = t;
    if (b > a) pieces.push_back({a, b, false});
  };
  Tick t = 0;
  for (const Gap& g : gaps) {
    if (!g.cut) continue;
    linear_piece(t, g.t0);
    pieces.push_back({g.t0, g.t1, true, bw, true});
    t = g.t1;
  }
  linear_piece(t, duration);
  // Linear time shares what the breaks leave; where two anchors would come closer than
  // `min_apart`, the time between them is stretched to that and the rest shares less (again
  // until no pair is too close: stretching shrinks the others).
  for (std::size_t round = 0; round <= anchors.size(); ++round) {
    double avail = width, free_len = 0.0;
    for (const Piece& p : pieces) {
      if (p.fixed) avail -= p.w;
      else free_len += static_cast<double>(p.t1 - p.t0);
    }
    const double scale = free_len > 0 ? std::max(0.0, avail) / free_len : 0.0;
    for (Piece& p : pieces)
      if (!p.fixed) p.w = static_cast<double>(p.t1 - p.t0) * scale;
    bool stretched = false;
    for (std::size_t k = 0; k + 1 < anchors.size(); ++k) {
      double w = 0.0;
      bool movable = true;
      for (const Piece& p : pieces)
        if (p.t0 >= anchors[k] && p.t1 <= anchors[k + 1]) w += p.w, movable = movable && !p.cut;
      if (w >= min_apart - 1e-9 || !movable) continue;
      const double span = static_cast<double>(anchors[k + 1] - anchors[k]);
      for (Piece& p : pieces)
        if (p.t0 >= anchors[k] && p.t1 <= anchors[k + 1])
          p.w = min_apart * static_cast<double>(p.t1 - p.t0) / span, p.fixed = true;
      stretched = true;
    }
    if (!stretched) break;
  }

  std::vector<TimeAxis::Knot> knots{{0, 0.0}};
  std::vector<TimeAxis::Break> breaks;
  double x = 0.0;
  for (const Piece& p : pieces) {
    if (p.cut) breaks.push_back({p.t0, p.t1, x, x + p.w});
    x += p.w;
    knots.push_back({p.t1, x});
  }
  // Rounding must not leave the end short of the width.
  knots.back().x = width;
  if (!breaks.empty() && breaks.back().t1 == duration) breaks.back().x1 = width;
  return TimeAxis(std::move(knots), std::move(breaks));
}

std::string gap_label(Tick gap, bool brief) {
  char buf[48];
  auto whole = [&](Tick unit, const char* one, const char* many, const char* b) {
    const long long n = std::max<long long>(1, std::llround(static_cast<double>(gap) / unit));
    if (brief) std::snprintf(buf, sizeof buf, "%lld%s later", n, b);
    else std::snprintf(buf, sizeof buf, "%lld %s later", n, n == 1 ? one : many);
  };
  // Each unit from where the smaller one would round up to it ("60 s" is "1 minute").
  if (gap >= kDay - kHour / 2) whole(kDay, "day", "days", "d");
  else if (gap >= kHour - kMinute / 2) whole(kHour, "hour", "hours", "h");
  else if (gap >= kMinute - kSecond / 2) whole(kMinute, "minute", "minutes", "m");
  else if (gap >= 10 * kSecond - 50 * kMs) whole(kSecond, "s", "s", "s");
  else
    std::snprintf(buf, sizeof buf, brief ? "%.1fs later" : "%.1f s later",
                  static_cast<double>(gap) / kSecond);
  return buf;
}

}  // namespace ms
