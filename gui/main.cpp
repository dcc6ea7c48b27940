// mailscope: the Dear ImGui front end. Runs a lesson to its end once, then draws both worlds'
// traces at a time cursor; nothing here mutates the simulation, except in live mode, where
// the live world is changed only through LiveServer/LiveClient (gui/live_session.hpp).
// Window set-up follows Dear ImGui's example_glfw_opengl3. Without a display it never calls
// glfwInit and prints the same transcript as `mailscope-cli run`.
#include <glad/gl.h>
// glad must come before GLFW.
#include <GLFW/glfw3.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <ctime>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app_model.hpp"
#include "bench_run.hpp"
#include "course.hpp"
#include "live_session.hpp"
#include "settings.hpp"
#include "imgui.h"
#include "imgui_internal.h"  // --benchmark opens the demo window's headers
#include "backends/imgui_impl_glfw.h"
#include "backends/imgui_impl_opengl3.h"
#include "lesson/chooser.hpp"
#include "lesson/report.hpp"
#include "panels/panels.hpp"
#include "ui_state.hpp"

#ifndef MAILSCOPE_LESSONS_DIR
#define MAILSCOPE_LESSONS_DIR "lessons"
#endif

namespace {

struct Options {
  std::string lesson = "mail-storage";
  bool lesson_given = false;  // without --lesson the app opens on the start screen
  int start = -1;             // --start: 0 course and chooser, 1 course and table
  std::string answers;        // --answers: the chooser's form
  std::vector<int> quiz;      // --quiz-answers: choices per question, the Quiz tab shown
  std::optional<std::uint64_t> seed;
  std::string screenshot;
  int frames = 60;
  bool scaling = true;  // --benchmark: also measure 100..100,000 messages
  std::optional<double> time;
  int step = 0;    // 1-based lesson step to put the cursor at (0: none)
  int select = 0;  // scenario message to select (0: none)
  int bottom = -1;  // bottom panel tab: 0 transcript, 1 sequence diagram, -1 as remembered
  bool presenter = false, high_contrast = false, cb_safe = false;
  int width = 1600, height = 900;
  bool benchmark = false, json = false, frames_given = false;
  std::vector<std::string> intents;  // --intent: sandbox actions queued at start-up
  std::string menu;  // --sandbox-menu: a device whose right-click menu opens (for screenshots)
  bool settings = false;  // --settings: show the Settings tab
  int messages = 10000;
  // Live mode: listen at start-up; the screenshot waits for this many finished sessions.
  bool live = false, live_lesson_world = false;
  int imap_port = 1143, pop3_port = 1110, smtp_port = 1587;
  int shot_after_sessions = 0;
  std::string shot_unit;  // --shot-at-unit: then put the cursor on the last unit with this text
  std::string connect_out;  // --connect-out "PROTO ADDR:PORT USER PASSWORD"
};

// --connect-out "imap 127.0.0.1:1143 alice secret": fills the Live panel's connect-out form and
// presses Connect. PORT "live" is this GUI's own listener for that protocol (a demonstration:
// the simulated client engine against the simulated server, both over real TCP).
bool queue_connect_out(const std::string& spec, const ms::LiveInfo& live, ms::LiveUi& f) {
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
    for (const ms::LiveInfo::Listener& l : live.listeners)
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

const char* kUsage =
    "usage: mailscope [--lesson ID_OR_PATH] [--seed N] [--screenshot FILE.png --frames N]\n"
    "                 [--start chooser|table] [--answers \"DEVICES CONNECTION OFFLINE STORAGE\"]\n"
    "                 [--quiz-answers A,B,C]\n"
    "                 [--time SECONDS | --step K] [--select N] [--bottom transcript|sequence|table]\n"
    "                 [--presenter] [--high-contrast] [--colour-blind-safe]\n"
    "                 [--intent \"DEVICE ACTION [N] at SECONDS\"]... [--width W --height H]\n"
    "       mailscope --live [--imap-port N] [--pop3-port N] [--smtp-port N]\n"
    "                 [--live-lesson-world] [--connect-out \"PROTO ADDR:PORT USER PASS\"]\n"
    "                 [--screenshot FILE.png [--shot-after-sessions K [--shot-at-unit TEXT]]\n"
    "                 [--frames N]]\n"
    "       mailscope --benchmark [--frames N] [--messages M] [--json]\n"
    "  --lesson      lesson id (from the lessons directory) or path to a lesson file\n"
    "                (without it the app opens on the start screen: the course, the chooser\n"
    "                and the comparison table; File > Lessons (Ctrl+O) reopens it)\n"
    "  --start       open on the start screen with the chooser or the whole comparison table\n"
    "  --answers     fill the chooser's form, e.g. \"2 limited yes plenty\" (devices,\n"
    "                connection always|limited|rare, offline yes|no, storage plenty|limited)\n"
    "  --quiz-answers  answer the lesson's quiz (choices from 0, -1 unanswered), Quiz tab shown\n"
    "  --seed        seed for the run (default: the lesson's seed)\n"
    "  --screenshot  render --frames frames (default 60) and save the last one as PNG\n"
    "  --time        put the time cursor at this many simulated seconds\n"
    "  --step        put the time cursor at the start of the lesson's step K (1-based)\n"
    "  --select      select scenario message N: its copies light up with their sync badges\n"
    "  --bottom      bottom panel: transcript (default), sequence (the sequence diagram) or\n"
    "                table (the comparison table)\n"
    "  --intent      a sandbox action, e.g. \"phone read 1 at 30\": the lesson re-runs with it\n"
    "  --sandbox-menu DEVICE  open that device's sandbox menu (POP3 world; for screenshots)\n"
    "  --settings    show the sandbox Settings tab instead of the Inspector\n"
    "  --presenter, --high-contrast, --colour-blind-safe  start with that view option on\n"
    "  --width/--height  window size (default 1600x900)\n"
    "  --live        live mode: serve the simulated mail server to real mail clients on\n"
    "                127.0.0.1 (as `mailscope-cli serve`) and show their sessions; prints one\n"
    "                line per listener, \"listening imap 127.0.0.1:PORT\", before accepting\n"
    "  --imap-port, --pop3-port, --smtp-port N  the live listeners' ports (default 1143,\n"
    "                1110, 1587; 0 picks a free port)\n"
    "  --live-lesson-world  serve the lesson's IMAP world (its accounts, devices and script)\n"
    "                instead of a default world with the account alice, password secret\n"
    "  --shot-after-sessions K  with --live --screenshot: take the screenshot once K live\n"
    "                sessions have ended and the display has caught up with them; --frames\n"
    "                (default 3000) is then a limit, reaching it fails the run\n"
    "  --connect-out \"PROTO ADDR:PORT USER PASSWORD\"  at start-up, connect the simulated\n"
    "                client engine (imap or pop3) to a real server, as the Live panel's form\n"
    "                does; loopback only; PORT \"live\" is this GUI's own listener\n"
    "  --shot-at-unit TEXT  with --shot-after-sessions: then put the time cursor on the last\n"
    "                unit whose first line contains TEXT (e.g. STORE), crossing its link\n"
    "  --benchmark   build a synthetic run in code (both worlds, 4 devices each, a server\n"
    "                mailbox of --messages M messages (default 10000), >= 100,000 trace\n"
    "                records per world), render --frames N frames (default 300) of the app\n"
    "                with the cursor moving across the run and N frames of Dear ImGui's demo\n"
    "                window, and print CPU ms per frame (median, p95), the app/demo ratio,\n"
    "                the scaling over 100..100,000 messages and the time to the first frame;\n"
    "                --json prints the same as JSON; --no-scaling measures only M messages.\n"
    "                Run it under xvfb-run.\n"
    "View options, text size and speed are remembered in $XDG_CONFIG_HOME/mailscope (or\n"
    "~/.config/mailscope), except in screenshot runs, which neither read nor write them.\n"
    "Without a display (no DISPLAY or WAYLAND_DISPLAY) the lesson runs headless and its\n"
    "transcript and checks are printed, as `mailscope-cli run` does.\n";

// Returns false (after printing why) on bad arguments.
bool parse_args(int argc, char** argv, Options& o, bool& help) {
  auto num = [](const char* s, double& out) {
    char* end = nullptr;
    out = std::strtod(s, &end);
    return end && end != s && *end == '\0';
  };
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      help = true;
      return true;
    }
    if (a == "--benchmark" || a == "--json") {
      (a == "--benchmark" ? o.benchmark : o.json) = true;
      continue;
    }
    if (a == "--settings") {
      o.settings = true;
      continue;
    }
    if (a == "--live" || a == "--live-lesson-world") {
      (a == "--live" ? o.live : o.live_lesson_world) = true;
      continue;
    }
    if (a == "--no-scaling") {
      o.scaling = false;
      continue;
    }
    if (a == "--presenter" || a == "--high-contrast" || a == "--colour-blind-safe") {
      (a == "--presenter" ? o.presenter : a == "--high-contrast" ? o.high_contrast : o.cb_safe) =
          true;
      continue;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "mailscope: %s needs a value (or unknown option)\n%s", a.c_str(),
                   kUsage);
      return false;
    }
    const char* v = argv[++i];
    double d = 0;
    if (a == "--lesson") {
      o.lesson = v;
      o.lesson_given = true;
    } else if (a == "--start") {
      if (std::strcmp(v, "chooser") == 0 || std::strcmp(v, "course") == 0) o.start = 0;
      else if (std::strcmp(v, "table") == 0) o.start = 1;
      else {
        std::fprintf(stderr, "mailscope: --start: '%s' is not chooser or table\n", v);
        return false;
      }
    } else if (a == "--answers") {
      o.answers = v;
    } else if (a == "--quiz-answers") {
      for (const char* p = v; *p;) {
        char* end = nullptr;
        const long n = std::strtol(p, &end, 10);
        if (end == p || n < -1 || n > 99 || (*end != ',' && *end != '\0')) {
          std::fprintf(stderr, "mailscope: --quiz-answers: '%s' is not a list like 1,0,2\n", v);
          return false;
        }
        o.quiz.push_back(static_cast<int>(n));
        p = *end ? end + 1 : end;
      }
    } else if (a == "--bottom") {
      if (std::strcmp(v, "transcript") == 0) o.bottom = 0;
      else if (std::strcmp(v, "sequence") == 0) o.bottom = 1;
      else if (std::strcmp(v, "table") == 0) o.bottom = 2;
      else {
        std::fprintf(stderr, "mailscope: --bottom: '%s' is not transcript, sequence or table\n", v);
        return false;
      }
    } else if (a == "--intent") {
      o.intents.push_back(v);
    } else if (a == "--connect-out") {
      o.connect_out = v;
    } else if (a == "--shot-at-unit") {
      o.shot_unit = v;
    } else if (a == "--sandbox-menu") {
      o.menu = v;
    } else if (a == "--screenshot") {
      o.screenshot = v;
    } else if (a == "--imap-port" || a == "--pop3-port" || a == "--smtp-port" ||
               a == "--shot-after-sessions") {
      char* end = nullptr;
      const long n = std::strtol(v, &end, 10);
      const long most = a == "--shot-after-sessions" ? 1000 : 65535;
      if (!end || end == v || *end != '\0' || n < 0 || n > most) {
        std::fprintf(stderr, "mailscope: %s: '%s' is not a number from 0 to %ld\n", a.c_str(), v,
                     most);
        return false;
      }
      (a == "--imap-port"   ? o.imap_port
       : a == "--pop3-port" ? o.pop3_port
       : a == "--smtp-port" ? o.smtp_port
                            : o.shot_after_sessions) = static_cast<int>(n);
    } else if (a == "--seed" || a == "--frames" || a == "--time" || a == "--width" ||
               a == "--height" || a == "--step" || a == "--select" || a == "--messages") {
      if (!num(v, d) || d < 0 || (a != "--time" && d != static_cast<double>(static_cast<long long>(d)))) {
        std::fprintf(stderr, "mailscope: %s: '%s' is not a valid number\n", a.c_str(), v);
        return false;
      }
      if (a == "--seed") o.seed = static_cast<std::uint64_t>(d);
      else if (a == "--frames") {
        o.frames = std::max(1, static_cast<int>(std::min(d, 1e6)));
        o.frames_given = true;
      }
      else if (a == "--messages") o.messages = static_cast<int>(std::min(d, 1e6));
      else if (a == "--time") o.time = d;
      else if ((a == "--step" || a == "--select") && d < 1) {
        std::fprintf(stderr, "mailscope: %s counts from 1\n", a.c_str());
        return false;
      } else if (a == "--step") o.step = static_cast<int>(std::min(d, 1e6));
      else if (a == "--select") o.select = static_cast<int>(std::min(d, 1e6));
      else if (a == "--width") o.width = std::clamp(static_cast<int>(d), 320, 8192);
      else o.height = std::clamp(static_cast<int>(d), 240, 8192);
    } else {
      std::fprintf(stderr, "mailscope: unknown option %s\n%s", a.c_str(), kUsage);
      return false;
    }
  }
  return true;
}

