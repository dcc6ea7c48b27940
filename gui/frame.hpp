#pragma once
// The frame loop as one function that draws ONE frame, so that whatever drives the frames
// (GLFW's loop in main, or a browser's frame callback) calls the same code.
#include <cstddef>
#include <string>
#include <vector>

#include "app_model.hpp"
#include "intents.hpp"
#include "live_session.hpp"
#include "options.hpp"
#include "ui_state.hpp"
#include "window.hpp"

namespace ms {

// The parts of a frame --benchmark times separately: NewFrame, each panel, Render.
constexpr int kParts = 8;
extern const char* const kPartNames[kParts];

// The app's UI code for one frame, Dear ImGui's NewFrame to Render: what --benchmark times.
// With `parts`, adds each part's CPU ms to it.
void ui_frame(const AppModel& model, UiState& ui, double* parts = nullptr);

// Everything a running app carries from one frame to the next.
struct App {
  Options opt;
  Gui gui;
  AppModel model;
  UiState ui;
  // Live mode: the only part of the GUI that changes a simulation (gui/live_session.hpp).
  LiveSession live;
  Tick target = 0;          // screenshot runs: where the cursor lands on the last frame
  bool live_shot = false;   // a screenshot of live sessions (waits for real clients)
  int frame = 0;
  int settled = 0;      // frames since the display caught up with the awaited sessions
  bool placed = false;  // --shot-at-unit: the cursor is on that unit
  int rc = 0;           // the process's exit status
};

// After the window is open: the UI state from the options (selection, tabs, sandbox intents,
// the cursor), and live mode started when asked for. On failure sets app.rc and asks the
// window to close.
void start_app(App& app, const std::string& select_key, const std::vector<Intent>& intents);

// Draws the frame at ui.cursor (the sandbox applied, views refreshed, fonts and style
// current) into the back buffer, whose size it returns in fw, fh. No events, no swap.
void draw_frame(App& app, int& fw, int& fh);

// One frame: events, live sessions, playback, the sandbox, the UI, drawing, screenshots.
// Returns false when the app is done (window closed or the screenshot taken).
bool app_frame(App& app);

}  // namespace ms
