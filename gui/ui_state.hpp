#pragma once
// Everything the panels may change: the time cursor, playback and view options, and the caches
// they keep between frames. Panels never touch the simulation; they edit this struct, and what
// needs more (opening a lesson, a sandbox re-run, live mode) is a request that the frame loop
// (frame.cpp) carries out between frames.
#include <string>
#include <vector>

#include "course.hpp"
#include "intents.hpp"
#include "model/message.hpp"
#include "panel_caches.hpp"
#include "predict.hpp"

namespace ms {

// The Live panel's form and requests; the frame loop carries the requests out between frames
// through the app's LiveSession (the only way the GUI changes a simulation, see
// gui/live_session.hpp).
struct LiveUi {
  int imap_port = 1143, pop3_port = 1110, smtp_port = 1587;  // 0: the system picks
  bool start = false, stop = false, leave = false;  // requests for the frame loop
  bool lesson_world = false;  // serve the lesson's IMAP world instead of a default one
  // The cursor follows the live world's "now" until the user moves it ("Follow now" resumes).
  bool follow = true;
  Tick followed = -1;  // the cursor as following left it last frame
  // Connect-out: the simulated client engine against a real server.
  int out_proto = 1;   // 0 POP3, 1 IMAP
  char host[64] = "127.0.0.1";
  int out_port = 143;
  char user[64] = "alice";
  char pass[64] = "secret";
  bool keep = true;    // POP3: leave the mail on the server
  bool connect = false;
};

struct UiState {
  Tick cursor = 0;         // shared by both worlds
  bool playing = false;
  Tick play_until = -1;    // playback stops here (a step's end, gui/steps.hpp); -1: at the end
  float speed = 1.0f;      // 0.25x .. 16x
  bool follow_transcript = true;  // keep the transcript scrolled to the newest line
  bool screenshot = false;        // deterministic frames: no wall-clock playback
  float ui_scale = 1.0f;          // text size, normal mode (0.8x .. 3x)

  // View options (persisted in the settings file, except in screenshot mode).
  bool presenter = false;          // the step's caption, worlds and timeline only; big text, fullscreen
  float presenter_scale = 1.75f;   // text size in presenter mode
  bool high_contrast = false;
  bool cb_safe = false;            // Okabe-Ito protocol colours
  bool fullscreen = false;
  int window_w = 0, window_h = 0;  // the window's size when last closed (not full screen)
  // Requests carried out by the frame loop between frames.
  int save_shot_in = 0;            // frames until "Save screenshot" captures (menus closed)
  bool quit = false;
  std::string status;              // a short message in the menu bar
  double status_until = 0.0;       // ImGui time when the status message expires
  // "Copy link to this view" needs a page address: only the web build's glue sets
  // can_copy_link, carries out copy_link between frames, and when the browser refuses the
  // clipboard puts the link in `link`, which a popup then shows for copying by hand.
  bool can_copy_link = false;
  bool copy_link = false;
  std::string link;
  bool link_popup = false;         // open that popup on the next frame

  float text_scale() const { return presenter ? presenter_scale : ui_scale; }
  std::vector<int> quiz_choice;    // per question, -1 while unanswered
  Tick gap_from = 0, gap_to = -1;  // playback: the idle gap being crossed
  // The selected message, by its trace key (Message-ID): trace message numbers are per world,
  // the key names the same message in both. Empty when nothing is selected.
  std::string selected_key;
  std::uint16_t selected_actor = 0;  // the store the selection was made on (for the inspector)
  int selected_world = -1;

  // Sequence diagram: zoom (pixels per simulated second), the time at its top edge, and
  // whether it keeps the cursor in view.
  float seq_pps = 600.0f;
  double seq_top = 0.0;
  bool seq_follow = true;
  // Until the user zooms, the zoom fits the current step (or the 20 units before the cursor).
  bool seq_auto_zoom = true;
  int seq_world = 0;  // 0: the world that is talking, 1/2: the first/second world, 3: both
  std::vector<std::uint64_t> seq_expanded;  // bursts drawn unit by unit (their first unit's key)
  int bottom_tab = 0;  // 0 transcript, 1 sequence diagram, 2 comparison table (the bottom panel's tab)
  int bottom_tab_force = -1;

