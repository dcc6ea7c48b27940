#include "window.hpp"

#include <glad/gl.h>
// glad must come before GLFW.
#include <GLFW/glfw3.h>
#ifdef __EMSCRIPTEN__
#include <emscripten/html5.h>
#endif

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "imgui.h"
#include "backends/imgui_impl_glfw.h"
#include "backends/imgui_impl_opengl3.h"
#include "key_queue.hpp"
#include "panels/panels.hpp"
#include "settings.hpp"
#include "ui_scale.hpp"
#include "util/datadirs.hpp"
#ifndef __EMSCRIPTEN__
#include <stb_image.h>  // the window icon (a browser tab has the page's icon instead)
#endif

namespace ms {

namespace {

// Input between frames: key events wait in the queue (see key_queue.hpp); any event at all
// marks the window as active, which keeps it drawing for a few frames.
KeyQueue g_keys;
bool g_activity = false;

void on_key(GLFWwindow*, int key, int scancode, int action, int mods) {
  g_keys.push({key, scancode, action, mods});
  g_activity = true;
}
void on_button(GLFWwindow*, int, int, int) { g_activity = true; }
void on_scroll(GLFWwindow*, double, double) { g_activity = true; }
void on_char(GLFWwindow*, unsigned int) { g_activity = true; }
void on_flag(GLFWwindow*, int) { g_activity = true; }
void on_pos(GLFWwindow*, double, double) { g_activity = true; }
void on_size(GLFWwindow*, int, int) { g_activity = true; }
void on_refresh(GLFWwindow*) { g_activity = true; }

// Frames drawn after the last event before the window may sleep: hover highlights and
// tooltips follow the pointer a frame or two late.
constexpr int kQuietFrames = 3;

void glfw_error(int code, const char* what) {
  std::fprintf(stderr, "mailscope: GLFW error %d: %s\n", code, what);
}

// Builds the font atlas for text of `px` pixels (the title font is proportionally larger).
// Rebuilding at the real size keeps large text sharp, unlike FontGlobalScale.
void load_fonts(AppModel& m, float px) {
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

// Presenter mode goes full screen on the window's monitor; leaving it restores the window.
void set_fullscreen(GLFWwindow* w, bool on, int saved[4]) {
#ifdef __EMSCRIPTEN__
  // A page already fills the browser window (which the user may make full screen); GLFW 3.2
  // there cannot change monitors.
  (void)w, (void)on, (void)saved;
  return;
#endif
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

// The window icon: the PNG renderings of assets/icons/mailscope.svg (made at build time,
// installed with the package). Without them the window keeps the desktop's default icon.
#ifndef __EMSCRIPTEN__
void set_window_icon(GLFWwindow* w) {
  std::vector<GLFWimage> images;
  std::vector<unsigned char*> pixels;
  for (int s : {256, 48, 32, 16}) {
    const std::string png = find_asset("icons/hicolor/" + std::to_string(s) + "x" +
                                       std::to_string(s) + "/apps/mailscope.png");
    if (png.empty()) continue;
    int iw = 0, ih = 0, n = 0;
    unsigned char* px = stbi_load(png.c_str(), &iw, &ih, &n, 4);
    if (!px) continue;
    pixels.push_back(px);
    images.push_back(GLFWimage{iw, ih, px});
  }
  if (!images.empty()) glfwSetWindowIcon(w, static_cast<int>(images.size()), images.data());
  for (unsigned char* px : pixels) stbi_image_free(px);
}
#endif

}  // namespace

bool has_display() {
#ifdef __EMSCRIPTEN__
  return true;  // a page always has its canvas
#endif
  const char* x = std::getenv("DISPLAY");
  const char* w = std::getenv("WAYLAND_DISPLAY");
  return (x && *x) || (w && *w);
}

bool open_window(Gui& g, const Options& opt, const std::string& title) {
  glfwSetErrorCallback(glfw_error);
  if (!glfwInit()) return false;
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GL_TRUE);
  if (g.shot) glfwWindowHint(GLFW_RESIZABLE, GLFW_FALSE);
  // A projector's 1024x768 must show everything: open at the monitor's work area (or the
  // last size, clamped to it), not at a size made for a large screen.
  int wx = 0, wy = 0, ww = 0, wh = 0;
#ifndef __EMSCRIPTEN__
  if (GLFWmonitor* mon = glfwGetPrimaryMonitor()) glfwGetMonitorWorkarea(mon, &wx, &wy, &ww, &wh);
#endif
  const WindowSize size =
      initial_window_size(ww, wh, opt.width, opt.height, g.last_w, g.last_h, g.shot);
  if (size.maximize) glfwWindowHint(GLFW_MAXIMIZED, GLFW_TRUE);
  GLFWwindow* window = glfwCreateWindow(size.w, size.h, title.c_str(), nullptr, nullptr);
  if (!window) {
    glfwTerminate();
    return false;
  }
#ifndef __EMSCRIPTEN__
  set_window_icon(window);
#endif
  glfwMakeContextCurrent(window);
  glfwSwapInterval(g.shot ? 0 : 1);
  if (!gladLoadGL(glfwGetProcAddress)) {
    std::fprintf(stderr, "mailscope: could not load OpenGL\n");
    glfwDestroyWindow(window);
    glfwTerminate();
    return false;
  }

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = g.ini.empty() ? nullptr : g.ini.c_str();
  g.window = window;
  if (ww > 0 && !g.shot) {
    // Centred in the work area; where a window manager places it, it may move it.
    glfwSetWindowPos(window, wx + (ww - size.w) / 2, wy + (wh - size.h) / 2);
  }
  glfwGetWindowPos(window, &g.saved_window[0], &g.saved_window[1]);
  g.saved_window[2] = size.w;
  g.saved_window[3] = size.h;
  // Hi-DPI: text is sized in screen points times the monitor's content scale. Where window
  // coordinates are already in points (the framebuffer is larger than the window, as on
  // macOS) the fonts are rasterised at full resolution and drawn at 1/scale instead.
  float dpi = 1.0f, dpi_y = 1.0f;
#ifdef __EMSCRIPTEN__
  // Emscripten's GLFW is the 3.2 API: the page's device pixel ratio is the content scale.
  dpi = dpi_y = static_cast<float>(emscripten_get_device_pixel_ratio());
#else
  glfwGetWindowContentScale(window, &dpi, &dpi_y);
#endif
  g.dpi = std::clamp(std::max(dpi, dpi_y), 1.0f, 4.0f);
  int win_w = 1, fb_w = 1, unused_h = 0;
  glfwGetWindowSize(window, &win_w, &unused_h);
  glfwGetFramebufferSize(window, &fb_w, &unused_h);
  const bool points = fb_w > win_w + 1;
  io.FontGlobalScale = points ? 1.0f / g.dpi : 1.0f;
  // Set before the ImGui back end installs its own, which then call these first.
  glfwSetMouseButtonCallback(window, on_button);
  glfwSetScrollCallback(window, on_scroll);
  glfwSetCharCallback(window, on_char);
  glfwSetWindowFocusCallback(window, on_flag);
  glfwSetCursorEnterCallback(window, on_flag);
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  // Keys go through the queue instead of straight to the back end (next_events delivers them).
  glfwSetKeyCallback(window, on_key);
  glfwSetCursorPosCallback(window, on_pos);
  glfwSetFramebufferSizeCallback(window, on_size);
  glfwSetWindowRefreshCallback(window, on_refresh);
#ifdef __EMSCRIPTEN__
  ImGui_ImplOpenGL3_Init("#version 300 es");  // WebGL2
#else
  ImGui_ImplOpenGL3_Init("#version 330 core");
#endif
  return true;
}

void next_events(Gui& g, bool busy, double timeout) {
  if (!g.shot && !busy && g.quiet >= kQuietFrames && g_keys.empty())
    glfwWaitEventsTimeout(timeout);
  else
    glfwPollEvents();
  g.quiet = g_activity ? 0 : g.quiet + 1;
  g_activity = false;
  for (const KeyEvent& e : g_keys.take_frame())
    ImGui_ImplGlfw_KeyCallback(g.window, e.key, e.scancode, e.action, e.mods);
}

void window_size(const Gui& g, int& w, int& h) {
  if (glfwGetWindowMonitor(g.window)) {
    w = g.saved_window[2];
    h = g.saved_window[3];
  } else {
    glfwGetWindowSize(g.window, &w, &h);
  }
}

void close_window(Gui& g) {
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(g.window);
  glfwTerminate();
  g.window = nullptr;
}

// View options take effect between frames: the font atlas is rebuilt at the new size (not
// while a slider is being dragged), the palette and the layout follow the toggles.
void prepare_frame(Gui& g, AppModel& model, const UiState& ui) {
  ImGuiIO& io = ImGui::GetIO();
  float scale = ui.text_scale();
  // The whole interface follows the monitor's content scale (it changes when the window moves
  // to another monitor) or, where the system reports none, the framebuffer's size.
  float content = g.dpi;
  int fw = 0, fh = 0;
  if (g.window) {
#ifndef __EMSCRIPTEN__
    float cx = 1.0f, cy = 1.0f;
    glfwGetWindowContentScale(g.window, &cx, &cy);
    content = std::clamp(std::max(cx, cy), 1.0f, 4.0f);
#endif
    glfwGetFramebufferSize(g.window, &fw, &fh);
  }
  // Where window coordinates are points (macOS), the content scale only sharpens the fonts
  // (FontGlobalScale draws them back at 1/dpi): the framebuffer says nothing more then.
  const bool points = io.FontGlobalScale < 0.999f;
  g.ui_k = points ? 1.0f : interface_scale(content, fw, fh);
  const float dpi = points ? g.dpi : g.ui_k;
  // A projector's large type is limited by the screen it is on: on a 720- or 768-line screen a
  // 3x caption would leave the worlds no room, so presenter text grows at most to the
  // window's height / 450 (1.6x at 720 lines, 2.4x at 1080, the full 3x from 1350), the
  // height counted in the interface's units.
  if (ui.presenter && fh > 0)
    scale = std::min(scale, std::max(1.0f, static_cast<float>(fh) / g.ui_k / 450.0f));
  const float want_px = std::round(17.0f * dpi * scale);
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
  set_look(ui.high_contrast, ui.cb_safe);
  set_presenter_layout(ui.presenter);
  set_interface_scale(g.ui_k);
  if (!g.shot) set_fullscreen(g.window, ui.presenter || ui.fullscreen, g.saved_window);
}

void backend_new_frame(const Gui& g) {
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  // Two frames within one tick of the back end's clock (a browser's timer is coarse) would
  // give Dear ImGui a zero DeltaTime, which it rejects.
  ImGuiIO& io = ImGui::GetIO();
  if (io.DeltaTime <= 0.0f) io.DeltaTime = 1e-4f;
  // Screenshots must not depend on where the X server left its pointer (tooltips, hovers).
  if (g.shot) io.MousePos = g.hover.x >= 0 ? g.hover : ImVec2(-FLT_MAX, -FLT_MAX);
}

void present(const Gui& g, int& fw, int& fh) {
  glfwGetFramebufferSize(g.window, &fw, &fh);
  glViewport(0, 0, fw, fh);
  // The panels draw no background of their own (layout.cpp): the clear is it.
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

}  // namespace ms
