// A student on their own: the quiz is scored on first answers (a retry is recorded, never a
// higher score), its feedback says its verdict once, the course says how far the learner got
// and which lesson comes next, and a lesson counts as seen once its last step is reached.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <regex>

#include "course.hpp"
#include "steps.hpp"

using namespace ms;
namespace fs = std::filesystem;

namespace {
const std::string kLessons = std::string(MAILSCOPE_SOURCE_DIR) + "/lessons";
}

SCENARIO("the quiz scores the first answer; changing it afterwards is a retry", "[course][quiz]") {
  CourseLesson l;
  l.id = "synchronisation";
  l.quiz_answers = {1, 1, 0};
  Progress p;
  Progress::Entry& e = p.lessons[l.id];
  GIVEN("a wrong first answer to question 1, changed to the right one after the feedback") {
    record_answer(e, 0, 0, 3);
    record_answer(e, 0, 1, 3);
    record_answer(e, 1, 1, 3);
    record_answer(e, 2, 0, 3);
    THEN("the score is 2 of 3, not 3 of 3, and the retry is counted on its own") {
      CHECK(p.score(l) == std::pair<int, int>{2, 3});
      CHECK(p.right_on_retry(l) == 1);
      CHECK(e.answers == std::vector<int>{1, 1, 0});
      CHECK(e.first == std::vector<int>{0, 1, 0});
    }
    THEN("the first answers survive saving and loading") {
      const fs::path f = fs::temp_directory_path() / "mailscope-progress-first.json";
      REQUIRE(save_progress(f.string(), p));
      const Progress back = load_progress(f.string());
      CHECK(back.score(l) == std::pair<int, int>{2, 3});
      CHECK(back.lessons.at(l.id).answers == std::vector<int>{1, 1, 0});
    }
  }
  GIVEN("a right first answer changed to a wrong one") {
    record_answer(e, 0, 1, 3);
    record_answer(e, 0, 2, 3);
    THEN("the first answer still counts") { CHECK(p.score(l).first == 1); }
  }
}

SCENARIO("quiz feedback says right or wrong once", "[course][quiz]") {
  CHECK(quiz_feedback(true, "Right: the phone stores \\Seen on the server.") ==
        "Right: the phone stores \\Seen on the server.");
  CHECK(quiz_feedback(false, "No: POP3 has no such command.") ==
        "Not quite: POP3 has no such command.");
  CHECK(quiz_feedback(false, "That is what POP3 does.") == "Not quite: That is what POP3 does.");
  CHECK(quiz_feedback(false, "No Internet on the train: yes.") ==
        "Not quite: No Internet on the train: yes.");
  AND_THEN("no feedback of any lesson repeats its verdict") {
    const std::regex twice(R"(^(Right|Not quite): (Right|No|Not quite|Correct|Wrong|Yes)[:.,] )");
    int checked = 0;
    for (const std::string& f : lesson_files(kLessons)) {
      const Lesson L = load_lesson(f);
      for (const QuizQuestion& q : L.quiz)
        for (std::size_t c = 0; c < q.feedback.size(); ++c) {
          const std::string line = quiz_feedback(static_cast<int>(c) == q.answer, q.feedback[c]);
          INFO(L.id << ": " << line);
          CHECK_FALSE(std::regex_search(line, twice));
          ++checked;
        }
    }
    CHECK(checked > 50);
  }
}

SCENARIO("the course says how far the learner got and where to continue", "[course][progress]") {
  const Course c = load_course(kLessons);
  REQUIRE(c.errors.empty());
  REQUIRE(c.size() >= 10);
  int questions = 0;
  for (const CourseGroup& g : c.groups)
    for (const CourseLesson& l : g.lessons) questions += static_cast<int>(l.quiz_answers.size());
  const std::string first = c.groups.at(0).lessons.at(0).id;
  const std::string second = c.next_after(first);
  GIVEN("nothing seen") {
    Progress p;
    THEN("continue is the first lesson and nothing is counted") {
      CHECK(continue_lesson(c, p) == first);
      CHECK(progress_summary(c, p) == "0 of " + std::to_string(c.size()) +
                                          " lessons seen, 0 of " + std::to_string(questions) +
                                          " quiz answers right");
    }
  }
  GIVEN("the first lesson seen, with its first quiz answer right") {
    Progress p;
    p.lessons[first].seen = true;
    const CourseLesson* fl = c.find(first);
    REQUIRE(fl);
    REQUIRE_FALSE(fl->quiz_answers.empty());
    record_answer(p.lessons[first], 0, fl->quiz_answers[0], fl->quiz_answers.size());
    AND_GIVEN("the second lesson opened but not watched to its end") {
      p.lessons[second].answers = {-1};
      THEN("continue is the second lesson, and the summary counts one lesson and one answer") {
        CHECK(continue_lesson(c, p) == second);
        CHECK(progress_summary(c, p) == "1 of " + std::to_string(c.size()) +
                                            " lessons seen, 1 of " + std::to_string(questions) +
                                            " quiz answers right");
      }
    }
  }
  GIVEN("every lesson seen") {
    Progress p;
    for (const CourseGroup& g : c.groups)
      for (const CourseLesson& l : g.lessons) p.lessons[l.id].seen = true;
    THEN("there is nothing to continue") { CHECK(continue_lesson(c, p).empty()); }
  }
}

SCENARIO("a lesson counts as seen when its last step was reached, not when it opens",
         "[course][progress]") {
  const std::vector<Step> steps = {{0, "a", ""}, {10 * kSecond, "b", ""}, {30 * kSecond, "c", ""}};
  CHECK_FALSE(lesson_seen_at(steps, 0, 40 * kSecond));
  CHECK_FALSE(lesson_seen_at(steps, 30 * kSecond - 1, 40 * kSecond));
  CHECK(lesson_seen_at(steps, 30 * kSecond, 40 * kSecond));
  AND_THEN("a lesson without steps is seen at its end") {
    CHECK_FALSE(lesson_seen_at({}, 39 * kSecond, 40 * kSecond));
    CHECK(lesson_seen_at({}, 40 * kSecond, 40 * kSecond));
  }
}
