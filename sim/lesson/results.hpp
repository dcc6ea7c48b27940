#pragma once
// A learner's results (issue 24): the lessons they saw and each prediction, quiz answer and
// task result with its time, as one versioned JSON file; and the class summary a teacher
// builds from many such files (mailscope-cli results merge). Format: lessons/README.md,
// "Results".
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace ms {

// A results file that cannot be read: names the file and, for bad JSON, the line and column.
struct ResultsError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

constexpr int kResultsFormatVersion = 1;

struct ResultItem {
  std::string kind;      // "prediction", "quiz" or "task"
  int index = 0;         // 1-based within the lesson's predictions / quiz; 1 for the task
  std::string question;  // as shown (the task: its goal)
  int chosen = -1;       // the choice picked (0-based); -1 for a task
  bool correct = false;  // the right choice, or the task passed
  std::string time;      // when, UTC, "2026-12-08T09:15:00Z"
};

struct LessonResults {
  std::string id;
  std::string seen;  // when the learner first opened it (UTC, as above)
  std::vector<ResultItem> items;  // in the order answered; a retry is a further item
};

struct LearnerResults {
  std::string learner;  // may be empty: a name is optional
  std::vector<LessonResults> lessons;
};

// What the app calls as the learner works (the GUI and the SCORM page will): notes a lesson as
// seen at `now` (once: the first time stays), and adds an answer to its lesson, seeing it first.
void note_seen(LearnerResults& r, const std::string& lesson, const std::string& now);
void record_answer(LearnerResults& r, const std::string& lesson, ResultItem item);

std::string results_to_json(const LearnerResults& r);
// Throws ResultsError: bad JSON (FILE:LINE:COL), another format version, a missing or mistyped
// field (FILE: field 'lessons.2.items.0.correct': ...).
LearnerResults parse_results(const std::string& text, const std::string& file);
LearnerResults load_results(const std::string& path);

// One learner's score in one lesson: each prediction and quiz question by its first answer,
// the task by whether any try passed.
struct LessonScore {
  int right = 0, total = 0;
  int predictions_right = 0, predictions = 0, quiz_right = 0, quiz = 0;
  int task = -1;  // -1 not tried, 0 failed, 1 passed
};
LessonScore score(const LessonResults& l);

// A CSV row per learner and lesson seen:
// learner,lesson,seen,predictions_right,predictions,quiz_right,quiz,task,score,total
std::string class_summary_csv(const std::vector<LearnerResults>& learners);
// A standalone HTML page: learners x lessons (score k/n), then the predictions most often
// answered wrong first time.
std::string class_summary_html(const std::vector<LearnerResults>& learners);

}  // namespace ms
