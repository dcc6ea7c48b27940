// Issue 24: predictions whose answers the run computes, tasks the simulation checks, learners'
// results and the class summary, and the Moodle question bank.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

#include "lesson/assess.hpp"
#include "lesson/lesson.hpp"
#include "lesson/moodle.hpp"
#include "lesson/results.hpp"
#include "lesson_errors.hpp"
#include "run_cli.hpp"

using namespace ms;

namespace {

std::string lesson_path(const std::string& id) {
  return std::string(MAILSCOPE_SOURCE_DIR) + "/lessons/" + id + ".json";
}
Lesson lesson(const std::string& id) { return load_lesson(lesson_path(id)); }

// A two-step lesson whose first step ends before the phone's check and whose second after.
const char* kPredicting = R"({
  "id": "p", "title": "P", "worlds": ["pop3"],
  "accounts": [{"name": "alice", "password": "secret"}],
  "devices": [{"name": "phone", "kind": "phone"}],
  "script": [{"at": "0s", "do": "mail arrives", "subject": "Hi"},
             {"at": "10s", "device": "phone", "do": "check mail"}],
  "steps": [{"at": "0s", "title": "Mail arrives"}, {"at": "10s", "title": "The phone checks"}],
  "predictions": [{"step": 2, "question": "Is message 1 still on the server?",
    "query": {"holds": "message 1", "on": "server"},
    "choices": [{"text": "Yes", "value": true}, {"text": "No", "value": false}],
    "feedback": ["a", "b"]}]
})";

// kPredicting with its query replaced by `query`.
std::string with_query(const std::string& query) {
  std::string t = kPredicting;
  const auto a = t.find("\"query\": {");
  const auto b = t.find('}', a) + 1;
  return t.replace(a, b - a, "\"query\": " + query);
}

}  // namespace

SCENARIO("every lesson carries a prediction, and each one's right choice is the one its run gives") {
  // lesson -> the choice (0-based) its run makes right, and the value it measured.
  const std::map<std::string, std::pair<int, std::int64_t>> expected = {
      {"client-defaults", {2, 4}},   {"deleted-mail", {0, 1}},      {"disaster-recovery", {0, 0}},
      {"gmail-pop", {0, 0}},         {"imap-not-backup", {1, 0}},   {"leave-on-server", {2, 3}},
      {"limited-connectivity", {0, 883}}, {"mail-storage", {1, 0}}, {"moving-to-imap", {2, 2}},
      {"offline-access", {1, 0}},    {"pop3-details", {2, 2}},      {"push-on-phones", {1, 0}},
      {"push-vs-polling", {1, 0}},   {"quick-resync", {1, 1}},      {"sent-mail", {1, 0}},
      {"synchronisation", {1, 1}},   {"what-breaks", {2, 2}},       {"where-did-my-mail-go", {1, 0}},
      {"who-can-read", {0, 1}}};
  const auto files = lesson_files(std::string(MAILSCOPE_SOURCE_DIR) + "/lessons");
  REQUIRE(files.size() == expected.size());
  for (const auto& f : files) {
    const Lesson L = load_lesson(f);
    INFO(L.id);
    REQUIRE(!L.predictions.empty());
    const auto got = decide_predictions(run_lesson(L));
    REQUIRE(expected.count(L.id) == 1);
    CHECK(got[0].answer == expected.at(L.id).first);
    CHECK(got[0].value == expected.at(L.id).second);
    for (const auto& p : L.predictions) CHECK(p.feedback.size() == p.choices.size());
  }
}

