// The browser's side of the GUI's frame loop: the page calls app_frame (gui/frame.hpp) from
// emscripten_set_main_loop instead of a while loop, and between frames this file does what a
// desktop gets from its window system and file system:
//  - the canvas follows the browser window's size and device pixel ratio;
//  - files the app writes (screenshots, exports) into its working folder become downloads;
//  - settings, imgui.ini and course progress live in IndexedDB (mounted at /persist by
//    assets/web/app.js before main runs) and are written back when they change;
//  - the lesson's checks are logged once as one machine-readable line for the browser tests;
//  - File > "Copy link to this view" (Ctrl+L) puts the view's address on the clipboard;
//  - a browser test asks where named widgets were drawn, to click them as a user would;
//  - presenter=0/1 in the address wins over the saved setting;
//  - text the app copies goes to the browser's clipboard.
#include <emscripten.h>
#include <emscripten/html5.h>
#include <GLFW/glfw3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "a11y_twin_web.hpp"
#include "frame.hpp"
#include "settings.hpp"
#include "imgui.h"
#include "harness/widget_rects.hpp"

namespace ms {
namespace {

// Where relative paths the app writes land; every file appearing here is offered as a download.
const char* kDownloads = "/downloads";

struct Web {
  App* app = nullptr;
  std::string settings;       // settings.ini in the persisted config folder ("" = none)
  std::string last_settings;  // the persisted folder as last written back
  double next_save = 0;
  bool done = false;
  bool copy_offered = false;  // the page's copy event answers with the link popup's text
  std::string status;         // the status line last logged
  // The lesson the page's address opened and its profile=: links to a view of that lesson
  // carry the profile (another lesson opened later runs as written).
  std::string start_lesson, profile;
  // How long the last kTimed calls of the frame function took (ms, ring buffer), and how many
  // there were: the app's own cost per frame, without the browser's compositing and vsync,
  // for docs/performance.md's comparison with the desktop (mailscope --frame-cost).
  static constexpr int kTimed = 240;
  double frame_ms[kTimed] = {};
  long long frames = 0;
};
Web web;

// Hands a file's bytes to the page, which turns them into a browser download.
EM_JS(void, web_download, (const char* name, const char* data, int size), {
  Module.mailscopeDownload(UTF8ToString(name), HEAPU8.slice(data, data + size));
});
// Writes the IndexedDB-backed folder back (asynchronous; the page logs failures).
EM_JS(void, web_persist, (), { Module.mailscopePersist(); });
EM_JS(void, web_first_frame, (), { Module.mailscopeFirstFrame(); });
// Puts the page's address with `query` on the clipboard (and in the address bar), then
// answers through ms_web_link_copied. The Clipboard API is asynchronous, and refused without
// a secure context (http:// other than localhost) or the page's focus.
EM_JS(void, web_copy_link, (const char* query), {
  const url = location.origin + location.pathname + '?' + UTF8ToString(query);
  history.replaceState(null, "", url);
  console.log('MAILSCOPE-LINK ' + url);
  const answer = function(ok) {
    Module.ccall('ms_web_link_copied', null, ['number', 'string'], [ok, url]);
  };
  if (!navigator.clipboard || !navigator.clipboard.writeText) {
    answer(0);
    return;
  }
  navigator.clipboard.writeText(url).then(function() { answer(1); }, function(e) {
    console.warn('Mailscope: the clipboard refused the link (' + e + ')');
    answer(0);
  });
});
// Text the app copies (ImGui::SetClipboardText: the chooser's "Copy as text", a text field's
// Ctrl+C): emscripten's GLFW keeps it to itself, so it goes to the browser's clipboard here,
// and the app hears whether the browser took it (ms_web_text_copied).
EM_JS(void, web_copy_text, (const char* text), {
  const t = UTF8ToString(text);
  const answer = function(ok) { Module.ccall('ms_web_text_copied', null, ['number'], [ok]); };
  if (!navigator.clipboard || !navigator.clipboard.writeText) {
    answer(0);
    return;
  }
  navigator.clipboard.writeText(t).then(function() {
    console.log('MAILSCOPE-COPIED ' + t.length);
    answer(1);
  }, function(e) {
    console.warn('Mailscope: the clipboard refused the text (' + e + ')');
    answer(0);
  });
});
std::string clipboard;  // what the app last copied, for its own paste
void set_clipboard(void*, const char* text) {
  clipboard = text ? text : "";
  web_copy_text(clipboard.c_str());
}
const char* get_clipboard(void*) { return clipboard.c_str(); }
// presenter=0/1 in the page's address: 0 or 1, or -1 when the address does not say. A link
// means what it says, over the setting saved from an earlier visit (the page passes only
// --presenter, which cannot say "off").
EM_JS(int, web_url_presenter, (), {
  const v = new URLSearchParams(location.search).get('presenter');
  if (v === null) return -1;
  return v === '0' || v === 'false' ? 0 : 1;
});
// The canvas has no text the browser could copy: while the link popup is open, the browser's
// own copy (Ctrl+C, its Edit menu) copies the link instead ("" stops that).
EM_JS(void, web_offer_copy, (const char* text), { Module.mailscopeCopyText = UTF8ToString(text); });

void offer_downloads() {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(kDownloads, ec)) {
    if (!e.is_regular_file(ec)) continue;
    std::ifstream in(e.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    web_download(e.path().filename().c_str(), bytes.data(), static_cast<int>(bytes.size()));
    fs::remove(e.path(), ec);
  }
}

// The canvas's backing store is its CSS size times the device pixel ratio, so that text is
// drawn at the screen's resolution; GLFW's window size is that backing size (emscripten's
// GLFW scales mouse positions to it) and text is sized by the ratio, as on a hi-DPI desktop.
void follow_window(App& app) {
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size("#canvas", &css_w, &css_h);
  const double dpr = std::clamp(emscripten_get_device_pixel_ratio(), 1.0, 4.0);
  const int want_w = std::max(1, static_cast<int>(std::lround(css_w * dpr)));
  const int want_h = std::max(1, static_cast<int>(std::lround(css_h * dpr)));
  int w = 0, h = 0;
  glfwGetWindowSize(app.gui.window, &w, &h);
  if (w != want_w || h != want_h) glfwSetWindowSize(app.gui.window, want_w, want_h);
  app.gui.dpi = static_cast<float>(dpr);
}

// Everything in the persisted folder, to notice any change (settings, imgui.ini, progress).
std::string snapshot(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::string all;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(dir, ec)) {
    if (!e.is_regular_file(ec)) continue;
    std::ifstream in(e.path(), std::ios::binary);
    all += e.path().string() + '\0';
    all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return all;
}

void save_settings_if_changed(bool force) {
  App& app = *web.app;
  const double now = emscripten_get_now();
  if (!force && now < web.next_save) return;
  web.next_save = now + 2000.0;
  if (web.settings.empty()) return;
  save_settings(web.settings, app.ui);
  std::string now_state = snapshot(std::filesystem::path(web.settings).parent_path().string());
  if (now_state == web.last_settings && !force) return;
  web.last_settings = std::move(now_state);
  web_persist();
}

// One line the browser tests (and anyone with the console open) can read.
void log_checks(const App& app) {
  nlohmann::json checks = nlohmann::json::array();
  int pass = 0, fail = 0;
  for (const WorldRun& wr : app.model.run.worlds)
    for (const CheckResult& c : wr.checks) {
      checks.push_back({{"world", wr.world->label()}, {"pass", c.pass},
                        {"description", c.description}});
      (c.pass ? pass : fail)++;
    }
  const nlohmann::json line = {{"lesson", app.model.run.lesson.id}, {"passed", pass},
                               {"failed", fail}, {"checks", checks}};
  std::printf("MAILSCOPE-CHECKS %s\n", line.dump().c_str());
  std::fflush(stdout);
}

// The current view as URL parameters (without "?"): lesson, step or time, selected message,
// presenter mode, bottom tab, seed: what the page puts after its own address in a link.
std::string view_query(const App& app) {
  const UiState& ui = app.ui;
  const auto& lesson = app.model.run.lesson;
  std::string q = "lesson=" + lesson.id;
  int step = 0;
  for (std::size_t i = 0; i < lesson.steps.size(); ++i)
    if (lesson.steps[i].at == ui.cursor) step = static_cast<int>(i) + 1;
  if (step > 0) {
    q += "&step=" + std::to_string(step);
  } else {
    char t[32];
    std::snprintf(t, sizeof t, "%.3f", static_cast<double>(ui.cursor) / kSecond);
    q += std::string("&time=") + t;
  }
  if (!ui.selected_key.empty())
    for (int n = 1; n < 1000; ++n) {
      const std::string key = scenario_key(app.model, n);
      if (key.empty()) break;
      if (key == ui.selected_key) {
        q += "&select=" + std::to_string(n);
        break;
      }
    }
  if (!web.profile.empty() && lesson.id == web.start_lesson) q += "&profile=" + web.profile;
  if (ui.presenter) q += "&presenter=1";
  if (ui.bottom_tab == 1) q += "&bottom=sequence";
  else if (ui.bottom_tab == 2) q += "&bottom=table";
  if (app.opt.seed) q += "&seed=" + std::to_string(*app.opt.seed);
  return q;
}

void frame() {
  App& app = *web.app;
  if (web.done) return;
  follow_window(app);
  const double t0 = emscripten_get_now();
  const bool more = app_frame(app);
  web.frame_ms[web.frames++ % Web::kTimed] = emscripten_get_now() - t0;
  if (app.frame == 1) web_first_frame();
  a11y_twin_frame(app);
  if (app.ui.copy_link) {
    app.ui.copy_link = false;
    web_copy_link(view_query(app).c_str());
  }
  if (web.copy_offered && app.ui.link.empty()) {
    web_offer_copy("");
    web.copy_offered = false;
  }
  offer_downloads();
  // Each new status line (what an export wrote, "Link copied") once on the console, for the
  // browser tests and anyone with the console open.
  if (app.ui.status != web.status) {
    web.status = app.ui.status;
    if (!web.status.empty()) {
      std::printf("MAILSCOPE-STATUS %s\n", web.status.c_str());
      std::fflush(stdout);
    }
  }
  save_settings_if_changed(false);
  if (!more) {
    // "Quit" in a page: stop drawing and say so; the tab stays open.
    web.done = true;
    save_settings_if_changed(true);
    emscripten_cancel_main_loop();
    EM_ASM({ Module.mailscopeStopped(); });
  }
}

}  // namespace

void web_run(App* app, const std::string& settings) {
  web.app = app;
  web.settings = settings;
  std::error_code ec;
  std::filesystem::create_directories(kDownloads, ec);
  std::filesystem::current_path(kDownloads, ec);
  // Exports, Ctrl+S screenshots and the table's HTML go where the page turns them into
  // browser downloads, whatever the desktop's default folder would be.
  app->ui.export_dir = kDownloads;
  app->ui.can_copy_link = true;
  ImGui::GetIO().SetClipboardTextFn = set_clipboard;
  ImGui::GetIO().GetClipboardTextFn = get_clipboard;
  const int presenter = web_url_presenter();
  if (presenter >= 0) app->ui.presenter = presenter == 1;
  web.start_lesson = app->model.run.lesson.id;
  web.profile = app->opt.profile;
  log_checks(*app);
  // The page shows the app's error when main returns without getting here (a bad parameter).
  EM_ASM({ Module.mailscopeStarted = true; });
  // Frames follow the browser's display refresh (requestAnimationFrame).
  emscripten_set_main_loop(frame, 0, true);
}

}  // namespace ms

