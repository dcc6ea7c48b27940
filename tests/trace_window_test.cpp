// The trace of a long live run (sim/trace/trace.hpp): streamed to a file as it grows, and kept
// in memory only as a window of recent records.
#include <catch2/catch.hpp>

#include <cstdio>
#include <memory>
#include <string>

#include "trace/trace.hpp"

using namespace ms;

namespace {

// A store Add of a message with the given Message-ID, or an event when `id` is empty.
Record rec(Trace& t, Tick at, const std::string& id) {
  Record r;
  r.t = r.t_end = at;
  r.actor = t.actor("server");
  if (id.empty()) {
    r.text = "event " + std::to_string(at);
    return r;
  }
  r.kind = RecKind::Store;
  r.op = StoreChange::Add;
  r.folder = "INBOX";
  r.uid = static_cast<std::uint32_t>(at);
  r.msg = t.message(make_body("Message-ID: " + id + "\r\n\r\nx\r\n"));
  r.size = 10;
  return r;
}

// Everything written to `f` so far.
std::string contents(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
  std::fseek(f, 0, SEEK_END);
  return out;
}

using File = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

}  // namespace

SCENARIO("a streamed trace is in its file, line for line as to_jsonl, as each record is made",
         "[trace]") {
  File f(std::tmpfile(), &std::fclose);
  REQUIRE(f);
  Trace t;
  t.append(rec(t, 1, ""));
  t.stream_to(f.get());
  // The records made before streaming began are written first.
  CHECK(contents(f.get()) == t.to_jsonl());
  t.append(rec(t, 2, "<a@x>"));
  CHECK(contents(f.get()) == t.to_jsonl());
  t.append(rec(t, 3, ""));
  CHECK(contents(f.get()) ==
        "{\"i\":0,\"t\":1,\"kind\":\"event\",\"actor\":\"server\",\"text\":\"event 1\"}\n"
        "{\"i\":1,\"t\":2,\"kind\":\"store\",\"actor\":\"server\",\"op\":\"add\",\"folder\":"
        "\"INBOX\",\"uid\":2,\"message\":\"<a@x>\",\"size\":10,\"flags\":\"\"}\n"
        "{\"i\":2,\"t\":3,\"kind\":\"event\",\"actor\":\"server\",\"text\":\"event 3\"}\n");
  CHECK(t.stream_error().empty());
  t.stream_to(nullptr);
  t.append(rec(t, 4, ""));
  CHECK(contents(f.get()) == t.to_jsonl().substr(0, t.to_jsonl().rfind("{\"i\":3")));
}

SCENARIO("a bounded trace keeps the last records and the messages they refer to", "[trace]") {
  Trace t;
  t.keep_last(3);
  GIVEN("five records: not yet twice the window, nothing is dropped") {
    for (Tick k = 1; k <= 5; ++k) t.append(rec(t, k, k % 2 ? "<m" + std::to_string(k) + ">" : ""));
    CHECK(t.first() == 0);
    CHECK(t.size() == 5);
    CHECK(t.records().size() == 5);
    CHECK(t.first_message() == 0);
    CHECK(t.messages().size() == 3);
    WHEN("the sixth arrives") {
      t.append(rec(t, 6, ""));
      THEN("the oldest three records go, with messages 1 and 2 (<m1>, <m3>) only they used") {
        CHECK(t.first() == 3);
        CHECK(t.size() == 6);
        REQUIRE(t.records().size() == 3);
        CHECK(t.records()[0].t == 4);
        CHECK(t.record(2) == nullptr);
        REQUIRE(t.record(3) != nullptr);
        CHECK(t.record(3)->t == 4);
        CHECK(t.record(5)->t == 6);
        CHECK(t.record(6) == nullptr);
        // The kept records refer to message 3 (<m5>) only.
        CHECK(t.first_message() == 2);
        CHECK(t.message_at(2) == nullptr);
        REQUIRE(t.message_at(3) != nullptr);
        CHECK(t.message_at(3)->key == "<m5>");
        CHECK(t.index_after(4) == 4);
        CHECK(t.index_after(0) == 3);
        CHECK(t.to_jsonl().rfind("{\"i\":3,\"t\":4,", 0) == 0);
      }
      THEN("a dropped message seen again gets a new number") {
        Record r = rec(t, 7, "<m1>");
        CHECK(r.msg == 4);
        CHECK(t.message_at(4)->key == "<m1>");
      }
    }
  }
  GIVEN("a long run") {
    for (Tick k = 1; k <= 1000; ++k) t.append(rec(t, k, "<m" + std::to_string(k) + ">"));
    THEN("memory holds between 3 and 6 records and their messages, whatever its length") {
      CHECK(t.size() == 1000);
      CHECK(t.records().size() >= 3);
      CHECK(t.records().size() < 6);
      CHECK(t.messages().size() == t.records().size());
      CHECK(t.record(999)->uid == 1000);
      CHECK(t.message_at(t.record(999)->msg)->key == "<m1000>");
    }
  }
}

SCENARIO("a bounded, streamed trace loses nothing: its file holds every record", "[trace]") {
  File f(std::tmpfile(), &std::fclose);
  REQUIRE(f);
  Trace bounded, whole;
  bounded.keep_last(2);
  bounded.stream_to(f.get());
  for (Tick k = 1; k <= 9; ++k) {
    const std::string id = k % 3 ? "" : "<m" + std::to_string(k) + ">";
    bounded.append(rec(bounded, k, id));
    whole.append(rec(whole, k, id));
  }
  CHECK(bounded.first() == 6);
  CHECK(bounded.records().size() == 3);
  CHECK(contents(f.get()) == whole.to_jsonl());
}