SCENARIO("a prediction's answer follows the lesson's settings: the key is computed, never typed in") {
  GIVEN("mail-storage, whose POP3 phone removes mail from the server") {
    Lesson L = lesson("mail-storage");
    CHECK(decide_predictions(run_lesson(L))[0].answer == 1);  // "No, it now lives only on the phone"
    WHEN("the phone leaves mail on the server") {
      L.devices[0].pop3.leave_on_server = true;
      const auto got = decide_predictions(run_lesson(L))[0];
      THEN("the right choice becomes \"Yes, the server keeps it\"") {
        CHECK(got.answer == 0);
        CHECK(got.observed == "message 1 is on server INBOX");
      }
    }
  }
  GIVEN("disaster-recovery, whose lost laptop took every message") {
    Lesson L = lesson("disaster-recovery");
    CHECK(decide_predictions(run_lesson(L))[0].answer == 0);
    WHEN("the laptop leaves mail on the server") {
      L.devices[0].pop3.leave_on_server = true;
      THEN("the new tablet gets all three, the third choice") {
        CHECK(decide_predictions(run_lesson(L))[0].answer == 2);
      }
    }
  }
  GIVEN("two choices that stand for the same value") {
    std::string t = kPredicting;
    const std::string no = "{\"text\": \"No\", \"value\": false}";
    t.replace(t.find(no), no.size(), "{\"text\": \"Maybe\", \"value\": true}");
    THEN("parsing refuses two choices for one value") {
      CHECK_THAT(ms_test::error_of(t), Catch::Contains("bad.json:10:49: field 'predictions.0.choices.1': overlaps the values of choice \"Yes\""));
    }
  }
  GIVEN("a count whose choices leave the measured value out") {
    std::string t = with_query(R"({"count": "messages", "on": "server"})");
    const std::string yes_no = R"({"text": "Yes", "value": true}, {"text": "No", "value": false})";
    t.replace(t.find(yes_no), yes_no.size(), R"({"text": "one", "value": 1}, {"text": "two", "min": 2})");
    const Lesson L = parse_lesson(t, "p.json");
    THEN("deciding it names the lesson, the question and what the run showed") {
      CHECK_THROWS_WITH(decide_predictions(run_lesson(L)),
                        "p.json: prediction \"Is message 1 still on the server?\": no choice holds "
                        "what the pop3 run shows at 00:05:10.000 (0 message(s) on server INBOX)");
    }
  }
}

SCENARIO("a prediction's query that names something the lesson lacks is refused with its place in the file") {
  using ms_test::error_of;
  CHECK(error_of(kPredicting).empty());
  CHECK(error_of(with_query(R"({"holds": "message 1", "on": "tablet"})")) ==
        "bad.json:9:43: field 'predictions.0.query.on': unknown device 'tablet' (server, phone, "
        "devices, everywhere)");
  CHECK(error_of(with_query(R"({"count": "messages", "on": "server", "folder": "Archive"})")) ==
        "bad.json:9:62: field 'predictions.0.query.folder': unknown folder 'Archive' (Drafts, "
        "INBOX, Junk, Sent, Trash)");
  CHECK(error_of(with_query(R"({"holds": "message 3", "on": "server"})")) ==
        "bad.json:9:24: field 'predictions.0.query.holds': unknown message 3 (the script has 1)");
  CHECK(error_of(with_query(R"({"count": "chips", "on": "server"})")) ==
        "bad.json:9:24: field 'predictions.0.query.count': unknown count 'chips' (copies, "
        "messages, read, flagged, bytes)");
  std::string t = kPredicting;
  t.replace(t.find("\"step\": 2"), 9, "\"step\": 3");
  CHECK(error_of(t) == "bad.json:8:28: field 'predictions.0.step': must be between 1 and 2");
}

