// Timeline: play/pause, step between wire units, speed, and a scrubber over the run with the
// lesson's steps marked on it (long idle stretches cut to labelled breaks,
// sim/view/time_axis.hpp). Its axis is kept between frames in ui.caches.timeline.
#include <algorithm>
#include <cmath>
#include <string>

#include "harness/audit.hpp"
#include "icons.hpp"
#include "panels/panels.hpp"
#include "steps.hpp"
#include "live_display.hpp"
#include "view/time_axis.hpp"

namespace ms {

namespace {

// Drawn items for the layout audit (gui/harness/audit.hpp), clipped by the timeline window.
void audit_item(const char* kind, const std::string& owner, const std::string& text, ImVec2 p0,
                ImVec2 p1, ImVec2 clip0, ImVec2 clip1) {
  if (audit::on()) audit::item(kind, owner, text, p0, p1, clip0, clip1);
}
void audit_last_item(const char* kind, const std::string& owner, const std::string& text) {
  if (!audit::on()) return;
  const ImVec2 w0 = ImGui::GetWindowPos();
  audit::item(kind, owner, text, ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), w0,
              ImVec2(w0.x + ImGui::GetWindowWidth(), w0.y + ImGui::GetWindowHeight()));
}

// Everything that happens in the run (records, lesson steps) as busy spans; the axis through
// them is rebuilt only when the run, its length or the scrubber's width changes.
const TimeAxis& timeline_axis(TimelineCache& c, const AppModel& m, const std::vector<Step>& steps,
                              float width, float break_w) {
  std::vector<std::size_t> sizes;
  std::vector<std::uint64_t> builds;
  std::vector<const Trace*> now;
  for (const WorldModel& w : m.worlds)
    sizes.push_back(w.trace->size()), builds.push_back(w.build), now.push_back(w.trace);
  if (sizes == c.sizes && builds == c.builds && c.duration == m.duration && c.width == width &&
      c.break_w == break_w)
    return c.axis;
  c.sizes = std::move(sizes);
  c.builds = std::move(builds);
  c.duration = m.duration;
  c.width = width;
  c.break_w = break_w;
  std::vector<Tick> at;
  for (const Step& s : steps) at.push_back(s.at);
  // Markers are 12 px wide: 20 px apart leaves each its own place to be hovered and reached.
  c.axis = compress_idle(busy_spans(now, at), m.duration, width, break_w, at, 20.0);
  return c.axis;
}

void step_next(const AppModel& m, UiState& ui) {
  auto it = std::upper_bound(m.wire_mid.begin(), m.wire_mid.end(), ui.cursor);
  if (it != m.wire_mid.end()) seek(m, ui, *it);
  else seek(m, ui, m.duration);
}

void step_prev(const AppModel& m, UiState& ui) {
  auto it = std::lower_bound(m.wire_mid.begin(), m.wire_mid.end(), ui.cursor);
  if (it != m.wire_mid.begin()) seek(m, ui, *std::prev(it));
  else seek(m, ui, 0);
}

void keyboard(const AppModel& m, UiState& ui) {
  ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  auto pressed = [](ImGuiKey k) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(k)); };
  if (pressed(ImGuiKey_Space)) {
    if (ui.playing) ui.playing = false;
    else start_playing(m, ui);
  }
  if (pressed(ImGuiKey_Escape)) {
    if (!ui.selected_key.empty()) ui.selected_key.clear();
    else ui.presenter = false;
  }
  // The arrows move by lesson step in both modes, as a clicker's do (navigation_keys).
  if (pressed(ImGuiKey_Home)) ui.playing = false, seek(m, ui, 0);
  if (pressed(ImGuiKey_End)) ui.playing = false, seek(m, ui, m.duration);
}

// How long the run plays at the chosen speed, found by playing it through with 1/30 s frames
// (advance_playback, on a copy of the state); kept while the run and the speed stay.
std::string pace_tip(const AppModel& m, const UiState& ui) {
  static std::string key, tip;
  const std::string k = m.run.lesson.id + "/" + std::to_string(ui.sandbox.generation) + "/" +
                        std::to_string(m.duration) + "/" + std::to_string(ui.speed);
  if (k == key) return tip;
  AppModel& mm = const_cast<AppModel&>(m);  // views are moved and put back below
  UiState u;
  u.speed = ui.speed;
  u.playing = true;
  const Tick saved = ui.cursor;
  double real = 0;
  constexpr float kDt = 1.0f / 30;
  while (u.playing && real < 3600) {
    refresh_views(mm, u.cursor, "");
    advance_playback(m, u, kDt);
    real += kDt;
  }
  refresh_views(mm, saved, ui.selected_key);
  key = k;
  tip = pace_note(static_cast<double>(m.duration) / kSecond, real, ui.speed);
  return tip;
}

