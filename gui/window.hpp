#pragma once
// The window and its back ends: GLFW, the OpenGL loader, Dear ImGui's GLFW and OpenGL 3
// back ends, fonts and style. Set-up follows Dear ImGui's example_glfw_opengl3.
#include <string>

#include "app_model.hpp"
#include "options.hpp"
#include "ui_state.hpp"

struct GLFWwindow;

namespace ms {

// What lives between frames: the window and the settings the fonts and style were built for.
struct Gui {
  GLFWwindow* window = nullptr;
  float dpi = 1.0f;
  float ui_k = 1.0f;  // the interface's scale this frame (ui_scale.hpp): dpi, or from the size
  float font_px = 0.0f;
  bool styled_contrast = false;
  bool shot = false;
  // --hover: where a screenshot run puts the pointer (it has none otherwise); x < 0: nowhere.
  ImVec2 hover = ImVec2(-1, -1);
  int saved_window[4] = {0, 0, 0, 0};  // position and size to return to from full screen
  int last_w = 0, last_h = 0;  // the size the window had last time (settings), 0: none
  int quiet = 0;  // frames drawn since the last input event
  std::string ini;  // imgui.ini path ("" in screenshot runs); ImGui keeps a pointer to it
};

bool has_display();

// Opens the window (fixed size when `g.shot`, set by the caller with `g.ini`), loads OpenGL
// and starts Dear ImGui with its back ends. Returns false (after printing why) on failure,
// having cleaned up.
bool open_window(Gui& g, const Options& opt, const std::string& title);
void close_window(Gui& g);
// The window's size out of full screen (what leaving presenter mode returns to), to keep in
// the settings for the next start.
void window_size(const Gui& g, int& w, int& h);

// The events for the next frame, and the key events queued for it handed to Dear ImGui. When
// nothing is `busy` (playing, live sessions) and no input arrived for a few frames, it sleeps
// until an event arrives or `timeout` seconds pass, so an idle window costs no CPU; screenshot
// runs never sleep.
void next_events(Gui& g, bool busy, double timeout);

// Between frames: fonts, style and full screen follow the view options.
void prepare_frame(Gui& g, AppModel& model, const UiState& ui);
// The back ends' part of starting a frame (before ImGui::NewFrame).
void backend_new_frame(const Gui& g);
// Clears the framebuffer and draws ImGui's draw data; returns its size in fw, fh.
void present(const Gui& g, int& fw, int& fh);

}  // namespace ms
