#include "frame.hpp"

#include <glad/gl.h>
// glad must come before GLFW.
#include <GLFW/glfw3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "a11y_keys.hpp"
#include "harness/benchmark.hpp"
#include "course.hpp"
#include "steps.hpp"
#include "lesson/chooser.hpp"
#include "imgui.h"
#include "panels/assess_ui.hpp"
#include "panels/panels.hpp"
#include "harness/shot.hpp"

namespace ms {

const char* const kPartNames[kParts] = {"NewFrame", "menu",   "worlds",    "timeline",
                                        "bottom",   "lesson", "inspector", "Render"};

namespace {

// --connect-out "imap 127.0.0.1:1143 alice secret": fills the Live panel's connect-out form and
// presses Connect. PORT "live" is this GUI's own listener for that protocol (a demonstration:
// the simulated client engine against the simulated server, both over real TCP).
bool queue_connect_out(const std::string& spec, const LiveInfo& live, LiveUi& f) {
  char proto[8] = "", target[96] = "", user[64] = "", pass[64] = "";
  if (std::sscanf(spec.c_str(), "%7s %95s %63s %63s", proto, target, user, pass) != 4)
    return false;
  const std::string p = proto, t = target;
  if (p != "imap" && p != "pop3") return false;
  const auto colon = t.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= t.size()) return false;
  const std::string host = t.substr(0, colon), port = t.substr(colon + 1);
  int n = 0;
  if (port == "live") {
    for (const LiveInfo::Listener& l : live.listeners)
      if (l.proto == p) n = std::atoi(l.address.substr(l.address.rfind(':') + 1).c_str());
  } else {
    char* end = nullptr;
    n = static_cast<int>(std::strtol(port.c_str(), &end, 10));
    if (*end != '\0') n = 0;
  }
  if (n < 1 || n > 65535 || host.size() >= sizeof f.host) return false;
  f.out_proto = p == "pop3" ? 0 : 1;
  std::snprintf(f.host, sizeof f.host, "%s", host.c_str());
  f.out_port = n;
  std::snprintf(f.user, sizeof f.user, "%s", user);
  std::snprintf(f.pass, sizeof f.pass, "%s", pass);
  f.connect = true;
  return true;
}

// The course: the start screen unless a lesson was asked for, progress from the config
// directory, exports to ~/Documents/Mailscope or the start directory, the chooser's answers
// and the quiz from the command line.
void start_course(App& app) {
  const Options& opt = app.opt;
  const AppModel& model = app.model;
  UiState& ui = app.ui;
  const char* home = std::getenv("HOME");
  std::error_code ec;
  ui.export_dir = default_export_dir(home ? home : "", std::filesystem::current_path(ec).string());
  if (!ui.progress_path.empty()) ui.progress = load_progress(ui.progress_path);
  ui.start_screen = (!opt.lesson_given && !opt.live && opt.connect_out.empty()) || opt.start >= 0;
  ui.start_tab_force = opt.start;
  ui.lesson_opened = opt.lesson_given;
  const std::size_t questions = model.run.lesson.quiz.size();
  if (opt.lesson_given) {
    // Seen once its last step is reached (draw_frame), not on opening.
    Progress::Entry& e = ui.progress.lessons[model.run.lesson.id];
    e.answers.resize(questions, -1);
    ui.quiz_choice = e.answers;
  }
  if (!opt.quiz.empty()) {
    Progress::Entry& e = ui.progress.lessons[model.run.lesson.id];
    for (std::size_t q = 0; q < opt.quiz.size() && q < questions; ++q)
      if (opt.quiz[q] >= 0) record_answer(e, q, opt.quiz[q], questions);
    ui.quiz_choice = opt.quiz;
    ui.quiz_choice.resize(questions, -1);
    ui.lesson_tab_force = 1;
  }
  ChooserAnswers a;
  if (!opt.answers.empty()) parse_answers(opt.answers, a);  // checked by main
  ui.chooser_devices = std::min(a.devices, 3);
  ui.chooser_connection = static_cast<int>(a.connection);
  ui.chooser_offline = a.offline_reading;
  ui.chooser_storage_limited = a.server_storage_limited;
  ui.chooser_provider = static_cast<int>(a.provider);
  ui.chooser_answered = !opt.answers.empty();
}

}  // namespace