SCENARIO("a task is decided by re-running the lesson: any configuration that meets the goal passes") {
  GIVEN("mail-storage's task: keep every message on the server") {
    const Lesson L = lesson("mail-storage");
    REQUIRE(L.task);
    CHECK(L.task->world == Proto::POP3);
    THEN("the lesson as written fails it") {
      const TaskOutcome out = check_task(L, {});
      CHECK_FALSE(out.pass);
      REQUIRE(out.checks.size() == 1);
      CHECK(out.checks[0].observed == "0 message(s)");
    }
    THEN("leaving mail on the server passes") {
      CHECK(check_task(L, {{"phone", "leave_on_server", "true"}}).pass);
    }
    THEN("leaving it for 30 days, another configuration, passes too") {
      CHECK(check_task(L, {{"phone", "leave_on_server", "on"}, {"phone", "delete_after_days", "30"}}).pass);
    }
  }
  GIVEN("leave-on-server's task: the phone's delete reaches the server, the desktop keeps both") {
    const Lesson L = lesson("leave-on-server");
    CHECK_FALSE(check_task(L, {}).pass);
    CHECK(check_task(L, {{"phone", "delete_when_deleted_locally", "true"}}).pass);
    THEN("turning leave on server off empties the server before the desktop checks: it fails") {
      const TaskOutcome out = check_task(L, {{"phone", "leave_on_server", "false"}});
      CHECK_FALSE(out.pass);
      CHECK(out.checks[1].observed == "0 message(s)");
    }
  }
  GIVEN("deleted-mail's task: a delete that skips Trash") {
    const Lesson L = lesson("deleted-mail");
    CHECK_FALSE(check_task(L, {}).pass);
    CHECK_FALSE(check_task(L, {{"desktop", "on_delete", "mark as deleted"}}).pass);
    CHECK(check_task(L, {{"desktop", "on_delete", "remove immediately"}}).pass);
  }
  GIVEN("offline-access's task: a tablet readable offline") {
    const Lesson L = lesson("offline-access");
    CHECK_FALSE(check_task(L, {}).pass);
    CHECK(check_task(L, {{"tablet", "offline_cache", "true"}}).pass);
  }
  GIVEN("offline-access's task, which also lets the learner add a check on the tablet") {
    const Lesson L = lesson("offline-access");
    THEN("checking just before the tunnel does not make an online-only app readable offline") {
      CHECK_FALSE(check_task(L, {}, {{"tablet", "check mail", 25 * kSecond}}).pass);
      CHECK(check_task(L, {{"tablet", "offline_cache", "true"}}, {{"tablet", "check mail", 25 * kSecond}}).pass);
    }
    THEN("an action the task does not offer, or one after the run, is refused") {
      CHECK_THROWS_WITH(check_task(L, {}, {{"phone", "check mail", kSecond}}),
                        "phone: check mail: the task does not let you add this (you may add: "
                        "tablet: check mail)");
      CHECK_THROWS_WITH(check_task(L, {}, {{"tablet", "check mail", 2 * kHour}}),
                        "tablet: check mail at 02:00:00.000: after the end of the run (00:01:30.000)");
    }
    THEN("the command line reads an added action as DEVICE:ACTION@TIME") {
      const auto a = parse_added_action("tablet:check mail@25s");
      REQUIRE(a);
      CHECK(a->device == "tablet");
      CHECK(a->what == "check mail");
      CHECK(a->at == 25 * kSecond);
      CHECK_FALSE(parse_added_action("tablet check mail@25s"));
    }
  }
  GIVEN("a change the task does not offer, or a value that is not one") {
    const Lesson L = lesson("disaster-recovery");
    CHECK_THROWS_WITH(check_task(L, {{"laptop", "headers_first", "true"}}),
                      "laptop.headers_first: the task does not let you change this (you may "
                      "change: laptop.leave_on_server, laptop.delete_after_days)");
    CHECK_THROWS_WITH(check_task(L, {{"laptop", "leave_on_server", "maybe"}}),
                      "laptop.leave_on_server: expected true or false, not 'maybe'");
    CHECK_THROWS_WITH(check_task(L, {{"laptop", "delete_after_days", "-1"}}),
                      "laptop.delete_after_days: expected a whole number from 0 to 3650, not '-1'");
  }
}

SCENARIO("the course has a task for each table row where a setting changes the outcome") {
  std::set<std::string> rows;
  int tasks = 0;
  for (const auto& f : lesson_files(std::string(MAILSCOPE_SOURCE_DIR) + "/lessons")) {
    const Lesson L = load_lesson(f);
    if (!L.task) continue;
    INFO(L.id);
    ++tasks;
    REQUIRE(L.rows.size() == 1);
    CHECK(rows.insert(L.rows[0]).second);
    CHECK_FALSE(check_task(L, {}).pass);  // each starts unsolved
    for (const auto& [dev, keys] : L.task->may_change)
      for (const auto& k : keys) CHECK(task_setting(L.task->world, k) != nullptr);
  }
  CHECK(tasks >= 5);
  CHECK(rows == std::set<std::string>{"mail storage", "synchronisation", "deleted mail",
                                      "disaster recovery", "access without Internet"});
}

SCENARIO("a task that names an unknown device or setting is refused with its place in the file") {
  std::string t = kPredicting;
  t.insert(t.rfind('}'), R"(, "task": {"goal": "g", "may_change": [{"device": "phone", "settings": ["leave_on_sever"]}],
    "checks": [{"where": "server", "count": 1}]})");
  CHECK_THAT(ms_test::error_of(t),
             Catch::StartsWith("bad.json:12:73: field 'task.may_change.0.settings.0': unknown pop3 "
                               "setting 'leave_on_sever' (leave_on_server, "));
  t.replace(t.find("\"device\": \"phone\", \"settings\""), 17, "\"device\": \"watch\"");
  CHECK_THAT(ms_test::error_of(t), Catch::Contains("field 'task.may_change.0.device': unknown device 'watch'"));
}

