// The sequence diagram's layout (view/sequence_layout), drawn by the GUI and written as SVG:
// rows that never let labels overprint, idle stretches cut to one row, bursts drawn as one
// arrow until expanded, a zoom that fits a step, and the printed diagram's row per item.
#include <catch2/catch.hpp>

#include "view/sequence_layout.hpp"

using namespace ms;
using namespace ms::view::seq;

namespace {

constexpr int kServer = 0, kClient = 1;

Unit unit(Tick t, int from, int to, int lines = 1, int lane = 0, std::uint64_t key = 0) {
  return {.t = t, .t_end = t + 20 * kMs, .lane = lane, .from = from, .to = to, .lines = lines,
          .key = key};
}

const Params kP{.pps = 600.0, .row_h = 18.0, .max_gap_px = 72.0};

}  // namespace

SCENARIO("a command and its replies 20 ms apart get a label row each", "[view][seq]") {
  const std::vector<Unit> u{unit(0, kServer, kClient), unit(20 * kMs, kClient, kServer),
                            unit(40 * kMs, kServer, kClient)};
  const Layout L = layout(u, {}, kP);
  REQUIRE(L.items.size() == 3);
  THEN("12 px of time would overprint 18 px labels: each row is pushed one label lower") {
    CHECK(L.items[0].y == 18.0);
    CHECK(L.items[1].y == 36.0);
    CHECK(L.items[2].y == 54.0);
  }
  THEN("an arrow ends where its arrival time is on the axis") {
    CHECK(L.axis.x_of(20 * kMs) == 36.0);
    CHECK(L.axis.x_of(60 * kMs) == Approx(66.0));
    CHECK(L.height == Approx(84.0));
  }
  THEN("the zoom that fits the 60 ms in 100 px is the largest, about 1367 px/s") {
    const double pps = fit_pps(u, {}, kP, {}, 0, 60 * kMs, 100.0, 20.0, 20000.0);
    CHECK(pps <= 1366.7);
    CHECK(pps >= 1339.0);
    CHECK(fit_pps(u, {}, kP, {}, 0, 60 * kMs, 50.0, 20.0, 20000.0) == 20.0);
  }
}

SCENARIO("five replies in 20 ms are one arrow saying how many lines, until expanded",
         "[view][seq]") {
  std::vector<Unit> u{unit(0, kClient, kServer, 1, 0, 10)};
  for (int i = 0; i < 5; ++i) u.push_back(unit((20 + 5 * i) * kMs, kServer, kClient, 2, 0, 11 + i));
  u.push_back(unit(100 * kMs, kClient, kServer, 1, 0, 16));
  THEN("the replies are one run (a single unit is no run)") {
    const std::vector<Run> runs = bursts(u, 30 * kMs);
    REQUIRE(runs.size() == 1);
    CHECK(runs[0].first == 1);
    CHECK(runs[0].count == 5);
  }
  WHEN("collapsed") {
    const Layout L = layout(u, {}, kP);
    REQUIRE(L.items.size() == 3);
    THEN("one arrow of 10 lines, from the first send to the last arrival") {
      CHECK(L.items[1].kind == Kind::Burst);
      CHECK(L.items[1].lines == 10);
      CHECK(L.items[1].count == 5);
      CHECK(L.items[1].t_end == 60 * kMs);
      CHECK(L.items[1].y == 36.0);
      CHECK(L.items[2].y == Approx(84.0));
    }
  }
  WHEN("expanded by its first unit's key") {
    const Layout L = layout(u, {}, kP, {11});
    REQUIRE(L.items.size() == 7);
    THEN("each reply has its row, the first saying it opens a burst of 5") {
      CHECK(L.items[1].burst == 5);
      CHECK(L.items[2].burst == 0);
      for (int i = 1; i <= 5; ++i) CHECK(L.items[i].y == 18.0 * (i + 1));
      CHECK(L.items[6].y == Approx(144.0));
    }
  }
}

SCENARIO("ten idle seconds are one row saying so", "[view][seq]") {
  const Layout L = layout({unit(0, kServer, kClient), unit(10 * kSecond, kClient, kServer)}, {}, kP);
  REQUIRE(L.items.size() == 3);
  CHECK(L.items[1].kind == Kind::Break);
  CHECK(L.items[1].t == 20 * kMs);
  CHECK(L.items[1].t_end == 10 * kSecond);
  CHECK(L.items[1].y == 48.0);
  CHECK(gap_label(L.items[1].t_end - L.items[1].t) == "10 s later");
  CHECK(L.items[2].y == 66.0);
  THEN("the cursor in the idle stretch moves through the cut row") {
    CHECK(L.axis.x_of(20 * kMs) == Approx(30.0));
    CHECK(L.axis.x_of(5 * kSecond + 10 * kMs) == Approx(48.0));
  }
}

SCENARIO("two worlds side by side share rows; a step spans both", "[view][seq]") {
  const std::vector<Unit> u{unit(0, kServer, kClient, 1, 0), unit(0, kServer, kClient, 1, 1)};
  const Layout L = layout(u, {10 * kMs}, kP);
  REQUIRE(L.items.size() == 3);
  CHECK(L.items[0].y == 18.0);
  CHECK(L.items[1].y == 18.0);
  CHECK(L.items[2].kind == Kind::Step);
  CHECK(L.items[2].y == 36.0);
  CHECK(L.axis.x_of(20 * kMs) == Approx(42.0));
}

SCENARIO("labels stay inside their lane", "[view][seq]") {
  CHECK(place_label(100, 50, 0, 300) == 75.0);
  CHECK(place_label(10, 50, 0, 300) == 0.0);
  CHECK(place_label(290, 50, 0, 300) == 250.0);
  CHECK(place_label(150, 400, 0, 300) == 0.0);
}

SCENARIO("the printed diagram gives every unit and step a row, in the order they happened",
         "[view][seq]") {
  // Keyed by record index, as the SVG export keys them: a burst, a day's wait, and at its end
  // a unit recorded before the step at the same time and one after it.
  std::vector<Unit> u{unit(0, kClient, kServer, 1, 0, 0)};
  for (int i = 0; i < 3; ++i) u.push_back(unit((20 + 5 * i) * kMs, kServer, kClient, 1, 0, 1 + i));
  u.push_back(unit(kDay, kServer, kClient, 1, 0, 4));
  u.push_back(unit(kDay, kClient, kServer, 1, 0, 6));
  const Layout L = rows(u, {{.t = kDay, .key = 5}}, 24.0);
  REQUIRE(L.items.size() == 7);
  THEN("nothing is grouped or cut, and the step sits between the units recorded around it") {
    for (std::size_t i = 0; i < 5; ++i) {
      CHECK(L.items[i].kind == Kind::Unit);
      CHECK(L.items[i].first == i);
    }
    CHECK(L.items[5].kind == Kind::Step);
    CHECK(L.items[6].first == 5);
  }
  THEN("row k is k + 1 rows down, and the diagram one row taller than its last") {
    for (std::size_t i = 0; i < L.items.size(); ++i) CHECK(L.items[i].y == 24.0 * (i + 1));
    CHECK(L.height == 24.0 * 8);
  }
}

SCENARIO("the lifelines are the internet, the server, then the devices as they joined",
         "[view][seq]") {
  Trace t;
  const std::uint16_t phone = t.actor("phone");
  const std::uint16_t server = t.actor("server");
  const std::uint16_t internet = t.actor("internet");
  const std::uint16_t laptop = t.actor("laptop");
  CHECK(lifelines(t) == std::vector<std::uint16_t>{internet, server, phone, laptop});
}
