#include "view/sequence_layout.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace ms::view::seq {

std::vector<Run> bursts(const std::vector<Unit>& units, Tick crowd) {
  std::vector<Run> out;
  std::map<int, Run> open;  // per lane, the run being built
  auto close = [&](Run& r) {
    if (r.members.size() >= 2) {
      r.first = r.members.front();
      r.count = r.members.size();
      out.push_back(std::move(r));
    }
    r = Run{};
  };
  for (std::size_t i = 0; i < units.size(); ++i) {
    const Unit& u = units[i];
    Run& r = open[u.lane];
    if (!r.members.empty()) {
      const Unit& prev = units[r.members.back()];
      if (prev.from != u.from || prev.to != u.to || u.t - prev.t >= crowd) close(r);
    }
    r.members.push_back(i);
  }
  for (auto& [lane, r] : open) close(r);
  std::sort(out.begin(), out.end(), [](const Run& a, const Run& b) { return a.first < b.first; });
  return out;
}

namespace {

// Gives rows already in time order their y: at their time's y where there is room, else a
// label row below the row before (in their lane, or in every lane for steps and breaks); an
// idle stretch longer than `max_gap_px` is cut to one Break row.
Layout place(std::vector<Item>& rows_in_order, const Params& p) {
  Layout L;
  std::vector<TimeAxis::Knot> knots{{0, 0.0}};
  std::map<int, double> bottom;  // per lane, the last row's bottom; -1: across all
  auto lowest = [&](int lane) {
    double b = 0.0;
    for (const auto& [l, y] : bottom)
      if (lane < 0 || l == lane || l < 0) b = std::max(b, y);
    return b;
  };
  double y = 0.0;
  Tick t_prev = 0, busy_end = 0;
  // An idle stretch from the end of what was busy to `t`: cut to one row when it is long.
  auto gap_to = [&](Tick t) {
    const Tick from = std::max(busy_end, t_prev);
    if (t <= from || static_cast<double>(t - from) / kSecond * p.pps <= p.max_gap_px) return;
    const double y_end = y + static_cast<double>(from - t_prev) / kSecond * p.pps;
    if (from > t_prev) knots.push_back({from, y_end});
    const double yb = std::max(y_end, lowest(-1)) + p.row_h;
    L.items.push_back({.kind = Kind::Break, .lane = -1, .t = from, .t_end = t, .y = yb});
    bottom.clear();
    bottom[-1] = yb;
    y = yb;
    t_prev = t;
  };
  for (Item& it : rows_in_order) {
    gap_to(it.t);
    const double y_time = y + static_cast<double>(it.t - t_prev) / kSecond * p.pps;
    it.y = std::max(y_time, lowest(it.lane) + p.row_h);
    knots.push_back({it.t, it.y});
    y = it.y;
    t_prev = it.t;
    bottom[it.lane] = it.y;
    busy_end = std::max(busy_end, it.t_end);
    L.items.push_back(it);
  }
  // Up to the last arrival, then to the run's end.
  if (busy_end > t_prev) {
    y += static_cast<double>(busy_end - t_prev) / kSecond * p.pps;
    t_prev = busy_end;
    knots.push_back({busy_end, y});
  }
  if (p.end > t_prev) {
    gap_to(p.end);
    if (p.end > t_prev) y += static_cast<double>(p.end - t_prev) / kSecond * p.pps;
    else y = std::max(y, lowest(-1)) + p.row_h;  // the cut's row, then the end below it
    knots.push_back({p.end, y});
  }
  L.height = std::max(y, lowest(-1)) + p.row_h;
  L.axis = TimeAxis(std::move(knots));
  for (std::size_t i = 0; i < L.items.size(); ++i) {
    Item& it = L.items[i];
    if (it.kind != Kind::Unit && it.kind != Kind::Burst) continue;
    it.y_end = std::max(it.y, L.axis.x_of(it.t_end));
    for (std::size_t j = i + 1; j < L.items.size() && L.items[j].y - p.row_h < it.y_end; ++j) {
      const Item& next = L.items[j];
      if ((next.lane == it.lane || next.lane < 0) && next.t >= it.t_end) {
        it.y_end = std::max(it.y, next.y - p.row_h);
        break;
      }
    }
  }
  return L;
}

}  // namespace