// The current view as URL parameters, for the tests.
extern "C" EMSCRIPTEN_KEEPALIVE const char* ms_web_view_query() {
  static std::string q;
  q = ms::web.app ? ms::view_query(*ms::web.app) : "";
  return q.c_str();
}

// The page's answer to web_copy_link: the link is on the clipboard (ok), or it is not, and
// the app shows it to copy by hand.
extern "C" EMSCRIPTEN_KEEPALIVE void ms_web_link_copied(int ok, const char* url) {
  if (!ms::web.app) return;
  ms::UiState& ui = ms::web.app->ui;
  if (ok) {
    ui.status = "Link copied";
    ui.status_until = ImGui::GetTime() + 3.0;
  } else {
    ui.link = url;
    ui.link_popup = true;
    ms::web_offer_copy(url);
    ms::web.copy_offered = true;
  }
}

// The page's answer to web_copy_text: when the browser refused the clipboard, say so (the
// app's own message said it was copied).
extern "C" EMSCRIPTEN_KEEPALIVE void ms_web_text_copied(int ok) {
  // (With the link popup open the page's own copy event copies its text: nothing to say.)
  if (!ms::web.app || ok || ms::web.copy_offered) return;
  ms::UiState& ui = ms::web.app->ui;
  ui.status = "The browser did not let Mailscope use the clipboard: nothing was copied";
  ui.status_until = ImGui::GetTime() + 6.0;
}

