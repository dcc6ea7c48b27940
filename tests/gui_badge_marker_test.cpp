// A selected message's sync badge ("1: duplicate, read") has a colour marker before its words:
// the marker stands in room the world layout leaves for it, never on the first character.
#include <catch2/catch.hpp>

#include "lesson/lesson.hpp"
#include "view/world_scene.hpp"

namespace {
const std::string kLessons = std::string(MAILSCOPE_SOURCE_DIR) + "/lessons";
}

TEST_CASE("A sync badge's marker stands clear of its words, inside its box", "[view][badges]") {
  const ms::LessonRun run =
      ms::run_lesson(ms::load_lesson(ms::find_lesson("synchronisation", kLessons)));
  for (const ms::WorldRun& wr : run.worlds) {
    const ms::World& w = *wr.world;
    const ms::Trace& tr = w.trace();
    ms::view::TraceIndex ix(ms::view::scenario_ids(w));
    ix.extend(tr);
    const ms::Tick t = 45 * ms::kSecond;
    ms::WorldView v = ms::Replay(tr).at(tr.index_after(t));
    v.t = t;
    ms::view::Scene sc = ms::view::build_scene(tr, ix, v, {});
    REQUIRE_FALSE(sc.devices.empty());
    for (ms::view::Box& b : sc.devices) b.badges.push_back({"1: duplicate, read", 5, ""});
    for (float font : {13.0f, 17.0f, 30.0f}) {
      ms::view::LayoutParams p;
      p.font_px = font;
      p.width = ms::view::approx_width;
      const ms::view::Layout L = ms::view::layout_world(sc, {0, 0, 500, 420}, p);
      int badges = 0;
      for (const ms::view::TextItem& t : L.texts) {
        if (t.tag < 0) continue;
        ++badges;
        const ms::view::Rect m = ms::view::badge_marker(t);
        INFO(t.owner << " font " << font);
        // Clear of the first character, with a gap, and inside the device's box.
        CHECK(m.x1 + 3 <= t.r.x0);
        CHECK(m.w() == Approx(3.0f));
        const std::string box_owner = t.owner.substr(0, t.owner.rfind("/badge:"));
        bool inside = false;
        for (const ms::view::BoxItem& bx : L.boxes)
          if (bx.owner == box_owner) inside = m.inside(bx.r);
        CHECK(inside);
      }
      CHECK(badges == static_cast<int>(sc.devices.size()));
    }
  }
}