std::string lessons_dir() {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(MAILSCOPE_LESSONS_DIR, ec)) return MAILSCOPE_LESSONS_DIR;
  return "lessons";
}

bool has_display() {
  const char* x = std::getenv("DISPLAY");
  const char* w = std::getenv("WAYLAND_DISPLAY");
  return (x && *x) || (w && *w);
}

void glfw_error(int code, const char* what) {
  std::fprintf(stderr, "mailscope: GLFW error %d: %s\n", code, what);
}

// Builds the font atlas for text of `px` pixels (the title font is proportionally larger).
// Rebuilding at the real size keeps large text sharp, unlike FontGlobalScale.
void load_fonts(ms::AppModel& m, float px) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  m.big = nullptr;
  const char* text = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  const char* icons = "/usr/share/fonts/truetype/font-awesome/fontawesome-webfont.ttf";
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(text, ec)) {
    io.Fonts->AddFontDefault();
    return;
  }
  static const ImWchar text_ranges[] = {0x0020, 0x00FF, 0x2010, 0x2027, 0x2190, 0x21FF,
                                        0x2212, 0x2212, 0x2500, 0x25FF, 0};
  static const ImWchar icon_ranges[] = {0xf000, 0xf2e0, 0};
  const bool have_icons = fs::exists(icons, ec);
  auto add = [&](float size) {
    ImFont* f = io.Fonts->AddFontFromFileTTF(text, size, nullptr, text_ranges);
    if (f && have_icons) {
      ImFontConfig cfg;
      cfg.MergeMode = true;
      cfg.GlyphMinAdvanceX = size;  // icons keep one width so labels line up
      cfg.GlyphOffset.y = 1.0f;
      io.Fonts->AddFontFromFileTTF(icons, size * 0.95f, &cfg, icon_ranges);
    }
    return f;
  };
  ImFont* regular = add(px);
  m.big = add(std::round(px * 28.0f / 17.0f));
  if (!regular) io.Fonts->AddFontDefault();
}

