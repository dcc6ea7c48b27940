// Dear ImGui's demo window alone in its own process, for docs/performance-gui.md (issue 26,
// item 25): the window size, demo headers, glFinish and swap of `mailscope --frame-cost`'s demo
// series, and its process CPU per frame over frames 100..700, so that the app's cost can be
// compared with a demo that shares nothing with the app's process. Not part of the build (a
// .cc file: the web build compiles every gui/**/*.cpp into the app, and this has its own main):
//   B=build; g++ -O2 -std=c++17 gui/tools/demo_frame_cost.cc -I$B/gui/glad/include \
//     $(pkg-config --cflags imgui) -o /tmp/demo_frame_cost $B/gui/libmailscope_glad.a \
//     $(pkg-config --libs imgui) -lglfw -lGL -ldl
//   xvfb-run -a -s "-screen 0 1600x900x24" /tmp/demo_frame_cost [dejavu]
// ("dejavu": DejaVu Sans at 17 px, the app's text font, instead of Dear ImGui's default.)
#include <glad/gl.h>
#include <GLFW/glfw3.h>
#include <ctime>
#include <cstdio>
#include "imgui.h"
#include "imgui_internal.h"
#include "backends/imgui_impl_glfw.h"
#include "backends/imgui_impl_opengl3.h"
static double proc_ms() { timespec t; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); return t.tv_sec * 1e3 + t.tv_nsec / 1e6; }
int main(int argc, char** argv) {
  const bool dejavu = argc > 1;
  glfwInit();
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3); glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE); glfwWindowHint(GLFW_RESIZABLE, GLFW_FALSE);
  GLFWwindow* w = glfwCreateWindow(1600, 900, "demo", nullptr, nullptr);
  glfwMakeContextCurrent(w); glfwSwapInterval(0); gladLoadGL(glfwGetProcAddress);
  ImGui::CreateContext(); ImGui::GetIO().IniFilename = nullptr;
  if (dejavu) ImGui::GetIO().Fonts->AddFontFromFileTTF("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 17);
  ImGui::StyleColorsDark();
  ImGui_ImplGlfw_InitForOpenGL(w, true); ImGui_ImplOpenGL3_Init("#version 330 core");
  const char* hs[] = {"Help","Configuration","Window options","Widgets","Layout & Scrolling","Popups & Modal windows","Tables & Columns","Filtering","Inputs, Navigation & Focus"};
  double t100 = 0; int verts = 0;
  for (int f = 0; f < 700; ++f) {
    if (f == 100) t100 = proc_ms();
    glfwPollEvents(); ImGui_ImplOpenGL3_NewFrame(); ImGui_ImplGlfw_NewFrame(); ImGui::NewFrame();
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetWindowPos("Dear ImGui Demo", vp->WorkPos, ImGuiCond_Always);
    ImGui::SetWindowSize("Dear ImGui Demo", vp->WorkSize, ImGuiCond_Always);
    ImGui::ShowDemoWindow(); ImGui::Render();
    if (ImGuiWindow* dw = ImGui::FindWindowByName("Dear ImGui Demo")) for (const char* h : hs) dw->StateStorage.SetInt(ImHashStr(h, 0, dw->ID), 1);
    int fw, fh; glfwGetFramebufferSize(w, &fw, &fh); glViewport(0, 0, fw, fh);
    glClearColor(0.1f, 0.1f, 0.1f, 1); glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData()); verts = ImGui::GetDrawData()->TotalVtxCount;
    glFinish(); glfwSwapBuffers(w);
  }
  std::printf("stand-alone demo%s: process CPU %.2f ms per frame (frames 100..700), %d vertices\n", dejavu ? " (DejaVu Sans 17 px)" : "", (proc_ms() - t100) / 600, verts);
}
