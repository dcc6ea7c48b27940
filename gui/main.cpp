// mailscope: the Dear ImGui front end. Runs a lesson to its end once, then draws both worlds'
// traces at a time cursor; nothing here mutates the simulation, except in live mode, where
// the live world is changed only through LiveServer/LiveClient (gui/live_session.hpp).
// Without a display it never calls glfwInit and prints the same transcript as
// `mailscope-cli run`.
//
// The parts: options.cpp (command line), window.cpp (GLFW, OpenGL, fonts, style), frame.cpp
// (one frame; this file's loop drives it), harness/ (screenshots, audits, benchmarks).
// main() runs the phases below in order; each returns the exit code when the run ends there.
#include <chrono>
#include <cstdio>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app_model.hpp"
#include "harness/audit_run.hpp"
#include "harness/benchmark.hpp"
#include "harness/bench_run.hpp"
#include "course.hpp"
#include "frame.hpp"
#include "lesson/chooser.hpp"
#include "lesson/report.hpp"
#include "lesson/table.hpp"
#include "options.hpp"
#include "settings.hpp"
#include "util/datadirs.hpp"
#include "window.hpp"

#ifdef __EMSCRIPTEN__
namespace ms {
void web_run(App* app, const std::string& settings);
}
#endif

namespace {

// Which exit code ends the run now; nothing when it carries on.
using Exit = std::optional<int>;

// --help, --version, where lessons and assets are.
Exit read_command_line(int argc, char** argv, ms::Options& opt) {
  bool help = false;
  if (!ms::parse_args(argc, argv, opt, help)) return 2;
  if (help) {
    std::fputs(ms::kUsage, stdout);
    return 0;
  }
  if (opt.version) {
    std::printf("%s\n", ms::version_line("mailscope").c_str());
    return 0;
  }
  ms::set_lessons_dir_flag(opt.lessons_dir);
#ifdef MAILSCOPE_LESSONS_DIR
  ms::set_builtin_lessons_dir(MAILSCOPE_LESSONS_DIR);  // the web build's lessons
#endif
#ifdef MAILSCOPE_BUILTIN_ASSETS_DIR
  ms::set_builtin_assets_dir(MAILSCOPE_BUILTIN_ASSETS_DIR);  // the web build's assets
#endif
  return {};
}

// Options that only make sense together or with a display, refused before any work.
Exit check_modes(ms::Options& opt) {
  if (opt.live && !ms::has_display()) {
    std::fprintf(stderr, "mailscope: --live needs a display (run it under xvfb-run, or use "
                         "mailscope-cli serve)\n");
    return 2;
  }
  if ((opt.shot_after_sessions > 0 && !(opt.live && !opt.screenshot.empty())) ||
      (!opt.shot_unit.empty() && opt.shot_after_sessions == 0)) {
    std::fprintf(stderr, "mailscope: --shot-after-sessions needs --live and --screenshot, "
                         "--shot-at-unit needs --shot-after-sessions\n");
    return 2;
  }
  if ((!opt.layout_audit.empty() || !opt.layout_sweep.empty() || opt.frame_cost) &&
      !ms::has_display()) {
    std::fprintf(stderr, "mailscope: --layout-audit and --frame-cost need a display (run them "
                         "under xvfb-run)\n");
    return 2;
  }
  if (opt.benchmark && !ms::has_display()) {
    std::fprintf(stderr, "mailscope: --benchmark needs a display (run it under xvfb-run)\n");
    return 2;
  }
  // Waiting for live sessions takes real time: the frame limit is then a generous one.
  if (opt.live && opt.shot_after_sessions > 0 && !opt.frames_given) opt.frames = 3000;
  return {};
}

Exit parse_intents(const ms::Options& opt, std::vector<ms::Intent>& intents) {
  for (const std::string& text : opt.intents) {
    std::string why;
    auto in = ms::parse_intent(text, &why);
    if (!in) {
      std::fprintf(stderr, "mailscope: --intent: %s\n", why.c_str());
      return 2;
    }
    intents.push_back(*in);
  }
  return {};
}

// Runs the lesson (or the benchmark's synthetic run) to its end. Without a display this is
// where the run ends, printing what `mailscope-cli run` prints.
Exit run_simulation(ms::App& app, const std::vector<ms::Intent>& intents, ms::ColdStart& cold,
                    std::chrono::steady_clock::time_point t0) {
  ms::Options& opt = app.opt;
  ms::AppModel& model = app.model;
  if (opt.benchmark) {
    if (!opt.frames_given) opt.frames = 300;
    model.run = ms::make_benchmark_run(opt.messages);
    cold.run_ms = ms::ms_since(t0);
    return {};
  }
  try {
    const std::string path = ms::find_lesson(opt.lesson, ms::lessons_dir());
    ms::Lesson lesson = ms::load_lesson(path);
    if (!opt.profile.empty() && !ms::apply_profile(lesson, opt.profile))
      throw std::runtime_error("--profile: unknown mail app profile '" + opt.profile + "'");
    if (!ms::has_display()) {
      std::printf("mailscope: no display found; running lesson %s headless\n",
                  opt.lesson.c_str());
      ms::LessonRun run = ms::run_lesson(ms::apply_intents(lesson, intents), opt.seed);
      std::fputs(ms::format_transcript(run).c_str(), stdout);
      std::fputs(ms::format_checks(run).c_str(), stdout);
      return run.all_pass() ? 0 : 1;
    }
    model.run = ms::run_lesson(lesson, opt.seed);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mailscope: %s\n", e.what());
    return 2;
  }
  return {};
}

// The model the panels draw, and the options that point into it (--answers, --step,
// --select), checked against the run.
Exit build_app_model(ms::App& app, ms::ColdStart& cold, std::string& select_key) {
  ms::Options& opt = app.opt;
  ms::AppModel& model = app.model;
  const auto m0 = std::chrono::steady_clock::now();
  ms::build_model(model);
  cold.model_ms = ms::ms_since(m0);
  model.lessons_dir = ms::lessons_dir();
  if (!opt.benchmark) model.course = ms::load_course(model.lessons_dir);
  if (ms::ChooserAnswers a; !opt.answers.empty()) {
    std::string why;
    if (!ms::parse_answers(opt.answers, a, &why)) {
      std::fprintf(stderr, "mailscope: --answers: %s\n", why.c_str());
      return 2;
    }
  }
  if (opt.step > 0) {
    const auto& steps = model.run.lesson.steps;
    if (static_cast<std::size_t>(opt.step) > steps.size()) {
      std::fprintf(stderr, "mailscope: --step %d: lesson %s has %zu steps\n", opt.step,
                   model.run.lesson.id.c_str(), steps.size());
      return 2;
    }
    opt.time = static_cast<double>(steps[opt.step - 1].at) / ms::kSecond;
  }
  if (opt.select > 0) {
    select_key = ms::scenario_key(model, opt.select);
    if (select_key.empty()) {
      std::fprintf(stderr, "mailscope: --select %d: no such scenario message in the run\n",
                   opt.select);
      return 2;
    }
  }
  return {};
}

// Opens the window with the user's settings; `settings` is their file, empty when this run
// keeps none.
Exit open_app_window(ms::App& app, ms::ColdStart& cold, std::string& settings) {
  const ms::Options& opt = app.opt;
  const auto w0 = std::chrono::steady_clock::now();
  ms::Gui& g = app.gui;
  // Benchmarks and audits are deterministic like screenshots: fixed window, no pointer, no
  // settings.
  const bool audit = !opt.layout_audit.empty() || !opt.layout_sweep.empty();
  g.shot = !opt.screenshot.empty() || opt.benchmark || opt.frame_cost || audit;
  // Settings and imgui.ini live in the config directory; screenshot runs use neither.
  const std::string cfg = g.shot ? "" : ms::config_dir();
  g.ini = cfg.empty() ? "" : cfg + "/imgui.ini";
  settings = cfg.empty() ? "" : cfg + "/settings.ini";
  app.ui.progress_path = cfg.empty() ? "" : cfg + "/progress.json";
  ms::UiState& ui = app.ui;
  // Read first: the window opens at the size it had last time.
  if (!settings.empty()) ms::load_settings(settings, ui);
  g.last_w = ui.window_w;
  g.last_h = ui.window_h;
  if (!ms::open_window(g, opt, "Mailscope — " + app.model.run.lesson.title)) return 1;
  if (opt.presenter) ui.presenter = true;
  if (opt.high_contrast) ui.high_contrast = true;
  if (opt.cb_safe) ui.cb_safe = true;
  if (opt.text_size > 0) (ui.presenter ? ui.presenter_scale : ui.ui_scale) =
                             static_cast<float>(opt.text_size);
  cold.window_ms = ms::ms_since(w0);
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  const auto t0 = std::chrono::steady_clock::now();
  // Large (the model, the live session): on the heap rather than main's stack.
  auto app_ptr = std::make_unique<ms::App>();
  ms::App& app = *app_ptr;
  ms::Options& opt = app.opt;
  std::vector<ms::Intent> intents;
  ms::ColdStart cold;
  std::string select_key, settings;
  if (Exit e = read_command_line(argc, argv, opt)) return *e;
  if (Exit e = check_modes(opt)) return *e;
  if (Exit e = parse_intents(opt, intents)) return *e;
  if (Exit e = run_simulation(app, intents, cold, t0)) return *e;
  if (Exit e = build_app_model(app, cold, select_key)) return *e;
  if (Exit e = open_app_window(app, cold, settings)) return *e;

  // The harness's modes (harness/) run their own frames; otherwise the interactive loop.
  if (opt.benchmark) {
    app.rc = ms::run_benchmark(app.gui, app.model, opt, cold, t0);
  } else if (opt.frame_cost) {
    app.rc = ms::run_frame_cost(app);
  } else if (!opt.layout_sweep.empty()) {
    app.rc = ms::run_layout_sweep(app);
  } else if (!opt.layout_audit.empty()) {
    app.rc = ms::run_layout_audit(app, select_key, intents);
  } else {
    ms::start_app(app, select_key, intents);
#ifdef __EMSCRIPTEN__
    // The browser calls the frame function (gui/platform/web/web_glue.cpp); the app lives on.
    ms::web_run(app_ptr.release(), settings);
    return 0;
#endif
    while (ms::app_frame(app)) {
    }
  }

  if (!settings.empty()) ms::window_size(app.gui, app.ui.window_w, app.ui.window_h);
  if (!settings.empty() && !ms::save_settings(settings, app.ui))
    std::fprintf(stderr, "mailscope: cannot write %s\n", settings.c_str());
  ms::close_window(app.gui);
  return app.rc;
}
