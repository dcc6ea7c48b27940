// The main menu bar: File (lessons, export, save a screenshot, quit) and View (presenter mode, text size,
// contrast, colour-blind-safe palette, fullscreen, bottom panel). Only UiState changes here;
// main applies fonts, fullscreen and screenshots between frames.
#include <string>

#include "icons.hpp"
#include "panels/panels.hpp"
#include "widget_rects.hpp"

namespace ms {

void draw_menu(const AppModel& m, UiState& ui) {
  if (ui.presenter || !ImGui::BeginMainMenuBar()) return;
  const bool file = ImGui::BeginMenu("File");
  widgets::mark("menu/File");
  if (file) {
    if (ImGui::MenuItem("Lessons...", "Ctrl+O")) ui.start_screen = true;
    if (ImGui::MenuItem("Which protocol for this customer?"))
      ui.start_screen = true, ui.start_tab_force = 0;
    if (ImGui::MenuItem("Comparison table (all lessons)"))
      ui.start_screen = true, ui.start_tab_force = 1;
    ImGui::Separator();
    if (ImGui::MenuItem("Export...", nullptr, false, !m.live.active)) ui.export_open = true;
    widgets::mark("menu/File/Export");
    if (ImGui::MenuItem("Save screenshot", "Ctrl+S")) ui.save_shot_in = 2;
    ImGui::Separator();
    if (ImGui::MenuItem("Quit", "Ctrl+Q")) ui.quit = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    ImGui::MenuItem("Presenter mode", "F11", &ui.presenter);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("Only the worlds and the timeline, large text, full screen.\n"
                        "F11 or Esc leaves it.");
    ImGui::MenuItem("Full screen", nullptr, &ui.fullscreen);
    ImGui::Separator();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    ImGui::SliderFloat("Text size", &ui.ui_scale, 0.8f, 3.0f, "%.2fx");
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    ImGui::SliderFloat("Presenter text size", &ui.presenter_scale, 1.0f, 3.0f, "%.2fx");
    ImGui::MenuItem("High contrast", nullptr, &ui.high_contrast);
    ImGui::MenuItem("Colour-blind-safe colours", nullptr, &ui.cb_safe);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("Okabe-Ito hues: POP3 orange, IMAP blue, SMTP bluish green.");
    ImGui::Separator();
    if (ImGui::MenuItem("Transcript", nullptr, ui.bottom_tab == 0)) ui.bottom_tab_force = 0;
    if (ImGui::MenuItem("Sequence diagram", nullptr, ui.bottom_tab == 1)) ui.bottom_tab_force = 1;
    if (ImGui::MenuItem("Comparison table", nullptr, ui.bottom_tab == 2)) ui.bottom_tab_force = 2;
    ImGui::EndMenu();
  }
  if (!ui.status.empty() && ImGui::GetTime() < ui.status_until) {
    ImGui::Separator();
    ImGui::TextDisabled("%s", ui.status.c_str());
  }
  ImGui::EndMainMenuBar();
}

}  // namespace ms