void ui_frame(const AppModel& model, UiState& ui, double* parts) {
  ImGuiIO& io = ImGui::GetIO();
  int k = 0;
  double last = parts ? cpu_ms() : 0;
  auto lap = [&] {
    if (!parts) return;
    const double now = cpu_ms();
    parts[k++] += now - last;
    last = now;
  };
  ImGui::NewFrame();
  lap();
  if (!io.WantTextInput) {
    if (ImGui::IsKeyPressed(GLFW_KEY_F11, false)) ui.presenter = !ui.presenter;
    if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_S, false)) ui.save_shot_in = 1;
    if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Q, false)) ui.quit = true;
    if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_O, false)) ui.start_screen = true;
    if (ui.can_copy_link && io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_L, false))
      ui.copy_link = true;
  }
  navigation_keys(model, ui);
  draw_key_map(ui);
  draw_menu(model, ui);
  lap();
  if (ui.start_screen && !parts) {
    draw_start(model, ui);
    draw_export(model, ui);
    draw_link_popup(ui);
    ImGui::Render();
    return;
  }
  if (!parts) draw_toolbar(model, ui);
  if (ui.presenter) draw_caption(model, ui);
  draw_worlds(model, ui);
  draw_sandbox_banner(model, ui);
  lap();
  draw_timeline(model, ui);
  lap();
  if (!ui.presenter) {
    draw_bottom(model, ui);
    lap();
    if (model.live.active) draw_live(model, ui);
    else draw_lesson(model, ui);
    lap();
    // The quiz and task tabs take the inspector's place (panels/lesson.cpp).
    if (ui.lesson_tab == 0 || model.live.active) draw_inspector(model, ui);
    lap();
  }
  draw_prediction(model, ui);  // issue 24: holds a step until its prediction is answered
  if (!parts) {
    draw_export(model, ui);
    draw_link_popup(ui);
  }
  ImGui::Render();
  if (parts) k = kParts - 1;
  lap();
}

void start_app(App& app, const std::string& select_key, const std::vector<Intent>& intents) {
  const Options& opt = app.opt;
  AppModel& model = app.model;
  UiState& ui = app.ui;
  ui.screenshot = app.gui.shot;
  ui.quiz_choice.assign(model.run.lesson.quiz.size(), -1);
  start_course(app);
  ui.selected_key = select_key;
  if (!model.worlds.empty() && !model.worlds[0].devices.empty()) {
    ui.selected_world = 0;
    ui.selected_actor = model.worlds[0].devices[0].id;
  }
  if (opt.bottom >= 0) ui.bottom_tab_force = opt.bottom;
  ui.sandbox_menu = opt.menu;
  ui.open_dialog = opt.open_dialog;
  if (opt.settings) ui.side_tab_force = 1;
  ui.sandbox.base = model.run.lesson;
  ui.sandbox.seed = opt.seed;
  ui.sandbox.pending = intents;
  apply_sandbox(model, ui);  // now, so that --time may reach into the extended run
  app.target = opt.time ? std::clamp<Tick>(static_cast<Tick>(*opt.time * kSecond), 0,
                                           model.duration)
                        : model.duration;
  if (opt.time && !app.gui.shot) ui.cursor = app.target;
  if (opt.predict >= 0 || opt.task_check) {
    std::string error;
    const Tick at = apply_assess_options(model, ui, opt.step, opt.predict,
                                         opt.task_check ? &*opt.task_check : nullptr, &error);
    if (!error.empty()) std::fprintf(stderr, "mailscope: %s\n", error.c_str()), app.rc = 2;
    if (at >= 0) app.target = at, ui.cursor = at;
  }

  ui.live.imap_port = opt.imap_port;
  ui.live.pop3_port = opt.pop3_port;
  ui.live.smtp_port = opt.smtp_port;
  ui.live.lesson_world = opt.live_lesson_world;
  if (opt.live) {
    if (!app.live.start(model, ui, model.run.lesson)) {
      std::fprintf(stderr, "mailscope: %s\n", model.live.error.c_str());
      app.rc = 2;
      glfwSetWindowShouldClose(app.gui.window, GLFW_TRUE);
    }
    // Like `mailscope-cli serve`: a script reads these lines to know where to connect.
    for (const LiveInfo::Listener& l : model.live.listeners)
      std::printf("listening %s %s\n", l.proto.c_str(), l.address.c_str());
    std::fflush(stdout);
    ui.cursor = 0;
    ui.selected_key.clear();
    ui.selected_actor = 0;
    ui.selected_world = -1;
  }
  if (!opt.connect_out.empty() && !queue_connect_out(opt.connect_out, model.live, ui.live)) {
    std::fprintf(stderr, "mailscope: --connect-out: '%s' is not \"imap|pop3 ADDR:PORT USER "
                         "PASSWORD\"\n", opt.connect_out.c_str());
    app.rc = 2;
    glfwSetWindowShouldClose(app.gui.window, GLFW_TRUE);
  }
  app.live_shot = app.gui.shot && (opt.live || !opt.connect_out.empty());
}

