#include "settings.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace ms {

std::string config_dir() {
  namespace fs = std::filesystem;
  fs::path dir;
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) dir = fs::path(x) / "mailscope";
  else if (const char* h = std::getenv("HOME"); h && *h) dir = fs::path(h) / ".config" / "mailscope";
  else return "";
  std::error_code ec;
  fs::create_directories(dir, ec);
  return fs::is_directory(dir, ec) ? dir.string() : "";
}

void load_settings(const std::string& path, UiState& ui) {
  std::ifstream in(path);
  std::string line;
  int lines = 0;
  while (lines++ < 200 && std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq);
    const char* v = line.c_str() + eq + 1;
    char* end = nullptr;
    const double d = std::strtod(v, &end);
    if (end == v) continue;
    const bool on = d != 0;
    if (key == "presenter") ui.presenter = on;
    else if (key == "high_contrast") ui.high_contrast = on;
    else if (key == "colour_blind_safe") ui.cb_safe = on;
    else if (key == "fullscreen") ui.fullscreen = on;
    else if (key == "text_size") ui.ui_scale = std::clamp(static_cast<float>(d), 0.8f, 3.0f);
    else if (key == "presenter_text_size")
      ui.presenter_scale = std::clamp(static_cast<float>(d), 1.0f, 3.0f);
    else if (key == "speed") ui.speed = std::clamp(static_cast<float>(d), 0.25f, 16.0f);
    else if (key == "bottom_tab") ui.bottom_tab_force = std::clamp(static_cast<int>(d), 0, 2);
    else if (key == "sequence_zoom") ui.seq_pps = std::clamp(static_cast<float>(d), 20.0f, 20000.0f);
    else if (key == "window_width") ui.window_w = std::clamp(static_cast<int>(d), 0, 16384);
    else if (key == "window_height") ui.window_h = std::clamp(static_cast<int>(d), 0, 16384);
  }
}

bool save_settings(const std::string& path, const UiState& ui) {
  std::ofstream out(path, std::ios::trunc);
  out << "presenter=" << ui.presenter << "\n"
      << "high_contrast=" << ui.high_contrast << "\n"
      << "colour_blind_safe=" << ui.cb_safe << "\n"
      << "fullscreen=" << ui.fullscreen << "\n"
      << "text_size=" << ui.ui_scale << "\n"
      << "presenter_text_size=" << ui.presenter_scale << "\n"
      << "speed=" << ui.speed << "\n"
      << "bottom_tab=" << ui.bottom_tab << "\n"
      << "sequence_zoom=" << ui.seq_pps << "\n";
  if (ui.window_w > 0 && ui.window_h > 0)
    out << "window_width=" << ui.window_w << "\n"
        << "window_height=" << ui.window_h << "\n";
  return static_cast<bool>(out);
}

WindowSize initial_window_size(int work_w, int work_h, int given_w, int given_h, int last_w,
                               int last_h, bool fixed) {
  WindowSize s;
  if (given_w > 0 || given_h > 0) {
    if (given_w > 0) s.w = given_w;
    if (given_h > 0) s.h = given_h;
    return s;
  }
  // Screenshots and audits are the same on every screen.
  if (fixed || work_w <= 0 || work_h <= 0) return s;
  if (last_w > 0 && last_h > 0) {
    s.w = std::min(last_w, work_w);
    s.h = std::min(last_h, work_h);
    return s;
  }
  s.w = work_w;
  s.h = work_h;
  s.maximize = true;
  return s;
}

}  // namespace ms
