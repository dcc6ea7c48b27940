#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "lesson/lesson.hpp"
#include "lesson_errors.hpp"
#include "lesson/report.hpp"
#include "lesson/table.hpp"
#include "world/device.hpp"

using namespace ms;

namespace {
std::string lesson_path(const char* id) {
  return std::string(MAILSCOPE_SOURCE_DIR) + "/lessons/" + id + ".json";
}
using ms_test::error_of;
const char* kMinimal = R"({
  "id": "t", "title": "T",
  "accounts": [{"name": "alice", "password": "secret"}],
  "devices": [{"name": "phone", "kind": "phone"}],
  "script": [{"at": "1s", "device": "phone", "do": "check mail"}]
})";
}  // namespace

SCENARIO("the mail-storage lesson shows mail moving to the phone with POP3 and staying on the server with IMAP") {
  LessonRun run = run_lesson(load_lesson(lesson_path("mail-storage")));
  REQUIRE(run.worlds.size() == 2);
  for (const auto& wr : run.worlds)
    for (const auto& c : wr.checks) {
      INFO(wr.world->label() << ": " << c.description << " observed " << c.observed);
      CHECK(c.pass);
    }
  CHECK(run.all_pass());
  World& pop3 = *run.worlds[0].world;
  World& imap = *run.worlds[1].world;
  CHECK(pop3.server().find("alice")->store.folder("INBOX")->entries.size() == 0);
  CHECK(pop3.device("phone")->store().folder("INBOX")->entries.size() == 3);
  CHECK(imap.server().find("alice")->store.folder("INBOX")->entries.size() == 3);
  CHECK(imap.device("phone")->store().folder("INBOX")->entries.size() == 3);
}

SCENARIO("the same lesson and seed give a byte-identical trace") {
  Lesson L = load_lesson(lesson_path("mail-storage"));
  LessonRun a = run_lesson(L, 7), b = run_lesson(L, 7);
  for (std::size_t i = 0; i < a.worlds.size(); ++i)
    CHECK(a.worlds[i].world->trace().to_jsonl() == b.worlds[i].world->trace().to_jsonl());
  CHECK(format_transcript(a) == format_transcript(b));
}

SCENARIO("the POP3 transcript of the mail-storage lesson is exactly what a POP3 server says") {
  LessonRun run = run_lesson(load_lesson(lesson_path("mail-storage")));
  std::string t = format_world_transcript(*run.worlds[0].world);
  CHECK_THAT(t, Catch::Contains("server -> phone  POP3  S: +OK maildrop has 3 messages (767 octets)\n"));
  CHECK_THAT(t, Catch::Contains("phone -> server  POP3  C: RETR 1\n"));
  CHECK_THAT(t, Catch::Contains("phone -> server  POP3  C: DELE 3\n"));
  CHECK_THAT(t, Catch::Contains("S: +OK mail.example.com POP3 server signing off (0 messages left)\n"));
  std::string i = format_world_transcript(*run.worlds[1].world);
  // The server offers QRESYNC, so the phone enables it first (RFC 7162); with nothing cached
  // yet, the first sync still lists every UID.
  CHECK_THAT(i, Catch::Contains("phone -> server  IMAP  C: A2 ENABLE QRESYNC\n"));
  CHECK_THAT(i, Catch::Contains("phone -> server  IMAP  C: A4 UID FETCH 1:* (FLAGS)\n"));
  CHECK_THAT(i, Catch::Contains("S: * 1 FETCH (UID 1 BODY[] {248}\n"));
}

SCENARIO("replaying the trace reconstructs the stores at any record") {
  LessonRun run = run_lesson(load_lesson(lesson_path("mail-storage")));
  const Trace& t = run.worlds[0].world->trace();
  Replay small(t, 7), big(t, 100000);
  std::uint16_t server = 0, phone = 2;
  REQUIRE(t.actor_name(phone) == "phone");
  std::size_t max_server = 0;
  for (std::size_t i = 0; i <= t.size(); ++i) {
    WorldView a = small.at(i), b = big.at(i);
    REQUIRE(a.stores.size() == b.stores.size());
    for (std::size_t s = 0; s < a.stores.size(); ++s) CHECK(a.stores[s].count() == b.stores[s].count());
    if (a.stores.size() > server) max_server = std::max(max_server, a.stores[server].count());
  }
  WorldView end = small.at(t.size());
  CHECK(max_server == 3);
  CHECK(end.stores[server].count() == 0);
  CHECK(end.stores[phone].count() == 3);
  CHECK(end.stores[phone].folder("INBOX")->entries.size() == 3);
  // Seeking backwards after forwards gives the earlier state again.
  CHECK(small.at(t.size() / 3).index == t.size() / 3);
}

