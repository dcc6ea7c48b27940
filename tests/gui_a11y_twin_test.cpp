// The browser's text view is built from a snapshot of what the canvas shows (gui/a11y_twin.hpp):
// a screen reader hears the lesson's step, checks, quiz, transcript and table from it, so it
// must say what the panels say, at the same moment.
#include "a11y_twin.hpp"

#include <catch2/catch.hpp>
#include <memory>

#include "course.hpp"
#include "view/trace_index.hpp"

namespace {
const std::string kLessons = std::string(MAILSCOPE_SOURCE_DIR) + "/lessons";

// The worlds as the app's model orders and titles them (POP3 first), their views at `cursor`.
struct Views {
  std::vector<std::unique_ptr<ms::WorldView>> views;
  std::vector<ms::TwinWorld> worlds;
};
Views views_at(const ms::LessonRun& run, ms::Tick cursor) {
  Views v;
  for (ms::Proto p : {ms::Proto::POP3, ms::Proto::IMAP})
    for (const ms::WorldRun& w : run.worlds) {
      if (w.world->proto() != p) continue;
      const ms::Trace& tr = w.world->trace();
      ms::Replay replay(tr);
      v.views.push_back(std::make_unique<ms::WorldView>(replay.at(tr.index_after(cursor))));
      ms::view::TraceIndex index;
      index.extend(tr);
      v.worlds.push_back({std::string(ms::proto_name(p)) + " world", p, &tr, &w.checks,
                          v.views.back().get(), index.server(), index.internet()});
    }
  return v;
}
}  // namespace

SCENARIO("the text view's snapshot says what the lesson panel shows at the cursor", "[a11y]") {
  GIVEN("the mail-storage lesson at the start of its third step (15 s), quiz question 1 answered") {
    ms::LessonRun run = ms::run_lesson(ms::load_lesson(ms::find_lesson("mail-storage", kLessons)));
    const ms::Course course = ms::load_course(kLessons);
    ms::UiState ui;
    ui.cursor = 15 * ms::kSecond;
    ms::answer_quiz(ui, run.lesson, 0, 0);  // "On the server": not right
    Views v = views_at(run, ui.cursor);
    ms::TwinInput in;
    in.run = &run;
    in.worlds = v.worlds;
    in.course = &course;
    in.duration = run.lesson.duration;
    const nlohmann::json s = ms::twin_snapshot(in, ui);

    THEN("it names the lesson and the step, with the step's own title and narrative") {
      CHECK(s["screen"] == "lesson");
      CHECK(s["lesson"]["id"] == "mail-storage");
      CHECK(s["step"]["number"] == 3);
      CHECK(s["step"]["count"] == 3);
      CHECK(s["step"]["title"] == run.lesson.steps[2].title);
      CHECK(s["step"]["text"] == run.lesson.steps[2].text);
      CHECK(s["timeline"]["can_prev"] == true);
      CHECK(s["timeline"]["can_next"] == false);
      CHECK(s["timeline"]["playing"] == false);
      CHECK(s["timeline"]["time"] == "00:00:15.000");
    }
    THEN("every check decided by then is listed with its verdict, the rest are counted") {
      std::size_t decided = 0, pending = 0;
      for (const ms::WorldRun& w : run.worlds)
        for (const ms::CheckResult& c : w.checks) (c.at <= ui.cursor ? decided : pending)++;
      CHECK(decided > 0);
      CHECK(s["checks"].size() == decided);
      CHECK(s["checks_pending"] == pending);
      for (const auto& c : s["checks"]) CHECK(c["pass"] == true);
      CHECK(s["checks"][0]["world"] == "POP3 world");
      CHECK(s["checks"][0]["description"] ==
            "before the phone checks, the server holds all three messages (server INBOX holds 3 "
            "message(s))");
    }
    THEN("the quiz has every question and choice, the answer given and its verdict") {
      REQUIRE(s["quiz"].size() == 3);
      CHECK(s["quiz"][0]["choices"] ==
            nlohmann::json({"On the server", "On the phone only", "On both"}));
      CHECK(s["quiz"][0]["chosen"] == 0);
      CHECK(s["quiz"][0]["right"] == false);
      CHECK(s["quiz"][0]["feedback"].get<std::string>().rfind("Not quite", 0) == 0);
      CHECK(s["quiz"][1]["chosen"] == -1);
      CHECK_FALSE(s["quiz"][1].contains("feedback"));
    }
    THEN("the canvas's description counts what each world holds at the cursor") {
      CHECK(s["canvas"] == "POP3 world: the server holds 0 messages; the phone holds 3 messages. "
                           "IMAP world: the server holds 3 messages; the phone holds 3 messages.");
    }
    THEN("the transcript holds the latest protocol lines sent by then, oldest first") {
      const auto& t = s["transcript"];
      REQUIRE(t.size() == ms::kTwinTranscriptLines);
      for (std::size_t i = 1; i < t.size(); ++i)
        CHECK(t[i - 1]["time"].get<std::string>() <= t[i]["time"].get<std::string>());
      for (const auto& l : t) CHECK(l["time"].get<std::string>() <= "00:00:15.000");
    }
  }
}

