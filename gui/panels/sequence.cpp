// Sequence diagram: one lifeline per actor of a world, one arrow per wire unit from sender (at
// its send time) to receiver (at its arrival time), time flowing down. Only the records in the
// visible time range are visited (binary search on start times). Clicking an arrow seeks.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "panels/panels.hpp"

namespace ms {

namespace {

// A wire unit takes at most this long to cross a link; arrows starting this much above the
// visible range may still reach into it.
constexpr Tick kMaxTransit = 5 * kSecond;

float dist_to_segment(ImVec2 p, ImVec2 a, ImVec2 b) {
  const float dx = b.x - a.x, dy = b.y - a.y;
  const float len2 = dx * dx + dy * dy;
  float t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0f;
  t = std::clamp(t, 0.0f, 1.0f);
  const float ex = a.x + dx * t - p.x, ey = a.y + dy * t - p.y;
  return std::sqrt(ex * ex + ey * ey);
}

void diagram(const AppModel& m, const WorldModel& w, UiState& ui) {
  const float fs = ImGui::GetFontSize();
  // Zoom controls: slider (log scale) and follow toggle; Ctrl+wheel zooms, wheel scrolls.
  ImGui::SetNextItemWidth(fs * 10);
  ImGui::SliderFloat("zoom (px/s)", &ui.seq_pps, 20.0f, 20000.0f, "%.0f",
                     ImGuiSliderFlags_Logarithmic);
  ImGui::SameLine();
  ImGui::Checkbox("Follow cursor", &ui.seq_follow);
  ImGui::SameLine();
  ImGui::TextDisabled("(wheel: scroll, Ctrl+wheel: zoom, click an arrow to go there)");

  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (avail.x < 50 || avail.y < 40) return;
  ImGui::InvisibleButton("##seq", avail);
  const bool hovered = ImGui::IsItemHovered();
  const ImVec2 p1(p0.x + avail.x, p0.y + avail.y);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p0, p1, IM_COL32(20, 23, 31, 255));
  dl->PushClipRect(p0, p1, true);

  // Lifelines: internet (if any), server, then devices in order of appearance.
  const float head_h = fs + 10;
  const float body_top = p0.y + head_h;
  const float body_h = p1.y - body_top;
  const double secs_visible = body_h / ui.seq_pps;
  ImGuiIO& io = ImGui::GetIO();
  if (hovered && io.MouseWheel != 0) {
    if (io.KeyCtrl) {
      // Zoom around the time under the mouse.
      const double t_mouse = ui.seq_top + (io.MousePos.y - body_top) / ui.seq_pps;
      ui.seq_pps = std::clamp(ui.seq_pps * std::pow(1.25f, io.MouseWheel), 20.0f, 20000.0f);
      ui.seq_top = t_mouse - (io.MousePos.y - body_top) / ui.seq_pps;
    } else {
      ui.seq_top -= io.MouseWheel * secs_visible * 0.15;
    }
    ui.seq_follow = false;
  }
  const double cursor_s = static_cast<double>(ui.cursor) / kSecond;
  if (ui.seq_follow) ui.seq_top = cursor_s - secs_visible * 0.6;
  const double dur_s = static_cast<double>(m.duration) / kSecond;
  ui.seq_top = std::clamp(ui.seq_top, -secs_visible * 0.6, std::max(0.0, dur_s - secs_visible * 0.4));
  const double top = ui.seq_top, bottom = top + secs_visible;
  auto y_of = [&](Tick t) {
    return body_top + static_cast<float>((static_cast<double>(t) / kSecond - top) * ui.seq_pps);
  };

  // Columns.
  std::uint16_t cols[64];
  int ncols = 0;
  if (w.internet >= 0) cols[ncols++] = static_cast<std::uint16_t>(w.internet);
  cols[ncols++] = w.server;
  for (const ActorInfo& a : w.devices)
    if (ncols < 64) cols[ncols++] = a.id;
  const float colw = avail.x / ncols;
  auto x_of = [&](std::uint16_t actor) {
    for (int i = 0; i < ncols; ++i)
      if (cols[i] == actor) return p0.x + colw * (i + 0.5f);
    return -1.0f;
  };
  for (int i = 0; i < ncols; ++i) {
    const float x = p0.x + colw * (i + 0.5f);
    dl->AddLine(ImVec2(x, body_top), ImVec2(x, p1.y), IM_COL32(80, 88, 110, 255), 1.0f);
  }
  // Arrows and labels stay below the lifeline heads.
  dl->PushClipRect(ImVec2(p0.x, body_top), p1, true);