SCENARIO("a malformed lesson names the file, line, column and field at fault") {
  GIVEN("broken JSON") {
    std::string e = error_of("{\n  \"id\": \"x\",\n  \"title\": }\n");
    CHECK_THAT(e, Catch::StartsWith("bad.json:3:12: invalid JSON"));
  }
  GIVEN("an unknown field") {
    std::string text = kMinimal;
    text.insert(text.find("\"title\""), "\"colour\": 3, ");
    CHECK_THAT(error_of(text), Catch::StartsWith("bad.json:2:"));
    CHECK_THAT(error_of(text), Catch::Contains("field 'colour': unknown field"));
  }
  GIVEN("a field of the wrong type") {
    std::string text = kMinimal;
    text.replace(text.find("\"phone\", \"kind\""), 7, "42");
    CHECK_THAT(error_of(text), Catch::Contains("bad.json:4:24: field 'devices.0.name': expected a string"));
  }
  GIVEN("an action on a device that was never set up") {
    std::string text = kMinimal;
    text.replace(text.find("\"device\": \"phone\""), 17, "\"device\": \"tablet\"");
    CHECK_THAT(error_of(text), Catch::Contains("bad.json:5:"));
    CHECK_THAT(error_of(text), Catch::Contains("field 'script.0.device': unknown device 'tablet'"));
  }
  GIVEN("an impossible time") {
    std::string text = kMinimal;
    text.replace(text.find("\"1s\""), 4, "\"soon\"");
    CHECK_THAT(error_of(text), Catch::Contains("field 'script.0.at': not a time: \"soon\""));
  }
  GIVEN("actions out of order") {
    std::string text = kMinimal;
    text.replace(text.find("}]\n}"), 2,
                 "}, {\"at\": \"0s\", \"device\": \"phone\", \"do\": \"check mail\"}]");
    CHECK_THAT(error_of(text), Catch::Contains("field 'script.1.at': actions must be in time order"));
  }
  GIVEN("an account without a password") {
    std::string text = kMinimal;
    text.replace(text.find("\"secret\""), 8, "\"\"");
    CHECK_THAT(error_of(text), Catch::Contains("field 'accounts.0.password': every account needs a password"));
  }
  GIVEN("a missing file") {
    CHECK_THROWS_WITH(load_lesson("/nonexistent/x.json"), "/nonexistent/x.json: cannot open lesson file");
  }
}

SCENARIO("durations are read in lesson units") {
  CHECK(parse_duration("90s") == 90 * kSecond);
  CHECK(parse_duration("1m30s") == 90 * kSecond);
  CHECK(parse_duration("14d") == 14 * kDay);
  CHECK(parse_duration("250ms") == 250 * kMs);
  CHECK_FALSE(parse_duration("soon"));
  CHECK_FALSE(parse_duration(""));
  CHECK(format_time(90 * kSecond + 250 * kMs) == "00:01:30.250");
  CHECK(format_time(15 * kDay + kHour) == "15d 01:00:00.000");
}

SCENARIO("every lesson in lessons/ loads and all its expectations pass in every world") {
  for (const auto& f : lesson_files(std::string(MAILSCOPE_SOURCE_DIR) + "/lessons")) {
    INFO(f);
    Lesson L = load_lesson(f);
    CHECK(!L.expect.empty());
    LessonRun run = run_lesson(L);
    for (const auto& wr : run.worlds)
      for (const auto& c : wr.checks) {
        INFO(wr.world->label() << ": " << c.description << " observed " << c.observed);
        CHECK(c.pass);
      }
  }
}

SCENARIO("a lesson sets a device's use_condstore, named as Thunderbird names the pref") {
  const std::string kind = R"("kind": "phone"})";
  std::string text = kMinimal;
  text.replace(text.find(kind), kind.size(),
               R"("kind": "phone", "imap": {"use_condstore": false}})");
  Lesson L = parse_lesson(text, "t.json");
  REQUIRE(L.devices.size() == 1);
  CHECK_FALSE(L.devices[0].imap.use_condstore);
  CHECK(parse_lesson(kMinimal, "t.json").devices[0].imap.use_condstore);
  std::string bad = kMinimal;
  bad.replace(bad.find(kind), kind.size(),
              R"("kind": "phone", "imap": {"use_condstore": "yes"}})");
  CHECK_THAT(error_of(bad), Catch::Contains("use_condstore"));
}

