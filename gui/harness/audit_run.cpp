#include "audit_run.hpp"

#include <glad/gl.h>
// glad must come before GLFW.
#include <GLFW/glfw3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "audit.hpp"
#include "imgui.h"
#include "imgui_internal.h"  // the windows of the frame, for the layout's own rectangles

namespace ms {

namespace {

using nlohmann::json;

// Frames drawn at the case's cursor before the one recorded: window sizes, scroll positions
// and the font atlas settle a frame or two after they change.
constexpr int kSettle = 2;

// The panels themselves (top-level windows: the menu bar, worlds, timeline, caption ...):
// they must not overlap one another nor leave the display.
void record_panels() {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const ImVec2 d0 = vp->Pos, d1(vp->Pos.x + vp->Size.x, vp->Pos.y + vp->Size.y);
  for (ImGuiWindow* w : GImGui->Windows) {
    if (!w->Active || w->Hidden) continue;
    if (w->Flags & (ImGuiWindowFlags_ChildWindow | ImGuiWindowFlags_Tooltip |
                    ImGuiWindowFlags_Popup))
      continue;
    // "##bottom" -> "bottom"; "<icon>  Lesson" -> "Lesson" (the title without its icon).
    std::string name = w->Name;
    if (name.rfind("##", 0) == 0) name = name.substr(2);
    name = name.substr(0, name.find("##"));
    if (const auto sp = name.rfind("  "); sp != std::string::npos) name = name.substr(sp + 2);
    if (name == "Debug") continue;  // ImGui's implicit fallback window, never shown here
    audit::item("panel", "panel:" + name, w->Name, w->Pos,
                ImVec2(w->Pos.x + w->Size.x, w->Pos.y + w->Size.y), d0, d1);
  }
}

// Draws the case at `cursor` and records its last frame; the items (with `clipped` set) and
// defects are left in the out parameters.
void audit_case(App& app, Tick cursor, std::vector<audit::Item>& items,
                std::vector<audit::Defect>& defects) {
  for (int k = 0; k <= kSettle; ++k) {
    glfwPollEvents();
    app.ui.cursor = cursor;
    const bool last = k == kSettle;
    if (last) audit::begin();
    int fw = 0, fh = 0;
    draw_frame(app, fw, fh, last);
    if (last) {
      record_panels();
      audit::end();
      glfwSwapBuffers(app.gui.window);
    }
  }
  items = audit::items();
  defects = audit::find_defects(items);
}

json item_json(const audit::Item& i) {
  return {{"kind", i.kind},
          {"owner", i.owner},
          {"text", i.text},
          {"rect", {i.p0.x, i.p0.y, i.p1.x, i.p1.y}},
          {"clipped", i.clipped}};
}

json defects_json(const std::vector<audit::Defect>& defects) {
  json out = json::array();
  for (const audit::Defect& d : defects)
    out.push_back(d.b < 0 ? json{{"clipped", d.a}} : json{{"a", d.a}, {"b", d.b}});
  return out;
}

// The first part of an owner path ("worlds/pop3/server" -> "worlds"): who draws it.
std::string area(const std::string& owner) { return owner.substr(0, owner.find('/')); }

// Sets the window's size and waits until the framebuffer has it (the X server applies it).
bool resize(GLFWwindow* w, int width, int height) {
  glfwSetWindowSize(w, width, height);
  for (int tries = 0; tries < 200; ++tries) {
    glfwPollEvents();
    int fw = 0, fh = 0;
    glfwGetFramebufferSize(w, &fw, &fh);
    if (fw == width && fh == height) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

bool write_json(const std::string& path, const json& j) {
  std::ofstream f(path);
  f << j.dump(1) << '\n';
  return static_cast<bool>(f);
}

// A fresh app state for one case, as --screenshot would start it (deterministic frames).
void reset_ui(App& app) {
  const bool presenter = app.ui.presenter;
  const float scale = app.ui.presenter_scale;
  app.ui = UiState();
  app.ui.presenter = presenter;
  app.ui.presenter_scale = scale;
  start_app(app, "", {});
  // Each case is a lesson at a step, as `--lesson L --step K` opens it: not the start screen
  // that a run without --lesson shows over it.
  app.ui.start_screen = false;
}

}  // namespace

int run_layout_audit(App& app, const std::string& select_key, const std::vector<Intent>& intents) {
  start_app(app, select_key, intents);
  std::vector<audit::Item> items;
  std::vector<audit::Defect> defects;
  audit_case(app, app.target, items, defects);
  int fw = 0, fh = 0;
  glfwGetFramebufferSize(app.gui.window, &fw, &fh);
  json j = {{"lesson", app.model.run.lesson.id},
            {"step", app.opt.step},
            {"width", fw},
            {"height", fh},
            {"presenter", app.ui.presenter},
            {"items", json::array()},
            {"overlaps", defects_json(defects)}};
  for (const audit::Item& i : items) j["items"].push_back(item_json(i));
  if (!write_json(app.opt.layout_audit, j)) {
    std::fprintf(stderr, "mailscope: cannot write %s\n", app.opt.layout_audit.c_str());
    return 2;
  }
  std::printf("mailscope: layout audit of %s step %d at %dx%d%s: %zu items, %zu defects\n",
              app.model.run.lesson.id.c_str(), app.opt.step, fw, fh,
              app.ui.presenter ? " (presenter)" : "", items.size(), defects.size());
  return defects.empty() ? 0 : 1;
}

int run_layout_sweep(App& app) {
  const std::vector<std::string> lessons = lesson_files(lessons_dir());  // not course.json
  const int sizes[][2] = {{1024, 768}, {1280, 720}, {1920, 1080}, {3840, 2160}};

  json cases = json::array();
  std::map<std::string, int> by_area;  // "worlds x timeline" or "clipped worlds": count
  int cases_n = 0, bad_cases = 0;
  std::size_t defects_n = 0;
  ImFont* big = app.model.big;
  for (const std::string& path : lessons) {
    // One App per lesson: the model is built once and drawn in every size and mode.
    auto one = std::make_unique<App>();
    one->opt = app.opt;
    one->gui = app.gui;
    try {
      one->model.run = run_lesson(load_lesson(path), std::nullopt);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "mailscope: %s: %s\n", path.c_str(), e.what());
      return 2;
    }
    build_model(one->model);
    one->model.big = big;
    const Lesson& lesson = one->model.run.lesson;
    // Normal; presenter at its default text size; presenter at the largest, 3x.
    const std::pair<bool, float> modes[] = {{false, 1.0f}, {true, UiState().presenter_scale},
                                            {true, 3.0f}};
    for (const auto& [presenter, text_scale] : modes) {
      for (const auto& sz : sizes) {
        if (!resize(one->gui.window, sz[0], sz[1])) {
          std::fprintf(stderr, "mailscope: the window cannot be made %dx%d (run under "
                               "xvfb-run -s \"-screen 0 3840x2160x24\")\n", sz[0], sz[1]);
          return 2;
        }
        for (std::size_t s = 0; s < lesson.steps.size(); ++s) {
          one->ui.presenter = presenter;
          one->ui.presenter_scale = presenter ? text_scale : UiState().presenter_scale;
          one->opt.time = static_cast<double>(lesson.steps[s].at) / kSecond;
          reset_ui(*one);
          std::vector<audit::Item> items;
          std::vector<audit::Defect> defects;
          audit_case(*one, one->target, items, defects);
          ++cases_n;
          if (defects.empty()) continue;
          ++bad_cases;
          defects_n += defects.size();
          json c = {{"lesson", lesson.id},
                    {"step", s + 1},
                    {"width", sz[0]},
                    {"height", sz[1]},
                    {"presenter", presenter},
                    {"text_scale", presenter ? text_scale : 1.0f},
                    {"defects", json::array()}};
          for (const audit::Defect& d : defects) {
            if (d.b < 0) {
              ++by_area["clipped " + area(items[d.a].owner)];
              c["defects"].push_back({{"clipped", item_json(items[d.a])}});
            } else {
              std::string x = area(items[d.a].owner), y = area(items[d.b].owner);
              if (y < x) std::swap(x, y);
              ++by_area[x + " x " + y];
              c["defects"].push_back({{"a", item_json(items[d.a])}, {"b", item_json(items[d.b])}});
            }
          }
          cases.push_back(std::move(c));
        }
      }
    }
    big = one->model.big;
    app.gui = one->gui;
  }
  json summary = json::object();
  for (const auto& [k, n] : by_area) summary[k] = n;
  const json report = {{"cases_audited", cases_n},
                       {"cases_with_defects", bad_cases},
                       {"defects", defects_n},
                       {"by_owner", summary},
                       {"cases", cases}};
  if (!write_json(app.opt.layout_sweep, report)) {
    std::fprintf(stderr, "mailscope: cannot write %s\n", app.opt.layout_sweep.c_str());
    return 2;
  }
  std::printf("mailscope: layout audit sweep: %d cases (%zu lessons x steps x 4 sizes x 3 "
              "modes: normal, presenter, presenter at 3x text), %d with defects, %zu defects\n",
              cases_n, lessons.size(), bad_cases, defects_n);
  for (const auto& [k, n] : by_area) std::printf("  %6d  %s\n", n, k.c_str());
  return bad_cases == 0 ? 0 : 1;
}

}  // namespace ms
