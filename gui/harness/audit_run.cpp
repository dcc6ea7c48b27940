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
  json j = {{"kind", i.kind},
            {"owner", i.owner},
            {"text", i.text},
            {"rect", {i.p0.x, i.p0.y, i.p1.x, i.p1.y}},
            {"clipped", i.clipped}};
  if (i.px > 0) j["px"] = i.px;
  if (!i.full.empty()) j["full"] = i.full;
  return j;
}

json defects_json(const std::vector<audit::Defect>& defects) {
  json out = json::array();
  for (const audit::Defect& d : defects)
    out.push_back(d.b == audit::kClipped      ? json{{"clipped", d.a}}
                  : d.b == audit::kCutNoHover ? json{{"cut_without_hover", d.a}}
                                              : json{{"a", d.a}, {"b", d.b}});
  return out;
}

// What a case looks like in numbers: the share of the height the presenter caption and the
// worlds take, the smallest text in the worlds, each world's text size (the layout's `fs`,
// reported as the world box's px), the interface's text size and its menu bar's height.
struct Figures {
  float caption_frac = 0, worlds_frac = 0;
  float world_text_min = 0;  // 0: no text in the worlds
  std::map<std::string, float> world_px;  // "pop3" -> px
  float ui_px = 0, menu_h = 0, lesson_w = 0;
};

bool starts(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }

Figures figures(const std::vector<audit::Item>& items, int height) {
  Figures f;
  f.ui_px = ImGui::GetIO().Fonts->Fonts.empty()
                ? 0.0f
                : ImGui::GetIO().Fonts->Fonts[0]->FontSize * ImGui::GetIO().FontGlobalScale;
  const float H = static_cast<float>(std::max(1, height));
  for (const audit::Item& i : items) {
    const float h = i.p1.y - i.p0.y;
    if (i.kind == "panel") {
      if (i.owner == "panel:caption") f.caption_frac = h / H;
      else if (i.owner == "panel:Worlds") f.worlds_frac = h / H;
      else if (i.owner == "panel:MainMenuBar") f.menu_h = h;
      else if (i.owner == "panel:Lesson") f.lesson_w = i.p1.x - i.p0.x;
      continue;
    }
    if (!starts(i.owner, "worlds/") || i.px <= 0) continue;
    if (i.kind == "box") {
      // The world's own frame: "worlds/pop3" (its boxes are "worlds/pop3/server" ...).
      if (i.owner.find('/', 7) == std::string::npos) f.world_px[i.owner.substr(7)] = i.px;
      continue;
    }
    f.world_text_min = f.world_text_min == 0 ? i.px : std::min(f.world_text_min, i.px);
  }
  return f;
}

json figures_json(const Figures& f) {
  json w = json::object();
  for (const auto& [k, px] : f.world_px) w[k] = px;
  return {{"caption_frac", f.caption_frac}, {"worlds_frac", f.worlds_frac},
          {"world_text_min_px", f.world_text_min}, {"world_px", w},
          {"ui_px", f.ui_px}, {"menu_h", f.menu_h}, {"lesson_w", f.lesson_w}};
}

