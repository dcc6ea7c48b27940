// The browser's side of the accessible twin (gui/a11y_twin.hpp): after each frame the app's
// snapshot goes to the page (assets/web/a11y.js turns it into HTML) when it has changed, and
// what the learner does in that HTML comes back through ms_a11y_action, carried out before the
// next frame through the same functions the panels' buttons call.
#include "a11y_twin_web.hpp"

#include <emscripten.h>

#include <cstdio>
#include <string>
#include <vector>

#include "a11y_twin.hpp"
#include "steps.hpp"
#include "panels/panels.hpp"

namespace ms {
namespace {

App* g_app = nullptr;
std::string g_last;                  // the snapshot last published
std::string g_key;                   // what it was built from (a11y_twin_frame)
std::vector<TwinAction> g_actions;   // asked for by the page since the last frame
// This lesson's comparison rows, decided once per run (the table panel's rule, TableCache).
struct {
  unsigned generation = ~0u;
  const LessonRun* run = nullptr;
  std::string lesson;
  std::vector<TableRow> rows;
  Tick at = 0;
} g_table;

EM_JS(void, web_twin_publish, (const char* json), {
  if (Module.mailscopeTwin) Module.mailscopeTwin(UTF8ToString(json));
});

void refresh_table(const AppModel& m, const UiState& ui) {
  if (g_table.generation == ui.sandbox.generation && g_table.run == &m.run &&
      g_table.lesson == m.run.lesson.id)
    return;
  g_table.generation = ui.sandbox.generation;
  g_table.run = &m.run;
  g_table.lesson = m.run.lesson.id;
  g_table.rows.clear();
  g_table.at = 0;
  try {
    g_table.rows = decide_rows(m.run);
  } catch (const std::exception&) {
    // The table panel shows the error; the twin shows no rows.
  }
  for (const WorldModel& w : m.worlds)
    for (const Record& r : w.trace->records())
      if (r.kind == RecKind::Wire || r.kind == RecKind::Store) g_table.at = std::max(g_table.at, r.t_end);
}

void carry_out(App& app, const TwinAction& a) {
  const AppModel& m = app.model;
  UiState& ui = app.ui;
  if (a.what == "quiz") {
    answer_quiz(ui, m.run.lesson, static_cast<std::size_t>(a.q), a.c);
  } else if (a.what == "step") {
    ui.start_screen = false;
    seek_step(m, ui, a.dir);
  } else if (a.what == "play") {
    start_playing(m, ui);
  } else if (a.what == "pause") {
    ui.playing = false;
  } else if (a.what == "open") {
    if (m.course.find(a.lesson)) ui.open_lesson = a.lesson, ui.open_step = 0;
  } else if (a.what == "start") {
    ui.start_screen = true;
  } else if (a.what == "chooser") {
    ui.chooser_devices = a.devices;
    ui.chooser_connection = a.connection;
    ui.chooser_offline = a.offline;
    ui.chooser_storage_limited = a.storage;
    ui.chooser_provider = a.provider;
    ui.chooser_answered = true;
  }
}

}  // namespace

void a11y_twin_frame(App& app) {
  g_app = &app;
  // Actions first: the next frame draws what they changed, and the snapshot after it says so.
  std::vector<TwinAction> actions;
  actions.swap(g_actions);
  for (const TwinAction& a : actions) carry_out(app, a);
  const AppModel& m = app.model;
  const UiState& ui = app.ui;
  // What the snapshot depends on, cheaply: the snapshot is built only when this changes (a
  // playing cursor moves every frame; the views' record indices and the step change rarely).
  std::string key = m.run.lesson.id + '\n' + (ui.start_screen ? "s" : "l") +
                    (ui.playing ? "p" : std::to_string(ui.cursor)) + ' ' +
                    std::to_string(ui.sandbox.generation) + ' ' +
                    std::to_string(step_at(m.run.lesson.steps, ui.cursor)) + ' ' +
                    std::to_string(ui.chooser_devices) + std::to_string(ui.chooser_connection) +
                    std::to_string(ui.chooser_offline) + std::to_string(ui.chooser_storage_limited) +
                    std::to_string(ui.chooser_provider) + std::to_string(ui.chooser_answered) +
                    std::to_string(m.live.active);
  for (const WorldModel& w : m.worlds) {
    key += ' ' + std::to_string(w.view.index);
    if (w.checks)
      for (const CheckResult& c : *w.checks) key += ui.cursor < c.at ? '.' : '!';
  }
  for (int c : ui.quiz_choice) key += ' ' + std::to_string(c);
  for (const auto& [id, e] : ui.progress.lessons) key += e.seen ? '+' + id : "";
  if (key == g_key) return;
  g_key = std::move(key);
  TwinInput in;
  if (!m.live.active) {
    in.run = &m.run;
    refresh_table(m, ui);
    in.table = &g_table.rows;
    in.table_at = g_table.at;
  }
  for (const WorldModel& w : m.worlds)
    in.worlds.push_back({w.title, w.proto, w.trace, w.checks, &w.view, w.server, w.internet});
  in.course = &m.course;
  in.duration = m.duration;
  std::string s = twin_snapshot(in, ui).dump();
  if (s == g_last) return;
  g_last = std::move(s);
  web_twin_publish(g_last.c_str());
}

}  // namespace ms

// The page's twin asks for an action (gui/a11y_twin.hpp: parse_twin_action); carried out
// before the next frame. Returns 0 when accepted, else 1 (the reason on the console).
extern "C" EMSCRIPTEN_KEEPALIVE int ms_a11y_action(const char* json) {
  std::string error;
  const auto a = ms::parse_twin_action(json ? json : "", &error);
  if (!a) {
    std::fprintf(stderr, "mailscope: %s\n", error.c_str());
    return 1;
  }
  ms::g_actions.push_back(*a);
  return 0;
}