void apply_style(bool high_contrast, float scale) {
  ImGui::GetStyle() = ImGuiStyle();
  ImGui::StyleColorsDark();
  ImGuiStyle& st = ImGui::GetStyle();
  st.WindowRounding = 0.0f;
  st.FrameRounding = 4.0f;
  st.GrabRounding = 4.0f;
  st.WindowBorderSize = 1.0f;
  st.ItemSpacing = ImVec2(8, 6);
  st.Colors[ImGuiCol_WindowBg] = ImVec4(0.10f, 0.11f, 0.14f, 1.0f);
  st.Colors[ImGuiCol_TitleBg] = ImVec4(0.14f, 0.16f, 0.21f, 1.0f);
  st.Colors[ImGuiCol_TitleBgActive] = ImVec4(0.18f, 0.22f, 0.30f, 1.0f);
  if (high_contrast) {
    // Black and white with bright accents; borders on everything.
    st.FrameBorderSize = 1.0f;
    st.Colors[ImGuiCol_Text] = ImVec4(1, 1, 1, 1);
    st.Colors[ImGuiCol_TextDisabled] = ImVec4(0.88f, 0.88f, 0.88f, 1);
    st.Colors[ImGuiCol_WindowBg] = ImVec4(0, 0, 0, 1);
    st.Colors[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 1);
    st.Colors[ImGuiCol_PopupBg] = ImVec4(0, 0, 0, 1);
    st.Colors[ImGuiCol_MenuBarBg] = ImVec4(0, 0, 0, 1);
    st.Colors[ImGuiCol_Border] = ImVec4(1, 1, 1, 0.9f);
    st.Colors[ImGuiCol_FrameBg] = ImVec4(0.12f, 0.12f, 0.12f, 1);
    st.Colors[ImGuiCol_TitleBg] = ImVec4(0.15f, 0.15f, 0.15f, 1);
    st.Colors[ImGuiCol_TitleBgActive] = ImVec4(0.25f, 0.25f, 0.25f, 1);
    st.Colors[ImGuiCol_Button] = ImVec4(0.0f, 0.30f, 0.60f, 1);
    st.Colors[ImGuiCol_Header] = ImVec4(0.0f, 0.30f, 0.60f, 1);
    st.Colors[ImGuiCol_Tab] = ImVec4(0.15f, 0.15f, 0.15f, 1);
    st.Colors[ImGuiCol_TabActive] = ImVec4(0.0f, 0.35f, 0.70f, 1);
  }
  st.ScaleAllSizes(scale);
}

std::string shot_name(const ms::AppModel& m, ms::Tick t) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3fs", static_cast<double>(t) / ms::kSecond);
  return "mailscope-" + m.run.lesson.id + "-" + buf + ".png";
}

