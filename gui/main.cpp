// mailscope: the Dear ImGui front end. Runs a lesson to its end once, then draws both worlds'
// traces at a time cursor; nothing here mutates the simulation. Window set-up follows Dear
// ImGui's example_glfw_opengl3. Without a display it never calls glfwInit and prints the same
// transcript as `mailscope-cli run`.
#include <glad/gl.h>
// glad must come before GLFW.
#include <GLFW/glfw3.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app_model.hpp"
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
  int width = 1600, height = 900;
};

const char* kUsage =
    "usage: mailscope [--lesson ID_OR_PATH] [--seed N] [--screenshot FILE.png --frames N]\n"
    "                 [--time SECONDS] [--width W --height H] [--help]\n"
    "  --lesson      lesson id (from the lessons directory) or path to a lesson file\n"
    "                (default: mail-storage)\n"
    "  --seed        seed for the run (default: the lesson's seed)\n"
    "  --screenshot  render --frames frames (default 60) and save the last one as PNG\n"
    "  --time        put the time cursor at this many simulated seconds\n"
    "  --width/--height  window size (default 1600x900)\n"
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
    if (i + 1 >= argc) {
      std::fprintf(stderr, "mailscope: %s needs a value (or unknown option)\n%s", a.c_str(),
                   kUsage);
      return false;
    }
    const char* v = argv[++i];
    double d = 0;
    if (a == "--lesson") {
      o.lesson = v;
    } else if (a == "--screenshot") {
      o.screenshot = v;
    } else if (a == "--seed" || a == "--frames" || a == "--time" || a == "--width" ||
               a == "--height") {
      if (!num(v, d) || d < 0 || (a != "--time" && d != static_cast<double>(static_cast<long long>(d)))) {
        std::fprintf(stderr, "mailscope: %s: '%s' is not a valid number\n", a.c_str(), v);
        return false;
      }
      if (a == "--seed") o.seed = static_cast<std::uint64_t>(d);
      else if (a == "--frames") o.frames = std::max(1, static_cast<int>(d));
      else if (a == "--time") o.time = d;
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

void load_fonts(ms::AppModel& m) {
  ImGuiIO& io = ImGui::GetIO();
  const char* text = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  const char* icons = "/usr/share/fonts/truetype/font-awesome/fontawesome-webfont.ttf";
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(text, ec)) {
    io.Fonts->AddFontDefault();
    return;
  }
  static const ImWchar text_ranges[] = {0x0020, 0x00FF, 0x2010, 0x2027, 0x2190, 0x21FF,
                                        0x2500, 0x25FF, 0};
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
  ImFont* regular = add(17.0f);
  m.big = add(28.0f);
  if (!regular) io.Fonts->AddFontDefault();
}

void apply_style() {
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

  ms::AppModel model;
  try {
    const std::string path = ms::find_lesson(opt.lesson, lessons_dir());
    ms::Lesson lesson = ms::load_lesson(path);
    if (!has_display()) {
      std::printf("mailscope: no display found; running lesson %s headless\n",
                  opt.lesson.c_str());
      ms::LessonRun run = ms::run_lesson(lesson, opt.seed);
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
  io.IniFilename = nullptr;  // fixed layout: nothing worth remembering between runs
  apply_style();
  load_fonts(model);
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");

  ms::UiState ui;
  ui.screenshot = shot;
  ui.quiz_choice.assign(model.run.lesson.quiz.size(), -1);
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
    ms::refresh_views(model, ui.cursor);

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    ms::draw_worlds(model, ui);
    ms::draw_timeline(model, ui);
    ms::draw_transcript(model, ui);
    ms::draw_lesson(model, ui);
    ImGui::Render();

    int fw = 0, fh = 0;
    glfwGetFramebufferSize(window, &fw, &fh);
    glViewport(0, 0, fw, fh);
    glClearColor(0.08f, 0.09f, 0.11f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
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

  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return rc;
}