void draw_frame(App& app, int& fw, int& fh, bool render) {
  AppModel& model = app.model;
  UiState& ui = app.ui;
  // A chip stays "new" (or fades out) for about half a real second of in-flight playback.
  model.anim_window = static_cast<Tick>(kSecond / 40 * std::max(1.0f, ui.speed));
  if (apply_open_lesson(model, ui)) {
    const std::string title = "Mailscope — " + model.run.lesson.title;
    glfwSetWindowTitle(app.gui.window, title.c_str());
  }
  apply_sandbox(model, ui);
  // A lesson counts as seen when its last step has been reached.
  if (!model.live.active && !ui.start_screen && ui.lesson_opened &&
      lesson_seen_at(model.run.lesson.steps, ui.cursor, model.duration)) {
    Progress::Entry& e = ui.progress.lessons[model.run.lesson.id];
    if (!e.seen) e.seen = true, ui.progress_dirty = true;
  }
  if (ui.progress_dirty && !ui.progress_path.empty()) {
    save_progress(ui.progress_path, ui.progress);
    ui.progress_dirty = false;
  }
  refresh_views(model, ui.cursor, ui.selected_key);
  prepare_frame(app.gui, model, ui);
  backend_new_frame(app.gui);
  ui_frame(model, ui);
  if (render) present(app.gui, fw, fh);
}

bool app_frame(App& app) {
  GLFWwindow* window = app.gui.window;
  if (glfwWindowShouldClose(window)) return false;
  AppModel& model = app.model;
  UiState& ui = app.ui;
  ImGuiIO& io = ImGui::GetIO();
  // Sleep while nothing moves: wake for the status message to expire, the text caret to
  // blink, a background job's result, and otherwise only every half minute (a frame of a big
  // window can cost tens of milliseconds with a software renderer).
  const bool busy = ui.playing || model.live.active || ui.save_shot_in > 0;
  double timeout = io.WantTextInput ? 0.5 : ui.awaiting_job ? 0.25 : 30.0;
  ui.awaiting_job = false;
  if (!ui.status.empty() && ui.status_until > ImGui::GetTime())
    timeout = std::min(timeout, ui.status_until - ImGui::GetTime() + 0.05);
  next_events(app.gui, busy, timeout);
  const bool was_live = model.live.active;
  app.live.handle(model, ui, model.run.lesson);
  app.live.poll(model);
  if (model.live.active != was_live) {
    // Another set of worlds: a selection made in the old one names actors it may not have.
    ui.selected_key.clear();
    ui.selected_actor = 0;
    ui.selected_world = -1;
  }
  if (model.live.active) {
    if (app.live_shot) {
      // Real clients need real time (and the CPU): about 60 frames per second.
      std::this_thread::sleep_for(std::chrono::milliseconds(15));
    }
    if (ui.live.follow) follow_live(model, ui, io.DeltaTime);
    else advance_playback(model, ui, io.DeltaTime);
  } else if (app.gui.shot) {
    ui.cursor = shot_cursor(app);
  } else {
    advance_playback(model, ui, io.DeltaTime);
  }
  int fw = 0, fh = 0;
  const bool hover = hover_begin(app);
  draw_frame(app, fw, fh);
  if (hover) hover_end(app);
  if (ui.save_shot_in > 0 && --ui.save_shot_in == 0) {
    // Saved a frame after the menu item was chosen, so that the menu is closed.
    // Into the export folder (File > Export can change it), named in full.
    std::string why;
    const std::string name =
        !ui.shot_path.empty()
            ? ui.shot_path
            : write_export(ui.export_dir + "/" + shot_name(model, ui.cursor), "", &why);
    ui.shot_path.clear();
    const bool ok = !name.empty() && write_png(name, fw, fh);
    ui.status = ok ? "Saved " + name : "Could not write " + (name.empty() ? why : name);
    ui.status_until = ImGui::GetTime() + 8.0;
  }
  if (ui.quit) glfwSetWindowShouldClose(window, GLFW_TRUE);
  if (save_shot_if_due(app, fw, fh)) return false;
  glfwSwapBuffers(window);
  ++app.frame;
  return true;
}

}  // namespace ms