// The frame function's time over the last frames (up to 240), in ms: {"frames": frames drawn
// so far, "n", "mean", "median", "p95"}. The page's main thread does nothing else during the
// call, so its wall time is the app's CPU time per frame unless the system preempts the tab.
extern "C" EMSCRIPTEN_KEEPALIVE const char* ms_web_frame_ms() {
  static std::string out;
  const int n = static_cast<int>(std::min<long long>(ms::web.frames, ms::Web::kTimed));
  std::vector<double> t(ms::web.frame_ms, ms::web.frame_ms + n);
  std::sort(t.begin(), t.end());
  double sum = 0;
  for (double v : t) sum += v;
  nlohmann::json j = {{"frames", ms::web.frames}, {"n", n}};
  if (n > 0) {
    j["mean"] = sum / n;
    j["median"] = t[n / 2];
    j["p95"] = t[std::min(n - 1, n * 95 / 100)];
  }
  out = j.dump();
  return out.c_str();
}

// The page calls this when it is hidden or closed, so that nothing changed is lost.
extern "C" EMSCRIPTEN_KEEPALIVE void ms_web_save() {
  if (ms::web.app) ms::save_settings_if_changed(true);
}

// Where the widget `name` (gui/harness/widget_rects.hpp) was drawn in the last frame, in the
// page's CSS pixels from the canvas's top left: {"x":..,"y":..,"w":..,"h":..}, or "" when it was
// not drawn. The first call starts the recording, so a test polls until the answer is not empty.
extern "C" EMSCRIPTEN_KEEPALIVE const char* ms_web_widget_rect(const char* name) {
  static std::string out;
  out.clear();
  if (!ms::web.app) return "";
  if (!ms::widgets::recording()) ms::widgets::record(true);
  const auto r = ms::widgets::find(name);
  if (!r) return "";
  const double d = ms::web.app->gui.dpi;
  out = nlohmann::json{{"x", r->x0 / d}, {"y", r->y0 / d}, {"w", (r->x1 - r->x0) / d},
                       {"h", (r->y1 - r->y0) / d}}.dump();
  return out.c_str();
}
