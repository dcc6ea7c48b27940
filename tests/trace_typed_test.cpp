// Typed trace records: code reads kinds and fields, never the display text.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "export/pcap.hpp"
#include "export/sequence.hpp"
#include "export/worlds_svg.hpp"
#include "lesson/lesson.hpp"
#include "lesson/session.hpp"
#include "lesson/table.hpp"
#include "trace/trace.hpp"
#include "view/world_scene.hpp"
#include "world/device.hpp"

using namespace ms;

namespace {

const std::string kLessons = std::string(MAILSCOPE_SOURCE_DIR) + "/lessons";

std::string bracketed(std::string s) { return "[" + s + "]"; }

// Rewords every display text while it lives, as a translation would.
struct Reworded {
  Reworded() { set_display_text_hook(&bracketed); }
  ~Reworded() { set_display_text_hook(nullptr); }
  Reworded(const Reworded&) = delete;
  Reworded& operator=(const Reworded&) = delete;
};

// What a lesson's run shows besides its display texts: checks, capture, sequence diagram,
// the worlds view at every step and at the end.
struct Shown {
  std::string checks, pcap, sequence, worlds;
  std::size_t texts_bracketed = 0;     // Event, Device and Settings records the hook reworded
  std::size_t settings_bracketed = 0;  // of them, Settings records
};

Shown show(const std::string& path) {
  LessonRun run = run_lesson(load_lesson(path));
  Shown s;
  std::vector<const World*> worlds;
  std::vector<DiagramWorld> diagram;
  for (const WorldRun& wr : run.worlds) {
    worlds.push_back(wr.world.get());
    diagram.push_back({wr.world.get(), wr.world->label()});
    for (const CheckResult& c : wr.checks)
      s.checks += c.world + " | " + c.description + " | " + (c.pass ? "pass" : "FAIL") + " | " +
                  c.observed + " | " + std::to_string(c.step) + " | " + std::to_string(c.at) +
                  "\n";
    for (const Record& r : wr.world->trace().records())
      if ((r.kind == RecKind::Event || r.kind == RecKind::Device || r.kind == RecKind::Settings) &&
          r.text.size() > 1 && r.text.front() == '[' && r.text.back() == ']') {
        ++s.texts_bracketed;
        s.settings_bracketed += r.kind == RecKind::Settings;
      }
  }
  for (const PcapFrame& f : pcap_frames(worlds)) s.pcap += std::to_string(f.t) + " " + f.bytes;
  s.sequence = sequence_svg(diagram, run.lesson.title);
  for (std::size_t k = 0; k < run.lesson.steps.size(); ++k)  // steps count from 1
    s.worlds += worlds_svg_at_step(run, static_cast<int>(k) + 1);
  s.worlds += worlds_svg(run, run.lesson.duration);
  return s;
}

}  // namespace

SCENARIO("rewording every display text changes no check, capture, diagram, worlds view or "
         "table cell", "[trace][typed]") {
  const std::vector<std::string> files = lesson_files(kLessons);
  REQUIRE(files.size() >= 10);
  for (const std::string& f : files) {
    GIVEN("the lesson " + f) {
      const Shown plain = show(f);
      Shown reworded;
      {
        Reworded hook;
        reworded = show(f);
      }
      THEN("the hook reached the texts, settings records' too, and nothing derived from the "
           "trace moved (the worlds view draws each device's settings from its records)") {
        CHECK(plain.texts_bracketed == 0);
        CHECK(reworded.texts_bracketed > 0);
        CHECK(reworded.settings_bracketed > 0);
        CHECK(reworded.checks == plain.checks);
        CHECK(reworded.pcap == plain.pcap);
        CHECK(reworded.sequence == plain.sequence);
        CHECK(reworded.worlds == plain.worlds);
      }
    }
  }
  GIVEN("the comparison table, decided from every row's lesson") {
    const std::string plain = format_table_json(compute_table(kLessons));
    std::string reworded;
    {
      Reworded hook;
      reworded = format_table_json(compute_table(kLessons));
    }
    CHECK(reworded == plain);
  }
}

SCENARIO("state changes carry the old and the new state as values", "[trace][typed]") {
  LessonRun run = run_lesson(load_lesson(kLessons + "/mail-storage.json"));
  const Trace& tr = run.worlds.front().world->trace();
  REQUIRE(run.worlds.front().world->proto() == Proto::POP3);
  std::vector<std::pair<std::string, std::string>> server;
  for (const Record& r : tr.records())
    if (r.kind == RecKind::Event && r.ev == EventKind::StateChanged && tr.actor_name(r.actor) == "server" &&
        r.proto == Proto::POP3) {
      server.emplace_back(r.old_state, r.new_state);
      CHECK(r.text.rfind(state_change_text(r.old_state, r.new_state), 0) == 0);
    }
  // RFC 1939 section 3: a session that logs in and quits goes through all three states.
  REQUIRE(server.size() >= 2);
  CHECK(server[0] == std::make_pair(std::string("AUTHORIZATION"), std::string("TRANSACTION")));
  CHECK(server[1] == std::make_pair(std::string("TRANSACTION"), std::string("UPDATE")));
}

SCENARIO("the JSON Lines trace names each record's kind beside its text", "[trace][typed]") {
  LessonRun run = run_lesson(load_lesson(kLessons + "/mail-storage.json"));
  const std::string j = run.worlds.front().world->trace().to_jsonl();
  CHECK_THAT(j, Catch::Contains(
                    R"j("kind":"device","actor":"server","proto":"POP3","text":"added","change":"added",)j"
                    R"j("device":"server"})j"));
  CHECK_THAT(j, Catch::Contains(R"j("text":"connects to the server (POP3)","event":"connected"})j"));
  CHECK_THAT(j, Catch::Contains(
                    R"j("text":"AUTHORIZATION -> TRANSACTION: maildrop of alice locked",)j"
                    R"j("event":"state-changed","old_state":"AUTHORIZATION","new_state":"TRANSACTION"})j"));
  CHECK_THAT(j, Catch::Contains(R"j("text":"connection closed","event":"closed"})j"));
}