// Presenter mode goes full screen on the window's monitor; leaving it restores the window.
void set_fullscreen(GLFWwindow* w, bool on, int saved[4]) {
  if ((glfwGetWindowMonitor(w) != nullptr) == on) return;
  if (on) {
    glfwGetWindowPos(w, &saved[0], &saved[1]);
    glfwGetWindowSize(w, &saved[2], &saved[3]);
    GLFWmonitor* mon = glfwGetPrimaryMonitor();
    const GLFWvidmode* mode = mon ? glfwGetVideoMode(mon) : nullptr;
    if (mode) glfwSetWindowMonitor(w, mon, 0, 0, mode->width, mode->height, mode->refreshRate);
  } else {
    glfwSetWindowMonitor(w, nullptr, saved[0], saved[1], saved[2], saved[3], 0);
  }
}

bool write_png(const std::string& path, int w, int h) {
  std::vector<unsigned char> px(static_cast<std::size_t>(w) * h * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
  stbi_flip_vertically_on_write(1);
  return stbi_write_png(path.c_str(), w, h, 4, px.data(), w * 4) != 0;
}

double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// What lives between frames: the window and the settings the fonts and style were built for.
struct Gui {
  GLFWwindow* window = nullptr;
  float dpi = 1.0f;
  float font_px = 0.0f;
  bool styled_contrast = false;
  bool shot = false;
  int saved_window[4] = {0, 0, 0, 0};
};

// View options take effect between frames: the font atlas is rebuilt at the new size (not
// while a slider is being dragged), the palette and the layout follow the toggles.
void prepare_frame(Gui& g, ms::AppModel& model, const ms::UiState& ui) {
  ImGuiIO& io = ImGui::GetIO();
  const float want_px = std::round(17.0f * g.dpi * ui.text_scale());
  if (g.font_px == 0.0f || (want_px != g.font_px && !ImGui::IsAnyMouseDown()) ||
      g.styled_contrast != ui.high_contrast) {
    if (want_px != g.font_px) {
      load_fonts(model, want_px);
      if (g.font_px != 0.0f) {
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
      }
      g.font_px = want_px;
    }
    apply_style(ui.high_contrast, g.font_px * io.FontGlobalScale / 17.0f);
    g.styled_contrast = ui.high_contrast;
  }
  ms::set_look(ui.high_contrast, ui.cb_safe);
  ms::set_presenter_layout(ui.presenter);
  if (!g.shot) set_fullscreen(g.window, ui.presenter || ui.fullscreen, g.saved_window);
}

void backend_new_frame(const Gui& g) {
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  // Screenshots must not depend on where the X server left its pointer (tooltips, hovers).
  if (g.shot) ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
}

// The parts of a frame --benchmark times separately: NewFrame, each panel, Render.
constexpr int kParts = 8;
const char* kPartNames[kParts] = {"NewFrame", "menu",   "worlds",    "timeline",
                                  "bottom",   "lesson", "inspector", "Render"};

// The app's UI code for one frame, Dear ImGui's NewFrame to Render: what --benchmark times.
// With `parts`, adds each part's CPU ms to it.
void ui_frame(const ms::AppModel& model, ms::UiState& ui, double* parts = nullptr) {
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
  }
  ms::draw_menu(model, ui);
  lap();
  if (ui.start_screen && !parts) {
    ms::draw_start(model, ui);
    ms::draw_export(model, ui);
    ImGui::Render();
    return;
  }
  if (!parts) ms::draw_toolbar(model, ui);
  ms::draw_worlds(model, ui);
  ms::draw_sandbox_banner(model, ui);
  lap();
  ms::draw_timeline(model, ui);
  lap();
  if (!ui.presenter) {
    ms::draw_bottom(model, ui);
    lap();
    if (model.live.active) ms::draw_live(model, ui);
    else ms::draw_lesson(model, ui);
    lap();
    // The quiz tab takes the inspector's place (panels/lesson.cpp).
    if (ui.lesson_tab != 1 || model.live.active) ms::draw_inspector(model, ui);
    lap();
  }
  if (!parts) ms::draw_export(model, ui);
  ImGui::Render();
  if (parts) k = kParts - 1;
  lap();
}