  // Visible records: the wire units and lesson steps (listed once by the model, in record
  // order) from the first that may reach into view, by binary search on start times. Arrows
  // start at most the longest transit of this run above the view.
  const auto& recs = w.trace->records();
  const Tick t_lo = static_cast<Tick>(top * kSecond) - std::min(kMaxTransit, w.max_transit);
  const Tick t_hi = static_cast<Tick>(bottom * kSecond) + 1;
  auto from = [&](const std::vector<std::uint32_t>& idx) {
    return static_cast<std::size_t>(
        std::lower_bound(idx.begin(), idx.end(), t_lo,
                         [&](std::uint32_t i, Tick t) { return recs[i].t < t; }) -
        idx.begin());
  };
  std::size_t wi = from(w.wire_recs), si = from(w.step_recs);
  const Record* clicked = nullptr;
  const Record* hover = nullptr;
  float last_label_y = -1e9f;
  int drawn = 0;
  while (drawn < 4000) {
    // The next of the two lists in record order, as a walk over all records would meet them.
    const bool wire_left = wi < w.wire_recs.size(), step_left = si < w.step_recs.size();
    if (!wire_left && !step_left) break;
    const bool step_next = step_left && (!wire_left || w.step_recs[si] < w.wire_recs[wi]);
    const Record& r = recs[step_next ? w.step_recs[si++] : w.wire_recs[wi++]];
    if (r.t > t_hi) break;
    if (r.kind == RecKind::Step) {
      const float y = y_of(r.t);
      dl->AddLine(ImVec2(p0.x, y), ImVec2(p1.x, y), IM_COL32(250, 205, 90, 90), 1.0f);
      dl->AddText(ImVec2(p0.x + 4, y + 1), IM_COL32(250, 205, 90, 200), r.text.c_str());
      continue;
    }
    if (r.kind != RecKind::Wire) continue;
    const float xa = x_of(r.actor), xb = x_of(r.peer);
    if (xa < 0 || xb < 0) continue;
    const ImVec2 a(xa, y_of(r.t)), b(xb, y_of(r.t_end));
    if (std::max(a.y, b.y) < body_top || std::min(a.y, b.y) > p1.y) continue;
    ++drawn;
    const bool from_server = r.actor == w.server;
    const ImU32 col = proto_color(r.proto, from_server);
    const bool future = r.t > ui.cursor;
    const ImU32 c = future ? (col & ~IM_COL32_A_MASK) | (90u << IM_COL32_A_SHIFT) : col;
    dl->AddLine(a, b, c, 1.5f);
    // Arrow head at the receiver.
    const float dir = b.x > a.x ? -1.0f : 1.0f;
    dl->AddTriangleFilled(b, ImVec2(b.x + dir * 8, b.y - 4), ImVec2(b.x + dir * 8, b.y + 4), c);
    if (hovered && dist_to_segment(io.MousePos, a, b) < 5.0f) {
      hover = &r;
      if (ImGui::IsMouseClicked(0)) clicked = &r;
    }
    // Label: protocol name prefix and the first line, skipped when it would overprint the last.
    // The label sits over the arrow's middle, so it is read with its own arrow.
    const ImVec2 mid((a.x + b.x) / 2, (a.y + b.y) / 2);
    const float ly = mid.y - fs - 2;
    if (ly - last_label_y >= fs) {
      std::string_view line = r.text;
      line = line.substr(0, std::min<std::size_t>(line.find_first_of("\r\n"), 60));
      char buf[96];
      std::snprintf(buf, sizeof buf, "%s %.*s", proto_name(r.proto), static_cast<int>(line.size()),
                    line.data());
      const float tw = ImGui::CalcTextSize(buf).x;
      const float lx = std::clamp(mid.x - tw / 2, p0.x + 2, std::max(p0.x + 2, p1.x - tw - 2));
      dl->AddRectFilled(ImVec2(lx - 2, ly), ImVec2(lx + tw + 2, ly + fs), IM_COL32(20, 23, 31, 200));
      dl->AddText(ImVec2(lx, ly), c, buf);
      last_label_y = ly;
    }
  }
  // The time cursor.
  const float cy = y_of(ui.cursor);
  dl->AddLine(ImVec2(p0.x, cy), ImVec2(p1.x, cy), IM_COL32(255, 255, 255, 220), 2.0f);
  char tl[40];
  std::snprintf(tl, sizeof tl, "%s", format_time(ui.cursor).c_str());
  dl->AddText(ImVec2(p1.x - ImGui::CalcTextSize(tl).x - 6, cy - fs - 1), IM_COL32(255, 255, 255, 220), tl);
  dl->PopClipRect();
  for (int i = 0; i < ncols; ++i) {
    const float x = p0.x + colw * (i + 0.5f);
    const std::string& name = w.name_of(cols[i]);
    const ImVec2 ts = ImGui::CalcTextSize(name.c_str());
    dl->AddRectFilled(ImVec2(x - ts.x / 2 - 6, p0.y + 2), ImVec2(x + ts.x / 2 + 6, p0.y + head_h - 2),
                      IM_COL32(40, 46, 60, 255), 4.0f);
    dl->AddText(ImVec2(x - ts.x / 2, p0.y + 5), IM_COL32(235, 238, 245, 255), name.c_str());
  }
  dl->PopClipRect();
  if (hover) {
    std::string_view line = hover->text;
    line = line.substr(0, std::min<std::size_t>(line.find_first_of("\r\n"), 200));
    ImGui::SetTooltip("%s %s \xe2\x86\x92 %s at %s\n%.*s\n(click to go there)",
                      proto_name(hover->proto), w.name_of(hover->actor).c_str(),
                      w.name_of(hover->peer).c_str(), format_time(hover->t).c_str(),
                      static_cast<int>(line.size()), line.data());
  }
  if (clicked) {
    ui.playing = false;
    seek(m, ui, clicked->t + (clicked->t_end - clicked->t) / 2);
  }
}

}  // namespace

void draw_sequence(const AppModel& m, UiState& ui) {
  if (ImGui::BeginTabBar("##seqworlds")) {
    for (int i = 0; i < static_cast<int>(m.worlds.size()); ++i) {
      const WorldModel& w = m.worlds[i];
      if (ImGui::BeginTabItem(proto_name(w.proto))) {
        diagram(m, w, ui);
        ImGui::EndTabItem();
      }
    }
    ImGui::EndTabBar();
  }
}

}  // namespace ms
