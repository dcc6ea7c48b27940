// Sandbox intents: the user's actions are inserted into a copy of the lesson and the lesson is
// re-run; the new run equals the old one before the action and branches after it.
#include "intents.hpp"

#include <catch2/catch.hpp>

#include "world/device.hpp"

namespace {
const std::string kLessons = std::string(MAILSCOPE_SOURCE_DIR) + "/lessons";

ms::Lesson sync_lesson() { return ms::load_lesson(ms::find_lesson("synchronisation", kLessons)); }

ms::World& world(ms::LessonRun& run, ms::Proto p) {
  for (auto& w : run.worlds)
    if (w.world->proto() == p) return *w.world;
  FAIL("no such world");
  throw 0;
}

int seen(const ms::Store& s) {
  const ms::Folder* f = s.folder("INBOX");
  int n = 0;
  if (f)
    for (const ms::Entry& e : f->entries) n += e.flags.has(ms::kSeen);
  return n;
}

int seen_on(ms::World& w, const std::string& where) {
  if (where == "server") return seen(w.server().find("alice")->store);
  return seen(w.device(where)->store());
}

// The wire/store/device records that started before `t`, one JSON line each.
std::vector<std::string> lines_before(const ms::Trace& tr, ms::Tick t) {
  std::vector<std::string> out;
  std::string all = tr.to_jsonl();
  std::size_t i = 0;
  for (const ms::Record& r : tr.records()) {
    const std::size_t nl = all.find('\n', i);
    if (r.t < t) out.push_back(all.substr(i, nl - i));
    i = nl + 1;
  }
  return out;
}
}  // namespace

SCENARIO("a read intent in the synchronisation lesson branches a new future", "[sandbox]") {
  GIVEN("the synchronisation lesson and its run") {
    const ms::Lesson lesson = sync_lesson();
    ms::LessonRun original = ms::run_lesson(lesson);
    WHEN("the desktop reads message 2 at 45 s") {
      auto intent = ms::parse_intent("desktop read 2 at 45");
      REQUIRE(intent);
      ms::LessonRun branched = ms::run_lesson(ms::apply_intents(lesson, {*intent}));
      THEN("with IMAP the server and the phone learn it; with POP3 only the desktop knows") {
        CHECK(seen_on(world(original, ms::Proto::IMAP), "server") == 1);
        CHECK(seen_on(world(branched, ms::Proto::IMAP), "server") == 2);
        CHECK(seen_on(world(branched, ms::Proto::IMAP), "desktop") == 2);
        CHECK(seen_on(world(original, ms::Proto::POP3), "desktop") == 0);
        CHECK(seen_on(world(branched, ms::Proto::POP3), "desktop") == 1);
        CHECK(seen_on(world(branched, ms::Proto::POP3), "phone") == 1);
      }
      THEN("every record before 45 s is byte-identical to the original's") {
        for (ms::Proto p : {ms::Proto::POP3, ms::Proto::IMAP}) {
          auto a = lines_before(world(original, p).trace(), 45 * ms::kSecond);
          auto b = lines_before(world(branched, p).trace(), 45 * ms::kSecond);
          REQUIRE(a.size() > 10);
          CHECK(a == b);
        }
      }
      THEN("the run is extended so the action can play out") {
        CHECK(branched.lesson.duration == 60 * ms::kSecond);
      }
    }
  }
}

SCENARIO("intents are parsed from short sentences", "[sandbox]") {
  auto a = ms::parse_intent("phone read 1 at 30");
  REQUIRE(a);
  CHECK(a->action.device == "phone");
  CHECK(a->action.what == "read");
  CHECK(a->action.message == 1);
  CHECK(a->action.at == 30 * ms::kSecond);
  auto b = ms::parse_intent("desktop go offline at 12.5");
  REQUIRE(b);
  CHECK(b->action.what == "go offline");
  CHECK(b->action.at == 12500 * ms::kMs);
  auto c = ms::parse_intent("phone send Lunch plans to carol@example.org at 3");
  REQUIRE(c);
  CHECK(c->action.subject == "Lunch plans");
  CHECK(c->action.to == "carol@example.org");
  std::string err;
  CHECK_FALSE(ms::parse_intent("phone read at 30", &err));
  CHECK(err.find("message number") != std::string::npos);
  CHECK_FALSE(ms::parse_intent("phone dance at 30"));
  CHECK_FALSE(ms::parse_intent("phone read 1 at soon"));
}