SCENARIO("a learner's results round-trip, and bad results files get a clear message") {
  LearnerResults r;
  r.learner = "Ana";
  r.lessons.push_back({"mail-storage", "2026-12-08T09:00:00Z",
                       {{"prediction", 1, "Does the server still hold message 1?", 0, false, "2026-12-08T09:01:00Z"},
                        {"quiz", 1, "q", 1, true, "2026-12-08T09:02:00Z"},
                        {"task", 1, "g", -1, false, "2026-12-08T09:03:00Z"},
                        {"task", 1, "g", -1, true, "2026-12-08T09:04:00Z"}}});
  const std::string text = results_to_json(r);
  const LearnerResults back = parse_results(text, "ana.json");
  CHECK(results_to_json(back) == text);
  const LessonScore s = score(back.lessons[0]);
  CHECK(s.right == 2);
  CHECK(s.total == 3);
  CHECK(s.task == 1);
  WHEN("the file is from another format version") {
    std::string v2 = text;
    v2.replace(v2.find("\"mailscope_results\": 1"), 22, "\"mailscope_results\": 2");
    CHECK_THROWS_WITH(parse_results(v2, "ana.json"),
                      "ana.json: results format version 2, this Mailscope reads version 1 (export "
                      "the results again with this version)");
  }
  WHEN("the file is cut short") {
    CHECK_THROWS_WITH(parse_results(text.substr(0, 60), "ana.json"),
                      Catch::StartsWith("ana.json:4:") && Catch::Contains("(a damaged results file)"));
  }
  WHEN("a field has the wrong type") {
    std::string bad = text;
    bad.replace(bad.find("\"correct\": false"), 16, "\"correct\": \"no\"");
    CHECK_THROWS_WITH(parse_results(bad, "ana.json"),
                      "ana.json: field 'lessons.0.items.0.correct': expected true or false");
  }
}

SCENARIO("the app records what a learner sees and answers, in the order it happens") {
  LearnerResults r;
  note_seen(r, "mail-storage", "2026-12-08T09:00:00Z");
  note_seen(r, "mail-storage", "2026-12-08T09:30:00Z");  // seen again: the first time stays
  record_answer(r, "mail-storage", {"prediction", 1, "q", 1, true, "2026-12-08T09:01:00Z"});
  record_answer(r, "sent-mail", {"quiz", 2, "q2", 0, false, "2026-12-08T09:10:00Z"});
  REQUIRE(r.lessons.size() == 2);
  CHECK(r.lessons[0].seen == "2026-12-08T09:00:00Z");
  CHECK(r.lessons[0].items.size() == 1);
  CHECK(r.lessons[1].id == "sent-mail");
  CHECK(r.lessons[1].seen == "2026-12-08T09:10:00Z");
  CHECK(score(r.lessons[1]).quiz == 1);
}

SCENARIO("results merge builds the class summary: a CSV row per learner and lesson, an HTML table",
         "[process]") {
  LearnerResults ana{"Ana", {{"mail-storage", "2026-12-08T09:00:00Z",
                              {{"prediction", 1, "Does the server still hold message 1?", 0, false, "t"},
                               {"prediction", 1, "Does the server still hold message 1?", 1, true, "t"}}}}};
  LearnerResults ben{"Ben, B.", {{"mail-storage", "2026-12-08T10:00:00Z",
                                  {{"prediction", 1, "Does the server still hold message 1?", 1, true, "t"},
                                   {"task", 1, "g", -1, true, "t"}}},
                                 {"sent-mail", "2026-12-08T10:30:00Z", {}}}};
  CHECK(class_summary_csv({ana, ben}) ==
        "learner,lesson,seen,predictions_right,predictions,quiz_right,quiz,task,score,total\n"
        "Ana,mail-storage,2026-12-08T09:00:00Z,0,1,0,0,,0,1\n"
        "\"Ben, B.\",mail-storage,2026-12-08T10:00:00Z,1,1,0,0,pass,2,2\n"
        "\"Ben, B.\",sent-mail,2026-12-08T10:30:00Z,0,0,0,0,,0,0\n");
  const std::string html = class_summary_html({ana, ben});
  CHECK_THAT(html, Catch::Contains("<tr><th scope=\"row\">Ana</th><td>0/1</td><td>not seen</td><td>0/1</td></tr>"));
  CHECK_THAT(html, Catch::Contains("<td>2/2 (task passed)</td>"));
  CHECK_THAT(html, Catch::Contains("<td>mail-storage</td><td>1. Does the server still hold message 1?</td><td>1 of 2</td>"));

  GIVEN("results files on disk") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / "mailscope-results-merge";
    fs::create_directories(dir);
    std::ofstream(dir / "ana.json") << results_to_json(ana);
    std::ofstream(dir / "bad.json") << "{\"mailscope_results\": 7, \"lessons\": []}";
    THEN("mailscope-cli results merge writes the CSV and the HTML table") {
      const auto r = ms_test::run_cli("results merge " + (dir / "ana.json").string() + " --html " +
                                      (dir / "class.html").string());
      CHECK(r.code == 0);
      CHECK(r.out == class_summary_csv({ana}));  // only the CSV on standard output
      CHECK(fs::exists(dir / "class.html"));
      const auto bad = ms_test::run_cli("results merge " + (dir / "bad.json").string());
      CHECK(bad.code == 1);
      CHECK_THAT(bad.out, Catch::Contains("results format version 7, this Mailscope reads version 1"));
    }
  }
}

