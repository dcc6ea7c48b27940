#pragma once
// Settings kept between runs: view options and playback speed in a small key=value file next
// to Dear ImGui's imgui.ini, in $XDG_CONFIG_HOME/mailscope (else ~/.config/mailscope).
// Screenshot runs neither read nor write them, so that screenshots are reproducible.
#include <string>

#include "ui_state.hpp"

namespace ms {

// The directory, created if missing; "" when neither variable is set or it cannot be made.
std::string config_dir();
// Reads known keys; unknown keys and bad values are ignored (the file is advisory).
void load_settings(const std::string& path, UiState& ui);
// Returns false when the file cannot be written.
bool save_settings(const std::string& path, const UiState& ui);

// The window's size at start: --width/--height when given (0: not given); screenshots, audits
// and benchmarks (`fixed`) 1600x900; else the size it had last time (`last`, 0: none), clamped
// to the monitor's work area; else the whole work area (maximized). A work area of 0x0 (not
// known) leaves 1600x900.
struct WindowSize {
  int w = 1600, h = 900;
  bool maximize = false;
};
WindowSize initial_window_size(int work_w, int work_h, int given_w, int given_h, int last_w,
                               int last_h, bool fixed);

}  // namespace ms
