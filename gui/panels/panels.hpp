#pragma once
// The panels: each draws one ImGui window from the read-only model and edits only UiState.
#include "app_model.hpp"
#include "ui_state.hpp"

namespace ms {

void draw_worlds(const AppModel& m, UiState& ui);
void draw_timeline(const AppModel& m, UiState& ui);
void draw_lesson(const AppModel& m, UiState& ui);
void draw_inspector(const AppModel& m, UiState& ui);
// The bottom panel: a window with tabs holding the transcript and the sequence diagram, which
// draw into the current window.
void draw_bottom(const AppModel& m, UiState& ui);
void draw_transcript(const AppModel& m, UiState& ui);
void draw_sequence(const AppModel& m, UiState& ui);
// The main menu bar (File, View); hidden in presenter mode, where the status message shows
// as a small overlay instead.
void draw_menu(const AppModel& m, UiState& ui);
// The popup showing ui.link, to copy by hand, when the browser refused the clipboard.
void draw_link_popup(UiState& ui);
// The next window (a dialog) centred in the work area, `em` font sizes wide at most.
void center_next_dialog(float em);

// Sandbox (panels/sandbox.cpp). Between frames: re-runs the lesson with the queued intents and
// rebuilds the model, keeping the cursor. Returns true when the run changed.
bool apply_sandbox(AppModel& m, UiState& ui);
// The right-click menus of a device box and of the server box (called by the worlds view with
// the box's rectangle), and the banner saying that the future shown is the user's own.
void sandbox_device_menu(const AppModel& m, int world, std::uint16_t actor, UiState& ui,
                         ImVec2 box0, ImVec2 box1);
void sandbox_server_menu(const AppModel& m, int world, UiState& ui, ImVec2 box0, ImVec2 box1);
void draw_sandbox_banner(const AppModel& m, UiState& ui);
// Per-device client policy, link, server quota and retention; Apply re-runs from the start.
void draw_settings(const AppModel& m, UiState& ui);
// The comparison table, each cell shown once its evidence has happened at the cursor.
void draw_table(const AppModel& m, UiState& ui);

// Live mode (panels/live.cpp): the Live panel's contents (also a tab of the right-hand panel
// when live mode is off), the panel in the lesson's place while the live world is shown, and
// the cursor following the live world's "now" until the user moves it.
void draw_live_body(const AppModel& m, UiState& ui);
void draw_live(const AppModel& m, UiState& ui);
void follow_live(const AppModel& m, UiState& ui, float dt);

// The course (panels/start.cpp, chooser.cpp, table.cpp): the start screen over the whole
// window, and between frames the lesson it asked for (true when the run changed).
void draw_start(const AppModel& m, UiState& ui);
bool apply_open_lesson(AppModel& m, UiState& ui);
// "Which protocol for this customer?": the form and its recommendation.
void draw_chooser(const AppModel& m, UiState& ui);
// Every row of the comparison table, each from its own lesson run in the background.
void draw_full_table(const AppModel& m, UiState& ui);
// The "Try it yourself" toolbar under the menu bar: device actions and undo (sandbox.cpp).
void draw_toolbar(const AppModel& m, UiState& ui);
// File -> Export's dialog (export.cpp).
void draw_export(const AppModel& m, UiState& ui);

// Fixed layout (Dear ImGui 1.86 has no docking): worlds top-left, timeline and the bottom
// panel below them, lesson and inspector on the right.
enum class PanelSlot { Worlds, Timeline, Bottom, Lesson, Inspector, Caption };
void place_window(PanelSlot slot);
// Presenter mode: the caption band on top, the worlds fill the screen between it and the
// timeline; other panels are not drawn.
void set_presenter_layout(bool on);
// The interface's scale this frame (gui/ui_scale.hpp): sizes in pixels that are not a multiple
// of the font size (a panel's minimum width, a gap) are multiplied by it.
void set_interface_scale(float k);
float interface_scale();
// Presenter mode's caption band (panels/caption.cpp): the current step's number, title and
// narrative in large type. Drawn before the worlds, whose panel starts below the band's
// height (set_caption_height, which the caption sets each frame).
void draw_caption(const AppModel& m, UiState& ui);
void set_caption_height(float h);

// Playback: moves the cursor by wall-clock `dt` seconds at the chosen speed. Packets in flight
// are slowed down to be watchable; idle gaps between exchanges are crossed quickly.
void advance_playback(const AppModel& m, UiState& ui, float dt);
void seek(const AppModel& m, UiState& ui, Tick t);
// Moves the cursor to the next (dir > 0) or previous wire unit's mid-flight.
void seek_unit(const AppModel& m, UiState& ui, int dir);
// Goes to the next or previous lesson step and plays it to its end (gui/steps.hpp: step_move);
// on from the last step, opens the course's next lesson. Without steps: by unit.
void seek_step(const AppModel& m, UiState& ui, int dir);
// Play: in presenter mode to the end of the step in force (then through the next), otherwise
// to the end of the run.
void start_playing(const AppModel& m, UiState& ui);
// PageDown/PageUp and Right/Left by lesson step, '.'/',' by protocol unit, in both modes.
void navigation_keys(const AppModel& m, UiState& ui);

}  // namespace ms
