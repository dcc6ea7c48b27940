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

}  // namespace ms
