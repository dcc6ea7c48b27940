#pragma once
// Predict, then observe (issue 24): when playback enters a step that carries a prediction, the
// step waits, paused at its start, until the learner answers or skips; answering plays the
// step, and at its end the answer is marked against the choice computed from the run
// (lesson/assess.hpp). Skipping (a teacher in presenter mode) plays the step unmarked. Also
// the learner's results file kept beside the progress. No ImGui in here (tested headless).
#include <string>
#include <vector>

#include "lesson/assess.hpp"
#include "lesson/results.hpp"

namespace ms {

struct PredictState {
  std::string lesson;                     // the lesson these answers belong to
  unsigned run = 0;                       // the run decided (the sandbox's generation)
  std::vector<int> answer;                // per prediction: -1 not asked, -2 skipped, else the choice
  std::vector<bool> recorded;             // per prediction: its mark went into the results
  std::vector<PredictionOutcome> outcome; // per prediction: what the run shows (decided once)
  std::string error;                      // a prediction the run could not decide
  int pending = -1;                       // the prediction being asked (the step waits)
  Tick resume_until = -1;                 // where playing stops once it is answered
};

// Fits the state to the run's lesson (a new lesson starts unanswered) and decides every
// prediction from the run. A re-run of the same lesson (the sandbox: `generation` changes)
// keeps the answers and decides again, so the mark follows the run on screen.
void prepare_predictions(PredictState& s, const LessonRun& run, unsigned generation = 0);
// The prediction (0-based) of step `step`, or -1.
int prediction_of_step(const Lesson& l, int step);
// Called each frame after playback moved: when playing has entered a step whose prediction
// is not yet answered or skipped, the cursor goes back to that step's start, playing stops,
// and the prediction is pending. Returns true when it stopped playback.
bool gate_prediction(const Lesson& l, Tick duration, PredictState& s, Tick& cursor,
                     bool& playing, Tick& play_until);
// Answers (choice >= 0) or skips (choice < 0) the pending prediction; the step then plays to
// its end.
void answer_prediction(const Lesson& l, Tick duration, PredictState& s, int choice,
                       Tick& cursor, bool& playing, Tick& play_until);
// Whether prediction p's answer can be marked at `cursor`: answered and its step's end shown.
bool prediction_marked(const Lesson& l, const PredictState& s, int p, Tick cursor, Tick duration);
// The feedback for prediction p's answer: "Right: ..." / "Not quite: ...", then what the run
// showed ("The run shows: 1 copy: server INBOX").
std::string prediction_feedback(const Lesson& l, const PredictState& s, int p);

// The task's settings as the lesson writes them: one per device and setting it may change.
std::vector<SettingChange> task_defaults(const Lesson& l);
// The result items the app records (time "" in screenshot runs: deterministic).
ResultItem quiz_item(const Lesson& l, std::size_t q, int choice, const std::string& now);
ResultItem task_item(const Lesson& l, const TaskOutcome& o, const std::string& now);

// UTC now as results record it ("2026-12-08T09:15:00Z").
std::string utc_now();
// Adds the marks that became due at `cursor` to `r` (once each). Returns how many were added.
int record_predictions(LearnerResults& r, const Lesson& l, PredictState& s, Tick cursor,
                       Tick duration, const std::string& now);
// The results as one CSV row per item: learner,lesson,seen,kind,index,question,chosen,correct,time
std::string results_csv(const LearnerResults& r);
// Missing or damaged file: empty results, with *error saying why (damaged only).
LearnerResults load_results_or_empty(const std::string& path, std::string* error);
// "3 lessons seen · predictions 2/4 · quiz 5/6 · tasks 1/1 passed"
std::string results_summary(const LearnerResults& r);

}  // namespace ms
