#include "benchmark.hpp"

#include <glad/gl.h>
// glad must come before GLFW.
#include <GLFW/glfw3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bench_run.hpp"
#include "frame.hpp"
#include "imgui.h"
#include "imgui_internal.h"  // the demo window's headers are opened through its state storage
#include "lesson/lesson.hpp"
#include "panels/panels.hpp"

namespace ms {

double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

namespace {

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
void bench_app(Gui& g, AppModel& m, int frames, int tab, Series& s,
               const std::function<void()>& after_first) {
  UiState ui;
  ui.screenshot = true;
  ui.quiz_choice.assign(m.run.lesson.quiz.size(), -1);
  ui.bottom_tab_force = tab;
  if (!m.worlds.empty() && !m.worlds[0].trace->messages().empty()) {
    ui.selected_key = m.worlds[0].trace->messages()[0].key;
    ui.selected_world = 0;
    if (!m.worlds[0].devices.empty()) ui.selected_actor = m.worlds[0].devices[0].id;
  }
  for (const WorldModel& w : m.worlds) s.records += w.trace->size();
  for (int f = -kWarmup; f < frames; ++f) {
    glfwPollEvents();
    const double frac = std::max(0, f + 1) / static_cast<double>(frames);
    ui.cursor = static_cast<Tick>(static_cast<double>(m.duration) * frac);
    m.anim_window = kSecond / 40;
    const double c0 = cpu_ms();
    refresh_views(m, ui.cursor, ui.selected_key);
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
constexpr const char* kDemoName = "Dear ImGui Demo";

// One frame of the demo window filling the viewport, drawn (not swapped); its UI code's CPU
// ms (NewFrame to Render) is returned.
double demo_frame(Gui& g) {
  static const char* kHeaders[] = {"Help", "Configuration", "Window options", "Widgets",
                                   "Layout & Scrolling", "Popups & Modal windows",
                                   "Tables & Columns", "Filtering",
                                   "Inputs, Navigation & Focus"};
  glfwPollEvents();
  backend_new_frame(g);
  const double c2 = cpu_ms();
  ImGui::NewFrame();
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetWindowPos(kDemoName, vp->WorkPos, ImGuiCond_Always);
  ImGui::SetWindowSize(kDemoName, vp->WorkSize, ImGuiCond_Always);
  ImGui::ShowDemoWindow();
  ImGui::Render();
  const double c3 = cpu_ms();
  if (ImGuiWindow* w = ImGui::FindWindowByName(kDemoName))
    for (const char* h : kHeaders) w->StateStorage.SetInt(ImHashStr(h, 0, w->ID), 1);
  int fw = 0, fh = 0;
  present(g, fw, fh);
  return c3 - c2;
}

void bench_demo(Gui& g, int frames, Series& s) {
  for (int f = -kWarmup; f < frames; ++f) {
    const double ms = demo_frame(g);
    glfwSwapBuffers(g.window);
    if (f >= 0) s.ui.push_back(ms);
  }
  s.vertices = ImGui::GetDrawData()->TotalVtxCount;
}

// CPU of the whole process (every thread: llvmpipe rasterises on its own threads).
double process_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// Overdraw of the last frame drawn: the area of its triangles (each clipped to its command's
// clip rectangle by its bounding box, an upper bound) over the window's area. Software GL's
// cost grows with it (91% of the CPU in the rasteriser: docs/performance-gui.md).
double overdraw() {
  const ImDrawData* dd = ImGui::GetDrawData();
  if (!dd || dd->DisplaySize.x <= 0 || dd->DisplaySize.y <= 0) return 0;
  double area = 0;
  for (int l = 0; l < dd->CmdListsCount; ++l) {
    const ImDrawList* dl = dd->CmdLists[l];
    for (const ImDrawCmd& c : dl->CmdBuffer) {
      if (c.UserCallback) continue;
      for (unsigned int e = 0; e + 2 < c.ElemCount; e += 3) {
        const ImVec2 a = dl->VtxBuffer[c.VtxOffset + dl->IdxBuffer[c.IdxOffset + e]].pos;
        const ImVec2 b = dl->VtxBuffer[c.VtxOffset + dl->IdxBuffer[c.IdxOffset + e + 1]].pos;
        const ImVec2 d = dl->VtxBuffer[c.VtxOffset + dl->IdxBuffer[c.IdxOffset + e + 2]].pos;
        const double tri = std::abs((b.x - a.x) * (d.y - a.y) - (d.x - a.x) * (b.y - a.y)) / 2;
        const float x0 = std::max(std::min({a.x, b.x, d.x}), c.ClipRect.x);
        const float x1 = std::min(std::max({a.x, b.x, d.x}), c.ClipRect.z);
        const float y0 = std::max(std::min({a.y, b.y, d.y}), c.ClipRect.y);
        const float y1 = std::min(std::max({a.y, b.y, d.y}), c.ClipRect.w);
        if (x1 > x0 && y1 > y0) area += std::min(tri, static_cast<double>((x1 - x0) * (y1 - y0)));
      }
    }
  }
  return area / (static_cast<double>(dd->DisplaySize.x) * dd->DisplaySize.y);
}

// Per-frame means over frames 100..700 of `frame` (the first 100 warm up: atlas, first
// layouts, the driver's shader compiles).
struct FrameCost {
  double process_ms = 0;  // the whole process's CPU: frame(), glFinish, swap, llvmpipe threads
  // Inside frame() alone, on this thread: what a browser's frame callback costs, where the
  // compositor and the GPU process do the rest (docs/performance.md compares the two).
  double call_cpu_ms = 0, call_wall_ms = 0;
  double layers = 0;  // overdraw, in window areas
};

template <class F>
FrameCost frame_cost(Gui& g, F&& frame) {
  FrameCost c;
  double c0 = 0;
  for (int f = 0; f < 700; ++f) {
    if (f == 100) c0 = process_cpu_ms();
    const double t0 = cpu_ms();
    const auto w0 = std::chrono::steady_clock::now();
    frame();
    if (f >= 100) {
      c.call_cpu_ms += (cpu_ms() - t0) / 600.0;
      c.call_wall_ms += ms_since(w0) / 600.0;
      c.layers += overdraw() / 600.0;
    }
    glFinish();
    glfwSwapBuffers(g.window);
  }
  c.process_ms = (process_cpu_ms() - c0) / 600.0;
  return c;
}

}  // namespace

int run_benchmark(Gui& g, AppModel& model, const Options& opt, const ColdStart& cs,
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
    auto m = std::make_unique<AppModel>();
    m->run = make_benchmark_run(n);
    build_model(*m);
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
    AppModel lm;
    lm.run = run_lesson(load_lesson(find_lesson("mail-storage", lessons_dir())));
    build_model(lm);
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

}  // namespace ms

namespace ms {

int run_frame_cost(App& app) {
  start_app(app, "", {});
  UiState& ui = app.ui;
  // --step/--time: a still view at that moment, as a deep link opens it in the browser;
  // otherwise the lesson plays.
  const bool hold = app.opt.time.has_value();
  ui.cursor = hold ? app.target : 0;
  ui.playing = !hold;
  const FrameCost a = frame_cost(app.gui, [&] {
    glfwPollEvents();
    if (!hold) {
      // A fixed 60 Hz step: the same frames whatever the machine's speed; the run loops.
      advance_playback(app.model, ui, 1.0f / 60.0f);
      if (!ui.playing) ui.cursor = 0, ui.playing = true;
    }
    int fw = 0, fh = 0;
    draw_frame(app, fw, fh);
  });
  const FrameCost d = frame_cost(app.gui, [&] { demo_frame(app.gui); });
  int fw = 0, fh = 0;
  glfwGetFramebufferSize(app.gui.window, &fw, &fh);
  std::printf("mailscope --frame-cost: lesson %s %s, window %dx%d\n"
              "process CPU ms per frame (frames 100..700): app %.2f, Dear ImGui demo %.2f, "
              "ratio %.2f (target <= 1.5)\n"
              "pixels filled per frame, in window areas (clear excluded): app %.2f, demo %.2f\n"
              "app frame function alone (events, UI, GL calls; no glFinish or swap), main "
              "thread: CPU %.3f ms, wall %.3f ms per frame\n",
              app.model.run.lesson.id.c_str(),
              hold ? ("still at " + format_time(ui.cursor)).c_str() : "playing at 1x", fw, fh,
              a.process_ms, d.process_ms, d.process_ms > 0 ? a.process_ms / d.process_ms : 0.0,
              a.layers, d.layers, a.call_cpu_ms, a.call_wall_ms);
  return 0;
}

}  // namespace ms