// The transport: start, previous unit, play/pause, next unit, end, and the speed.
void transport(const AppModel& m, UiState& ui) {
  const float bh = ImGui::GetFrameHeight();
  const ImVec2 bs(bh * 1.4f, bh);
  if (ImGui::Button(ICON_FAST_BACKWARD "##home", bs)) ui.playing = false, seek(m, ui, 0);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Go to the start (Home)");
  ImGui::SameLine();
  if (ImGui::Button(ICON_STEP_BACKWARD "##prev", bs)) ui.playing = false, step_prev(m, ui);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Previous protocol unit (, key)");
  ImGui::SameLine();
  if (ImGui::Button(ui.playing ? ICON_PAUSE " Pause##play" : ICON_PLAY " Play##play",
                    ImVec2(bh * 4.2f, bh))) {
    if (ui.playing) ui.playing = false;
    else start_playing(m, ui);
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(ui.presenter ? "Play this step to its end / pause (Space)\n"
                                     "Next or previous step: PageDown/PageUp or Right/Left"
                                   : "Play / pause (Space)\n"
                                     "Next or previous step: PageDown/PageUp or Right/Left");
  ImGui::SameLine();
  if (ImGui::Button(ICON_STEP_FORWARD "##next", bs)) ui.playing = false, step_next(m, ui);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Next protocol unit (. key)");
  ImGui::SameLine();
  if (ImGui::Button(ICON_FAST_FORWARD "##end", bs)) ui.playing = false, seek(m, ui, m.duration);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Go to the end (End)");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(bh * 5.5f);
  // Speed in powers of two, 0.25x .. 16x.
  int exp2 = static_cast<int>(std::lround(std::log2(ui.speed)));
  char sp[16];
  std::snprintf(sp, sizeof sp, "%gx", std::ldexp(1.0, exp2));
  // Not real time: the control says what it is, and its tip how long this lesson plays.
  if (ImGui::SliderInt("pace", &exp2, -2, 4, sp)) ui.speed = static_cast<float>(std::ldexp(1.0, exp2));
  audit_last_item("text", "timeline/pace", sp);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", pace_tip(m, ui).c_str());
}

// The time, the step and presenter mode's hint, each shortened when the row has no room
// for it (a narrow window, large text): nothing is cut at the panel's edge.
void status_row(const AppModel& m, const UiState& ui, const std::vector<Step>& steps) {
  const std::string t_now = std::string(ICON_CLOCK " ") + format_time(ui.cursor);
  const std::string t_full = t_now + "  /  " + format_time(m.duration);
  std::string step_text;
  if (!steps.empty()) {
    int step = 0;
    for (std::size_t i = 0; i < steps.size(); ++i)
      if (steps[i].at <= ui.cursor) step = static_cast<int>(i);
    step_text = "step " + std::to_string(step + 1) + "/" + std::to_string(steps.size());
  }
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float room = ImGui::GetWindowContentRegionMax().x - ImGui::GetCursorPosX();
  auto tw = [](const std::string& s) { return s.empty() ? 0.0f : ImGui::CalcTextSize(s.c_str()).x; };
  // Presenter mode's "F11: leave" hint is in the caption band (caption.cpp), not here.
  std::string hint;
  std::string now = t_full;
  auto total = [&] {
    return tw(now) + (step_text.empty() ? 0 : spacing + tw(step_text)) +
           (hint.empty() ? 0 : spacing + tw(hint));
  };
  if (total() > room) now = t_now;
  if (total() > room) step_text.clear();
  if (total() > room) hint.clear();
  if (total() <= room) {
    ImGui::TextUnformatted(now.c_str());
    audit_last_item("text", "timeline/time", now);
    if (!step_text.empty()) {
      ImGui::SameLine();
      ImGui::TextDisabled("%s", step_text.c_str());
      audit_last_item("text", "timeline/step", step_text);
    }
    if (!hint.empty()) {
      ImGui::SameLine();
      ImGui::TextDisabled("%s", hint.c_str());
      audit_last_item("text", "timeline/hint", hint);
    }
  } else {
    ImGui::Dummy(ImVec2(0, 0));  // ends the row of buttons
  }
}

// The scrubber's track on screen and the run's time axis along it.
struct Track {
  ImVec2 s0, s1, size;
  float pad = 0;
  const TimeAxis* axis = nullptr;
  ImDrawList* dl = nullptr;
  ImVec2 clip0, clip1;  // the timeline window: what the layout audit holds its items to
  float x_of(Tick t) const { return s0.x + pad + static_cast<float>(axis->x_of(t)); }
};

// The scrubber: the run on a time axis whose long idle stretches are cut to labelled breaks
// ("13 days later"), so that the steps of a multi-day lesson are apart and each can be
// reached; step markers on top. The time is written in the row above, never over a marker.
// Dragging it moves the cursor; the track is drawn filled up to the cursor.
Track scrubber(const AppModel& m, UiState& ui, const std::vector<Step>& steps) {
  Track tr;
  tr.s0 = ImGui::GetCursorScreenPos();
  tr.size = ImVec2(std::max(ImGui::GetContentRegionAvail().x, 40.0f), ImGui::GetFrameHeight());
  tr.s1 = ImVec2(tr.s0.x + tr.size.x, tr.s0.y + tr.size.y);
  ImGui::InvisibleButton("##scrub", tr.size);
  tr.pad = std::max(ImGui::GetStyle().GrabMinSize / 2, 7.0f);
  tr.axis = &timeline_axis(ui.caches.timeline, m, steps, tr.size.x - 2 * tr.pad,
                           ImGui::CalcTextSize("14 days later").x + 4 * tr.pad);
  if (ImGui::IsItemActive()) {
    ui.playing = false;
    seek(m, ui, tr.axis->t_of(ImGui::GetIO().MousePos.x - tr.s0.x - tr.pad));
  }
  const bool scrub_hovered = ImGui::IsItemHovered();
  tr.dl = ImGui::GetWindowDrawList();
  const ImGuiStyle& st = ImGui::GetStyle();
  tr.dl->AddRectFilled(tr.s0, tr.s1,
                       ImGui::GetColorU32(scrub_hovered ? ImGuiCol_FrameBgHovered : ImGuiCol_FrameBg),
                       st.FrameRounding);
  tr.dl->AddRectFilled(tr.s0, ImVec2(tr.x_of(ui.cursor), tr.s1.y),
                       ImGui::GetColorU32(ImGuiCol_FrameBgActive), st.FrameRounding);
  tr.clip0 = ImGui::GetWindowPos();
  tr.clip1 = ImVec2(tr.clip0.x + ImGui::GetWindowWidth(), tr.clip0.y + ImGui::GetWindowHeight());
  return tr;
}

void draw_breaks(const Track& tr) {
  const ImVec2 &s0 = tr.s0, &s1 = tr.s1, &size = tr.size;
  const float pad = tr.pad;
  const TimeAxis& axis = *tr.axis;
  ImDrawList* dl = tr.dl;
  const ImVec2 &clip0 = tr.clip0, &clip1 = tr.clip1;
  for (std::size_t i = 0; i < axis.breaks().size(); ++i) {
    const TimeAxis::Break& b = axis.breaks()[i];
    const float bx0 = s0.x + pad + static_cast<float>(b.x0), bx1 = s0.x + pad + static_cast<float>(b.x1);
    // A break: the track interrupted by two zigzags, the wait written between them.
    dl->AddRectFilled(ImVec2(bx0, s0.y), ImVec2(bx1, s1.y), ImGui::GetColorU32(ImGuiCol_WindowBg));
    for (float zx : {bx0 + 2, bx1 - 2}) {
      ImVec2 zz[5];
      for (int k = 0; k < 5; ++k)
        zz[k] = ImVec2(zx + (k % 2 ? 3.0f : -3.0f), s0.y + size.y * k / 4);
      dl->AddPolyline(zz, 5, ImGui::GetColorU32(ImGuiCol_TextDisabled), 0, 1.5f);
    }
    // The text keeps clear of the markers at the break's ends (6 px each side) and its zigzags.
    const float room = bx1 - bx0 - 2 * pad - 12;
    const Tick gap = b.t1 - b.t0;
    std::string text = gap_label(gap);
    if (ImGui::CalcTextSize(text.c_str()).x > room) text = gap_label(gap, true);
    const ImVec2 ts = ImGui::CalcTextSize(text.c_str());
    if (ts.x <= room) {
      const ImVec2 tp((bx0 + bx1 - ts.x) / 2, s0.y + (size.y - ts.y) / 2);
      dl->AddText(tp, ImGui::GetColorU32(ImGuiCol_TextDisabled), text.c_str());
      audit_item("text", "timeline/break:" + std::to_string(i), text, tp,
                 ImVec2(tp.x + ts.x, tp.y + ts.y), clip0, clip1);
    }
    if (ImGui::IsMouseHoveringRect(ImVec2(bx0 + 6, s0.y), ImVec2(bx1 - 6, s1.y)))
      ImGui::SetTooltip("%s of idle time (%s to %s), shortened here", gap_label(gap).c_str(),
                        format_time(b.t0).c_str(), format_time(b.t1).c_str());
  }
}

void draw_dropped(const AppModel& m, const Track& tr) {
  const ImVec2 &s0 = tr.s0, &s1 = tr.s1, &size = tr.size;
  ImDrawList* dl = tr.dl;
  auto x_of = [&](Tick t) { return tr.x_of(t); };
  if (m.live.active && m.live.dropped > 0) {
    // The live view's window (LiveDisplay): before it, the records are gone; only the
    // state they left is carried over. Hatched, so that nobody scrubs there expecting them.
    const float kx = x_of(m.live.kept_from);
    dl->PushClipRect(s0, ImVec2(kx, s1.y), true);
    for (float hx = s0.x - size.y; hx < kx; hx += 6)
      dl->AddLine(ImVec2(hx, s1.y), ImVec2(hx + size.y, s0.y), ImGui::GetColorU32(ImGuiCol_TextDisabled));
    dl->PopClipRect();
    if (ImGui::IsMouseHoveringRect(s0, ImVec2(kx, s1.y)))
      ImGui::SetTooltip("%zu older records are not kept: the live view holds the latest %zu.\n"
                        "The stores' state at %s is carried over; the wire lines before it are "
                        "gone.\nmailscope-cli serve --save-trace FILE keeps every record.",
                        m.live.dropped, LiveDisplay::kKeep, format_time(m.live.kept_from).c_str());
  }
}

void draw_markers(const Track& tr, const std::vector<Step>& steps, const RunChanges& changes) {
  const ImVec2 &s0 = tr.s0, &s1 = tr.s1;
  ImDrawList* dl = tr.dl;
  const ImVec2 &clip0 = tr.clip0, &clip1 = tr.clip1;
  auto x_of = [&](Tick t) { return tr.x_of(t); };
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Step& stp = steps[i];
    const float x = x_of(stp.at);
    // A step the learner's change altered is marked hollow, in the sandbox's colour.
    const bool changed = changes.step_changed(static_cast<int>(i));
    if (changed)
      dl->AddTriangle(ImVec2(x - 6, s0.y - 1), ImVec2(x + 6, s0.y - 1), ImVec2(x, s0.y + 8),
                      IM_COL32(120, 200, 255, 255), 2.0f);
    else
      dl->AddTriangleFilled(ImVec2(x - 6, s0.y - 1), ImVec2(x + 6, s0.y - 1), ImVec2(x, s0.y + 8),
                            IM_COL32(250, 205, 90, 255));
    dl->AddLine(ImVec2(x, s0.y), ImVec2(x, s1.y), IM_COL32(250, 205, 90, 160), 1.5f);
    audit_item("marker", "timeline/marker:" + std::to_string(i + 1), "step " + std::to_string(i + 1),
               ImVec2(x - 6, s0.y - 1), ImVec2(x + 6, s1.y), clip0, clip1);
    if (ImGui::IsMouseHoveringRect(ImVec2(x - 6, s0.y - 2), ImVec2(x + 6, s1.y)))
      ImGui::SetTooltip("Step %zu: %s (%s)%s", i + 1, stp.title.c_str(), format_time(stp.at).c_str(),
                        changed ? "\nYour change altered how this step ends" : "");
  }
}

