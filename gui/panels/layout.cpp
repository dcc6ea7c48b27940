#include <algorithm>

#include "panels/panels.hpp"
#include "steps.hpp"

namespace ms {

namespace {
bool g_presenter = false;
float g_caption_h = 0.0f;
float g_ui_k = 1.0f;
}  // namespace

void set_presenter_layout(bool on) { g_presenter = on; }
void set_interface_scale(float k) { g_ui_k = k; }
float interface_scale() { return g_ui_k; }
void set_caption_height(float h) { g_caption_h = h; }

// The panels tile the display, and the frame is cleared to the window background colour
// (window.cpp, present): their own backgrounds would paint every pixel a second time, which
// under software GL is a large part of a frame (docs/performance-gui.md). They are left out.
void place_window(PanelSlot slot) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const ImVec2 o = vp->WorkPos, s = vp->WorkSize;
  const ImGuiStyle& st = ImGui::GetStyle();
  // Two rows of controls (buttons, scrubber) and the window's padding.
  const float k = g_ui_k;
  const float timeline_h = ImGui::GetFrameHeight() * 2 + st.ItemSpacing.y * 2 +
                           st.WindowPadding.y * 2 + 8.0f * k;
  if (g_presenter) {
    // Caption band, worlds, timeline: full width, top to bottom.
    const float cap = std::min(g_caption_h, std::max(0.0f, s.y - timeline_h));
    ImVec2 pos = o, size(s.x, cap);
    if (slot == PanelSlot::Timeline) {
      pos = {o.x, o.y + s.y - timeline_h};
      size = {s.x, timeline_h};
    } else if (slot != PanelSlot::Caption) {
      pos = {o.x, o.y + cap};
      size = {s.x, std::max(0.0f, s.y - timeline_h - cap)};
    }
    ImGui::SetNextWindowPos(pos, ImGuiCond_Always);
    ImGui::SetNextWindowSize(size, ImGuiCond_Always);
    ImGui::SetNextWindowBgAlpha(0.0f);
    return;
  }
  const float side = std::clamp(s.x * 0.26f, 300.0f * k, 460.0f * k);
  const float left = s.x - side;
  const float worlds_h = std::max(200.0f * k, (s.y - timeline_h) * 0.68f);
  const float lesson_h = s.y * 0.56f;
  ImVec2 pos, size;
  switch (slot) {
    case PanelSlot::Worlds: pos = o; size = {left, worlds_h}; break;
    case PanelSlot::Timeline: pos = {o.x, o.y + worlds_h}; size = {left, timeline_h}; break;
    case PanelSlot::Bottom:
      pos = {o.x, o.y + worlds_h + timeline_h};
      size = {left, s.y - worlds_h - timeline_h};
      break;
    case PanelSlot::Lesson: pos = {o.x + left, o.y}; size = {side, lesson_h}; break;
    case PanelSlot::Inspector:
      pos = {o.x + left, o.y + lesson_h};
      size = {side, s.y - lesson_h};
      break;
    case PanelSlot::Caption: pos = o; size = {s.x, 0.0f}; break;  // presenter mode only
  }
  ImGui::SetNextWindowPos(pos, ImGuiCond_Always);
  ImGui::SetNextWindowSize(size, ImGuiCond_Always);
  ImGui::SetNextWindowBgAlpha(0.0f);
}

void center_next_dialog(float em) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f,
                                 vp->WorkPos.y + vp->WorkSize.y * 0.5f),
                          ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(std::min(vp->WorkSize.x * 0.9f, ImGui::GetFontSize() * em), 0));
}

void draw_bottom(const AppModel& m, UiState& ui) {
  place_window(PanelSlot::Bottom);
  ImGui::Begin("##bottom", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoBringToFrontOnFocus |
                   ImGuiWindowFlags_NoScrollbar);
  if (ImGui::BeginTabBar("##bottomtabs")) {
    const char* names[] = {"Transcript", "Sequence diagram", "Comparison table"};
    for (int i = 0; i < 3; ++i) {
      // The tab chosen from the command line (or a menu) is forced once, then the user rules.
      ImGuiTabItemFlags f = ui.bottom_tab_force == i ? ImGuiTabItemFlags_SetSelected : 0;
      if (ImGui::BeginTabItem(names[i], nullptr, f)) {
        ui.bottom_tab = i;
        if (i == 0) draw_transcript(m, ui);
        else if (i == 1) draw_sequence(m, ui);
        else draw_table(m, ui);
        ImGui::EndTabItem();
      }
    }
    ui.bottom_tab_force = -1;
    ImGui::EndTabBar();
  }
  ImGui::End();
}

void seek(const AppModel& m, UiState& ui, Tick t) {
  ui.cursor = std::clamp<Tick>(t, 0, m.duration);
}

void seek_unit(const AppModel& m, UiState& ui, int dir) {
  // wire_mid: the middle of each wire unit's flight, in time order.
  if (dir > 0) {
    auto it = std::upper_bound(m.wire_mid.begin(), m.wire_mid.end(), ui.cursor);
    seek(m, ui, it != m.wire_mid.end() ? *it : m.duration);
  } else {
    auto it = std::lower_bound(m.wire_mid.begin(), m.wire_mid.end(), ui.cursor);
    seek(m, ui, it != m.wire_mid.begin() ? *std::prev(it) : 0);
  }
}

