#pragma once
// Issue 24 in the app: the prediction asked before its step plays (both modes), the lesson's
// task at its end, and the learner's results kept beside the progress (panels/assess.cpp).
#include "panels/panels.hpp"

namespace ms {

// Each frame on the lesson view (frame.cpp): decides the lesson's predictions, holds playback
// at a step whose prediction is unanswered, draws the question / its mark, records results
// and saves them.
void draw_prediction(const AppModel& m, UiState& ui);
// The Task section (the lesson panel's Step tab, at the lesson's last step).
void draw_task(const AppModel& m, UiState& ui);
// Reads results.json beside progress.json the first time (the start screen, the lesson view).
void prepare_results(UiState& ui);
// The start screen's line: the results so far, and the learner's name asked once (optional).
void draw_results_line(UiState& ui);
// Screenshots (--predict, --task-check): step's prediction asked (predict 0) or answered with
// choice `predict` (1-based), and the task checked with `changes` ("DEV.KEY=V,..."). Returns
// where the cursor should land (-1: where it was asked to). *error for a bad option.
Tick apply_assess_options(const AppModel& m, UiState& ui, int step, int predict,
                          const std::string* changes, std::string* error);
// Records a quiz answer in the results (the lesson panel's quiz).
void record_quiz_result(UiState& ui, const Lesson& l, std::size_t q, int choice);
// The task's settings as the lesson writes them (a new lesson resets what the learner set).
void prepare_task(const Lesson& l, UiState& ui);
// Presses Check: re-runs the task with the learner's settings and actions, records the result.
void check_task_now(const Lesson& l, UiState& ui);

}  // namespace ms
