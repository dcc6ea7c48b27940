// The GUI's display times for a live world: real peers' units, recorded within microseconds,
// are drawn one after another so that a learner can follow them.
#include <catch2/catch.hpp>

#include "live_display.hpp"
#include "view/trace_index.hpp"

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
              .ev = EventKind::Added, .device = ActorKind::Desktop, .text = "added"});
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

namespace {

// The state a trace leaves, with messages named by their key so that two traces that number
// them differently compare equal.
struct Seen {
  std::string actor, folder, key;
  std::uint32_t uid, size;
  Flags flags;
  bool operator==(const Seen&) const = default;
};
struct Devices {
  std::vector<std::string> present, offline, lost;
  bool operator==(const Devices&) const = default;
};

std::vector<Seen> entries(const Trace& tr) {
  Replay rp(tr);
  const WorldView v = rp.at(tr.records().size());
  std::vector<Seen> out;
  for (std::size_t a = 0; a < v.stores.size(); ++a)
    for (const ViewFolder& f : v.stores[a].folders)
      for (const ViewEntry& e : f.entries) {
        const TraceMessage* m = tr.message_at(e.msg);
        out.push_back({tr.actor_name(static_cast<std::uint16_t>(a)), f.name, m ? m->key : "?",
                       e.uid, e.size, e.flags});
      }
  return out;
}

Devices devices(const Trace& tr) {
  Replay rp(tr);
  const WorldView v = rp.at(tr.records().size());
  Devices d;
  for (std::size_t a = 0; a < v.stores.size(); ++a) {
    const std::string& n = tr.actor_name(static_cast<std::uint16_t>(a));
    if (v.stores[a].present) d.present.push_back(n);
    if (!v.stores[a].online) d.offline.push_back(n);
    if (v.stores[a].lost) d.lost.push_back(n);
  }
  return d;
}

// A busy live world, recorded twice: in full, and in a trace that keeps a window as the GUI's
// live world does. `each` is called after every record (a frame's poll).
template <class F>
void busy_world(Trace& full, Trace& src, F each) {
  auto both = [&](Record r, const Body& b = nullptr) {
    for (Trace* t : {&full, &src}) {
      Record c = r;
      c.msg = b ? t->message(b) : 0;
      t->append(std::move(c));
    }
    each();
  };
  for (Trace* t : {&full, &src})
    for (const char* a : {"server", "alice", "phone", "127.0.0.1:50000", "laptop"}) t->actor(a);
  const std::uint16_t server = 0, alice = 1, phone = 2, client = 3, laptop = 4;
  Tick t = 0;
  auto dev = [&](std::uint16_t a, EventKind what, ActorKind kind = ActorKind::None,
                 const char* name = "") {
    ++t;
    both({.t = t, .t_end = t, .kind = RecKind::Device, .actor = a, .ev = what, .device = kind,
          .name = name, .text = ev_name(what)});
  };
  auto store = [&](std::uint16_t a, StoreChange::Op op, const char* folder, std::uint32_t uid,
                   const Body& b = nullptr, Flags f = {}, Role role = Role::None) {
    ++t;
    both({.t = t, .t_end = t, .kind = RecKind::Store, .actor = a, .op = op, .role = role,
          .uid = uid, .size = b ? static_cast<std::uint32_t>(b->raw.size()) : 0, .flags = f,
          .folder = folder},
         b);
  };
  dev(server, EventKind::Added, ActorKind::Server);
  dev(phone, EventKind::Added, ActorKind::Phone);
  ++t;
  both({.t = t, .t_end = t, .kind = RecKind::Settings, .proto = Proto::IMAP, .actor = phone,
        .text = "settings",
        .settings = std::make_shared<const DeviceSettings>(DeviceSettings{.client = "K-9 Mail"})});
  dev(client, EventKind::Added, ActorKind::Desktop);
  dev(client, EventKind::Renamed, ActorKind::None, "Thunderbird");
  dev(laptop, EventKind::Added, ActorKind::Laptop);
  store(alice, StoreChange::FolderAdd, "INBOX", 0, nullptr, {}, Role::None);
  store(alice, StoreChange::FolderAdd, "Sent", 0, nullptr, {}, Role::Sent);
  store(phone, StoreChange::FolderAdd, "INBOX", 0);
  const Flags seen = flags_from_imap("\\Seen");
  for (std::uint32_t n = 1; n <= 40; ++n) {
    const Body b = make_body("Message-ID: <m" + std::to_string(n) + "@example.org>\r\nSubject: " +
                             std::to_string(n) + "\r\n\r\nhello\r\n");
    store(alice, StoreChange::Add, n % 5 ? "INBOX" : "Sent", n, b);
    store(phone, StoreChange::Add, "INBOX", n, b);
    for (int k = 0; k < 37; ++k, ++t)
      both(wire(t, t, k % 2 ? server : client, k % 2 ? client : server,
                "a" + std::to_string(k) + " NOOP\r\n"));
    if (n % 3 == 0) store(alice, StoreChange::SetFlags, "INBOX", n - 1, nullptr, seen);
    if (n % 7 == 0) store(alice, StoreChange::Remove, "INBOX", n - 2);
    if (n == 20) dev(phone, EventKind::Offline);
    if (n == 30) dev(laptop, EventKind::Lost);
  }
}

}  // namespace