namespace {
// Mail arrives at 0s, the phone checks at 10s; three steps; one expectation per step.
const char* kStepped = R"({
  "id": "s", "title": "S",
  "accounts": [{"name": "alice", "password": "secret"}],
  "devices": [{"name": "phone", "kind": "phone", "pop3": {"leave_on_server": false}}],
  "script": [{"at": "0s", "do": "mail arrives"},
             {"at": "10s", "device": "phone", "do": "check mail"}],
  "duration": "30s",
  "steps": [{"at": "0s", "title": "arrives"}, {"at": "10s", "title": "checks"},
            {"at": "20s", "title": "after"}],
  "expect": [
    {"where": "phone", "count": 0, "step": 2, "says": "the phone has not got it when the check starts"},
    {"where": "phone", "count": 1, "says": "by default decided at the last step"},
    {"where": "phone", "count": 0, "at": "5s", "says": "before the check"}
  ]
})";
}  // namespace

SCENARIO("each expectation is decided at the step it belongs to, and carries that step and time") {
  LessonRun run = run_lesson(parse_lesson(kStepped, "s.json"));
  for (const auto& wr : run.worlds) {
    INFO(wr.world->label());
    REQUIRE(wr.checks.size() == 3);
    // Named step 2 (1-based in the file): decided when step 2 starts, before its check mail
    // has brought anything.
    CHECK(wr.checks[0].step == 1);
    CHECK(wr.checks[0].at == 10 * kSecond);
    CHECK(wr.checks[0].pass);
    // No step named: the last step, at its moment rather than the run's end.
    CHECK(wr.checks[1].step == 2);
    CHECK(wr.checks[1].at == 20 * kSecond);
    CHECK(wr.checks[1].pass);
    // An "at" belongs to the step in force then.
    CHECK(wr.checks[2].step == 0);
    CHECK(wr.checks[2].at == 5 * kSecond);
    CHECK(wr.checks[2].pass);
  }
  std::string report = format_checks(run);
  CHECK_THAT(report, Catch::Contains(
      "  PASS  [POP3] step 2 at 00:00:10.000: the phone has not got it when the check starts "
      "(phone INBOX holds 0 message(s))\n"));
  CHECK_THAT(report, Catch::Contains("  PASS  [IMAP] step 3 at 00:00:20.000: by default decided"));
  CHECK_THAT(report, Catch::EndsWith("6 passed, 0 failed\n"));
}

SCENARIO("a check decided before its step's action completes fails, so the step matters") {
  std::string text = kStepped;
  // Claiming the phone already holds the message when step 2 starts is false: the check has
  // only just begun.
  text.replace(text.find("\"count\": 0, \"step\": 2"), 21, "\"count\": 1, \"step\": 2");
  LessonRun run = run_lesson(parse_lesson(text, "s.json"));
  CHECK_FALSE(run.all_pass());
  CHECK_FALSE(run.worlds[0].checks[0].pass);
  CHECK(run.worlds[0].checks[0].observed == "0 message(s)");
}

SCENARIO("a lesson without steps decides its expectations at the end of the run") {
  std::string text = kStepped;
  text.replace(text.find("\"steps\""), text.find("\"expect\"") - text.find("\"steps\""), "");
  text.replace(text.find(", \"step\": 2"), 11, "");
  text.replace(text.find("{\"where\": \"phone\", \"count\": 0, \"says\""),
               std::string("{\"where\": \"phone\", \"count\": 0, \"says\": \"the phone has not got it when the check starts\"},").size(),
               "");
  LessonRun run = run_lesson(parse_lesson(text, "s.json"));
  REQUIRE(run.worlds[0].checks.size() == 2);
  CHECK(run.worlds[0].checks[0].step == -1);
  CHECK(run.worlds[0].checks[0].at == 5 * kSecond);
  CHECK(run.worlds[0].checks[1].step == -1);
  CHECK(run.worlds[0].checks[1].at == 30 * kSecond);
  CHECK_THAT(format_checks(run), Catch::Contains("[POP3] at the end, 00:00:30.000: by default"));
}

