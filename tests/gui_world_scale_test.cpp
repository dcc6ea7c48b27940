// Both worlds side by side are drawn at one size (view::layout_worlds), and in presenter mode
// the worlds drop details before their text gets smaller, never under the floor they are given:
// a projector's class compares the POP3 box with the IMAP box, and reads both from the back.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "lesson/lesson.hpp"
#include "trace/trace.hpp"
#include "view/world_layout.hpp"
#include "view/world_scene.hpp"

namespace {

const std::string kLessons = std::string(MAILSCOPE_SOURCE_DIR) + "/lessons";

const ms::LessonRun& lesson_run(const std::string& id) {
  static std::map<std::string, ms::LessonRun> runs;
  auto it = runs.find(id);
  if (it == runs.end())
    it = runs.emplace(id, ms::run_lesson(ms::load_lesson(ms::find_lesson(id, kLessons)))).first;
  return it->second;
}

// Each world of the lesson as it stands at the end of step `step` (1-based).
std::vector<ms::view::Scene> scenes_at(const std::string& id, std::size_t step) {
  const ms::LessonRun& run = lesson_run(id);
  const ms::Tick t = step < run.lesson.steps.size() ? run.lesson.steps[step].at - 1
                                                     : run.worlds[0].world->trace().records().back().t;
  std::vector<ms::view::Scene> out;
  for (const ms::WorldRun& w : run.worlds) {
    const ms::Trace& tr = w.world->trace();
    ms::view::TraceIndex ix(ms::view::scenario_ids(*w.world));
    ix.extend(tr);
    ms::WorldView v = ms::Replay(tr).at(tr.index_after(t));
    v.t = t;
    out.push_back(ms::view::build_scene(tr, ix, v, ms::view::SceneOptions{}));
    out.back().key = w.world->proto() == ms::Proto::POP3 ? "pop3" : "imap";
  }
  return out;
}

// 1024x768 in presenter mode: two worlds of 507 x 430 px, text asked for at 29 px.
ms::view::LayoutParams presenter_params() {
  ms::view::LayoutParams p;
  p.font_px = 29.0f;
  p.zoom = 1.0f;
  p.presenter = true;
  p.min_zoom = 14.0f / (p.font_px * ms::view::kSmallestText);
  p.width = ms::view::approx_width;
  return p;
}

std::vector<ms::view::Rect> two_frames(float w, float h) {
  return {{0, 0, w, h}, {w + 10, 0, 2 * w + 10, h}};
}

float smallest_text(const ms::view::Layout& L) {
  float px = 1e9f;
  for (const auto& t : L.texts) px = std::min(px, t.size);
  for (const auto& t : L.link_labels) px = std::min(px, t.size);
  for (const auto& l : L.labels) px = std::min(px, l.size);
  for (const auto& c : L.chips) px = std::min(px, c.r.h() * 0.62f);
  return px;
}

}  // namespace

TEST_CASE("two worlds laid out together share one text size, the smaller one's",
          "[view][presenter]") {
  for (const char* id : {"mail-storage", "synchronisation", "push-on-phones"}) {
    const std::vector<ms::view::Scene> sc = scenes_at(id, 2);
    REQUIRE(sc.size() == 2);
    const ms::view::LayoutParams p = presenter_params();
    const auto frames = two_frames(507, 430);
    const std::vector<ms::view::Layout> L = ms::view::layout_worlds({&sc[0], &sc[1]}, frames, p);
    REQUIRE(L.size() == 2);
    INFO(id);
    CHECK(L[0].fs == L[1].fs);
    // Each alone would take the size that fits it; together they take the smaller of those.
    const float alone0 = ms::view::layout_world(sc[0], frames[0], p).fs;
    const float alone1 = ms::view::layout_world(sc[1], frames[1], p).fs;
    CHECK(L[0].fs == Approx(std::min(alone0, alone1)));
  }
}

TEST_CASE("presenter mode at 1024x768 keeps every world text at least 14 px and fits the panel",
          "[view][presenter]") {
  for (const char* id : {"mail-storage", "synchronisation", "push-on-phones", "what-breaks"}) {
    const std::vector<ms::view::Scene> sc = scenes_at(id, 1);
    const std::vector<ms::view::Layout> L =
        ms::view::layout_worlds({&sc[0], &sc[1]}, two_frames(507, 430), presenter_params());
    for (const ms::view::Layout& l : L) {
      INFO(id << " " << l.fs);
      CHECK(l.fits);
      CHECK(smallest_text(l) >= Approx(14.0f).epsilon(0.001));
    }
  }
}

TEST_CASE("presenter mode drops details before it makes the text smaller", "[view][presenter]") {
  const std::vector<ms::view::Scene> sc = scenes_at("mail-storage", 2);
  ms::view::LayoutParams p = presenter_params();
  const ms::view::Layout pres = ms::view::layout_world(sc[1], {0, 0, 507, 430}, p);
  p.presenter = false;
  p.min_zoom = std::min(1.0f, 13.0f / p.font_px);
  const ms::view::Layout normal = ms::view::layout_world(sc[1], {0, 0, 507, 430}, p);
  // The same panel and text size asked for: presenter mode draws larger text than the normal
  // layout, which shrinks first.
  CHECK(pres.fs > normal.fs);
}

TEST_CASE("a larger text size asked for reaches the worlds in presenter mode",
          "[view][presenter]") {
  const std::vector<ms::view::Scene> sc = scenes_at("mail-storage", 1);
  ms::view::LayoutParams p = presenter_params();
  p.font_px = 17.0f * 1.2f;
  p.min_zoom = 14.0f / (p.font_px * ms::view::kSmallestText);
  const float small = ms::view::layout_worlds({&sc[0], &sc[1]}, two_frames(940, 800), p)[0].fs;
  p.font_px = 17.0f * 1.75f;
  p.min_zoom = 14.0f / (p.font_px * ms::view::kSmallestText);
  const float large = ms::view::layout_worlds({&sc[0], &sc[1]}, two_frames(940, 800), p)[0].fs;
  CHECK(large > small);
}