// A projector's goals (issue 26): the caption band at most 22% of the height, the worlds at
// least 60%, no world text under 14 px, both worlds drawn at one size. Returns what is missed.
std::vector<std::string> presenter_goals(const Figures& f) {
  std::vector<std::string> missed;
  char buf[160];
  if (f.caption_frac > 0.22f + 1e-4f) {
    std::snprintf(buf, sizeof buf, "caption takes %.1f%% of the height (goal: at most 22%%)",
                  f.caption_frac * 100);
    missed.push_back(buf);
  }
  if (f.worlds_frac < 0.60f - 1e-4f) {
    std::snprintf(buf, sizeof buf, "worlds take %.1f%% of the height (goal: at least 60%%)",
                  f.worlds_frac * 100);
    missed.push_back(buf);
  }
  if (f.world_text_min > 0 && f.world_text_min < 14.0f - 1e-3f) {
    std::snprintf(buf, sizeof buf, "world text %.1f px high (goal: at least 14 px)",
                  f.world_text_min);
    missed.push_back(buf);
  }
  float lo = 1e9f, hi = 0;
  for (const auto& [k, px] : f.world_px) lo = std::min(lo, px), hi = std::max(hi, px);
  if (f.world_px.size() > 1 && hi - lo > 0.01f) {
    std::snprintf(buf, sizeof buf, "the worlds are drawn at %.1f and %.1f px (goal: one size)",
                  lo, hi);
    missed.push_back(buf);
  }
  return missed;
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
  std::vector<std::string> lessons = lesson_files(lessons_dir());  // not course.json
  if (app.opt.lesson_given) lessons.assign(1, find_lesson(app.opt.lesson, lessons_dir()));
  std::vector<std::pair<int, int>> sizes = app.opt.sweep_sizes;
  if (sizes.empty()) sizes = {{1024, 768}, {1280, 720}, {1920, 1080}, {3840, 2160}};
  // Normal; presenter at its default text size; presenter at the largest, 3x.
  std::vector<std::pair<bool, float>> modes;
  auto wants = [&](const char* m) {
    return app.opt.sweep_modes.empty() ||
           std::find(app.opt.sweep_modes.begin(), app.opt.sweep_modes.end(), m) !=
               app.opt.sweep_modes.end();
  };
  if (wants("normal")) modes.emplace_back(false, 1.0f);
  if (wants("presenter")) modes.emplace_back(true, UiState().presenter_scale);
  if (wants("presenter3x")) modes.emplace_back(true, 3.0f);
  json all_figures = json::array();
  int goals_missed = 0;

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
    for (const auto& [presenter, text_scale] : modes) {
      for (const auto& [sw, sh] : sizes) {
        const int sz[2] = {sw, sh};
        if (!resize(one->gui.window, sz[0], sz[1])) {
          std::fprintf(stderr, "mailscope: the window cannot be made %dx%d (run under "
                               "xvfb-run -s \"-screen 0 3840x2160x24\")\n", sz[0], sz[1]);
          return 2;
        }
        // Each step of the lesson; the first lesson also gives the start screen's three tabs
        // (chooser, table, the table with an app), which no step shows.
        const bool first = path == lessons.front();
        const std::size_t views = lesson.steps.size() + (first && !presenter ? 3 : 0);
        for (std::size_t s = 0; s < views; ++s) {
          const bool start_view = s >= lesson.steps.size();
          one->ui.presenter = presenter;
          one->ui.presenter_scale = presenter ? text_scale : UiState().presenter_scale;
          one->opt.time = static_cast<double>(lesson.steps[start_view ? 0 : s].at) / kSecond;
          reset_ui(*one);
          // The bottom panel's tabs in turn, step by step: transcript, sequence diagram, table.
          one->ui.bottom_tab_force = static_cast<int>(s % 3);
          if (start_view) {
            one->ui.start_screen = true;
            one->ui.start_tab_force = static_cast<int>(s - lesson.steps.size());
          }
          std::vector<audit::Item> items;
          std::vector<audit::Defect> defects;
          audit_case(*one, one->target, items, defects);
          ++cases_n;
          const Figures fig = figures(items, sz[1]);
          const std::vector<std::string> missed =
              presenter ? presenter_goals(fig) : std::vector<std::string>{};
          json c = {{"lesson", lesson.id},
                    {"step", start_view ? 0 : s + 1},
                    {"view", start_view ? std::string("start screen, tab ") +
                                              std::to_string(s - lesson.steps.size())
                                        : std::string("lesson, bottom tab ") +
                                              std::to_string(s % 3)},
                    {"width", sz[0]},
                    {"height", sz[1]},
                    {"presenter", presenter},
                    {"text_scale", presenter ? text_scale : 1.0f}};
          json fc = c;
          fc["figures"] = figures_json(fig);
          all_figures.push_back(std::move(fc));
          if (defects.empty() && missed.empty()) continue;
          ++bad_cases;
          defects_n += defects.size();
          goals_missed += static_cast<int>(missed.size());
          c["defects"] = json::array();
          if (!missed.empty()) c["goals_missed"] = missed;
          for (const std::string& g : missed) ++by_area["presenter goal: " + g.substr(0, g.find(' ', g.find(' ') + 1))];
          for (const audit::Defect& d : defects) {
            if (d.b == audit::kClipped) {
              ++by_area["clipped " + area(items[d.a].owner)];
              c["defects"].push_back({{"clipped", item_json(items[d.a])}});
            } else if (d.b == audit::kCutNoHover) {
              ++by_area["cut without hover " + area(items[d.a].owner)];
              c["defects"].push_back({{"cut_without_hover", item_json(items[d.a])}});
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
                       {"presenter_goals_missed", goals_missed},
                       {"by_owner", summary},
                       {"cases", cases},
                       {"figures", all_figures}};
  if (!write_json(app.opt.layout_sweep, report)) {
    std::fprintf(stderr, "mailscope: cannot write %s\n", app.opt.layout_sweep.c_str());
    return 2;
  }
  std::printf("mailscope: layout audit sweep: %d cases (%zu lessons x steps x %zu sizes x %zu "
              "modes), %d with defects or missed goals, %zu defects, %d presenter goals missed\n",
              cases_n, lessons.size(), sizes.size(), modes.size(), bad_cases, defects_n,
              goals_missed);
  for (const auto& [k, n] : by_area) std::printf("  %6d  %s\n", n, k.c_str());
  return bad_cases == 0 ? 0 : 1;
}

}  // namespace ms