SCENARIO("intents keep the script in time order and settings apply from the start",
         "[sandbox]") {
  const ms::Lesson lesson = sync_lesson();
  ms::Intent go = *ms::parse_intent("phone go offline at 20");
  ms::Intent settings;
  settings.kind = ms::Intent::Kind::Device;
  settings.device = lesson.devices[0];
  settings.device.pop3.leave_on_server = false;
  ms::Lesson L = ms::apply_intents(lesson, {go, settings});
  REQUIRE(L.script.size() == lesson.script.size() + 1);
  for (std::size_t i = 1; i < L.script.size(); ++i) CHECK(L.script[i - 1].at <= L.script[i].at);
  // After the desktop's check at 20 s, which was already due then.
  CHECK(L.script[4].what == "go offline");
  CHECK_FALSE(L.devices[0].pop3.leave_on_server);
  CHECK(ms::branch_time({go}) == 20 * ms::kSecond);
  CHECK(ms::branch_time({go, settings}) == 0);
  CHECK_FALSE(ms::branch_time({}));
}

SCENARIO("the sandbox swaps in a new run only when something was queued", "[sandbox]") {
  ms::Sandbox s;
  s.base = sync_lesson();
  CHECK_FALSE(ms::rerun_sandbox(s));
  s.pending.push_back(*ms::parse_intent("phone lose at 35"));
  auto run = ms::rerun_sandbox(s);
  REQUIRE(run);
  CHECK(s.active());
  CHECK(s.pending.empty());
  CHECK(s.generation == 1);
  s.reset = true;
  REQUIRE(ms::rerun_sandbox(s));
  CHECK_FALSE(s.active());
  CHECK(s.generation == 2);
}

SCENARIO("a settings intent re-runs the lesson with the new client policy from the start",
         "[sandbox]") {
  const ms::Lesson lesson = sync_lesson();
  std::vector<ms::Intent> intents;
  for (const ms::DeviceSpec& d : lesson.devices) {
    ms::Intent in;
    in.kind = ms::Intent::Kind::Device;
    in.device = d;
    in.device.pop3.leave_on_server = false;
    intents.push_back(in);
  }
  ms::LessonRun run = ms::run_lesson(ms::apply_intents(lesson, intents));
  ms::World& pop3 = world(run, ms::Proto::POP3);
  THEN("without 'leave on server' the phone takes both messages and the desktop gets none") {
    CHECK(pop3.server().find("alice")->store.folder("INBOX")->entries.empty());
    CHECK(pop3.device("phone")->store().folder("INBOX")->entries.size() == 2);
    CHECK(pop3.device("desktop")->store().folder("INBOX")->entries.empty());
  }
  THEN("the lesson's own duration is kept: settings add no time") {
    CHECK(run.lesson.duration == lesson.duration);
  }
}

SCENARIO("after Try it yourself changes a run, the steps and checks it altered are marked",
         "[sandbox]") {
  GIVEN("the synchronisation lesson and a sandbox on it") {
    ms::Sandbox s;
    s.base = sync_lesson();
    WHEN("the desktop reads message 2 at 35 s, in step 3 (the phone reads message 1)") {
      s.pending.push_back(*ms::parse_intent("desktop read 2 at 35"));
      auto run = ms::rerun_sandbox(s);
      REQUIRE(run);
      THEN("steps 3, 4 and 5 end differently from the lesson as planned; steps 1 and 2 do not") {
        CHECK(s.changes.steps == std::vector<int>{2, 3, 4});
        CHECK_FALSE(s.changes.step_changed(1));
      }
      THEN("the checks about read state after 35 s are re-decided, the others are not") {
        std::vector<std::string> changed;
        for (std::size_t w = 0; w < run->worlds.size(); ++w)
          for (std::size_t k = 0; k < run->worlds[w].checks.size(); ++k)
            if (s.changes.check_changed(w, k))
              changed.push_back(run->worlds[w].checks[k].description.substr(
                  0, run->worlds[w].checks[k].description.find(" (")));
        CHECK(changed == std::vector<std::string>{
                             "POP3: the desktop still shows message 1 unread",
                             "POP3: after checking again the desktop still never learned that the phone read message 1",
                             "IMAP: the desktop already shows message 1 as read before it checks again",
                             "IMAP: the server holds the read state",
                             "IMAP: phone and desktop agree, message 1 read",
                             "IMAP: the phone shows the same"});
      }
    }
    WHEN("the change is taken back") {
      s.pending.push_back(*ms::parse_intent("desktop read 2 at 35"));
      REQUIRE(ms::rerun_sandbox(s));
      s.reset = true;
      REQUIRE(ms::rerun_sandbox(s));
      THEN("nothing is marked") {
        CHECK(s.changes.steps.empty());
        CHECK(s.changes.checks.empty());
      }
    }
  }
}