// The cursor: a grab like a slider's (active while the scrubber, the last item, is dragged).
void draw_grab(const Track& tr, Tick cursor) {
  const ImGuiStyle& st = ImGui::GetStyle();
  const float cx = tr.x_of(cursor);
  const float gw = std::max(st.GrabMinSize, 6.0f);
  tr.dl->AddRectFilled(ImVec2(cx - gw / 2, tr.s0.y + 2), ImVec2(cx + gw / 2, tr.s1.y - 2),
                       ImGui::GetColorU32(ImGui::IsItemActive() ? ImGuiCol_SliderGrabActive
                                                                : ImGuiCol_SliderGrab),
                       st.GrabRounding);
}

}  // namespace

void draw_timeline(const AppModel& m, UiState& ui) {
  keyboard(m, ui);
  place_window(PanelSlot::Timeline);
  ImGui::Begin("Timeline", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoCollapse |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  // The live world is no lesson run: the lesson's steps do not apply to it.
  static const std::vector<Step> kNoSteps;
  const std::vector<Step>& steps = m.live.active ? kNoSteps : m.run.lesson.steps;
  transport(m, ui);
  ImGui::SameLine();
  status_row(m, ui, steps);
  const Track tr = scrubber(m, ui, steps);
  draw_breaks(tr);
  draw_dropped(m, tr);
  static const RunChanges kNoChanges;
  draw_markers(tr, steps, ui.sandbox.active() ? ui.sandbox.changes : kNoChanges);
  draw_grab(tr, ui.cursor);
  ImGui::End();
}

}  // namespace ms
