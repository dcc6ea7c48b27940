#pragma once
// The command line of `mailscope`: what it asks for and how it is parsed.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ms {

struct Options {
  std::string lesson = "mail-storage";
  std::string profile;  // --profile: a mail app's defaults on every device of the lesson
  bool lesson_given = false;  // without --lesson the app opens on the start screen
  int start = -1;             // --start: 0 course and chooser, 1 course and table, 2 its app view
  std::string answers;        // --answers: the chooser's form
  std::vector<int> quiz;      // --quiz-answers: choices per question, the Quiz tab shown
  std::optional<std::uint64_t> seed;
  std::string screenshot;
  int frames = 60;
  bool scaling = true;  // --benchmark: also measure 100..100,000 messages
  std::optional<double> time;
  int step = 0;    // 1-based lesson step to put the cursor at (0: none)
  // Issue 24, for screenshots: --predict N shows the prediction of --step's step asked (0) or
  // answered with choice N and marked at the step's end; --task-check "DEV.KEY=V,..." sets the
  // task's settings and presses Check ("" : the lesson's own).
  int predict = -1;
  std::optional<std::string> task_check;
  int select = 0;  // scenario message to select (0: none)
  int bottom = -1;  // bottom panel tab: 0 transcript, 1 sequence diagram, -1 as remembered
  bool presenter = false, high_contrast = false, cb_safe = false;
  int width = 0, height = 0;  // 0: not given (the work area or the last size, window.cpp)
  double text_size = 0;  // --text-size: text scale of the starting mode (0: as remembered)
  bool benchmark = false, json = false, frames_given = false;
  bool frame_cost = false;  // --frame-cost: process CPU per frame, app playing vs ImGui demo
  std::vector<std::string> intents;  // --intent: sandbox actions queued at start-up
  std::string menu;  // --sandbox-menu: a device whose right-click menu opens (for screenshots)
  std::string open_dialog;
  std::string hover;  // --hover: the layout audit's owner of the item the pointer rests on  // --open: "export" or "add-device", opened at start (screenshots)
  bool settings = false;  // --settings: show the Settings tab
  int messages = 10000;
  // Live mode: listen at start-up; the screenshot waits for this many finished sessions.
  bool live = false, live_lesson_world = false;
  int imap_port = 1143, pop3_port = 1110, smtp_port = 1587;
  int shot_after_sessions = 0;
  std::string shot_unit;  // --shot-at-unit: then put the cursor on the last unit with this text
  std::string connect_out;  // --connect-out "PROTO ADDR:PORT USER PASSWORD"
  std::string lessons_dir;  // --lessons-dir
  bool version = false;     // --version
  std::string layout_audit;  // --layout-audit FILE.json: audit one frame's layout
  std::string layout_sweep;  // --layout-audit-sweep FILE.json: every lesson, step, size, mode
  // --sweep-sizes "1024x768,1280x720" / --sweep-modes "normal,presenter,presenter3x": a part of
  // the sweep (empty: all); with --lesson, that lesson only.
  std::vector<std::pair<int, int>> sweep_sizes;
  std::vector<std::string> sweep_modes;
};

extern const char* const kUsage;

// Returns false (after printing why) on bad arguments; sets `help` for --help.
bool parse_args(int argc, char** argv, Options& o, bool& help);

// The lessons folder (util/datadirs.hpp: --lessons-dir, $MAILSCOPE_LESSONS_DIR, the source
// tree, the install prefix); throws DataDirError naming every place looked in.
std::string lessons_dir();

}  // namespace ms