SCENARIO("the live view keeps a bounded window of records and carries the stores' state over",
         "[gui][live]") {
  GIVEN("a live world of about 1,700 records and a view that keeps the last 100") {
    Trace full, src;
    src.keep_last(100);
    LiveDisplay d(100);
    std::size_t cuts = 0, most = 0;
    busy_world(full, src, [&] {
      d.take(src);
      cuts += d.cut();
      most = std::max(most, d.trace().records().size() - d.checkpoint_size());
    });
    const Trace& out = d.trace();
    THEN("it never holds more than twice the window past its checkpoint") {
      CHECK(cuts >= 7);
      CHECK(most <= 200);
      CHECK(out.records().size() - d.checkpoint_size() >= 100);
    }
    THEN("every message of every store is still there, with its flags, as in the full trace") {
      CHECK(entries(out) == entries(full));
      CHECK(entries(out).size() > 40);
    }
    THEN("devices, their names, settings and links are as in the full trace") {
      CHECK(devices(out) == devices(full));
      view::TraceIndex ix;
      ix.extend(out);
      const view::TraceIndex::Device* p = ix.device_named(out, "phone");
      REQUIRE(p != nullptr);
      const DeviceSettings* s = ix.settings_at(out, *p, out.size());
      REQUIRE(s != nullptr);
      CHECK(s->client == "K-9 Mail");
      CHECK(ix.name_of(3) == "Thunderbird");
      bool renamed = false;
      for (const Record& r : out.records())
        renamed |= r.kind == RecKind::Device && r.ev == EventKind::Renamed && r.name == "Thunderbird";
      CHECK(renamed);
    }
    THEN("the window's records are the world's latest, and the dropped ones are counted") {
      const std::size_t kept = out.records().size() - d.checkpoint_size();
      for (std::size_t k = 1; k <= kept; ++k)
        CHECK(out.records()[out.records().size() - k].text ==
              full.records()[full.records().size() - k].text);
      CHECK(d.dropped() + kept == full.size());
      CHECK(d.kept_from() == out.records()[d.checkpoint_size()].t);
    }
    THEN("the window starts with a note saying how much was dropped, and stays in time order") {
      CHECK(out.records()[0].kind == RecKind::Event);
      CHECK(out.records()[0].text.find("older records not kept") != std::string::npos);
      for (std::size_t i = 1; i < out.records().size(); ++i)
        CHECK(out.records()[i].t >= out.records()[i - 1].t);
    }
    THEN("it holds only the messages its window and state refer to") {
      CHECK(out.messages().size() <= 40);
    }
  }
  GIVEN("a world whose trace dropped records before the view took them") {
    Trace full, src;
    src.keep_last(50);
    LiveDisplay d(1000);
    busy_world(full, src, [] {});
    d.take(src);
    THEN("they are counted as dropped") {
      CHECK(d.dropped() == src.first());
      CHECK(d.dropped() > 0);
    }
  }
}
