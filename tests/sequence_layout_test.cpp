// The sequence diagram's layout (view/sequence_layout), drawn by the GUI and written as SVG:
// rows that never let labels overprint, idle stretches cut to one row, bursts drawn as one
// arrow until expanded, a zoom that fits a step, and the printed diagram's row per item.
#include <catch2/catch.hpp>
#include <filesystem>

#include "lesson/lesson.hpp"

#include "view/sequence_diagram.hpp"
#include "view/sequence_layout.hpp"
#include "view/world_layout.hpp"

using namespace ms;
using namespace ms::view::seq;

namespace {

// The lifelines of a finished trace, read through its index as both renderers read them.
Lifelines lifelines_of(const Trace& t) {
  view::TraceIndex ix;
  ix.extend(t);
  return Lifelines(ix);
}

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
  CHECK(lifelines_of(t).actors() == std::vector<std::uint16_t>{internet, server, phone, laptop});
}

// ---- What both renderers draw (view/sequence_diagram) ----------------------------------------

namespace {

Record device(std::uint16_t actor, EventKind ev, ActorKind kind = ActorKind::None,
              std::string name = "") {
  return {.kind = RecKind::Device, .actor = actor, .ev = ev, .device = kind, .name = std::move(name)};
}

}  // namespace

SCENARIO("a live client that names itself keeps its lifeline and shows its new name",
         "[view][seq]") {
  Trace t;
  const std::uint16_t server = t.actor("server");
  t.append(device(server, EventKind::Added, ActorKind::Server));
  const std::uint16_t c1 = t.actor("client 1");
  t.append(device(c1, EventKind::Added, ActorKind::Desktop));
  view::TraceIndex ix;
  ix.extend(t);
  Lifelines lines(ix);
  REQUIRE(lines.actors() == std::vector<std::uint16_t>{server, c1});
  CHECK(lines.name(c1) == "client 1");
  WHEN("it renames itself and a second client joins later") {
    t.append(device(c1, EventKind::Renamed, ActorKind::None, "Thunderbird 128"));
    const std::uint16_t c2 = t.actor("client 2");
    t.append(device(c2, EventKind::Added, ActorKind::Phone));
    ix.extend(t);
    lines.extend(ix);
    THEN("the renamed client keeps its column, and the new one joins on the right") {
      CHECK(lines.actors() == std::vector<std::uint16_t>{server, c1, c2});
      CHECK(lines.column(c1) == 1);
      CHECK(lines.column(c2) == 2);
      CHECK(lines.name(c1) == "Thunderbird 128");
      CHECK(lines.list()[1].name == "Thunderbird 128");
      CHECK(lines.list()[2].kind == ActorKind::Phone);
      CHECK(lines.taken() == t.size());
    }
    THEN("taking the same trace in again changes nothing") {
      ix.extend(t);
      lines.extend(ix);
      CHECK(lines.actors() == std::vector<std::uint16_t>{server, c1, c2});
      CHECK(lines.name(c1) == "Thunderbird 128");
    }
  }
  THEN("without an internet the server is the first lifeline, and an unknown actor has none") {
    CHECK(lines.column(server) == 0);
    CHECK(lines.column(99) == -1);
    CHECK(lines.name(99).empty());
  }
}

SCENARIO("the server is found by its Added kind, whatever the world named it", "[view][seq]") {
  Trace t;
  const std::uint16_t phone = t.actor("phone");
  const std::uint16_t mx = t.actor("mx.example");
  t.append(device(mx, EventKind::Added, ActorKind::Server));
  const Lifelines lines = lifelines_of(t);
  CHECK(lines.actors() == std::vector<std::uint16_t>{mx, phone});
  CHECK(lines.is_server(mx));
  CHECK_FALSE(lines.is_server(phone));
}

SCENARIO("lifelines sit in the middle of equal columns", "[view][seq]") {
  CHECK(column_x(0, 3, 100, 900) == 250.0);
  CHECK(column_x(2, 3, 100, 900) == 850.0);
  CHECK(column_x(0, 0, 0, 10) == 5.0);
}