SCENARIO("a session saved before records had kinds or settings is refused with a clear message",
         "[trace][typed][session]") {
  auto refusal = [](int version) {
    try {
      load_session(R"({"format": "mailscope-session", "version": )" + std::to_string(version) +
                       R"(, "lesson": "{}", "seed": 1, "worlds": []})",
                   "old.mailscope");
    } catch (const SessionError& e) {
      return std::string(e.what());
    }
    return std::string("loaded");
  };
  CHECK(kTraceFormatVersion == 4);
  CHECK(refusal(1) ==
        "old.mailscope: session format version 1 was saved by an older Mailscope, before trace "
        "records had kinds; this build reads version 4 only: save the lesson's session again");
  CHECK(refusal(2) ==
        "old.mailscope: session format version 2 was saved by an older Mailscope, before trace "
        "records held the devices' settings; this build reads version 4 only: save the "
        "lesson's session again");
  CHECK(refusal(3) ==
        "old.mailscope: session format version 3 was saved by an older Mailscope, before trace "
        "records could carry TLS; this build reads version 4 only: save the lesson's session "
        "again");
}

SCENARIO("the worlds view draws popped messages from the trace alone", "[trace][typed][view]") {
  GIVEN("the Gmail-style POP3 lesson run to its end") {
    LessonRun run = run_lesson(load_lesson(kLessons + "/gmail-pop.json"));
    const World& w = *run.worlds.front().world;
    REQUIRE(w.proto() == Proto::POP3);
    const Trace& tr = w.trace();
    std::size_t records = 0;
    for (const Record& r : tr.records()) records += r.ev == EventKind::MessagePopped;
    view::TraceIndex ix;  // no scenario numbers either: the trace alone
    ix.extend(tr);
    Replay replay(tr);
    const WorldView end = replay.at(tr.size());
    WHEN("its scene is built from the trace alone (no server settings, no accounts)") {
      const view::Scene sc = view::build_scene(tr, ix, end, {});
      std::size_t popped = 0, chips = 0;
      for (const view::Folder& f : sc.server.folders)
        for (const view::Chip& c : f.chips) popped += c.popped, ++chips;
      THEN("each message the trace records as popped is drawn popped") {
        CHECK(records > 0);
        CHECK(ix.popped().size() == records);
        CHECK(chips > 0);
        CHECK(popped == records);
      }
    }
  }
}

SCENARIO("a device's settings are trace records, and the worlds view draws the ones in force",
         "[trace][typed][view]") {
  GIVEN("the client-defaults lesson, whose POP3 desktop keeps mail on the server 14 days") {
    const Lesson lesson = load_lesson(kLessons + "/client-defaults.json");
    std::unique_ptr<World> w = build_world(lesson, Proto::POP3, lesson.seed);
    const Trace& tr = w->trace();
    WHEN("the user changes its settings a minute in: delete after download, a dial-up link") {
      w->sched().at(kMinute, [&w] {
        DeviceSettings s = w->device("desktop")->spec();
        s.pop3.leave_on_server = false;
        s.link = {150 * kMs, 56'000};
        w->device("desktop")->set_settings(s);
      });
      w->run_until(2 * kMinute);
      view::TraceIndex ix(view::scenario_ids(*w));
      ix.extend(tr);
      auto desktop_at = [&](Tick t) {
        WorldView v = Replay(tr).at(tr.index_after(t));
        v.t = t;
        const view::Scene sc = view::build_scene(tr, ix, v, {});
        REQUIRE(sc.devices.size() >= 1);
        REQUIRE(sc.devices[0].name == "desktop");
        return std::make_pair(sc.devices[0].info, sc.links[0].speed);
      };
      THEN("its records say so, and the view shows the old settings before and the new after") {
        const view::TraceIndex::Device* d = ix.device_named(tr, "desktop");
        REQUIRE(d != nullptr);
        REQUIRE(d->settings.size() == 2);
        const Record& first = tr.records()[d->settings[0]];
        CHECK(first.kind == RecKind::Settings);
        CHECK(first.proto == Proto::POP3);
        CHECK(first.t == 0);
        CHECK(tr.records()[d->settings[1]].t == kMinute);
        CHECK(desktop_at(30 * kSecond) ==
              std::make_pair(std::vector<std::string>{"Thunderbird", "leave on server 14 days"},
                             std::string("20 Mbit/s \xc2\xb7 20 ms")));
        CHECK(desktop_at(90 * kSecond) ==
              std::make_pair(std::vector<std::string>{"Thunderbird", "delete after download"},
                             std::string("56 kbit/s \xc2\xb7 150 ms")));
        CHECK(w->device("desktop")->spec().link.bits_per_second == 56'000);
      }
      THEN("the JSON Lines trace writes them with the protocol's policy only") {
        const std::string j = tr.to_jsonl();
        CHECK_THAT(j, Catch::Contains(
                          R"j("kind":"settings","actor":"desktop","proto":"POP3","text":"settings",)j"
                          R"j("client":"Thunderbird","link":{"latency":150000,"bits_per_second":56000},)j"
                          R"j("pop3":{"leave_on_server":false,"delete_after_days":14,)j"));
        CHECK_THAT(j, !Catch::Contains(R"j("imap":{)j"));
        CHECK_THAT(j, Catch::Contains(
                          R"j("kind":"device","actor":"server","proto":"POP3","text":"added",)j"));
      }
    }
  }
}
