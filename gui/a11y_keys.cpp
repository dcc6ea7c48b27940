#include "a11y_keys.hpp"

#include <GLFW/glfw3.h>

#include "harness/widget_rects.hpp"
#include "imgui.h"
#include "imgui_internal.h"  // to keep the list in front of the panels drawn after it

namespace ms {

namespace {
// Every key the app answers to, as the frame loop and the panels read them (gui/frame.cpp,
// panels/layout.cpp navigation_keys, panels/timeline.cpp).
struct KeyRow {
  const char* keys;
  const char* does;
};
constexpr KeyRow kKeys[] = {
    {"F1", "Show or hide this list of keys"},
    {"Space", "Play or pause"},
    {"Page Down, Right", "Next step (plays it to its end)"},
    {"Page Up, Left", "Previous step"},
    {". (full stop)", "Next protocol unit (paused)"},
    {", (comma)", "Previous protocol unit (paused)"},
    {"F11", "Presenter mode on or off"},
    {"Ctrl+O", "Lessons (the start screen)"},
    {"Ctrl+S", "Save a screenshot"},
    {"Ctrl+L", "Copy a link to this view (browser)"},
    {"Ctrl+Q", "Quit"},
    {"Escape", "Close a dialog or this list"},
    {"F6", "Leave the drawing for the page's text view (browser)"},
};
bool g_open = false;
}  // namespace

void draw_key_map(UiState&) {
  const ImGuiIO& io = ImGui::GetIO();
  bool focus = false;
  if (!io.WantTextInput && ImGui::IsKeyPressed(GLFW_KEY_F1, false)) {
    g_open = !g_open;
    focus = g_open;
  }
  if (!g_open) return;
  if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false)) {
    g_open = false;
    return;
  }
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f),
                          ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  if (focus) ImGui::SetNextWindowFocus();
  if (ImGui::Begin("Keys (F1)", &g_open,
                   ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse |
                       ImGuiWindowFlags_NoSavedSettings)) {
    ImGui::BringWindowToDisplayFront(ImGui::GetCurrentWindow());
    if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
      ImGui::TableSetupColumn("Key");
      ImGui::TableSetupColumn("Does");
      ImGui::TableHeadersRow();
      for (const KeyRow& k : kKeys) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(k.keys);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(k.does);
      }
      ImGui::EndTable();
    }
    if (widgets::recording()) widgets::mark("keymap");
  }
  ImGui::End();
}

}  // namespace ms
