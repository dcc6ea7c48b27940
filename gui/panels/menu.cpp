// The main menu bar: File (lessons, export, save a screenshot, in the browser copy a link to
// the view, quit) and View (presenter mode, text size, contrast, colour-blind-safe palette,
// fullscreen, bottom panel). Only UiState changes here; main (or the web glue) applies fonts,
// fullscreen, screenshots and the link between frames.
#include <string>

#include "icons.hpp"
#include "panels/panels.hpp"
#include "harness/widget_rects.hpp"

namespace ms {

namespace {

bool status_shown(const UiState& ui) {
  return !ui.status.empty() && ImGui::GetTime() < ui.status_until;
}

// Presenter mode has no menu bar, yet a shortcut's result ("Link copied", "Saved ...") must
// still be seen: a small band at the top centre, which takes no input.
void draw_status_overlay(const UiState& ui) {
  if (!status_shown(ui)) return;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f,
                                 vp->WorkPos.y + ImGui::GetFontSize() * 0.5f),
                          ImGuiCond_Always, ImVec2(0.5f, 0.0f));
  ImGui::SetNextWindowBgAlpha(0.9f);
  ImGui::Begin("##status", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoInputs |
                   ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav);
  ImGui::TextUnformatted(ui.status.c_str());
  widgets::mark("menu/status");
  ImGui::End();
}

}  // namespace

void draw_menu(const AppModel& m, UiState& ui) {
  if (ui.presenter) {
    draw_status_overlay(ui);
    return;
  }
  if (!ImGui::BeginMainMenuBar()) return;
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
    // The learner's results (every lesson): the same dialog, whose last rows write them.
    if (ImGui::MenuItem("Export results...")) ui.export_open = true;
    if (ImGui::MenuItem("Save screenshot", "Ctrl+S")) ui.save_shot_in = 2;
    if (ui.can_copy_link) {
      if (ImGui::MenuItem("Copy link to this view", "Ctrl+L")) ui.copy_link = true;
      widgets::mark("menu/File/Copy link");
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("A link that opens this lesson at this moment, with this selection\n"
                          "and view");
    }
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
  if (status_shown(ui)) {
    ImGui::Separator();
    ImGui::TextDisabled("%s", ui.status.c_str());
    widgets::mark("menu/status");
  }
  ImGui::EndMainMenuBar();
}

void draw_link_popup(UiState& ui) {
  const char* const title = "Copy this link";
  static bool focus = false;
  if (ui.link_popup) {
    ImGui::OpenPopup(title);
    ui.link_popup = false;
    focus = true;
  }
  center_next_dialog(40);
  if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_NoSavedSettings)) return;
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted("The browser did not let Mailscope write to the clipboard. This link "
                         "opens the lesson at this moment, with this selection and view; "
                         "Ctrl+C copies it.");
  ImGui::PopTextWrapPos();
  if (focus) {
    ImGui::SetKeyboardFocusHere();
    focus = false;
  }
  ImGui::SetNextItemWidth(-1);
  // Read-only: the buffer is the string's own, never written.
  ImGui::InputText("##link", ui.link.data(), ui.link.size() + 1,
                   ImGuiInputTextFlags_ReadOnly | ImGuiInputTextFlags_AutoSelectAll);
  widgets::mark("link/field");
  const bool close = ImGui::Button("Close");
  widgets::mark("link/close");
  if (close || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
    ImGui::CloseCurrentPopup();
    ui.link.clear();
  }
  ImGui::EndPopup();
}

}  // namespace ms
