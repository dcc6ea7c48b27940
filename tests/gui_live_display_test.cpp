// The GUI's display times for a live world: real peers' units, recorded within microseconds,
// are drawn one after another so that a learner can follow them.
#include <catch2/catch.hpp>

#include "live_display.hpp"

using namespace ms;

namespace {

Record wire(Tick t, Tick t_end, std::uint16_t from, std::uint16_t to, const std::string& text) {
  return {.t = t, .t_end = t_end, .kind = RecKind::Wire, .proto = Proto::IMAP, .actor = from,
          .peer = to, .conn = 1, .text = text};
}

}  // namespace

SCENARIO("a real client's units cross the display one after another and a store change lands "
         "with its command", "[gui][live]") {
  Trace src;
  const std::uint16_t server = src.actor("server"), client = src.actor("127.0.0.1:50000");
  src.append({.t = 1000, .t_end = 1000, .kind = RecKind::Device, .actor = client,
              .folder = "desktop", .text = "added"});
  src.append(wire(2000, 2000, client, server, "a1 STORE 1 +FLAGS (\\Seen)\r\n"));
  src.append({.t = 2000, .t_end = 2000, .kind = RecKind::Store, .actor = server,
              .op = StoreChange::SetFlags, .uid = 1, .folder = "INBOX"});
  src.append(wire(2000, 2000, server, client, "* 1 FETCH (FLAGS (\\Seen))\r\n"));
  src.append(wire(2001, 2001, server, client, "a1 OK STORE completed\r\n"));
  LiveDisplay d;
  REQUIRE(d.take(src));
  const Trace& out = d.trace();
  REQUIRE(out.size() == src.size());
  REQUIRE(out.actors() == src.actors());
  const Tick T = LiveDisplay::kTransit;
  const auto& r = out.records();
  THEN("the records and their order are the world's, only the times differ") {
    for (std::size_t i = 0; i < src.size(); ++i) {
      CHECK(r[i].kind == src.records()[i].kind);
      CHECK(r[i].actor == src.records()[i].actor);
      CHECK(r[i].text == src.records()[i].text);
    }
  }
  THEN("each unit takes the display transit, starting when the one before has arrived") {
    CHECK(r[0].t == 1000);
    CHECK(r[1].t == 2000);
    CHECK(r[1].t_end == 2000 + T);
    CHECK(r[2].t == 2000 + T);  // the flags change as STORE arrives
    CHECK(r[3].t == 2000 + T);
    CHECK(r[3].t_end == 2000 + 2 * T);
    CHECK(r[4].t == 2000 + 2 * T);
    CHECK(r[4].t_end == 2000 + 3 * T);
    CHECK(d.end() == 2000 + 3 * T);
  }
  WHEN("the world's trace grows") {
    src.append(wire(10 * kSecond, 10 * kSecond, client, server, "a2 LOGOUT\r\n"));
    THEN("only the new record is taken, at its own time once the display has caught up") {
      CHECK(d.take(src));
      REQUIRE(out.size() == 6);
      CHECK(out.records()[5].t == 10 * kSecond);
      CHECK(out.records()[5].t_end == 10 * kSecond + T);
      CHECK_FALSE(d.take(src));
    }
  }
}

TEST_CASE("a simulated device's units keep their link's time on the live display",
          "[gui][live]") {
  Trace src;
  const std::uint16_t server = src.actor("server"), phone = src.actor("phone");
  src.append(wire(0, 40 * kMs, phone, server, "A1 NOOP\r\n"));
  src.append(wire(40 * kMs, 80 * kMs, server, phone, "A1 OK NOOP completed\r\n"));
  LiveDisplay d;
  d.take(src);
  CHECK(d.trace().records()[0].t == 0);
  CHECK(d.trace().records()[0].t_end == 40 * kMs);
  CHECK(d.trace().records()[1].t == 40 * kMs);
  CHECK(d.trace().records()[1].t_end == 80 * kMs);
}

TEST_CASE("a burst of real units runs at most about a second behind on the live display, with "
          "times that never go back", "[gui][live]") {
  Trace src;
  const std::uint16_t server = src.actor("server"), client = src.actor("127.0.0.1:50000");
  for (int i = 0; i < 1000; ++i)
    src.append(wire(5 * kSecond, 5 * kSecond, i % 2 ? server : client, i % 2 ? client : server,
                    "* 1 EXISTS\r\n"));
  LiveDisplay d;
  d.take(src);
  Tick last = 0;
  for (const Record& r : d.trace().records()) {
    CHECK(r.t >= last);
    CHECK(r.t_end >= r.t);
    last = r.t;
  }
  CHECK(d.end() >= 5 * kSecond + LiveDisplay::kMaxLag);
  CHECK(d.end() <= 5 * kSecond + LiveDisplay::kMaxLag + LiveDisplay::kTransit);
}