Layout layout(const std::vector<Unit>& units, const std::vector<Tick>& steps, const Params& p,
              const std::vector<std::uint64_t>& expanded) {
  // What is drawn, in time order: steps (before units at the same time, as a step opens what
  // follows), single units and collapsed bursts.
  const Tick crowd = static_cast<Tick>(p.row_h / p.pps * kSecond);
  const std::vector<Run> runs = bursts(units, crowd);
  std::vector<int> run_of(units.size(), -1);
  for (std::size_t r = 0; r < runs.size(); ++r)
    for (std::size_t m : runs[r].members) run_of[m] = static_cast<int>(r);
  std::vector<Item> rows_in_order;
  for (std::size_t i = 0; i < steps.size(); ++i)
    rows_in_order.push_back({.kind = Kind::Step, .lane = -1, .t = steps[i], .t_end = steps[i],
                    .step = static_cast<int>(i)});
  for (std::size_t i = 0; i < units.size(); ++i) {
    const Unit& u = units[i];
    const int r = run_of[i];
    const bool open = r >= 0 && std::find(expanded.begin(), expanded.end(),
                                          units[runs[r].first].key) != expanded.end();
    if (r < 0 || open) {
      rows_in_order.push_back({.kind = Kind::Unit, .lane = u.lane, .t = u.t, .t_end = u.t_end,
                      .first = i, .count = 1, .lines = u.lines,
                      .burst = open && runs[r].first == i ? runs[r].count : 0});
    } else if (runs[r].first == i) {
      Item b{.kind = Kind::Burst, .lane = u.lane, .t = u.t, .t_end = u.t_end, .first = i,
             .count = runs[r].count};
      for (std::size_t m : runs[r].members) {
        b.lines += units[m].lines;
        b.t_end = std::max(b.t_end, units[m].t_end);
      }
      rows_in_order.push_back(b);
    }
  }
  std::stable_sort(rows_in_order.begin(), rows_in_order.end(), [](const Item& a, const Item& b) {
    if (a.t != b.t) return a.t < b.t;
    return (a.kind == Kind::Step) > (b.kind == Kind::Step);
  });
  return place(rows_in_order, p);
}

Layout rows(const std::vector<Unit>& units, const std::vector<StepMark>& steps, double row_h) {
  struct Keyed {
    Item item;
    std::uint64_t key;
  };
  std::vector<Keyed> keyed;
  for (std::size_t i = 0; i < steps.size(); ++i)
    keyed.push_back({{.kind = Kind::Step, .lane = -1, .t = steps[i].t, .t_end = steps[i].t,
                      .step = static_cast<int>(i)},
                     steps[i].key});
  for (std::size_t i = 0; i < units.size(); ++i) {
    const Unit& u = units[i];
    keyed.push_back({{.kind = Kind::Unit, .lane = u.lane, .t = u.t, .t_end = u.t_end, .first = i,
                      .count = 1, .lines = u.lines},
                     u.key});
  }
  std::stable_sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
    return a.item.t != b.item.t ? a.item.t < b.item.t : a.key < b.key;
  });
  std::vector<Item> rows_in_order;
  for (const Keyed& k : keyed) rows_in_order.push_back(k.item);
  // At no pixels per second time takes no room: only the rows do, and no gap is long.
  return place(rows_in_order, {.pps = 0, .row_h = row_h, .max_gap_px = 0});
}

double fit_pps(const std::vector<Unit>& units, const std::vector<Tick>& steps, Params p,
               const std::vector<std::uint64_t>& expanded, Tick t0, Tick t1, double height,
               double lo, double hi) {
  auto fits = [&](double pps) {
    p.pps = pps;
    const Layout L = layout(units, steps, p, expanded);
    // The rows of [t0, t1] and the label row above the first.
    return L.axis.x_of(t1) - L.axis.x_of(t0) + p.row_h <= height;
  };
  if (!fits(lo)) return lo;
  if (fits(hi)) return hi;
  // Bisect on a log scale to a few percent.
  double a = std::log(lo), b = std::log(hi);
  while (b - a > 0.02) {
    const double m = (a + b) / 2;
    (fits(std::exp(m)) ? a : b) = m;
  }
  return std::exp(a);
}

double place_label(double centre, double w, double lo, double hi) {
  return std::max(lo, std::min(centre - w / 2, hi - w));
}

}  // namespace ms::view::seq