void present(const Gui& g, int& fw, int& fh) {
  glfwGetFramebufferSize(g.window, &fw, &fh);
  glViewport(0, 0, fw, fh);
  glClearColor(0.08f, 0.09f, 0.11f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

// ---- --benchmark ----------------------------------------------------------------------------

struct Stats {
  double median = 0, p95 = 0;
};
Stats stats(std::vector<double> v) {
  if (v.empty()) return {};
  std::sort(v.begin(), v.end());
  const auto p95 = static_cast<std::size_t>(std::ceil(0.95 * static_cast<double>(v.size())));
  return {v[v.size() / 2], v[std::clamp<std::size_t>(p95, 1, v.size()) - 1]};
}

struct Series {
  std::string name;
  int messages = 0;
  std::size_t records = 0;  // both worlds
  std::vector<double> ui, refresh;
  int vertices = 0;  // draw data of the last frame
  double parts[kParts] = {};  // CPU ms per part, summed over the timed frames
};

constexpr int kWarmup = 3;  // frames rendered before a series is timed (atlas, first layout)

// Frames of the app with the cursor moving from the start to the end of the run, the first
// message selected (badges, inspector) and the given bottom tab.
void bench_app(Gui& g, ms::AppModel& m, int frames, int tab, Series& s,
               const std::function<void()>& after_first) {
  ms::UiState ui;
  ui.screenshot = true;
  ui.quiz_choice.assign(m.run.lesson.quiz.size(), -1);
  ui.bottom_tab_force = tab;
  if (!m.worlds.empty() && !m.worlds[0].trace->messages().empty()) {
    ui.selected_key = m.worlds[0].trace->messages()[0].key;
    ui.selected_world = 0;
    if (!m.worlds[0].devices.empty()) ui.selected_actor = m.worlds[0].devices[0].id;
  }
  for (const ms::WorldModel& w : m.worlds) s.records += w.trace->size();
  for (int f = -kWarmup; f < frames; ++f) {
    glfwPollEvents();
    const double frac = std::max(0, f + 1) / static_cast<double>(frames);
    ui.cursor = static_cast<ms::Tick>(static_cast<double>(m.duration) * frac);
    m.anim_window = ms::kSecond / 40;
    const double c0 = cpu_ms();
    ms::refresh_views(m, ui.cursor, ui.selected_key);
    const double c1 = cpu_ms();
    prepare_frame(g, m, ui);
    backend_new_frame(g);
    double parts[kParts] = {};
    const double c2 = cpu_ms();
    ui_frame(m, ui, parts);
    const double c3 = cpu_ms();
    if (f >= 0)
      for (int k = 0; k < kParts; ++k) s.parts[k] += parts[k];
    int fw = 0, fh = 0;
    present(g, fw, fh);
    if (after_first) {
      glFinish();
      after_first();
    }
    glfwSwapBuffers(g.window);
    if (f >= 0) {
      s.refresh.push_back(c1 - c0);
      s.ui.push_back(c3 - c2);
    }
  }
  s.vertices = ImGui::GetDrawData()->TotalVtxCount;
}

// Frames of Dear ImGui's own demo window, filling the same viewport, with every top-level
// collapsing header open. The demo's headers keep their open state in the demo window's state
// storage under the header label's ID (seeded with the window's ID, as Begin leaves the ID
// stack), so setting those entries opens them as a click would.
void bench_demo(Gui& g, int frames, Series& s) {
  static const char* kHeaders[] = {"Help", "Configuration", "Window options", "Widgets",
                                   "Layout & Scrolling", "Popups & Modal windows",
                                   "Tables & Columns", "Filtering",
                                   "Inputs, Navigation & Focus"};
  const char* name = "Dear ImGui Demo";
  for (int f = -kWarmup; f < frames; ++f) {
    glfwPollEvents();
    backend_new_frame(g);
    const double c2 = cpu_ms();
    ImGui::NewFrame();
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetWindowPos(name, vp->WorkPos, ImGuiCond_Always);
    ImGui::SetWindowSize(name, vp->WorkSize, ImGuiCond_Always);
    ImGui::ShowDemoWindow();
    ImGui::Render();
    const double c3 = cpu_ms();
    if (ImGuiWindow* w = ImGui::FindWindowByName(name))
      for (const char* h : kHeaders) w->StateStorage.SetInt(ImHashStr(h, 0, w->ID), 1);
    int fw = 0, fh = 0;
    present(g, fw, fh);
    glfwSwapBuffers(g.window);
    if (f >= 0) s.ui.push_back(c3 - c2);
  }
  s.vertices = ImGui::GetDrawData()->TotalVtxCount;
}

struct ColdStart {
  double run_ms = 0, model_ms = 0, window_ms = 0, first_frame_ms = 0;
};

int run_benchmark(Gui& g, ms::AppModel& model, const Options& opt, const ColdStart& cs,
                  std::chrono::steady_clock::time_point t0) {
  ColdStart cold = cs;
  Series app{"app UI, transcript tab", opt.messages};
  bench_app(g, model, opt.frames, 0, app, [&] {
    if (cold.first_frame_ms == 0) cold.first_frame_ms = ms_since(t0);
  });
  Series seq{"app UI, sequence diagram tab", opt.messages};
  bench_app(g, model, opt.frames, 1, seq, nullptr);
  Series demo{"ImGui::ShowDemoWindow, all headers open", 0};
  bench_demo(g, opt.frames, demo);

  // Scaling: the same kind of run at other mailbox sizes.
  std::vector<Series> scale;
  std::vector<double> build_ms;
  for (int n : {100, 1000, 10000, 100000}) {
    // --no-scaling (the CI smoke run) measures only the requested mailbox size.
    if (!opt.scaling && n != opt.messages) continue;
    if (n == opt.messages) {
      scale.push_back(app);
      build_ms.push_back(cold.run_ms + cold.model_ms);
      continue;
    }
    const auto b0 = std::chrono::steady_clock::now();
    auto m = std::make_unique<ms::AppModel>();
    m->run = ms::make_benchmark_run(n);
    ms::build_model(*m);
    build_ms.push_back(ms_since(b0));
    m->big = model.big;
    Series s{"app UI, transcript tab", n};
    bench_app(g, *m, opt.frames, 0, s, nullptr);
    scale.push_back(std::move(s));
  }
  // A real lesson's load and run, to set against the cold start (in a warm process).
  const auto l0 = std::chrono::steady_clock::now();
  double lesson_ms = -1;
  try {
    ms::AppModel lm;
    lm.run = ms::run_lesson(ms::load_lesson(ms::find_lesson("mail-storage", lessons_dir())));
    ms::build_model(lm);
    lesson_ms = ms_since(l0);
  } catch (const std::exception&) {
  }

  const Stats a = stats(app.ui), sq = stats(seq.ui), d = stats(demo.ui);
  const Stats ar = stats(app.refresh), sr = stats(seq.refresh);
  const double ratio = d.median > 0 ? a.median / d.median : 0;
  const double ratio_seq = d.median > 0 ? sq.median / d.median : 0;
  if (scale.empty()) scale.push_back(app), build_ms.push_back(cold.run_ms + cold.model_ms);
  const double s_lo = stats(scale.front().ui).median, s_hi = stats(scale.back().ui).median;
  const double scale_ratio = s_lo > 0 ? s_hi / s_lo : 0;
  int fw = 0, fh = 0;
  glfwGetFramebufferSize(g.window, &fw, &fh);
  if (opt.json) {
    std::printf("{\n  \"frames\": %d, \"warmup\": %d, \"window\": [%d, %d], \"imgui\": \"%s\",\n",
                opt.frames, kWarmup, fw, fh, IMGUI_VERSION);
    std::printf("  \"messages\": %d, \"records\": %zu,\n", opt.messages, app.records);
    auto row = [&](const char* key, const Series& s, bool refresh) {
      const Stats u = stats(s.ui), r = stats(s.refresh);
      std::printf("  \"%s\": {\"median_ms\": %.4f, \"p95_ms\": %.4f", key, u.median, u.p95);
      if (refresh) {
        std::printf(", \"refresh_median_ms\": %.4f, \"refresh_p95_ms\": %.4f", r.median, r.p95);
        std::printf(", \"parts_mean_ms\": {");
        for (int k = 0; k < kParts; ++k)
          std::printf("%s\"%s\": %.4f", k ? ", " : "", kPartNames[k], s.parts[k] / opt.frames);
        std::printf("}");
      }
      std::printf(", \"vertices\": %d},\n", s.vertices);
    };
    row("app", app, true);
    row("app_sequence", seq, true);
    row("demo", demo, false);
    std::printf("  \"ratio_app_demo\": %.3f, \"ratio_app_sequence_demo\": %.3f,\n", ratio,
                ratio_seq);
    std::printf("  \"scaling\": [\n");
    for (std::size_t i = 0; i < scale.size(); ++i) {
      const Stats u = stats(scale[i].ui), r = stats(scale[i].refresh);
      std::printf("    {\"messages\": %d, \"records\": %zu, \"build_ms\": %.1f, "
                  "\"median_ms\": %.4f, \"p95_ms\": %.4f, \"refresh_median_ms\": %.4f, "
                  "\"refresh_p95_ms\": %.4f}%s\n",
                  scale[i].messages, scale[i].records, build_ms[i], u.median, u.p95, r.median,
                  r.p95, i + 1 < scale.size() ? "," : "");
    }
    std::printf("  ],\n  \"ratio_100k_100\": %.3f,\n", scale_ratio);
    std::printf("  \"cold_start_ms\": {\"first_frame\": %.1f, \"synthetic_run\": %.1f, "
                "\"build_model\": %.1f, \"window_and_gl\": %.1f},\n",
                cold.first_frame_ms, cold.run_ms, cold.model_ms, cold.window_ms);
    std::printf("  \"lesson_mail_storage_run_ms\": %.1f\n}\n", lesson_ms);
    return 0;
  }
  std::printf("mailscope --benchmark: %d frames per series (after %d warm-up frames), window "
              "%dx%d, Dear ImGui %s\n",
              opt.frames, kWarmup, fw, fh, IMGUI_VERSION);
  std::printf("CPU ms per frame of UI code (ImGui::NewFrame .. ImGui::Render, swap excluded);\n"
              "refresh = refresh_views() before NewFrame (replay to the cursor).\n\n");
  std::printf("Synthetic run: %d messages, 2 worlds x 4 devices, %zu trace records\n\n",
              opt.messages, app.records);
  std::printf("%-42s %8s %8s %12s %12s %9s\n", "series", "median", "p95", "refresh med",
              "refresh p95", "vertices");
  std::printf("%-42s %8.3f %8.3f %12.3f %12.3f %9d\n", app.name.c_str(), a.median, a.p95,
              ar.median, ar.p95, app.vertices);
  std::printf("%-42s %8.3f %8.3f %12.3f %12.3f %9d\n", seq.name.c_str(), sq.median, sq.p95,
              sr.median, sr.p95, seq.vertices);
  std::printf("%-42s %8.3f %8.3f %12s %12s %9d\n", demo.name.c_str(), d.median, d.p95, "-", "-",
              demo.vertices);
  std::printf("ratio app/demo (median): %.2f (transcript), %.2f (sequence diagram); "
              "target <= 1.5\n\n",
              ratio, ratio_seq);
  std::printf("App UI by part, mean CPU ms per frame (transcript / sequence diagram tab):\n");
  for (int k = 0; k < kParts; ++k)
    std::printf("  %-10s %8.3f %8.3f\n", kPartNames[k], app.parts[k] / opt.frames,
                seq.parts[k] / opt.frames);
  std::printf("\n");
  std::printf("Scaling (app UI, transcript tab)\n%10s %10s %10s %8s %8s %12s %12s\n", "messages",
              "records", "build ms", "median", "p95", "refresh med", "refresh p95");
  for (std::size_t i = 0; i < scale.size(); ++i) {
    const Stats u = stats(scale[i].ui), r = stats(scale[i].refresh);
    std::printf("%10d %10zu %10.0f %8.3f %8.3f %12.3f %12.3f\n", scale[i].messages,
                scale[i].records, build_ms[i], u.median, u.p95, r.median, r.p95);
  }
  std::printf("ratio 100,000 / 100 messages (median): %.2f; target <= 1.2\n\n", scale_ratio);
  std::printf("Cold start to the first frame: %.0f ms (synthetic run %.0f ms, build_model %.0f "
              "ms, window+GL+ImGui %.0f ms)\n",
              cold.first_frame_ms, cold.run_ms, cold.model_ms, cold.window_ms);
  std::printf("Lesson mail-storage load + run + build_model (warm process): %.1f ms\n",
              lesson_ms);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const auto t0 = std::chrono::steady_clock::now();
  Options opt;
  bool help = false;
  if (!parse_args(argc, argv, opt, help)) return 2;
  if (help) {
    std::fputs(kUsage, stdout);
    return 0;
  }

  if (opt.live && !has_display()) {
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
  // Waiting for live sessions takes real time: the frame limit is then a generous one.
  if (opt.live && opt.shot_after_sessions > 0 && !opt.frames_given) opt.frames = 3000;

  std::vector<ms::Intent> intents;
  for (const std::string& text : opt.intents) {
    std::string why;
    auto in = ms::parse_intent(text, &why);
    if (!in) {
      std::fprintf(stderr, "mailscope: --intent: %s\n", why.c_str());
      return 2;
    }
    intents.push_back(*in);
  }

  ms::AppModel model;
  ColdStart cold;
  if (opt.benchmark) {
    if (!has_display()) {
      std::fprintf(stderr, "mailscope: --benchmark needs a display (run it under xvfb-run)\n");
      return 2;
    }
    if (!opt.frames_given) opt.frames = 300;
    model.run = ms::make_benchmark_run(opt.messages);
    cold.run_ms = ms_since(t0);
  } else {
    try {
      const std::string path = ms::find_lesson(opt.lesson, lessons_dir());
      ms::Lesson lesson = ms::load_lesson(path);
      if (!has_display()) {
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
  }
  const auto m0 = std::chrono::steady_clock::now();
  ms::build_model(model);
  model.lessons_dir = lessons_dir();
  if (!opt.benchmark) model.course = ms::load_course(model.lessons_dir);
  ms::ChooserAnswers answers;
  if (!opt.answers.empty()) {
    std::string why;
    if (!ms::parse_answers(opt.answers, answers, &why)) {
      std::fprintf(stderr, "mailscope: --answers: %s\n", why.c_str());
      return 2;
    }
  }
  cold.model_ms = ms_since(m0);
  if (opt.step > 0) {
    const auto& steps = model.run.lesson.steps;
    if (static_cast<std::size_t>(opt.step) > steps.size()) {
      std::fprintf(stderr, "mailscope: --step %d: lesson %s has %zu steps\n", opt.step,
                   model.run.lesson.id.c_str(), steps.size());
      return 2;
    }
    opt.time = static_cast<double>(steps[opt.step - 1].at) / ms::kSecond;
  }
  std::string select_key;
  if (opt.select > 0) {
    select_key = ms::scenario_key(model, opt.select);
    if (select_key.empty()) {
      std::fprintf(stderr, "mailscope: --select %d: no such scenario message in the run\n",
                   opt.select);
      return 2;
    }
  }

  const auto w0 = std::chrono::steady_clock::now();
  glfwSetErrorCallback(glfw_error);
  if (!glfwInit()) return 1;
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GL_TRUE);
  // Benchmarks are deterministic like screenshots: fixed window, no pointer, no settings.
  const bool shot = !opt.screenshot.empty() || opt.benchmark;
  if (shot) glfwWindowHint(GLFW_RESIZABLE, GLFW_FALSE);
  std::string title = "Mailscope — " + model.run.lesson.title;
  GLFWwindow* window = glfwCreateWindow(opt.width, opt.height, title.c_str(), nullptr, nullptr);
  if (!window) {
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(shot ? 0 : 1);
  if (!gladLoadGL(glfwGetProcAddress)) {
    std::fprintf(stderr, "mailscope: could not load OpenGL\n");
    return 1;
  }

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  ms::UiState ui;
  // Settings and imgui.ini live in the config directory; screenshot runs use neither.
  const std::string cfg = shot ? "" : ms::config_dir();
  const std::string ini = cfg.empty() ? "" : cfg + "/imgui.ini";
  const std::string settings = cfg.empty() ? "" : cfg + "/settings.ini";
  const std::string progress_file = cfg.empty() ? "" : cfg + "/progress.json";
  io.IniFilename = ini.empty() ? nullptr : ini.c_str();
  if (!settings.empty()) ms::load_settings(settings, ui);
  if (opt.presenter) ui.presenter = true;
  if (opt.high_contrast) ui.high_contrast = true;
  if (opt.cb_safe) ui.cb_safe = true;
  Gui g;
  g.window = window;
  g.shot = shot;
  g.saved_window[2] = opt.width;
  g.saved_window[3] = opt.height;
  // Hi-DPI: text is sized in screen points times the monitor's content scale. Where window
  // coordinates are already in points (the framebuffer is larger than the window, as on
  // macOS) the fonts are rasterised at full resolution and drawn at 1/scale instead.
  float dpi = 1.0f, dpi_y = 1.0f;
  glfwGetWindowContentScale(window, &dpi, &dpi_y);
  g.dpi = std::clamp(std::max(dpi, dpi_y), 1.0f, 4.0f);
  int win_w = 1, fb_w = 1, unused_h = 0;
  glfwGetWindowSize(window, &win_w, &unused_h);
  glfwGetFramebufferSize(window, &fb_w, &unused_h);
  const bool points = fb_w > win_w + 1;
  io.FontGlobalScale = points ? 1.0f / g.dpi : 1.0f;
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");
  cold.window_ms = ms_since(w0);

  int rc = 0;
  if (opt.benchmark) {
    rc = run_benchmark(g, model, opt, cold, t0);
  } else {
    ui.screenshot = shot;
    ui.quiz_choice.assign(model.run.lesson.quiz.size(), -1);
    // The course: the start screen unless a lesson was asked for, progress from the config
    // directory, exports to ~/Documents/Mailscope or here.
    {
      const char* home = std::getenv("HOME");
      std::error_code ec;
      ui.export_dir = ms::default_export_dir(home ? home : "",
                                             std::filesystem::current_path(ec).string());
    }
    if (!progress_file.empty()) ui.progress = ms::load_progress(progress_file);
    ui.start_screen = (!opt.lesson_given && !opt.live && opt.connect_out.empty()) || opt.start >= 0;
    ui.start_tab_force = opt.start;
    ui.lesson_opened = opt.lesson_given;
    if (opt.lesson_given) {
      ms::Progress::Entry& e = ui.progress.lessons[model.run.lesson.id];
      e.seen = true;
      e.answers.resize(model.run.lesson.quiz.size(), -1);
      ui.quiz_choice = e.answers;
      ui.progress_dirty = true;
    }
    if (!opt.quiz.empty()) {
      ui.quiz_choice = opt.quiz;
      ui.quiz_choice.resize(model.run.lesson.quiz.size(), -1);
      ui.lesson_tab_force = 1;
    }
    ui.chooser_devices = std::min(answers.devices, 3);
    ui.chooser_connection = static_cast<int>(answers.connection);
    ui.chooser_offline = answers.offline_reading;
    ui.chooser_storage_limited = answers.server_storage_limited;
    ui.selected_key = select_key;
    if (!model.worlds.empty() && !model.worlds[0].devices.empty()) {
      ui.selected_world = 0;
      ui.selected_actor = model.worlds[0].devices[0].id;
    }
    if (opt.bottom >= 0) ui.bottom_tab_force = opt.bottom;
    ui.sandbox_menu = opt.menu;
    if (opt.settings) ui.side_tab_force = 1;
    ui.sandbox.base = model.run.lesson;
    ui.sandbox.seed = opt.seed;
    ui.sandbox.pending = intents;
    ms::apply_sandbox(model, ui);  // now, so that --time may reach into the extended run
    const ms::Tick target =
        opt.time ? std::clamp<ms::Tick>(static_cast<ms::Tick>(*opt.time * ms::kSecond), 0,
                                        model.duration)
                 : model.duration;
    if (opt.time && !shot) ui.cursor = target;

    // Live mode: the only part of the GUI that changes a simulation (gui/live_session.hpp).
    ms::LiveSession live;
    ui.live.imap_port = opt.imap_port;
    ui.live.pop3_port = opt.pop3_port;
    ui.live.smtp_port = opt.smtp_port;
    ui.live.lesson_world = opt.live_lesson_world;
    if (opt.live) {
      if (!live.start(model, ui, model.run.lesson)) {
        std::fprintf(stderr, "mailscope: %s\n", model.live.error.c_str());
        rc = 2;
        glfwSetWindowShouldClose(window, GLFW_TRUE);
      }
      // Like `mailscope-cli serve`: a script reads these lines to know where to connect.
      for (const ms::LiveInfo::Listener& l : model.live.listeners)
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
      rc = 2;
      glfwSetWindowShouldClose(window, GLFW_TRUE);
    }
    const bool live_shot = shot && (opt.live || !opt.connect_out.empty());
    int settled = 0;  // frames since the display caught up with the awaited sessions
    bool placed = false;  // --shot-at-unit: the cursor is on that unit

    int frame = 0;
    while (!glfwWindowShouldClose(window)) {
      glfwPollEvents();
      const bool was_live = model.live.active;
      live.handle(model, ui, model.run.lesson);
      live.poll(model);
      if (model.live.active != was_live) {
        // Another set of worlds: a selection made in the old one names actors it may not have.
        ui.selected_key.clear();
        ui.selected_actor = 0;
        ui.selected_world = -1;
      }
      if (model.live.active) {
        if (live_shot) {
          // Real clients need real time (and the CPU): about 60 frames per second.
          std::this_thread::sleep_for(std::chrono::milliseconds(15));
        }
        if (ui.live.follow) ms::follow_live(model, ui, io.DeltaTime);
        else ms::advance_playback(model, ui, io.DeltaTime);
      } else if (shot) {
        // Deterministic: the cursor moves a fixed amount per frame and lands on the target.
        // The last two frames share the target so that scroll positions (applied one frame
        // late by Dear ImGui) have settled in the saved image.
        const double f = std::min(1.0, (frame + 1.0) / std::max(1, opt.frames - 1));
        ui.cursor = static_cast<ms::Tick>(static_cast<double>(target) * f);
      } else {
        ms::advance_playback(model, ui, io.DeltaTime);
      }
      // A chip stays "new" (or fades out) for about half a real second of in-flight playback.
      model.anim_window = static_cast<ms::Tick>(ms::kSecond / 40 * std::max(1.0f, ui.speed));
      if (ms::apply_open_lesson(model, ui)) {
        const std::string t = "Mailscope — " + model.run.lesson.title;
        glfwSetWindowTitle(window, t.c_str());
      }
      ms::apply_sandbox(model, ui);
      if (ui.progress_dirty && !progress_file.empty()) {
        ms::save_progress(progress_file, ui.progress);
        ui.progress_dirty = false;
      }
      ms::refresh_views(model, ui.cursor, ui.selected_key);
      prepare_frame(g, model, ui);
      backend_new_frame(g);
      ui_frame(model, ui);
      int fw = 0, fh = 0;
      present(g, fw, fh);
      if (ui.save_shot_in > 0 && --ui.save_shot_in == 0) {
        // Saved a frame after the menu item was chosen, so that the menu is closed.
        // Into the export folder (File > Export can change it), named in full.
        std::string why;
        const std::string name =
            !ui.shot_path.empty()
                ? ui.shot_path
                : ms::write_export(ui.export_dir + "/" + shot_name(model, ui.cursor), "", &why);
        ui.shot_path.clear();
        const bool ok = !name.empty() && write_png(name, fw, fh);
        ui.status = ok ? "Saved " + name : "Could not write " + (name.empty() ? why : name);
        ui.status_until = ImGui::GetTime() + 8.0;
      }
      if (ui.quit) glfwSetWindowShouldClose(window, GLFW_TRUE);
      bool take = shot && frame + 1 >= opt.frames;
      if (live_shot && opt.shot_after_sessions > 0) {
        const bool done = live.finished() >= static_cast<std::size_t>(opt.shot_after_sessions) &&
                          (placed || ui.cursor >= model.duration);
        if (done && !placed && !opt.shot_unit.empty()) {
          // The moment to show: that unit halfway across its link.
          placed = true;
          const ms::Trace& tr = *model.worlds[0].trace;
          std::size_t i = tr.size();
          while (i-- > 0) {
            const ms::Record& r = tr.records()[i];
            if (r.kind == ms::RecKind::Wire &&
                r.text.substr(0, r.text.find('\n')).find(opt.shot_unit) != std::string::npos)
              break;
          }
          if (i < tr.size()) {
            const ms::Record& r = tr.records()[i];
            ui.live.follow = false;
            ui.cursor = r.t + (r.t_end - r.t) / 2;
          } else {
            std::fprintf(stderr, "mailscope: --shot-at-unit: no unit contains '%s'\n",
                         opt.shot_unit.c_str());
            rc = 1;
          }
        }
        settled = done ? settled + 1 : 0;
        // A few frames after catching up, so that scroll positions and fading marks settle.
        if (settled >= 20) take = true;
        else if (take) {
          std::fprintf(stderr, "mailscope: --shot-after-sessions %d: %zu live session(s) ended "
                               "within %d frames\n",
                       opt.shot_after_sessions, live.finished(), opt.frames);
          rc = 1;
        }
      }
      if (take) {
        if (!write_png(opt.screenshot, fw, fh)) {
          std::fprintf(stderr, "mailscope: cannot write %s\n", opt.screenshot.c_str());
          rc = 1;
        } else {
          std::printf("mailscope: wrote %s (%dx%d) at %s\n", opt.screenshot.c_str(), fw, fh,
                      ms::format_time(ui.cursor).c_str());
        }
        break;
      }
      glfwSwapBuffers(window);
      ++frame;
    }
  }

  if (!settings.empty() && !ms::save_settings(settings, ui))
    std::fprintf(stderr, "mailscope: cannot write %s\n", settings.c_str());
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return rc;
}