  // Sandbox: the lesson as loaded, the user's intents and the re-runs they cause (applied by
  // the frame loop between frames, so a panel never sees the run change under it).
  Sandbox sandbox;
  int side_tab_force = -1;  // the right-hand panel's tab to show once: 0 inspector, 1 settings
  // A panel shows the result of a background job that has not finished: the idle frame loop
  // wakes soon to look again (set while drawing, cleared by the loop each frame).
  bool awaiting_job = false;
  std::string open_dialog;   // "export" or "add-device": opens without a click (screenshots)
  std::string sandbox_menu;  // a device whose menu opens without a click (screenshots)

  LiveUi live;
  int side_tab = 0;  // the right-hand panel's tab: 0 inspector, 1 settings, 2 live

  // The course (panels/start.cpp, chooser.cpp): the start screen over the lesson view, which
  // of its fast paths is shown, the chooser's answers, and a lesson to open between frames
  // (the frame loop reloads the model; no restart).
  bool start_screen = false;
  int start_tab = 0;              // 0 chooser, 1 comparison table
  int start_tab_force = -1;
  bool lesson_opened = false;     // a lesson has been opened (the start screen can go back)
  std::string open_lesson;        // request: lesson id to open
  int open_step = 0;              // with it: 1-based step to put the cursor at (0: the start)
  bool open_step_end = false;     // with open_step: at the step's end (what it left), not its start
  bool open_play = false;         // with it: start playing
  std::string open_profile;       // with it: a mail app's defaults on every device ("": as written)
  std::string open_row;           // with it: at the end of the step that decides this table row, paused
  int table_view = 0;             // the comparison table: 0 the textbook answer, 1 with your mail app
  std::string table_app;          // with 1: the app shown ("": the first the table has)
  int chooser_devices = 1;        // 1, 2, 3 (3 or more)
  int chooser_connection = 0;     // 0 always, 1 limited, 2 rare
  bool chooser_offline = false, chooser_storage_limited = false;
  int chooser_provider = 0;       // ChooserAnswers::Provider: 0 other, 1 Gmail, 2 Microsoft
  bool chooser_answered = false;  // a profile was picked or a question answered (--answers too)
  Progress progress;              // lessons seen, quiz answers (saved between frames)
  std::string progress_path;      // where ("" in screenshot runs: neither read nor written)
  bool progress_dirty = false;
  // Assessment (issue 24, gui/predict.hpp, panels/assess.cpp): the predictions of the lesson
  // open, the task's settings as the learner set them and its last check, and the learner's
  // results (kept beside progress.json as results.json; "" path in screenshot runs).
  PredictState predict;
  std::string task_lesson;                      // the lesson task_values belong to
  std::vector<SettingChange> task_values;       // every setting the task offers, as set now
  std::vector<std::string> task_actions;        // actions the learner added ("phone:check mail@50s")
  bool task_checked = false;
  TaskOutcome task_outcome;
  std::string task_error;
  LearnerResults results;
  std::string results_path;
  std::string results_error;                    // a damaged results file (kept aside, not lost)
  bool results_dirty = false;
  bool learner_asked = false;                   // the optional name was offered once
  int lesson_tab = 0;             // the lesson panel's tab: 0 step, 1 quiz (whole column), 2 task
  int lesson_tab_force = -1;      // the tab to show once
  // Try it yourself (panels/sandbox.cpp): the toolbar's device and message.
  std::string toolbar_device;
  int toolbar_message = 0;
  // File -> Export (panels/export.cpp): the dialog, and a screenshot path for the frame loop to
  // write.
  bool export_open = false;
  std::string export_dir;         // where the dialog's paths start (shown in full)
  std::string shot_path;          // set with save_shot_in: write the screenshot there

  // Transcript filter: one actor's lines (empty: all) and which protocols.
  std::string filter_device;
  bool filter_pop3 = true, filter_imap = true, filter_smtp = true;

  // What the panels keep between frames (gui/panel_caches.hpp); a copy of this state starts
  // with empty ones.
  PanelCaches caches;
};

}  // namespace ms