SCENARIO("a burst's label counts the lines of all its units and shows its first unit's line",
         "[view][seq]") {
  // Three two-line replies 5 ms apart, each a unit: crowded, so one "N lines" arrow.
  const std::vector<Unit> u{unit(0, kServer, kClient, 2), unit(5 * kMs, kServer, kClient, 2),
                            unit(10 * kMs, kServer, kClient, 2)};
  const Layout L = layout(u, {}, kP);
  REQUIRE(L.items.size() == 1);
  REQUIRE(L.items[0].kind == Kind::Burst);
  const Record first{.kind = RecKind::Wire, .text = "+OK 2 messages\r\n1 120\r\n"};
  CHECK(label(L.items[0], &first) == "6 lines: +OK 2 messages");
  AND_THEN("opened, its first unit says its own line and how many lines follow it") {
    const Layout open = layout(u, {}, kP, {u[0].key});
    REQUIRE(open.items.size() == 3);
    CHECK(open.items[0].burst == 3);
    CHECK(label(open.items[0], &first) == "+OK 2 messages (+1 lines)");
  }
}

SCENARIO("labels of units, steps and breaks say what the row is", "[view][seq]") {
  CHECK(unit_label(said("USER alice\r\n")) == "USER alice");
  CHECK(unit_label(said("+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n")) ==
        "+OK 2 messages (+3 lines)");
  CHECK(unit_label(said("A\x01")) == "A\\x01");
  CHECK(said("* 1 FETCH\r\npartial").more == 1);
  const Item step{.kind = Kind::Step, .step = 2};
  CHECK(label(step, nullptr, "The phone reads message 1") == "Step 3: The phone reads message 1");
  CHECK(label(step, nullptr, "The phone reads message 1", false) ==
        "Step: The phone reads message 1");
  const Item gap{.kind = Kind::Break, .t = 0, .t_end = 12 * kSecond};
  CHECK(label(gap, nullptr) == "12 s later");
}

SCENARIO("colour roles: the server's units are replies, everyone else's commands",
         "[view][seq]") {
  Trace t;
  const std::uint16_t server = t.actor("server");
  const std::uint16_t phone = t.actor("phone");
  t.append(device(server, EventKind::Added, ActorKind::Server));
  const Lifelines lines = lifelines_of(t);
  const Record reply{.kind = RecKind::Wire, .proto = Proto::IMAP, .actor = server, .peer = phone};
  const Record command{.kind = RecKind::Wire, .proto = Proto::SMTP, .actor = phone, .peer = server};
  CHECK(colour_of(reply, lines).ink == Ink::Reply);
  CHECK(colour_of(reply, lines).proto == Proto::IMAP);
  CHECK(colour_of(command, lines).ink == Ink::Command);
  CHECK(colour_of(command, lines).proto == Proto::SMTP);
  CHECK(head_colour(lines.list()[0], Proto::IMAP).ink == Ink::ServerHead);
  CHECK(head_colour(lines.list()[1], Proto::IMAP).ink == Ink::Head);
}

SCENARIO("an arrow crosses a box only through its inside", "[view][seq]") {
  const Box b{10, 10, 50, 30};
  CHECK(crosses({0, 0, 60, 40}, b));
  CHECK(crosses({20, 20, 30, 20}, b));  // wholly inside
  CHECK_FALSE(crosses({0, 10, 60, 10}, b));  // along its top edge
  CHECK_FALSE(crosses({0, 0, 60, 5}, b));
  CHECK_FALSE(crosses({0, 40, 5, 0}, b));
}

