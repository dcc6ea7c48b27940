// The one trace index (view/trace_index): what it derives does not depend on how the trace was
// fed to it, and it follows a live trace as it grows.
#include <catch2/catch.hpp>

#include <string>

#include "lesson/lesson.hpp"
#include "view/trace_index.hpp"
#include "view/world_scene.hpp"

using namespace ms;

namespace {

const std::string kLessons = std::string(MAILSCOPE_SOURCE_DIR) + "/lessons";

// Appends records [from, to) of `src` to `dst` (which holds the ones before), interning
// actors and messages as the world did: in record order, so the numbers come out the same.
void copy_records(const Trace& src, Trace& dst, std::size_t from, std::size_t to) {
  for (std::size_t a = dst.actors().size(); a < src.actors().size(); ++a) dst.actor(src.actors()[a]);
  for (std::size_t i = from; i < to; ++i) {
    Record r = src.records()[i];
    if (r.msg) r.msg = dst.message(src.message_at(r.msg)->body);
    dst.append(std::move(r));
  }
}

std::string series(const view::TraceIndex::Series& s) {
  std::string o;
  for (const auto& [t, n] : s) o += std::to_string(t) + ":" + std::to_string(n) + " ";
  return o;
}

// Everything the index says, written out.
std::string describe(const Trace& tr, const view::TraceIndex& ix) {
  std::string o = "scanned " + std::to_string(ix.scanned()) + "\nserver " +
                  std::to_string(ix.server()) + " internet " + std::to_string(ix.internet()) +
                  " proto " + proto_name(ix.proto()) + "\n";
  for (const auto& d : ix.devices()) {
    o += "device " + std::to_string(d.id) + " " + d.name + " " + actor_kind_name(d.kind) + " " +
         std::to_string(d.added_at) + " " + std::to_string(d.added_t) + " settings";
    for (auto s : d.settings) o += " " + std::to_string(s);
    o += "\n";
  }
  for (std::size_t a = 0; a < tr.actors().size(); ++a) {
    const auto id = static_cast<std::uint16_t>(a);
    o += "actor " + ix.name_of(id) + " " + actor_kind_name(ix.kind_of(id)) + " sent " +
         series(ix.sent(id)) + " received " + series(ix.received(id)) + " states";
    if (a < ix.state_events().size())
      for (auto e : ix.state_events()[a]) o += " " + std::to_string(e);
    o += " conns";
    if (a < ix.conns().size())
      for (auto [i, open] : ix.conns()[a]) o += " " + std::to_string(i) + (open ? "+" : "-");
    o += "\n";
  }
  o += "total " + series(ix.total()) + "\nsteps";
  for (auto s : ix.steps()) o += " " + std::to_string(s);
  o += "\nwire";
  for (auto w : ix.wire_recs()) o += " " + std::to_string(w);
  o += "\nlines";
  for (const auto& l : ix.lines()) o += " " + std::string(view::line_text(tr, l)) + "|";
  o += "\npopped";
  for (const auto& [k, t] : ix.popped()) o += " " + k.first + "/" + std::to_string(k.second) + "@" + std::to_string(t);
  o += "\nmax transit " + std::to_string(ix.max_transit()) + " end " + std::to_string(ix.end()) +
       " max server bytes " + std::to_string(ix.max_server_bytes()) + "\nlabels";
  for (const auto& l : ix.labels()) o += " " + l;
  for (std::uint32_t n = 1; n < ix.labels().size(); ++n)
    o += " " + std::to_string(ix.msg_by_key(tr.message_at(n)->key));
  o += "\nstate at " + std::to_string(ix.state().index);
  for (const ViewStore& s : ix.state().stores) {
    o += "\n store " + std::to_string(s.present) + std::to_string(s.online) + std::to_string(s.lost) +
         " " + std::to_string(s.bytes);
    for (const ViewFolder& f : s.folders) {
      o += " " + f.name + ":";
      for (const ViewEntry& e : f.entries)
        o += std::to_string(e.uid) + "/" + std::to_string(e.msg) + "/" + flags_to_imap(e.flags) + ",";
    }
  }
  return o;
}

}  // namespace