SCENARIO("the loader rejects a step an expectation cannot belong to, and bad quiz feedback") {
  auto with = [](const std::string& from, const std::string& to) {
    std::string text = kStepped;
    text.replace(text.find(from), from.size(), to);
    return error_of(text);
  };
  CHECK_THAT(with("\"step\": 2", "\"step\": 4"),
             Catch::Contains("field 'expect.0.step': must be between 1 and 3"));
  CHECK_THAT(with("\"step\": 2", "\"step\": 2, \"at\": \"3s\""),
             Catch::Contains("field 'expect.0.step': give 'step' or 'at', not both"));
  CHECK_THAT(with("{\"at\": \"20s\", \"title\": \"after\"}", "{\"at\": \"5s\", \"title\": \"after\"}"),
             Catch::Contains("field 'steps.2.at': steps must be in time order"));
  CHECK_THAT(with("\"title\": \"S\",", "\"title\": \"S\", \"takeaway\": \"one\\ntwo\","),
             Catch::Contains("field 'takeaway': the takeaway is one line"));
  std::string quiz =
      R"(, "quiz": [{"question": "Q?", "choices": ["a", "b"], "answer": 0, "feedback": ["yes"]}]})";
  CHECK_THAT(with("]\n}", "]" + quiz),
             Catch::Contains("field 'quiz.0.feedback': expected a list with one text per choice (2)"));
  std::string good =
      R"(, "quiz": [{"question": "Q?", "choices": ["a", "b"], "answer": 0, "feedback": ["yes", "no"]}]})";
  std::string text = kStepped;
  text.replace(text.find("]\n}"), 3, "]" + good);
  Lesson L = parse_lesson(text, "s.json");
  REQUIRE(L.quiz.size() == 1);
  CHECK(L.quiz[0].feedback == std::vector<std::string>{"yes", "no"});
}

SCENARIO("every shipped lesson teaches with a takeaway, three or more quiz questions with "
         "feedback on every answer, and checks at its steps") {
  for (const auto& f : lesson_files(std::string(MAILSCOPE_SOURCE_DIR) + "/lessons")) {
    INFO(f);
    Lesson L = load_lesson(f);
    CHECK_FALSE(L.takeaway.empty());
    CHECK(L.quiz.size() >= 3);
    for (const auto& q : L.quiz) {
      INFO(q.question);
      CHECK(q.feedback.size() == q.choices.size());
      CHECK_FALSE(q.explain.empty());
    }
    REQUIRE_FALSE(L.steps.empty());
    // Narrative backed by checks: the closing step and at least one earlier step are checked.
    std::set<int> checked;
    for (const auto& x : L.expect) checked.insert(decided_when(L, x).first);
    CHECK(checked.count(static_cast<int>(L.steps.size()) - 1) == 1);
    CHECK(checked.size() >= 2);
  }
}

SCENARIO("lessons/course.json lists every lesson once, under a row the lesson shows") {
  const std::string dir = std::string(MAILSCOPE_SOURCE_DIR) + "/lessons";
  std::ifstream in(dir + "/course.json");
  REQUIRE(in);
  nlohmann::json j = nlohmann::json::parse(in);
  REQUIRE(j.contains("groups"));
  std::map<std::string, int> listed;
  const auto& rows = table_row_names();
  for (const auto& g : j["groups"]) {
    const std::string row = g.at("row").get<std::string>();
    const bool table_row = std::find(rows.begin(), rows.end(), row) != rows.end();
    for (const auto& id_json : g.at("lessons")) {
      const std::string id = id_json.get<std::string>();
      INFO(row << ": " << id);
      ++listed[id];
      REQUIRE(std::filesystem::exists(dir + "/" + id + ".json"));
      Lesson L = load_lesson(dir + "/" + id + ".json");
      CHECK(L.id == id);
      // Grouped under a table row only if the lesson shows that row; the rest go in a group
      // that is not a table row.
      if (table_row) CHECK(std::find(L.rows.begin(), L.rows.end(), row) != L.rows.end());
      else CHECK(L.rows.empty());
    }
  }
  for (const auto& f : lesson_files(dir)) {
    Lesson L = load_lesson(f);
    INFO(f);
    CHECK(listed[L.id] == 1);
  }
  CHECK(listed.size() == lesson_files(dir).size());
}

SCENARIO("every row a lesson lists is decided from its own run, as its handout shows it") {
  for (const auto& f : lesson_files(std::string(MAILSCOPE_SOURCE_DIR) + "/lessons")) {
    INFO(f);
    LessonRun run = run_lesson(load_lesson(f));
    std::vector<std::string> decided;
    for (const auto& r : decide_rows(run)) decided.push_back(r.row);
    CHECK(decided == run.lesson.rows);
  }
}
