// The layout audit's judgement: which recorded items are defects (overlapping items of
// unrelated owners, items leaving their region) and which are not.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "harness/audit.hpp"

using namespace ms::audit;

namespace {

const ImVec2 kPanel0(0, 0), kPanel1(400, 300);

Item at(const std::string& kind, const std::string& owner, float x0, float y0, float x1,
        float y1) {
  return {kind, owner, owner, ImVec2(x0, y0), ImVec2(x1, y1), kPanel0, kPanel1, false};
}

}  // namespace

TEST_CASE("a path owns the paths below it, not its siblings with a longer name",
          "[gui][audit]") {
  CHECK(contains("worlds/pop3", "worlds/pop3/server"));
  CHECK(contains("worlds/pop3", "worlds/pop3"));
  CHECK_FALSE(contains("worlds/pop3/server", "worlds/pop3"));
  CHECK_FALSE(contains("worlds/pop", "worlds/pop3"));
  CHECK_FALSE(contains("a/b", "a/bc/d"));
}

TEST_CASE("two items of unrelated owners whose rectangles intersect are an overlap",
          "[gui][audit]") {
  std::vector<Item> items = {at("label", "worlds/pop3/link:phone/label:2", 10, 10, 90, 30),
                             at("icon", "worlds/pop3/internet", 80, 20, 120, 60)};
  const std::vector<Defect> d = find_defects(items);
  REQUIRE(d.size() == 1);
  CHECK(d[0].a == 0);
  CHECK(d[0].b == 1);
}

TEST_CASE("a box may contain its own text, and rectangles that only touch do not overlap",
          "[gui][audit]") {
  std::vector<Item> items = {at("box", "worlds/pop3/server", 10, 10, 200, 100),
                             at("text", "worlds/pop3/server/INBOX", 20, 20, 120, 40),
                             at("box", "worlds/pop3/device:phone", 200, 10, 300, 100),
                             at("text", "timeline/marker:1", 10, 100, 60, 120)};
  CHECK(find_defects(items).empty());
}

TEST_CASE("an item that leaves its region is clipped, one pixel of it is enough",
          "[gui][audit]") {
  std::vector<Item> items = {at("text", "worlds/imap/internet", 350, 10, 401, 30),
                             at("text", "caption", 0, 280, 100, 300)};
  const std::vector<Defect> d = find_defects(items);
  REQUIRE(d.size() == 1);
  CHECK(d[0].a == 0);
  CHECK(d[0].b == -1);
  CHECK(items[0].clipped);
  CHECK_FALSE(items[1].clipped);
}

TEST_CASE("panels are compared with panels, never with what they contain", "[gui][audit]") {
  std::vector<Item> items = {at("panel", "worlds", 0, 0, 300, 200),
                             at("panel", "timeline", 0, 190, 300, 260),
                             at("text", "sequence/arrow:3", 10, 10, 100, 30)};
  const std::vector<Defect> d = find_defects(items);
  REQUIRE(d.size() == 1);
  CHECK(d[0].a == 0);
  CHECK(d[0].b == 1);
}

TEST_CASE("nothing is recorded unless a frame is being audited", "[gui][audit]") {
  end();
  item("text", "caption", "x", ImVec2(0, 0), ImVec2(10, 10), kPanel0, kPanel1);
  begin();
  CHECK(items().empty());
  CHECK(on());
  item("text", "caption", "x", ImVec2(0, 0), ImVec2(10, 10), kPanel0, kPanel1);
  end();
  CHECK_FALSE(on());
  REQUIRE(items().size() == 1);
  CHECK(items()[0].owner == "caption");
}