SCENARIO("the trace index derives the same from a trace fed at once, in two halves or record "
         "by record", "[view][index]") {
  for (const char* id : {"limited-connectivity", "gmail-pop", "synchronisation"}) {
    GIVEN(std::string("each world of the lesson ") + id) {
      const LessonRun run = run_lesson(load_lesson(find_lesson(id, kLessons)));
      for (const WorldRun& wr : run.worlds) {
        const Trace& tr = wr.world->trace();
        const auto ids = view::scenario_ids(*wr.world);
        view::TraceIndex whole(ids);
        whole.extend(tr);

        Trace grown;
        view::TraceIndex halves(ids);
        const std::size_t half = tr.size() / 2;
        copy_records(tr, grown, 0, half);
        halves.extend(grown);
        const std::string at_half = describe(grown, halves);
        copy_records(tr, grown, half, tr.size());
        halves.extend(grown);

        Trace one_by_one;
        view::TraceIndex step(ids);
        for (std::size_t i = 0; i < tr.size(); ++i) {
          copy_records(tr, one_by_one, i, i + 1);
          step.extend(one_by_one);
        }
        THEN("everything it says is the same, and the first half said less") {
          const std::string all = describe(tr, whole);
          CHECK(describe(grown, halves) == all);
          CHECK(describe(one_by_one, step) == all);
          CHECK(at_half != all);
          // The bytes of every unit are counted once, whatever the order of arrival.
          std::uint64_t bytes = 0;
          for (const Record& r : tr.records()) bytes += r.kind == RecKind::Wire ? r.text.size() : 0;
          REQUIRE_FALSE(whole.total().empty());
          CHECK(whole.total().back().second == bytes);
          CHECK(whole.state().stores.size() == Replay(tr).at(tr.size()).stores.size());
        }
      }
    }
  }
}

SCENARIO("the trace index follows a live trace: clients join, rename themselves, get settings",
         "[view][index]") {
  GIVEN("a live world's trace with its server and one real client") {
    World w("live", Proto::IMAP, 1);
    w.add_account("alice", "secret");
    Trace& tr = w.trace();
    const std::uint16_t client = tr.actor("127.0.0.1:40000");
    tr.append({.t = 10, .t_end = 10, .kind = RecKind::Device, .actor = client,
               .ev = EventKind::Added, .device = ActorKind::Desktop, .text = "added"});
    view::TraceIndex ix;
    ix.extend(tr);
    REQUIRE(ix.devices().size() == 1);
    CHECK(ix.server() == w.server_actor());
    CHECK(ix.proto() == Proto::IMAP);
    CHECK(ix.internet() == tr.actor("internet"));
    CHECK(ix.kind_of(w.server_actor()) == ActorKind::Server);
    CHECK(ix.devices()[0].name == "127.0.0.1:40000");
    CHECK(ix.settings_at(tr, ix.devices()[0], tr.size()) == nullptr);
    WHEN("the client names itself by IMAP ID, and the trace is taken in again") {
      tr.append({.t = 20, .t_end = 20, .kind = RecKind::Device, .actor = client,
                 .ev = EventKind::Renamed, .name = "Thunderbird 115", .text = "renamed"});
      ix.extend(tr);
      THEN("the index shows the new name; the actor keeps its own") {
        CHECK(ix.devices()[0].name == "Thunderbird 115");
        CHECK(ix.name_of(client) == "Thunderbird 115");
        CHECK(tr.actor_name(client) == "127.0.0.1:40000");
        CHECK(ix.device_named(tr, "127.0.0.1:40000") == &ix.devices()[0]);
      }
    }
    WHEN("a simulated device joins later") {
      DeviceSpec d;
      d.name = "phone";
      d.account = "alice";
      d.password = "secret";
      d.client = "Thunderbird";
      const std::size_t before = tr.size();
      w.add_device(d);
      ix.extend(tr);
      THEN("it follows the client, with its settings from its Added record on") {
        REQUIRE(ix.devices().size() == 2);
        const view::TraceIndex::Device& phone = ix.devices()[1];
        CHECK(phone.name == "phone");
        CHECK(phone.kind == ActorKind::Phone);
        CHECK(phone.added_at == before);
        CHECK(ix.settings_at(tr, phone, before + 1) == nullptr);
        const DeviceSettings* s = ix.settings_at(tr, phone, tr.size());
        REQUIRE(s != nullptr);
        CHECK(s->client == "Thunderbird");
      }
    }
  }
}