void start_playing(const AppModel& m, UiState& ui) {
  if (ui.cursor >= m.duration) seek(m, ui, 0);
  // Presenter mode plays one step at a time: the caption never switches mid-explanation.
  const bool by_step = ui.presenter && !m.live.active;
  ui.play_until = by_step ? play_stop(m.run.lesson.steps, ui.cursor, m.duration) : -1;
  ui.playing = true;
}

void seek_step(const AppModel& m, UiState& ui, int dir) {
  const std::vector<Step>& steps = m.run.lesson.steps;
  if (steps.empty() || m.live.active) {
    ui.playing = false;
    return seek_unit(m, ui, dir);
  }
  const bool showing = ui.playing && ui.play_until >= 0;
  const StepMove mv = step_move(steps, ui.cursor, m.duration, dir, showing);
  if (mv.next_lesson) {
    ui.playing = false;
    const std::string next = m.course.next_after(m.run.lesson.id);
    if (!next.empty()) {
      ui.open_lesson = next;
      ui.open_step = 0;
    } else {
      ui.status = "That was the last lesson of the course";
      ui.status_until = ImGui::GetTime() + 5.0;
    }
    return;
  }
  seek(m, ui, mv.seek);
  ui.play_until = mv.play_until;
  ui.playing = mv.play_until > ui.cursor;
  ui.gap_to = -1;
}

void navigation_keys(const AppModel& m, UiState& ui) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  auto pressed = [](ImGuiKey k) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(k)); };
  // Presentation clickers send PageDown/PageUp or the arrows: all move by step, in both modes.
  NavAction a;
  auto add = [&](NavKey k) {
    const NavAction b = nav_key(k);
    a.steps += b.steps;
    a.units += b.units;
  };
  if (pressed(ImGuiKey_PageDown)) add(NavKey::PageDown);
  if (pressed(ImGuiKey_PageUp)) add(NavKey::PageUp);
  if (pressed(ImGuiKey_RightArrow)) add(NavKey::Right);
  if (pressed(ImGuiKey_LeftArrow)) add(NavKey::Left);
  // '.' and ',' as typed characters: the same keys on every keyboard layout that has them.
  for (const ImWchar c : io.InputQueueCharacters) {
    if (c == '.') add(NavKey::Period);
    if (c == ',') add(NavKey::Comma);
  }
  if (a.steps == 0 && a.units == 0) return;
  if (a.steps != 0) seek_step(m, ui, a.steps > 0 ? 1 : -1);
  if (a.units != 0) ui.playing = false;
  for (; a.units > 0; --a.units) seek_unit(m, ui, 1);
  for (; a.units < 0; ++a.units) seek_unit(m, ui, -1);
}

void advance_playback(const AppModel& m, UiState& ui, float dt) {
  if (!ui.playing) return;
  // At 1x a packet crossing a 20 ms link stays visible for about 0.4 s.
  const double in_flight_rate = 0.05 * kSecond;   // sim ticks per real second, packets moving
  const double gap_seconds = 0.5;                 // real seconds to cross an idle gap at 1x
  const double real = static_cast<double>(dt) * ui.speed;
  bool busy = false;
  Tick next_start = m.duration;
  for (const WorldModel& w : m.worlds) {
    const auto& recs = w.trace->records();
    // Records are in start-time order; a wire unit is short, so looking back a little suffices.
    std::size_t idx = w.view.index;
    for (std::size_t i = idx; i-- > 0 && idx - i < 64;)
      if (recs[i].kind == RecKind::Wire && recs[i].t_end > ui.cursor) busy = true;
    for (std::size_t i = idx; i < recs.size(); ++i)
      if (recs[i].kind == RecKind::Wire || recs[i].kind == RecKind::Device ||
          recs[i].kind == RecKind::Store) {
        next_start = std::min(next_start, recs[i].t);
        break;
      }
  }
  Tick step;
  if (busy || next_start - ui.cursor < static_cast<Tick>(in_flight_rate * 0.1)) {
    step = static_cast<Tick>(in_flight_rate * real);
  } else {
    // Cross the whole gap in gap_seconds (linear, remembered across frames), stopping exactly
    // at the next record.
    if (ui.gap_to != next_start) ui.gap_from = ui.cursor, ui.gap_to = next_start;
    const double gap = static_cast<double>(ui.gap_to - ui.gap_from);
    step = std::min<Tick>(next_start - ui.cursor,
                          static_cast<Tick>(std::max(gap / gap_seconds * real,
                                                     in_flight_rate * real)) + 1);
  }
  bool stop = false;
  ui.cursor = clamp_playback(ui.cursor + std::max<Tick>(step, 1),
                             m.live.active ? -1 : ui.play_until, m.duration, &stop);
  if (stop) ui.playing = false, ui.play_until = -1;
}

}  // namespace ms