SCENARIO("an answer given in the text view is the answer a click in the quiz gives", "[a11y]") {
  GIVEN("a lesson with three questions") {
    ms::LessonRun run = ms::run_lesson(ms::load_lesson(ms::find_lesson("mail-storage", kLessons)));
    ms::UiState ui;
    WHEN("question 2 is answered wrong, then right") {
      ms::answer_quiz(ui, run.lesson, 1, 2);
      ms::answer_quiz(ui, run.lesson, 1, 1);
      THEN("the latest answer shows, the first is kept for the score, progress is to be saved") {
        CHECK(ui.quiz_choice == std::vector<int>{-1, 1, -1});
        CHECK(ui.progress.lessons["mail-storage"].first_answer(1) == 2);
        CHECK(ui.progress_dirty);
      }
    }
    WHEN("a question or choice the lesson does not have is asked for") {
      ms::answer_quiz(ui, run.lesson, 3, 0);
      ms::answer_quiz(ui, run.lesson, 0, 3);
      THEN("nothing is recorded") {
        CHECK(ui.progress.lessons.empty());
        CHECK_FALSE(ui.progress_dirty);
      }
    }
  }
}

SCENARIO("the text view's actions are read strictly", "[a11y]") {
  std::string error;
  CHECK(ms::parse_twin_action(R"({"do":"quiz","q":1,"c":2})")->c == 2);
  CHECK(ms::parse_twin_action(R"({"do":"step","dir":-1})")->dir == -1);
  const auto ch = ms::parse_twin_action(
      R"({"do":"chooser","devices":2,"connection":1,"offline":true,"storage":false,"provider":2})");
  REQUIRE(ch);
  CHECK((ch->devices == 2 && ch->connection == 1 && ch->offline && !ch->storage && ch->provider == 2));
  CHECK_FALSE(ms::parse_twin_action(R"({"do":"step","dir":0})", &error));
  CHECK(error == R"(text view action {"do":"step","dir":0}: needs dir 1 or -1)");
  CHECK_FALSE(ms::parse_twin_action("not json", &error));
  CHECK(error == "text view action not json: not a JSON object");
  CHECK_FALSE(ms::parse_twin_action(R"({"do":"format disk"})", &error));
  CHECK(error == R"(text view action {"do":"format disk"}: unknown action)");
}

SCENARIO("the start screen's snapshot has the course and the chooser, no lesson details", "[a11y]") {
  const ms::Course course = ms::load_course(kLessons);
  ms::UiState ui;
  ui.start_screen = true;
  ms::TwinInput in;
  in.course = &course;
  nlohmann::json s = ms::twin_snapshot(in, ui);
  CHECK(s["screen"] == "start");
  CHECK(s["course"].size() == course.groups.size());
  CHECK(s["chooser"]["answered"] == false);
  CHECK_FALSE(s["chooser"].contains("recommendation"));
  CHECK(s["chooser"]["questions"].size() == 5);
  ui.chooser_devices = 1;
  ui.chooser_connection = 2;  // rare
  ui.chooser_offline = true;
  ui.chooser_answered = true;
  s = ms::twin_snapshot(in, ui);
  CHECK(s["chooser"]["recommendation"] == "POP3");
  CHECK(s["chooser"]["questions"][1]["value"] == 2);
}
