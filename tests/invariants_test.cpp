// Invariants under random play: seeded random sequences of scenario actions across several
// devices, in both protocols, checked after every step.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "world/device.hpp"

using namespace ms;

namespace {

struct Play {
  std::unique_ptr<World> world;
  std::vector<std::string> actions;
};

// Builds a world with three devices and plays `steps` random actions, one every 20 simulated
// seconds, letting the world run between them. `check` runs after every step.
template <class Check>
Play play(Proto proto, std::uint64_t seed, int steps, Check check) {
  Play p;
  p.world = std::make_unique<World>(proto == Proto::POP3 ? "POP3" : "IMAP", proto, seed);
  World& w = *p.world;
  w.add_account("alice", "secret");
  Rng rng(seed * 7919 + static_cast<std::uint64_t>(proto));
  const char* kinds[] = {"phone", "desktop", "laptop"};
  for (int i = 0; i < 3; ++i) {
    DeviceSpec d;
    d.name = kinds[i];
    parse_device_kind(kinds[i], d.kind);
    d.account = "alice";
    d.password = "secret";
    d.pop3.leave_on_server = rng.below(2);
    d.pop3.delete_when_deleted_locally = rng.below(2);
    d.imap.offline_cache = rng.below(3) != 0;
    d.imap.on_delete = static_cast<ImapPolicy::OnDelete>(rng.below(3));
    d.link.latency = static_cast<Tick>(10 + rng.below(200)) * kMs;
    w.add_device(d);
  }
  for (int s = 0; s < steps; ++s) {
    Device& d = *w.devices()[rng.below(w.devices().size())];
    int n = static_cast<int>(rng.below(w.scenario_messages().size() + 1)) + 1;
    std::string what;
    switch (rng.below(10)) {
      case 0: case 1:
        what = "mail arrives";
        w.mail_arrives("alice", "Bob <bob@outside.example>", "m" + std::to_string(s), "text");
        break;
      case 2: case 3: what = "check mail"; d.check_mail(); break;
      case 4: what = "read"; d.read(n); break;
      case 5: what = "delete"; d.remove(n); break;
      case 6: what = "flag"; d.flag(n, kFlagged, true); break;
      case 7: what = "send"; d.send("bob@outside.example", "s" + std::to_string(s), "hi"); break;
      case 8: what = d.online() ? "go offline" : "go online";
        d.online() ? d.go_offline() : d.go_online();
        break;
      case 9: what = "empty trash"; d.empty_trash(); break;
    }
    p.actions.push_back(d.name() + ": " + what);
    w.run_until(w.now() + 20 * kSecond);
    check(w, p.actions);
  }
  w.run_until(w.now() + 10 * kMinute);
  check(w, p.actions);
  return p;
}

void check_invariants(World& w, const std::vector<std::string>& actions) {
  INFO("after " << actions.size() << " actions, last: " << actions.back());
  // 1. The trace rebuilds exactly the stores the model holds (every change was recorded).
  Replay replay(w.trace(), 64);
  WorldView v = replay.at(w.trace().size());
  auto compare = [&](const Store& s, const std::string& actor, const std::string& prefix) {
    const ViewStore& vs = v.stores.at(w.trace().actor(actor));
    std::size_t bytes = 0;
    for (const auto& [name, f] : s.folders()) {
      const ViewFolder* vf = vs.folder(prefix + name);
      REQUIRE(vf);
      REQUIRE(vf->entries.size() == f.entries.size());
      for (std::size_t i = 0; i < f.entries.size(); ++i) {
        CHECK(vf->entries[i].uid == f.entries[i].uid);
        CHECK(vf->entries[i].flags == f.entries[i].flags);
        CHECK(vf->entries[i].size == f.entries[i].size());
        // 2. UIDs strictly ascend within a folder and stay below UIDNEXT.
        if (i) CHECK(f.entries[i - 1].uid < f.entries[i].uid);
        CHECK(f.entries[i].uid < f.uidnext);
      }
      bytes += f.bytes();
      CHECK(vf->bytes == f.bytes());
    }
    // 3. Byte accounting equals the sum of the stored messages.
    CHECK(s.bytes() == bytes);
  };
  compare(w.server().find("alice")->store, "server", "");
  for (const auto& d : w.devices()) compare(d->store(), d->name(), "");
  // 4. No device folder holds the same message twice (duplicates happen across devices, by
  //    design of POP3 leave-on-server, never inside one mailbox).
  for (const auto& d : w.devices())
    for (const auto& [name, f] : d->store().folders()) {
      std::set<std::string> ids;
      for (const auto& e : f.entries) CHECK(ids.insert(e.body->message_id).second);
    }
}

struct UidWatch {
  // Highest UID ever seen per (place, folder, UIDVALIDITY): a UID below it that reappears
  // with another message would be a reuse.
  std::map<std::tuple<std::string, std::string, std::uint32_t, std::uint32_t>, std::string> seen;
  void check(World& w) {
    const Store& s = w.server().find("alice")->store;
    for (const auto& [name, f] : s.folders())
      for (const auto& e : f.entries) {
        auto key = std::make_tuple(std::string("server"), name, f.uidvalidity, e.uid);
        auto [it, fresh] = seen.emplace(key, e.body->message_id);
        INFO(name << " UID " << e.uid);
        CHECK(it->second == e.body->message_id);  // a UID never names another message
      }
  }
};

}  // namespace

SCENARIO("random play in both protocols keeps the trace, UIDs and byte accounting consistent") {
  std::size_t wire = 0, sessions = 0;
  for (Proto proto : {Proto::POP3, Proto::IMAP})
    for (std::uint64_t seed = 1; seed <= 150; ++seed) {
      INFO(proto_name(proto) << " seed " << seed);
      UidWatch uids;
      Play p = play(proto, seed, 25, [&](World& w, const std::vector<std::string>& a) {
        check_invariants(w, a);
        uids.check(w);
      });
      for (const auto& r : p.world->trace().records()) {
        wire += r.kind == RecKind::Wire;
        sessions += r.kind == RecKind::Event && r.ev == EventKind::Connected;
      }
    }
  // The plays really exercise the protocols (not just idle worlds).
  CHECK(sessions > 1000);
  CHECK(wire > 20000);
}

SCENARIO("random play with the same seed reproduces the same trace byte for byte") {
  for (Proto proto : {Proto::POP3, Proto::IMAP})
    for (std::uint64_t seed : {3u, 11u, 29u}) {
      auto noop = [](World&, const std::vector<std::string>&) {};
      Play a = play(proto, seed, 30, noop), b = play(proto, seed, 30, noop);
      CHECK(a.actions == b.actions);
      CHECK(a.world->trace().to_jsonl() == b.world->trace().to_jsonl());
    }
}

SCENARIO("a long random play keeps every invariant", "[.slow]") {
  for (Proto proto : {Proto::POP3, Proto::IMAP})
    for (std::uint64_t seed = 1; seed <= 400; ++seed) {
      INFO(proto_name(proto) << " seed " << seed);
      UidWatch uids;
      play(proto, seed, 100, [&](World& w, const std::vector<std::string>& a) {
        check_invariants(w, a);
        uids.check(w);
      });
    }
}