namespace {

// A world's units as the GUI panel takes them: every Wire record, its lines counted.
std::vector<Unit> units_of(const Trace& t) {
  std::vector<Unit> out;
  for (std::size_t i = 0; i < t.records().size(); ++i) {
    const Record& r = t.records()[i];
    if (r.kind != RecKind::Wire) continue;
    out.push_back({.t = r.t, .t_end = std::max(r.t, r.t_end), .from = r.actor, .to = r.peer,
                   .lines = 1 + said(r.text).more, .key = i});
  }
  std::stable_sort(out.begin(), out.end(), [](const Unit& a, const Unit& b) { return a.t < b.t; });
  return out;
}

// Arrows of `L` that pass through the label of a later row which starts after they arrived,
// as the GUI draws them at 1024x768 (a lane ~1000 px wide, 17 px text, 22 px rows); with
// `at_arrival`, each arrow drawn to its arrival's own y instead of the layout's y_end.
int crossed_labels(const Layout& L, const std::vector<Unit>& u, const Trace& t,
                   const Lifelines& lines, bool at_arrival) {
  const double width = 1000, fs = 17, row_h = 22;
  auto x = [&](int actor) {
    return column_x(static_cast<std::size_t>(lines.column(static_cast<std::uint16_t>(actor))),
                    lines.size(), 0, width);
  };
  auto arrow = [&](const Item& it) {
    const Unit& a = u[it.first];
    return Arrow{x(a.from), it.y, x(a.to), at_arrival ? L.axis.x_of(it.t_end) : it.y_end};
  };
  int n = 0;
  for (std::size_t i = 0; i < L.items.size(); ++i) {
    const Item& it = L.items[i];
    if (it.kind != Kind::Unit && it.kind != Kind::Burst) continue;
    const Arrow a = arrow(it);
    for (std::size_t j = i + 1; j < L.items.size() && L.items[j].y - row_h < a.yb; ++j) {
      const Item& next = L.items[j];
      if (next.t < it.t_end) continue;  // sent while this one was on its way
      std::string text = "Step 1: a step";
      Arrow under{0, next.y, 8, next.y};  // a step's label starts at the left edge
      if (next.kind == Kind::Unit || next.kind == Kind::Burst) {
        text = label(next, &t.records()[u[next.first].key]);
        under = arrow(next);
      } else if (next.kind == Kind::Break) {
        continue;  // drawn across the middle, after every arrival before it
      }
      const double w = std::min<double>(view::approx_width(text, 17), width - 8);
      if (crosses(a, label_box(under, w, fs, row_h, 4, width - 4))) ++n;
    }
  }
  return n;
}

}  // namespace

SCENARIO("at 1024x768, no lesson's arrow runs through a later row's label", "[view][seq]") {
  const std::string dir = std::string(MAILSCOPE_SOURCE_DIR) + "/lessons";
  int before = 0, after = 0, lessons = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".json" || entry.path().stem() == "course")
      continue;
    const LessonRun run = run_lesson(load_lesson(entry.path().string()));
    ++lessons;
    std::vector<Tick> steps;
    for (const Step& s : run.lesson.steps) steps.push_back(s.at);
    for (const WorldRun& wr : run.worlds) {
      const Trace& t = wr.world->trace();
      const Lifelines lines = lifelines_of(t);
      const std::vector<Unit> u = units_of(t);
      // The zooms the panel uses: its least, the default, and the most a fit picks.
      for (double pps : {20.0, 600.0, 2000.0}) {
        const Layout L = layout(u, steps, {.pps = pps, .row_h = 22, .max_gap_px = 66,
                                           .end = run.lesson.duration});
        INFO(entry.path().stem().string() << " " << proto_name(wr.world->proto()) << " at "
                                          << pps << " px/s");
        const int crossed = crossed_labels(L, u, t, lines, false);
        CHECK(crossed == 0);
        after += crossed;
        before += crossed_labels(L, u, t, lines, true);
      }
    }
  }
  CHECK(lessons >= 16);
  // Drawn to their arrival's own y (as before y_end), hundreds of arrows did.
  CHECK(before > 100);
  CHECK(after == 0);
}

SCENARIO("a short panel folds the diagram's controls so that its rows get their height",
         "[view][seq]") {
  // The GUI's 17 px text, 22 px rows and 27 px controls row; the bottom panel below its tabs is
  // about 157 px at 1024x768 and 142 px at 1280x720. With a controls row and 27 px heads, it
  // held 4 label rows at 1024x768 and 3 at 1280x720.
  const Chrome at_1024 = chrome(157, 17, 27, 22);
  CHECK_FALSE(at_1024.controls_row);
  CHECK(at_1024.head_h == 23);
  CHECK(at_1024.rows == 6);
  CHECK(chrome(142, 17, 27, 22).rows == 5);
  AND_THEN("a tall panel keeps its controls row") {
    const Chrome tall = chrome(500, 17, 27, 22);
    CHECK(tall.controls_row);
    CHECK(tall.body_h == 500 - 27 - 23);
    CHECK(tall.rows == 20);
  }
}
