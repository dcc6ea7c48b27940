// Predict, then observe, in the app (issue 24): playback waits at a step whose prediction is
// unanswered; the answer is marked from the run at the step's end; the task's Check decides
// the learner's configuration by re-running the lesson; the results record all of it.
#include "predict.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "steps.hpp"

namespace {
const std::string kLessons = std::string(MAILSCOPE_SOURCE_DIR) + "/lessons";

ms::LessonRun leave_on_server() {
  return ms::run_lesson(ms::load_lesson(ms::find_lesson("leave-on-server", kLessons)));
}
}  // namespace

SCENARIO("a prediction holds its step until it is answered, then is marked from the run",
         "[gui][predict]") {
  GIVEN("the leave-on-server lesson, whose step 4 asks how many copies of message 1 remain") {
    const ms::LessonRun run = leave_on_server();
    const ms::Lesson& l = run.lesson;
    REQUIRE(l.predictions.size() == 1);
    const int ps = l.predictions[0].step;
    REQUIRE(ps == 3);
    ms::PredictState s;
    ms::prepare_predictions(s, run);
    REQUIRE(s.error.empty());
    // The choice the run shows: three copies (server, desktop, laptop) remain.
    REQUIRE(s.outcome[0].answer == 2);

    ms::Tick cursor = 0, play_until = -1;
    bool playing = false;
    WHEN("the learner presses Next step into step 4 (PageDown)") {
      const ms::StepMove mv = ms::step_move(l.steps, l.steps[ps - 1].at, l.duration, 1);
      cursor = mv.seek, play_until = mv.play_until, playing = true;
      cursor += ms::kSecond;  // a frame of playback before the gate looks
      const bool held = ms::gate_prediction(l, l.duration, s, cursor, playing, play_until);
      THEN("the step waits, paused at its start, with the question pending") {
        CHECK(held);
        CHECK(s.pending == 0);
        CHECK_FALSE(playing);
        CHECK(cursor == l.steps[ps].at);
      }
      THEN("pressing Play meanwhile does not play past the question") {
        playing = true;
        ms::gate_prediction(l, l.duration, s, cursor, playing, play_until);
        CHECK_FALSE(playing);
        CHECK(cursor == l.steps[ps].at);
      }
      AND_WHEN("the learner answers 'Three' and the step plays to its end") {
        ms::answer_prediction(l, l.duration, s, 2, cursor, playing, play_until);
        THEN("the step plays, and the answer is marked right only at the step's end") {
          CHECK(playing);
          CHECK(play_until == ms::step_end(l.steps, ps, l.duration));
          CHECK_FALSE(ms::prediction_marked(l, s, 0, cursor, l.duration));
          CHECK_FALSE(ms::gate_prediction(l, l.duration, s, cursor, playing, play_until));
          CHECK(ms::prediction_marked(l, s, 0, play_until, l.duration));
          const std::string fb = ms::prediction_feedback(l, s, 0);
          CHECK(fb.rfind("Right: ", 0) == 0);
          CHECK(fb.find("The run shows: ") != std::string::npos);
        }
      }
      AND_WHEN("the learner answers 'None'") {
        ms::answer_prediction(l, l.duration, s, 0, cursor, playing, play_until);
        THEN("it is marked not right, with that choice's feedback pointing at the chips") {
          CHECK(ms::prediction_feedback(l, s, 0).rfind("Not quite: Count the chips labelled 1", 0) == 0);
        }
      }
      AND_WHEN("a teacher skips it") {
        ms::answer_prediction(l, l.duration, s, -1, cursor, playing, play_until);
        THEN("the step plays unmarked and is not asked again") {
          CHECK(playing);
          CHECK(s.answer[0] == -2);
          CHECK_FALSE(ms::prediction_marked(l, s, 0, play_until, l.duration));
          cursor = l.steps[ps].at, playing = true;
          CHECK_FALSE(ms::gate_prediction(l, l.duration, s, cursor, playing, play_until));
        }
      }
    }
    WHEN("the run is decided again (a sandbox re-run of the same lesson)") {
      s.answer[0] = 1;
      ms::prepare_predictions(s, run, 7);
      THEN("the answer stays and the outcome is decided anew") {
        CHECK(s.answer[0] == 1);
        CHECK(s.run == 7u);
        CHECK(s.outcome[0].answer == 2);
      }
    }
    WHEN("the cursor is moved to the step without playing (a click on the timeline)") {
      cursor = l.steps[ps].at + ms::kSecond;
      THEN("nothing is asked") {
        CHECK_FALSE(ms::gate_prediction(l, l.duration, s, cursor, playing, play_until));
        CHECK(s.pending == -1);
      }
    }
  }
}

