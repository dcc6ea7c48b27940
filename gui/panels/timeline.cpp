// Timeline: play/pause, step between wire units, speed, and a scrubber over the run with the
// lesson's steps marked on it.
#include <algorithm>
#include <cmath>
#include <string>

#include "icons.hpp"
#include "panels/panels.hpp"

namespace ms {

namespace {

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
  if (pressed(ImGuiKey_Space)) ui.playing = !ui.playing;
  if (pressed(ImGuiKey_Escape)) {
    if (!ui.selected_key.empty()) ui.selected_key.clear();
    else ui.presenter = false;
  }
  // Presenter mode: the arrows move by lesson step, as a clicker's do (frame.cpp).
  if (!ui.presenter && pressed(ImGuiKey_RightArrow)) ui.playing = false, step_next(m, ui);
  if (!ui.presenter && pressed(ImGuiKey_LeftArrow)) ui.playing = false, step_prev(m, ui);
  if (pressed(ImGuiKey_Home)) ui.playing = false, seek(m, ui, 0);
  if (pressed(ImGuiKey_End)) ui.playing = false, seek(m, ui, m.duration);
}

}  // namespace

void draw_timeline(const AppModel& m, UiState& ui) {
  keyboard(m, ui);
  place_window(PanelSlot::Timeline);
  ImGui::Begin("Timeline", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoCollapse |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  const float bh = ImGui::GetFrameHeight();
  const ImVec2 bs(bh * 1.4f, bh);
  if (ImGui::Button(ICON_FAST_BACKWARD "##home", bs)) ui.playing = false, seek(m, ui, 0);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Go to the start (Home)");
  ImGui::SameLine();
  if (ImGui::Button(ICON_STEP_BACKWARD "##prev", bs)) ui.playing = false, step_prev(m, ui);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Previous protocol unit (Left)");
  ImGui::SameLine();
  if (ImGui::Button(ui.playing ? ICON_PAUSE " Pause##play" : ICON_PLAY " Play##play",
                    ImVec2(bh * 4.2f, bh))) {
    if (!ui.playing && ui.cursor >= m.duration) seek(m, ui, 0);
    ui.playing = !ui.playing;
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Play / pause (Space)");
  ImGui::SameLine();
  if (ImGui::Button(ICON_STEP_FORWARD "##next", bs)) ui.playing = false, step_next(m, ui);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Next protocol unit (Right)");
  ImGui::SameLine();
  if (ImGui::Button(ICON_FAST_FORWARD "##end", bs)) ui.playing = false, seek(m, ui, m.duration);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Go to the end (End)");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(bh * 5.5f);
  // Speed in powers of two, 0.25x .. 16x.
  int exp2 = static_cast<int>(std::lround(std::log2(ui.speed)));
  char sp[16];
  std::snprintf(sp, sizeof sp, "%gx", std::ldexp(1.0, exp2));
  if (ImGui::SliderInt("speed", &exp2, -2, 4, sp)) ui.speed = static_cast<float>(std::ldexp(1.0, exp2));
  ImGui::SameLine();
  std::string now = std::string(ICON_CLOCK " ") + format_time(ui.cursor) + "  /  " +
                    format_time(m.duration);
  ImGui::TextUnformatted(now.c_str());
  // The live world is no lesson run: the lesson's steps do not apply to it.
  static const std::vector<Step> kNoSteps;
  const std::vector<Step>& steps = m.live.active ? kNoSteps : m.run.lesson.steps;
  if (!steps.empty()) {
    int step = 0;
    for (std::size_t i = 0; i < m.run.lesson.steps.size(); ++i)
      if (m.run.lesson.steps[i].at <= ui.cursor) step = static_cast<int>(i);
    ImGui::SameLine();
    ImGui::TextDisabled("step %d/%zu", step + 1, m.run.lesson.steps.size());
  }

  // Scrubber: a plain slider over the run, with step markers drawn over it.
  ImGui::SetNextItemWidth(-1);
  const ImVec2 s0 = ImGui::GetCursorScreenPos();
  float frac = static_cast<float>(static_cast<double>(ui.cursor) / m.duration);
  const std::string label = format_time(ui.cursor);
  if (ImGui::SliderFloat("##scrub", &frac, 0.0f, 1.0f, label.c_str())) {
    ui.playing = false;
    seek(m, ui, static_cast<Tick>(static_cast<double>(frac) * m.duration));
  }
  const ImVec2 s1 = ImGui::GetItemRectMax();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float grab = ImGui::GetStyle().GrabMinSize;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Step& st = steps[i];
    const float x = s0.x + grab / 2 +
                    (s1.x - s0.x - grab) * static_cast<float>(static_cast<double>(st.at) / m.duration);
    dl->AddTriangleFilled(ImVec2(x - 6, s0.y - 1), ImVec2(x + 6, s0.y - 1), ImVec2(x, s0.y + 8),
                          IM_COL32(250, 205, 90, 255));
    dl->AddLine(ImVec2(x, s0.y), ImVec2(x, s1.y), IM_COL32(250, 205, 90, 160), 1.5f);
    if (ImGui::IsMouseHoveringRect(ImVec2(x - 6, s0.y - 2), ImVec2(x + 6, s1.y)))
      ImGui::SetTooltip("Step %zu: %s (%s)", i + 1, st.title.c_str(), format_time(st.at).c_str());
  }
  ImGui::End();
}

}  // namespace ms
