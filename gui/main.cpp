// mailscope: the Dear ImGui front end. Runs a lesson to its end once, then draws both worlds'
// traces at a time cursor; nothing here mutates the simulation. Window set-up follows Dear
// ImGui's example_glfw_opengl3. Without a display it never calls glfwInit and prints the same
// transcript as `mailscope-cli run`.
#include <glad/gl.h>
// glad must come before GLFW.
#include <GLFW/glfw3.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app_model.hpp"
#include "settings.hpp"
#include "imgui.h"
#include "backends/imgui_impl_glfw.h"
#include "backends/imgui_impl_opengl3.h"
#include "lesson/report.hpp"
#include "panels/panels.hpp"
#include "ui_state.hpp"

#ifndef MAILSCOPE_LESSONS_DIR
#define MAILSCOPE_LESSONS_DIR "lessons"
#endif

namespace {

struct Options {
  std::string lesson = "mail-storage";
  std::optional<std::uint64_t> seed;
  std::string screenshot;
  int frames = 60;
  std::optional<double> time;
  int step = 0;    // 1-based lesson step to put the cursor at (0: none)
  int select = 0;  // scenario message to select (0: none)
  int bottom = -1;  // bottom panel tab: 0 transcript, 1 sequence diagram, -1 as remembered
  bool presenter = false, high_contrast = false, cb_safe = false;
  int width = 1600, height = 900;
  std::vector<std::string> intents;  // --intent: sandbox actions queued at start-up
  std::string menu;  // --sandbox-menu: a device whose right-click menu opens (for screenshots)
  bool settings = false;  // --settings: show the Settings tab
};

const char* kUsage =
    "usage: mailscope [--lesson ID_OR_PATH] [--seed N] [--screenshot FILE.png --frames N]\n"
    "                 [--time SECONDS | --step K] [--select N] [--bottom transcript|sequence|table]\n"
    "                 [--presenter] [--high-contrast] [--colour-blind-safe]\n"
    "                 [--intent \"DEVICE ACTION [N] at SECONDS\"]... [--width W --height H]\n"
    "  --lesson      lesson id (from the lessons directory) or path to a lesson file\n"
    "                (default: mail-storage)\n"
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
    if (a == "--settings") {
      o.settings = true;
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
    } else if (a == "--sandbox-menu") {
      o.menu = v;
    } else if (a == "--screenshot") {
      o.screenshot = v;
    } else if (a == "--seed" || a == "--frames" || a == "--time" || a == "--width" ||
               a == "--height" || a == "--step" || a == "--select") {
      if (!num(v, d) || d < 0 || (a != "--time" && d != static_cast<double>(static_cast<long long>(d)))) {
        std::fprintf(stderr, "mailscope: %s: '%s' is not a valid number\n", a.c_str(), v);
        return false;
      }
      if (a == "--seed") o.seed = static_cast<std::uint64_t>(d);
      else if (a == "--frames") o.frames = std::max(1, static_cast<int>(d));
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

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  bool help = false;
  if (!parse_args(argc, argv, opt, help)) return 2;
  if (help) {
    std::fputs(kUsage, stdout);
    return 0;
  }

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
  ms::build_model(model);
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

  glfwSetErrorCallback(glfw_error);
  if (!glfwInit()) return 1;
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GL_TRUE);
  const bool shot = !opt.screenshot.empty();
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
  io.IniFilename = ini.empty() ? nullptr : ini.c_str();
  if (!settings.empty()) ms::load_settings(settings, ui);
  if (opt.presenter) ui.presenter = true;
  if (opt.high_contrast) ui.high_contrast = true;
  if (opt.cb_safe) ui.cb_safe = true;
  // Hi-DPI: text is sized in screen points times the monitor's content scale. Where window
  // coordinates are already in points (the framebuffer is larger than the window, as on
  // macOS) the fonts are rasterised at full resolution and drawn at 1/scale instead.
  float dpi = 1.0f, dpi_y = 1.0f;
  glfwGetWindowContentScale(window, &dpi, &dpi_y);
  dpi = std::clamp(std::max(dpi, dpi_y), 1.0f, 4.0f);
  int win_w = 1, fb_w = 1, unused_h = 0;
  glfwGetWindowSize(window, &win_w, &unused_h);
  glfwGetFramebufferSize(window, &fb_w, &unused_h);
  const bool points = fb_w > win_w + 1;
  io.FontGlobalScale = points ? 1.0f / dpi : 1.0f;
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");
  float font_px = 0.0f;
  bool styled_contrast = false;
  int saved_window[4] = {0, 0, opt.width, opt.height};

  ui.screenshot = shot;
  ui.quiz_choice.assign(model.run.lesson.quiz.size(), -1);
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

  int frame = 0;
  int rc = 0;
  while (!glfwWindowShouldClose(window)) {
    glfwPollEvents();
    if (shot) {
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
    ms::apply_sandbox(model, ui);
    ms::refresh_views(model, ui.cursor, ui.selected_key);

    // View options take effect between frames: the font atlas is rebuilt at the new size
    // (not while a slider is being dragged), the palette and the layout follow the toggles.
    const float want_px = std::round(17.0f * dpi * ui.text_scale());
    if (font_px == 0.0f || (want_px != font_px && !ImGui::IsAnyMouseDown()) ||
        styled_contrast != ui.high_contrast) {
      if (want_px != font_px) {
        load_fonts(model, want_px);
        if (font_px != 0.0f) {
          ImGui_ImplOpenGL3_DestroyFontsTexture();
          ImGui_ImplOpenGL3_CreateFontsTexture();
        }
        font_px = want_px;
      }
      apply_style(ui.high_contrast, font_px * io.FontGlobalScale / 17.0f);
      styled_contrast = ui.high_contrast;
    }
    ms::set_look(ui.high_contrast, ui.cb_safe);
    ms::set_presenter_layout(ui.presenter);
    if (!shot) set_fullscreen(window, ui.presenter || ui.fullscreen, saved_window);

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    // Screenshots must not depend on where the X server left its pointer (tooltips, hovers).
    if (shot) io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    ImGui::NewFrame();
    if (!io.WantTextInput) {
      if (ImGui::IsKeyPressed(GLFW_KEY_F11, false)) ui.presenter = !ui.presenter;
      if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_S, false)) ui.save_shot_in = 1;
      if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Q, false)) ui.quit = true;
    }
    ms::draw_menu(model, ui);
    ms::draw_worlds(model, ui);
    ms::draw_sandbox_banner(model, ui);
    ms::draw_timeline(model, ui);
    if (!ui.presenter) {
      ms::draw_bottom(model, ui);
      ms::draw_lesson(model, ui);
      ms::draw_inspector(model, ui);
    }
    ImGui::Render();

    int fw = 0, fh = 0;
    glfwGetFramebufferSize(window, &fw, &fh);
    glViewport(0, 0, fw, fh);
    glClearColor(0.08f, 0.09f, 0.11f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    if (ui.save_shot_in > 0 && --ui.save_shot_in == 0) {
      // Saved a frame after the menu item was chosen, so that the menu is closed.
      const std::string name = shot_name(model, ui.cursor);
      const bool ok = write_png(name, fw, fh);
      ui.status = ok ? "Saved " + name : "Could not write " + name;
      ui.status_until = ImGui::GetTime() + 4.0;
    }
    if (ui.quit) glfwSetWindowShouldClose(window, GLFW_TRUE);
    if (shot && frame + 1 >= opt.frames) {
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

  if (!settings.empty() && !ms::save_settings(settings, ui))
    std::fprintf(stderr, "mailscope: cannot write %s\n", settings.c_str());
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return rc;
}