SCENARIO("the task's Check passes a configuration that meets the goal and fails the lesson's own",
         "[gui][predict][task]") {
  GIVEN("the leave-on-server task: the phone's delete must reach the server") {
    const ms::LessonRun run = leave_on_server();
    const ms::Lesson& l = run.lesson;
    REQUIRE(l.task);
    std::vector<ms::SettingChange> values = ms::task_defaults(l);
    REQUIRE(values.size() == 2);
    CHECK(values[0].device == "phone");
    CHECK(values[0].setting == "leave_on_server");
    CHECK(values[0].value == "true");
    CHECK(values[1].setting == "delete_when_deleted_locally");
    WHEN("Check is pressed with the lesson's own settings") {
      const ms::TaskOutcome o = ms::check_task(l, values);
      THEN("it fails: the server still holds message 1") {
        CHECK_FALSE(o.pass);
        REQUIRE(o.checks.size() == 2);
        CHECK_FALSE(o.checks[0].pass);
        CHECK(o.checks[1].pass);
      }
    }
    WHEN("the learner ticks 'Until I delete them' on the phone and presses Check") {
      values[1].value = "true";
      const ms::TaskOutcome o = ms::check_task(l, values);
      THEN("every check passes") {
        CHECK(o.pass);
        REQUIRE(o.checks.size() == 2);
        CHECK(o.checks[0].pass);
        CHECK(o.checks[1].pass);
      }
    }
  }
}

SCENARIO("the results of a scripted session hold each item the learner answered",
         "[gui][predict][results]") {
  GIVEN("a learner who opens leave-on-server, predicts, answers the quiz and does the task") {
    const ms::LessonRun run = leave_on_server();
    const ms::Lesson& l = run.lesson;
    ms::LearnerResults r;
    r.learner = "Ada";
    ms::note_seen(r, l.id, "2026-12-08T09:00:00Z");
    ms::PredictState s;
    ms::prepare_predictions(s, run);
    const int ps = l.predictions[0].step;
    ms::Tick cursor = l.steps[ps].at, play_until = -1;
    bool playing = true;
    ms::gate_prediction(l, l.duration, s, cursor, playing, play_until);
    ms::answer_prediction(l, l.duration, s, 0, cursor, playing, play_until);
    // Not yet at the step's end: nothing to record.
    CHECK(ms::record_predictions(r, l, s, cursor, l.duration, "2026-12-08T09:01:00Z") == 0);
    CHECK(ms::record_predictions(r, l, s, play_until, l.duration, "2026-12-08T09:01:00Z") == 1);
    // Once only.
    CHECK(ms::record_predictions(r, l, s, l.duration, l.duration, "2026-12-08T09:02:00Z") == 0);
    REQUIRE_FALSE(l.quiz.empty());
    ms::record_answer(r, l.id, ms::quiz_item(l, 0, l.quiz[0].answer, "2026-12-08T09:03:00Z"));
    std::vector<ms::SettingChange> values = ms::task_defaults(l);
    values[1].value = "true";
    ms::record_answer(r, l.id, ms::task_item(l, ms::check_task(l, values), "2026-12-08T09:04:00Z"));

    WHEN("the results are written as JSON") {
      const nlohmann::json j = nlohmann::json::parse(ms::results_to_json(r));
      THEN("the lesson is seen, with the prediction (wrong), the quiz (right) and the task (passed)") {
        CHECK(j["learner"] == "Ada");
        REQUIRE(j["lessons"].size() == 1);
        const nlohmann::json& les = j["lessons"][0];
        CHECK(les["id"] == "leave-on-server");
        CHECK(les["seen"] == "2026-12-08T09:00:00Z");
        REQUIRE(les["items"].size() == 3);
        CHECK(les["items"][0]["kind"] == "prediction");
        CHECK(les["items"][0]["chosen"] == 0);
        CHECK(les["items"][0]["correct"] == false);
        CHECK(les["items"][0]["time"] == "2026-12-08T09:01:00Z");
        CHECK(les["items"][1]["kind"] == "quiz");
        CHECK(les["items"][1]["correct"] == true);
        CHECK(les["items"][2]["kind"] == "task");
        CHECK(les["items"][2]["correct"] == true);
        CHECK(les["items"][2]["question"] == l.task->goal);
      }
      THEN("read back, it is the same") {
        CHECK(ms::results_to_json(ms::parse_results(ms::results_to_json(r), "r.json")) ==
              ms::results_to_json(r));
      }
    }
    WHEN("they are written as CSV") {
      const std::string csv = ms::results_csv(r);
      THEN("there is a header and one row per item") {
        CHECK(csv.rfind("learner,lesson,seen,kind,index,question,chosen,correct,time\n", 0) == 0);
        CHECK(std::count(csv.begin(), csv.end(), '\n') == 4);
        CHECK(csv.find("Ada,leave-on-server,2026-12-08T09:00:00Z,task,1,") != std::string::npos);
      }
      THEN("the start screen's summary counts them") {
        CHECK(ms::results_summary(r) ==
              "1 lesson seen \xc2\xb7 predictions 0/1 \xc2\xb7 quiz 1/1 \xc2\xb7 tasks 1/1 passed");
      }
    }
  }
}
