// The GUI's remembered settings: what is saved is read back, and a damaged file changes only
// what it can validly say.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "settings.hpp"

using namespace ms;

namespace {

std::string temp_file(const char* name) {
  return (std::filesystem::temp_directory_path() / name).string();
}

}  // namespace

TEST_CASE("saved view settings are read back unchanged", "[gui][settings]") {
  const std::string path = temp_file("mailscope-settings-roundtrip.ini");
  UiState a;
  a.presenter = true;
  a.high_contrast = true;
  a.cb_safe = true;
  a.ui_scale = 1.5f;
  a.presenter_scale = 2.5f;
  a.speed = 4.0f;
  a.bottom_tab = 1;
  a.seq_pps = 900.0f;
  REQUIRE(save_settings(path, a));
  UiState b;
  load_settings(path, b);
  std::remove(path.c_str());
  CHECK(b.presenter);
  CHECK(b.high_contrast);
  CHECK(b.cb_safe);
  CHECK_FALSE(b.fullscreen);
  CHECK(b.ui_scale == 1.5f);
  CHECK(b.presenter_scale == 2.5f);
  CHECK(b.speed == 4.0f);
  CHECK(b.bottom_tab_force == 1);
  CHECK(b.seq_pps == 900.0f);
}

TEST_CASE("a damaged settings file leaves bad or unknown values at their defaults",
          "[gui][settings]") {
  const std::string path = temp_file("mailscope-settings-damaged.ini");
  {
    std::ofstream out(path);
    out << "presenter=yes\nspeed=1000\ntext_size=\n=1\nunknown=3\nhigh_contrast=1\n"
        << std::string(5000, 'x') << "\n";
  }
  UiState ui;
  load_settings(path, ui);
  std::remove(path.c_str());
  CHECK_FALSE(ui.presenter);      // "yes" is not a number
  CHECK(ui.speed == 16.0f);       // clamped to the fastest speed
  CHECK(ui.ui_scale == 1.0f);     // empty value ignored
  CHECK(ui.high_contrast);
}

TEST_CASE("a missing settings file changes nothing", "[gui][settings]") {
  UiState ui;
  load_settings(temp_file("mailscope-settings-does-not-exist.ini"), ui);
  CHECK_FALSE(ui.presenter);
  CHECK(ui.speed == 1.0f);
}

TEST_CASE("the window opens at the screen's work area, not 1600x900 on any screen",
          "[gui][settings][window]") {
  SECTION("a 1024x768 projector with no size kept: the whole work area, maximized") {
    const WindowSize s = initial_window_size(1024, 740, 0, 0, 0, 0, false);
    CHECK(s.w == 1024);
    CHECK(s.h == 740);
    CHECK(s.maximize);
  }
  SECTION("the size it had last time, clamped to a smaller screen") {
    const WindowSize s = initial_window_size(1024, 740, 0, 0, 1600, 900, false);
    CHECK(s.w == 1024);
    CHECK(s.h == 740);
    CHECK_FALSE(s.maximize);
    const WindowSize big = initial_window_size(1920, 1050, 0, 0, 1280, 720, false);
    CHECK(big.w == 1280);
    CHECK(big.h == 720);
  }
  SECTION("--width/--height win; screenshots and audits keep their fixed 1600x900") {
    const WindowSize given = initial_window_size(1024, 740, 1280, 720, 1600, 900, false);
    CHECK(given.w == 1280);
    CHECK(given.h == 720);
    const WindowSize shot = initial_window_size(1024, 740, 0, 0, 800, 600, true);
    CHECK(shot.w == 1600);
    CHECK(shot.h == 900);
  }
  SECTION("the last size is kept in the settings") {
    const std::string path = temp_file("mailscope-settings-window.ini");
    UiState ui;
    ui.window_w = 1180;
    ui.window_h = 700;
    REQUIRE(save_settings(path, ui));
    UiState back;
    load_settings(path, back);
    std::remove(path.c_str());
    CHECK(back.window_w == 1180);
    CHECK(back.window_h == 700);
  }
}