SCENARIO("the Moodle question bank holds every quiz question and prediction, one category per lesson") {
  std::vector<Lesson> lessons;
  std::size_t questions = 0;
  for (const auto& f : lesson_files(std::string(MAILSCOPE_SOURCE_DIR) + "/lessons")) {
    lessons.push_back(load_lesson(f));
    questions += lessons.back().quiz.size() + lessons.back().predictions.size();
  }
  const std::string xml = moodle_question_bank(lessons);
  CHECK_THAT(xml, Catch::StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n"));
  CHECK_THAT(xml, Catch::EndsWith("</quiz>\n"));
  auto count = [&](const std::string& s, std::size_t from = 0, std::size_t to = std::string::npos) {
    std::size_t n = 0;
    for (auto p = xml.find(s, from); p != std::string::npos && p < to; p = xml.find(s, p + 1)) ++n;
    return n;
  };
  CHECK(count("<question type=\"category\">") == lessons.size());
  CHECK(count("<question type=\"multichoice\">") == questions);
  // Each multichoice question: single answer, exactly one at 100%, feedback on every answer.
  for (auto p = xml.find("<question type=\"multichoice\">"); p != std::string::npos;
       p = xml.find("<question type=\"multichoice\">", p + 1)) {
    const auto end = xml.find("</question>", p);
    INFO(xml.substr(p, 200));
    CHECK(count("<single>true</single>", p, end) == 1);
    CHECK(count("<answer fraction=\"100\"", p, end) == 1);
    const auto answers = count("<answer fraction=", p, end);
    CHECK(answers >= 2);
    CHECK(count("<feedback format=\"html\">", p, end) == answers);
  }
  THEN("a prediction's 100% answer is the choice its run gives") {
    const auto p = xml.find("<name><text>mail-storage prediction 1</text></name>");
    REQUIRE(p != std::string::npos);
    const auto right = xml.find("<answer fraction=\"100\"", p);
    CHECK(xml.substr(right, 100).find("No, it now lives only on the phone") != std::string::npos);
  }
}

SCENARIO("mailscope-cli task checks a lesson's task with the learner's settings", "[process]") {
  auto fail = ms_test::run_cli("task mail-storage");
  CHECK(fail.code == 1);
  CHECK_THAT(fail.out, Catch::Contains("phone.leave_on_server = false   (Leave messages on server, label unverified)"));
  CHECK_THAT(fail.out, Catch::Contains("Task not passed"));
  auto pass = ms_test::run_cli("task mail-storage --set phone.leave_on_server=true");
  CHECK(pass.code == 0);
  CHECK_THAT(pass.out, Catch::Contains("  PASS  the server still holds every message"));
  auto json = ms_test::run_cli("task disaster-recovery --set laptop.leave_on_server=true --json", false);
  CHECK(json.code == 0);
  CHECK(json.out ==
        "{\"lesson\":\"disaster-recovery\",\"world\":\"pop3\",\"goal\":\"Configure the POP3 laptop so "
        "that the new tablet still gets all three messages after the laptop is lost.\",\"pass\":true,"
        "\"checks\":[{\"pass\":true,\"says\":\"the new tablet has all three messages (tablet INBOX "
        "holds 3 message(s))\",\"observed\":\"3 message(s)\"}]}\n");
  auto refused = ms_test::run_cli("task disaster-recovery --set laptop.idle=true");
  CHECK(refused.code == 1);
  CHECK_THAT(refused.out, Catch::Contains("laptop.idle: the task does not let you change this"));
  auto moodle = ms_test::run_cli("quiz mail-storage --format moodle-xml", false);
  CHECK(moodle.code == 0);
  CHECK_THAT(moodle.out, Catch::Contains("<text>$course$/Mailscope/"));
}
