// Sequence diagram: one lifeline per actor of a world, one arrow per wire unit from sender (at
// its send time) to receiver (at its arrival time), time flowing down. What it shows (the
// lifelines, each row's label, colour roles: sim/view/sequence_diagram.hpp) and the layout
// (sim/view/sequence_layout.hpp) are the SVG export's too; the layout gives every arrow its
// own label row, cuts idle stretches to one row and draws a burst of units as one "N lines"
// arrow until it is clicked open. It shows the world that is talking at the cursor, or both
// side by side, and opens zoomed to the current step. Its units, layout and fitted zoom are
// kept between frames in ui.caches.sequence.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "glossary.hpp"
#include "panels/panels.hpp"
#include "harness/audit.hpp"
#include "view/sequence_diagram.hpp"
#include "view/sequence_layout.hpp"
#include "view/world_layout.hpp"

namespace ms {

namespace seq = view::seq;

namespace {

constexpr float kMinPps = 20.0f, kMaxPps = 20000.0f;
// Fitting never zooms in further than this: a quiet step would otherwise open at 20000 px/s,
// where the one arrow above it is a screen long.
constexpr float kMaxFitPps = 2000.0f;

float dist_to_segment(ImVec2 p, ImVec2 a, ImVec2 b) {
  const float dx = b.x - a.x, dy = b.y - a.y;
  const float len2 = dx * dx + dy * dy;
  float t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0f;
  t = std::clamp(t, 0.0f, 1.0f);
  const float ex = a.x + dx * t - p.x, ey = a.y + dy * t - p.y;
  return std::sqrt(ex * ex + ey * ey);
}

std::uint64_t unit_key(int world, std::uint32_t rec) {
  return (static_cast<std::uint64_t>(world) << 32) | rec;
}

void take_units(SequenceCache& c, const AppModel& m, const std::vector<int>& worlds) {
  std::vector<std::uint64_t> builds;
  std::vector<std::size_t> nwire;
  for (int wi : worlds) builds.push_back(m.worlds[wi].build), nwire.push_back(m.worlds[wi].wire_recs.size());
  if (c.worlds == worlds && c.builds == builds && c.nwire == nwire) return;
  c.worlds = worlds, c.builds = builds, c.nwire = nwire;
  c.units.clear();
  for (std::size_t lane = 0; lane < worlds.size(); ++lane) {
    const WorldModel& w = m.worlds[worlds[lane]];
    const auto& recs = w.trace->records();
    // Lines per unit: the model's lines are in record order, as are the wire records.
    std::size_t li = 0;
    for (std::uint32_t ri : w.wire_recs) {
      const Record& r = recs[ri];
      while (li < w.lines.size() && w.lines[li].rec < ri) ++li;
      int n = 0;
      while (li < w.lines.size() && w.lines[li].rec == ri) ++li, ++n;
      c.units.push_back({.t = r.t, .t_end = std::max(r.t, r.t_end), .lane = static_cast<int>(lane),
                         .from = r.actor, .to = r.peer, .lines = std::max(n, 1),
                         .key = unit_key(worlds[lane], ri)});
    }
  }
  std::stable_sort(c.units.begin(), c.units.end(),
                   [](const seq::Unit& a, const seq::Unit& b) { return a.t < b.t; });
  c.steps.clear();
  if (!m.live.active)
    for (const Step& s : m.run.lesson.steps) c.steps.push_back(s.at);
  c.laid = false;
}

// Each world's lifelines, brought up to its trace (a live trace grows; its clients join and
// name themselves as it does).
void take_lifelines(SequenceCache& c, const AppModel& m) {
  c.lifelines.resize(m.worlds.size());
  c.lifeline_builds.resize(m.worlds.size(), 0);
  for (std::size_t i = 0; i < m.worlds.size(); ++i) {
    if (c.lifeline_builds[i] != m.worlds[i].build) {
      c.lifelines[i] = seq::Lifelines();
      c.lifeline_builds[i] = m.worlds[i].build;
    }
    c.lifelines[i].extend(m.worlds[i].index);
  }
}

// The GUI's colours for the diagram's roles (view/sequence_diagram).
ImU32 ink_of(seq::Colour c) {
  switch (c.ink) {
    case seq::Ink::Command: return proto_color(c.proto, false);
    case seq::Ink::Reply: return proto_color(c.proto, true);
    case seq::Ink::Step: return IM_COL32(250, 205, 90, 255);
    case seq::Ink::Break: return IM_COL32(160, 168, 190, 255);
    case seq::Ink::ServerHead: return proto_color(c.proto);
    case seq::Ink::Head: break;
  }
  return IM_COL32(235, 238, 245, 255);
}

const seq::Layout& laid_out(SequenceCache& c, const seq::Params& p, const std::vector<std::uint64_t>& expanded) {
  if (c.laid && c.pps == p.pps && c.row_h == p.row_h && c.max_gap == p.max_gap_px &&
      c.end == p.end && c.expanded == expanded)
    return c.layout;
  c.pps = p.pps, c.row_h = p.row_h, c.max_gap = p.max_gap_px, c.end = p.end, c.expanded = expanded;
  c.layout = seq::layout(c.units, c.steps, p, expanded);
  c.laid = true;
  return c.layout;
}

// The zoom at which [t0, t1] fits in `height`, worked out on the units near that range only
// (a fit lays its units out a dozen times; a long run has hundreds of thousands).
double fit_range(const SequenceCache& c, const seq::Params& p, const std::vector<std::uint64_t>& expanded,
                 Tick t0, Tick t1, double height) {
  const Tick from = t0 - 5 * kSecond;
  auto by_t = [](const seq::Unit& u, Tick t) { return u.t < t; };
  const auto a = std::lower_bound(c.units.begin(), c.units.end(), from, by_t);
  const auto b = std::lower_bound(a, c.units.end(), t1 + 1, by_t);
  std::vector<Tick> steps;
  for (Tick t : c.steps)
    if (t >= from && t <= t1) steps.push_back(t);
  seq::Params q = p;
  q.end = t1;
  return seq::fit_pps(std::vector<seq::Unit>(a, b), steps, q, expanded, t0, t1, height, kMinPps,
                      kMaxFitPps);
}

// The lesson step at the cursor as a time range, or none (live mode, before the first step).
bool current_step(const AppModel& m, Tick cursor, Tick& t0, Tick& t1, int& index) {
  if (m.live.active) return false;
  const auto& steps = m.run.lesson.steps;
  index = -1;
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (steps[i].at <= cursor) index = static_cast<int>(i);
  if (index < 0) return false;
  t0 = steps[index].at;
  t1 = index + 1 < static_cast<int>(steps.size()) ? steps[index + 1].at : m.duration;
  return true;
}

// The world talking at the cursor: the one with a unit in the current step, or else the one
// whose unit is nearest the cursor. Both when both talk in the step.
std::vector<int> talking_worlds(const AppModel& m, Tick cursor) {
  const int n = static_cast<int>(m.worlds.size());
  if (n <= 1) return {0};
  Tick t0 = 0, t1 = m.duration;
  int step = -1;
  const bool have_step = current_step(m, cursor, t0, t1, step);
  std::vector<int> in_step;
  int nearest = 0;
  Tick best = -1;
  for (int i = 0; i < n; ++i) {
    const WorldModel& w = m.worlds[i];
    const auto& recs = w.trace->records();
    const auto it = std::lower_bound(w.wire_recs.begin(), w.wire_recs.end(), cursor,
                                     [&](std::uint32_t ri, Tick t) { return recs[ri].t < t; });
    Tick d = -1;
    if (it != w.wire_recs.end()) d = recs[*it].t - cursor;
    if (it != w.wire_recs.begin()) {
      const Tick back = cursor - recs[*std::prev(it)].t;
      if (d < 0 || back < d) d = back;
    }
    if (d >= 0 && (best < 0 || d < best)) best = d, nearest = i;
    if (have_step) {
      const auto a = std::lower_bound(w.wire_recs.begin(), w.wire_recs.end(), t0,
                                      [&](std::uint32_t ri, Tick t) { return recs[ri].t < t; });
      if (a != w.wire_recs.end() && recs[*a].t < t1) in_step.push_back(i);
    }
  }
  if (in_step.size() >= 2) return in_step;
  if (in_step.size() == 1) return in_step;
  return {nearest};
}

// `s` cut to `max_w` pixels of the current font with "…"; "" when not even "…" fits (nothing
// is drawn then).
std::string fit_text(const std::string& s, double max_w) {
  const view::Measure width = [](std::string_view t, float) {
    return ImGui::CalcTextSize(t.data(), t.data() + t.size()).x;
  };
  if (width("\xe2\x80\xa6", 0) > max_w) return "";
  return view::ellipsize(s, 0, static_cast<float>(max_w), width);
}

double text_w(std::string_view s) {
  return static_cast<double>(ImGui::CalcTextSize(s.data(), s.data() + s.size()).x);
}

// The controls above the diagram: which worlds, zoom (log slider), follow toggle, fit to the
// step.
void controls(const AppModel& m, UiState& ui) {
  const float fs = ImGui::GetFontSize();
  if (m.worlds.size() > 1) {
    const std::string w1 = proto_name(m.worlds[0].proto), w2 = proto_name(m.worlds[1].proto);
    const std::string items = std::string("talking") + '\0' + w1 + '\0' + w2 + '\0' + "both" + '\0';
    ImGui::SetNextItemWidth(fs * 6.5f);
    ImGui::Combo("##seqworld", &ui.seq_world, items.c_str());
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("Which world: the one talking at the cursor, one of them, or both side by side");
    ImGui::SameLine();
  }
  ImGui::SetNextItemWidth(fs * 8);
  if (ImGui::SliderFloat("px/s", &ui.seq_pps, kMinPps, kMaxPps, "%.0f", ImGuiSliderFlags_Logarithmic))
    ui.seq_auto_zoom = false;
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Zoom: pixels per simulated second where there is room (Ctrl+wheel)");
  ImGui::SameLine();
  ImGui::Checkbox("Follow cursor", &ui.seq_follow);
  ImGui::SameLine();
  if (ImGui::Button(ui.seq_auto_zoom ? "Fitted" : "Fit")) {
    ui.seq_auto_zoom = true;
    ui.seq_follow = true;
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Zoom to the current step (or the last 20 units), following the cursor.\n"
                      "Wheel: scroll, Ctrl+wheel: zoom, click an arrow to go there,\n"
                      "click an \"N lines\" arrow to see its lines.");
}

std::vector<int> shown_worlds(const AppModel& m, const UiState& ui) {
  if (m.worlds.size() == 1) return {0};
  if (ui.seq_world == 1) return {0};
  if (ui.seq_world == 2) return {1};
  if (ui.seq_world == 3) return {0, 1};
  return talking_worlds(m, ui.cursor);
}

// One frame of the diagram: where it is on screen, the layout at the zoom in use, the part of
// it in view, and the lesson step at the cursor.
struct Frame {
  float fs = 0;
  ImVec2 p0, p1, avail;
  float head_h = 0, body_top = 0, body_h = 0;
  bool hovered = false;
  ImDrawList* dl = nullptr;
  std::vector<int> shown;
  seq::Params prm;
  const seq::Layout* L = nullptr;
  double top_y = 0;     // the layout's y at the body's top edge
  double cursor_y = 0;  // the layout's y of the time cursor
  Tick t0 = 0, t1 = 0;  // the step at the cursor
  int step = -1;
  bool have_step = false, step_fits = false;
  float sy(double y) const { return body_top + static_cast<float>(y - top_y); }
};

// The zoom that fits the current step (or the 20 units before the cursor), worked out again
// when the step, the worlds shown or the panel's height change.
void fit_zoom(SequenceCache& c, const AppModel& m, UiState& ui, Frame& f) {
  f.have_step = current_step(m, ui.cursor, f.t0, f.t1, f.step);
  // Without a step (live mode) the fit follows the units up to the cursor as they pass, by
  // twenty at a time (a fit lays the run out a dozen times).
  const std::size_t before = f.have_step ? 0 : static_cast<std::size_t>(
      std::upper_bound(c.units.begin(), c.units.end(), ui.cursor,
                       [](Tick t, const seq::Unit& u) { return t < u.t; }) - c.units.begin());
  const bool want_fit = ui.seq_auto_zoom &&
                        (c.fitted_step != f.step || c.fitted_worlds != f.shown ||
                         c.fitted_h != f.body_h || c.fitted_units != c.units.size() ||
                         before >= c.fitted_before + 20 || before < c.fitted_before);
  f.step_fits = false;
  if (ui.seq_auto_zoom) {
    if (want_fit) {
      c.fitted_step = f.step, c.fitted_worlds = f.shown, c.fitted_h = f.body_h;
      c.fitted_units = c.units.size();
      c.fitted_before = before;
      double pps = kMinPps;
      if (f.have_step) {
        pps = fit_range(c, f.prm, ui.seq_expanded, f.t0, f.t1, f.body_h);
        f.prm.pps = pps;
        const seq::Layout& L = laid_out(c, f.prm, ui.seq_expanded);
        f.step_fits = L.axis.x_of(f.t1) - L.axis.x_of(f.t0) + f.prm.row_h <= f.body_h;
      }
      if (!f.step_fits) {
        // The 20 units up to the cursor, in the 60% of the view above it.
        const auto it = std::upper_bound(c.units.begin(), c.units.end(), ui.cursor,
                                         [](Tick t, const seq::Unit& u) { return t < u.t; });
        const std::size_t k = static_cast<std::size_t>(it - c.units.begin());
        if (k > 0) {
          const Tick a = c.units[k > 20 ? k - 20 : 0].t;
          pps = fit_range(c, f.prm, ui.seq_expanded, a, ui.cursor, f.body_h * 0.6);
        }
      }
      ui.seq_pps = static_cast<float>(pps);
    } else if (f.have_step) {
      f.prm.pps = ui.seq_pps;
      const seq::Layout& L = laid_out(c, f.prm, ui.seq_expanded);
      f.step_fits = L.axis.x_of(f.t1) - L.axis.x_of(f.t0) + f.prm.row_h <= f.body_h;
    }
  }
  f.prm.pps = ui.seq_pps;
}

// Wheel: Ctrl zooms (around the cursor while following, else around the mouse) and keeps
// following; without Ctrl it scrolls, which stops following (the checkbox shows it).
void wheel(SequenceCache& c, UiState& ui, Frame& f) {
  ImGuiIO& io = ImGui::GetIO();
  f.L = &laid_out(c, f.prm, ui.seq_expanded);
  if (!f.hovered || io.MouseWheel == 0) return;
  const seq::Layout* L = f.L;
  if (io.KeyCtrl) {
    const double anchor_dy = ui.seq_follow ? f.body_h * 0.6 : io.MousePos.y - f.body_top;
    const double anchor_y = ui.seq_follow ? L->axis.x_of(ui.cursor)
                                          : L->axis.x_of(static_cast<Tick>(ui.seq_top * kSecond)) + anchor_dy;
    const Tick anchor_t = L->axis.t_of(anchor_y);
    ui.seq_pps = std::clamp(ui.seq_pps * std::pow(1.25f, io.MouseWheel), kMinPps, kMaxPps);
    ui.seq_auto_zoom = false;
    f.step_fits = false;
    f.prm.pps = ui.seq_pps;
    f.L = L = &laid_out(c, f.prm, ui.seq_expanded);
    if (!ui.seq_follow)
      ui.seq_top = static_cast<double>(L->axis.t_of(L->axis.x_of(anchor_t) - anchor_dy)) / kSecond;
  } else {
    const double y = L->axis.x_of(static_cast<Tick>(ui.seq_follow ? 0 : ui.seq_top * kSecond));
    const double from = ui.seq_follow ? L->axis.x_of(ui.cursor) - f.body_h * 0.6 : y;
    ui.seq_top = static_cast<double>(L->axis.t_of(from - io.MouseWheel * f.body_h * 0.25)) / kSecond;
    ui.seq_follow = false;
  }
}

// The part of the layout in view: following, the cursor 60% down (a fitted step from its
// first row); else where the user scrolled to.
void scroll(UiState& ui, Frame& f) {
  const seq::Layout* L = f.L;
  const double body_h = f.body_h;
  f.cursor_y = L->axis.x_of(ui.cursor);
  double top_y;
  if (ui.seq_follow) {
    top_y = f.cursor_y - body_h * 0.6;
    if (ui.seq_auto_zoom && f.have_step) {
      // The step from its first row, the cursor as near 60% down as that allows, so that a
      // step just begun shows what it is about to do; once the cursor would leave the view,
      // it is followed as usual.
      double step_y = L->axis.x_of(f.t0);  // the step's own row, above the units at its time
      for (auto it = std::lower_bound(L->items.begin(), L->items.end(), f.t0,
                                      [](const seq::Item& i, Tick t) { return i.t < t; });
           it != L->items.end() && it->t == f.t0; ++it)
        if (it->kind == seq::Kind::Step && it->step == f.step) step_y = it->y;
      const double hi = step_y - f.prm.row_h * 1.5;
      if (f.step_fits) {
        const double lo = L->axis.x_of(f.t1) + f.prm.row_h * 0.5 - body_h;
        top_y = std::clamp(top_y, std::min(lo, hi), hi);
      } else if (f.cursor_y <= hi + body_h - f.prm.row_h) {
        top_y = hi;
      }
    }
    ui.seq_top = static_cast<double>(L->axis.t_of(top_y)) / kSecond;
  } else {
    top_y = L->axis.x_of(static_cast<Tick>(ui.seq_top * kSecond));
  }
  f.top_y = std::clamp(top_y, -body_h * 0.6, std::max(0.0, L->height - body_h * 0.4));
}

// A world's lifelines across its lane (view/sequence_diagram: internet, server, devices).
struct Lane {
  const WorldModel* w;
  const seq::Lifelines* lines;
  float x0, x1;
  float x_of(std::uint16_t actor) const {
    const int c = lines->column(actor);
    return c < 0 ? -1.0f
                 : static_cast<float>(seq::column_x(static_cast<std::size_t>(c), lines->size(), x0, x1 - x0));
  }
};

// One lane per world shown, side by side, their lifelines drawn.
std::vector<Lane> lanes_of(const SequenceCache& cache, const AppModel& m, const Frame& f) {
  std::vector<Lane> lanes;
  const std::size_t n = f.shown.size();
  const float lane_gap = n > 1 ? 8.0f : 0.0f;
  const float lane_w = (f.avail.x - lane_gap * (n - 1)) / n;
  for (std::size_t i = 0; i < n; ++i) {
    Lane ln{&m.worlds[f.shown[i]], &cache.lifelines[f.shown[i]], f.p0.x + i * (lane_w + lane_gap), 0};
    ln.x1 = ln.x0 + lane_w;
    for (const seq::Lifeline& l : ln.lines->list()) {
      const float x = ln.x_of(l.actor);
      f.dl->AddLine(ImVec2(x, f.body_top), ImVec2(x, f.p1.y), IM_COL32(80, 88, 110, 255), 1.0f);
    }
    if (i > 0)
      f.dl->AddLine(ImVec2(ln.x0 - lane_gap / 2, f.p0.y), ImVec2(ln.x0 - lane_gap / 2, f.p1.y),
                    IM_COL32(110, 118, 140, 255), 2.0f);
    lanes.push_back(std::move(ln));
  }
  return lanes;
}

// The arrow (or its label) under the mouse.
struct Hit {
  const seq::Item* item = nullptr;
  bool on_label = false;
};

// The first of the items whose row or arrow reaches into view: rows are in y order; an arrow
// reaches at most down to the end of the run's longest transit below its row.
std::size_t first_in_view(const AppModel& m, const Frame& f, double y_lo) {
  const auto& items = f.L->items;
  std::size_t first = static_cast<std::size_t>(
      std::lower_bound(items.begin(), items.end(), y_lo,
                       [](const seq::Item& it, double y) { return it.y < y; }) - items.begin());
  Tick longest = 0;
  for (int wi : f.shown) longest = std::max(longest, m.worlds[wi].max_transit);
  const Tick t_top = f.L->axis.t_of(y_lo);
  while (first > 0 && items[first - 1].t + longest >= t_top) --first;
  return first;
}

// Rows, arrows and labels, below the lifeline heads. A label is drawn only when its row is
// wholly in view (it pops in rather than being cut by the heads or the panel's edge).
// A row's label, drawn after every arrow and the time cursor, on an opaque ground: an arrow
// still in flight across a later row (the layout keeps every other arrow out of later labels)
// and the cursor pass under it.
struct Label {
  std::string text, owner;
  ImVec2 l0, l1;
  ImU32 ink;
  bool ground;
  std::string full;  // the whole label when `text` was shortened (the arrow's tooltip has it)
};

Hit draw_rows(const SequenceCache& c, const AppModel& m, const UiState& ui, const Frame& f,
              const std::vector<Lane>& lanes, std::vector<Label>& labels) {
  ImDrawList* dl = f.dl;
  const ImVec2 p0 = f.p0, p1 = f.p1;
  const ImGuiIO& io = ImGui::GetIO();
  const double row_h = f.prm.row_h;
  Hit hit;
  const double y_lo = f.top_y - row_h, y_hi = f.top_y + f.body_h + row_h;
  const auto& items = f.L->items;
  for (std::size_t ii = first_in_view(m, f, y_lo); ii < items.size() && items[ii].y - row_h <= y_hi;
       ++ii) {
    const seq::Item& it = items[ii];
    const float y = f.sy(it.y);
    const float band0 = y - static_cast<float>(row_h) + 1;
    const bool label_in_view = band0 >= f.body_top && band0 + f.fs <= p1.y;
    if (it.kind == seq::Kind::Step) {
      const ImU32 ink = ink_of({seq::Ink::Step});
      dl->AddLine(ImVec2(p0.x, y), ImVec2(p1.x, y), (ink & ~IM_COL32_A_MASK) | (110u << IM_COL32_A_SHIFT), 1.0f);
      if (!label_in_view) continue;
      const std::string text =
          fit_text(seq::label(it, nullptr, m.run.lesson.steps[it.step].title), f.avail.x - 8);
      const ImVec2 tp(p0.x + 4, band0);
      labels.push_back({text, "sequence/step:" + std::to_string(it.step + 1), tp,
                        ImVec2(tp.x + static_cast<float>(text_w(text)), tp.y + f.fs), ink, false});
      continue;
    }
    if (it.kind == seq::Kind::Break) {
      // The idle stretch cut to one row: a dotted band across the lifelines, saying how long.
      for (float x = p0.x + 2; x < p1.x; x += 8)
        dl->AddLine(ImVec2(x, y - row_h * 0.5f), ImVec2(x + 4, y - row_h * 0.5f),
                    IM_COL32(120, 128, 150, 200), 1.0f);
      if (!label_in_view) continue;
      const std::string text = seq::label(it, nullptr);
      const float tw = static_cast<float>(text_w(text));
      const ImVec2 tp(p0.x + (f.avail.x - tw) / 2, band0);
      labels.push_back({text, "sequence/break:" + std::to_string(ii), tp, ImVec2(tp.x + tw, tp.y + f.fs),
                        ink_of({seq::Ink::Break}), true});
      continue;
    }
    const seq::Unit& u = c.units[it.first];
    const Lane& ln = lanes[u.lane];
    const WorldModel& w = *ln.w;
    const float xa = ln.x_of(static_cast<std::uint16_t>(u.from)), xb = ln.x_of(static_cast<std::uint16_t>(u.to));
    if (xa < 0 || xb < 0) continue;
    const seq::Arrow arrow{xa, y, xb, f.sy(it.y_end)};
    const ImVec2 a(xa, y), b(xb, static_cast<float>(arrow.yb));
    const Record& r = w.trace->records()[static_cast<std::uint32_t>(u.key)];
    const ImU32 col = ink_of(seq::colour_of(r, *ln.lines));
    // What has not happened yet is drawn faint; its label less so, to stay readable.
    const bool future = r.t > ui.cursor;
    const ImU32 ink = future ? (col & ~IM_COL32_A_MASK) | (90u << IM_COL32_A_SHIFT) : col;
    const ImU32 text_ink = future ? (col & ~IM_COL32_A_MASK) | (170u << IM_COL32_A_SHIFT) : col;
    const bool burst = it.kind == seq::Kind::Burst;
    dl->AddLine(a, b, ink, burst ? 3.5f : 1.5f);
    const float dir = b.x > a.x ? -1.0f : 1.0f;
    dl->AddTriangleFilled(b, ImVec2(b.x + dir * 8, b.y - 4), ImVec2(b.x + dir * 8, b.y + 4), ink);
    if (f.hovered && dist_to_segment(io.MousePos, a, b) < 5.0f) hit = {&it, false};
    if (!label_in_view) continue;
    // The label sits in the arrow's row, centred over it, kept inside its world's lane; "[+]"
    // opens a burst, "[-]" folds an opened one.
    const std::string mark = burst ? "[+] " : it.burst ? "[-] " : "";
    const std::string whole = mark + seq::label(it, &r);
    const std::string text = fit_text(whole, ln.x1 - ln.x0 - 8);
    if (text.empty()) continue;
    const seq::Box box = seq::label_box(arrow, text_w(text), f.fs, row_h, ln.x0 + 4, ln.x1 - 4);
    const ImVec2 l0(static_cast<float>(box.x0), static_cast<float>(box.y0));
    const ImVec2 l1(static_cast<float>(box.x1), static_cast<float>(box.y1));
    if (f.hovered && ImGui::IsMouseHoveringRect(l0, l1)) hit = {&it, true};
    labels.push_back({text,
                      std::string("sequence/") + proto_name(w.proto) + "/arrow:" +
                          std::to_string(static_cast<std::uint32_t>(u.key)),
                      l0, l1, text_ink, true, text != whole ? whole : std::string()});
  }
  return hit;
}

void draw_labels(const Frame& f, const std::vector<Label>& labels) {
  const ImVec2 clip0(f.p0.x, f.body_top);
  for (const Label& l : labels) {
    if (l.ground)
      f.dl->AddRectFilled(ImVec2(l.l0.x - 2, l.l0.y), ImVec2(l.l1.x + 2, l.l1.y), IM_COL32(20, 23, 31, 255));
    f.dl->AddText(l.l0, l.ink, l.text.c_str());
    if (audit::on())
      audit::item(l.owner.find("/arrow:") != std::string::npos ? "label" : "text", l.owner, l.text,
                  l.l0, l.l1, clip0, f.p1, ImGui::GetFontSize(), l.full);
  }
}

// Lifeline heads, names cut to their column.
void draw_heads(const Frame& f, const std::vector<Lane>& lanes) {
  const bool auditing = audit::on();
  for (const Lane& ln : lanes) {
    const float colw = (ln.x1 - ln.x0) / static_cast<float>(ln.lines->size());
    for (const seq::Lifeline& l : ln.lines->list()) {
      const float x = ln.x_of(l.actor);
      std::string name = l.name;
      const seq::Colour role = seq::head_colour(l, ln.w->proto);
      // Side by side, the server says whose world it is when there is room (its colour says
      // it anyway).
      if (lanes.size() > 1 && role.ink == seq::Ink::ServerHead) {
        const std::string long_name = std::string(proto_name(ln.w->proto)) + " " + name;
        if (text_w(long_name) <= colw - 14) name = long_name;
      }
      name = fit_text(name, colw - 14);
      if (name.empty()) continue;
      const ImVec2 ts = ImGui::CalcTextSize(name.c_str());
      f.dl->AddRectFilled(ImVec2(x - ts.x / 2 - 5, f.p0.y + 2),
                          ImVec2(x + ts.x / 2 + 5, f.p0.y + f.head_h - 2), IM_COL32(40, 46, 60, 255),
                          4.0f);
      const ImVec2 tp(x - ts.x / 2, f.p0.y + (f.head_h - ts.y) / 2);
      f.dl->AddText(tp, ink_of(role), name.c_str());
      // A name cut to its column ("desk…") is whole on hover.
      const bool cut = name != l.name && name.find(l.name) == std::string::npos;
      const ImVec2 te(tp.x + ts.x, tp.y + ts.y);
      if (cut && f.hovered && ImGui::IsMouseHoveringRect(tp, te)) ImGui::SetTooltip("%s", l.name.c_str());
      if (auditing)
        audit::item("text", std::string("sequence/") + proto_name(ln.w->proto) + "/head:" + l.name,
                    name, tp, te, f.p0, f.p1, ImGui::GetFontSize(), cut ? l.name : std::string());
    }
  }
}

// The arrow under the mouse: its tooltip, and a click goes there (a burst opens, an open
// burst's label folds it again).
void on_hit(const SequenceCache& c, const AppModel& m, UiState& ui, const Frame& f, const Hit& hit) {
  const seq::Item& it = *hit.item;
  const seq::Unit& u = c.units[it.first];
  const WorldModel& w = m.worlds[f.shown[u.lane]];
  const Record& r = w.trace->records()[static_cast<std::uint32_t>(u.key)];
  const seq::Lifelines& lines = c.lifelines[f.shown[u.lane]];
  const std::string line = fit_text(seq::said(r.text).first, f.fs * 40);
  char head[640];
  if (it.kind == seq::Kind::Burst)
    std::snprintf(head, sizeof head, "%s %s \xe2\x86\x92 %s: %zu units, %d lines from %s\n%s\n(click to see each line)",
                  proto_name(r.proto), lines.name(r.actor).c_str(), lines.name(r.peer).c_str(),
                  it.count, it.lines, format_time(r.t).c_str(), line.c_str());
  else
    std::snprintf(head, sizeof head, "%s %s \xe2\x86\x92 %s at %s\n%s\n(%s)", proto_name(r.proto),
                  lines.name(r.actor).c_str(), lines.name(r.peer).c_str(),
                  format_time(r.t).c_str(), line.c_str(),
                  it.burst && hit.on_label ? "click to fold these lines again" : "click to go there");
  tooltip_with_terms(head);
  if (!ImGui::IsMouseClicked(0)) return;
  if (it.kind == seq::Kind::Burst) {
    ui.seq_expanded.push_back(u.key);
  } else if (it.burst && hit.on_label) {
    ui.seq_expanded.erase(std::remove(ui.seq_expanded.begin(), ui.seq_expanded.end(), u.key),
                          ui.seq_expanded.end());
  } else {
    ui.playing = false;
    seek(m, ui, r.t + (r.t_end - r.t) / 2);
  }
}

void diagram(const AppModel& m, UiState& ui) {
  if (m.worlds.empty()) return;
  Frame f;
  f.fs = ImGui::GetFontSize();
  const double row_h = std::floor(f.fs + 5);
  const seq::Chrome chrome = seq::chrome(ImGui::GetContentRegionAvail().y, f.fs,
                                         ImGui::GetFrameHeightWithSpacing(), row_h);
  if (chrome.controls_row) {
    controls(m, ui);
  } else {
    // A short panel: the controls fold into a button left of the heads, the rows get their row.
    const ImVec2 at = ImGui::GetCursorScreenPos();
    if (ImGui::Button("\xe2\x96\xbe##seqctl")) ImGui::OpenPopup("seqctl");
    const float gutter = ImGui::GetItemRectSize().x + 4;
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("The diagram's controls: which world, zoom, follow the cursor, fit");
    if (ImGui::BeginPopup("seqctl")) {
      controls(m, ui);
      ImGui::EndPopup();
    }
    ImGui::SetCursorScreenPos(ImVec2(at.x + gutter, at.y));
  }
  f.shown = shown_worlds(m, ui);
  f.p0 = ImGui::GetCursorScreenPos();
  f.avail = ImGui::GetContentRegionAvail();
  if (f.avail.x < 50 || f.avail.y < 40) return;
  ImGui::InvisibleButton("##seq", f.avail);
  f.hovered = ImGui::IsItemHovered();
  f.p1 = ImVec2(f.p0.x + f.avail.x, f.p0.y + f.avail.y);
  f.dl = ImGui::GetWindowDrawList();
  f.dl->AddRectFilled(f.p0, f.p1, IM_COL32(20, 23, 31, 255));
  f.dl->PushClipRect(f.p0, f.p1, true);

  SequenceCache& c = ui.caches.sequence;
  take_units(c, m, f.shown);
  take_lifelines(c, m);
  f.head_h = static_cast<float>(chrome.head_h);
  f.body_top = f.p0.y + f.head_h;
  f.body_h = f.p1.y - f.body_top;
  f.prm = {.pps = ui.seq_pps, .row_h = row_h, .max_gap_px = (f.fs + 5) * 3,
           .end = m.duration};
  fit_zoom(c, m, ui, f);
  wheel(c, ui, f);
  scroll(ui, f);

  const std::vector<Lane> lanes = lanes_of(c, m, f);
  f.dl->PushClipRect(ImVec2(f.p0.x, f.body_top), f.p1, true);
  std::vector<Label> labels;
  const Hit hit = draw_rows(c, m, ui, f, lanes, labels);
  // The time cursor.
  const float cy = f.sy(f.cursor_y);
  f.dl->AddLine(ImVec2(f.p0.x, cy), ImVec2(f.p1.x, cy), IM_COL32(255, 255, 255, 220), 2.0f);
  draw_labels(f, labels);
  f.dl->PopClipRect();
  draw_heads(f, lanes);
  f.dl->PopClipRect();
  if (hit.item) on_hit(c, m, ui, f, hit);
}

}  // namespace

void draw_sequence(const AppModel& m, UiState& ui) { diagram(m, ui); }

}  // namespace ms
