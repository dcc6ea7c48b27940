#pragma once
// Assessment (issue 24): predictions whose right answer is computed from the run, and tasks
// whose checks are decided by re-running the lesson with the learner's settings. The lesson
// reader parses both (parse_assessment); the types live in lesson.hpp with the lesson.
// Format: lessons/README.md, "Predictions" and "Tasks".
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "lesson/lesson.hpp"

namespace ms {

// A prediction whose choices do not cover what the run shows, or a task change the task does
// not allow: says which lesson, which prediction or setting, and why.
struct AssessError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What the lesson reader lends the assessment parser: errors located in the file
// (FILE:LINE:COL: field '...': ...), its expectation parser (a task's checks are
// expectations), and the names of every device the lesson sets up or adds.
struct LessonReader {
  std::function<void(const std::string& ptr, const std::string& msg)> fail;  // throws
  std::function<Expectation(const nlohmann::json& e, const std::string& ptr)> expectation;
  std::set<std::string> devices;
};
// Reads "predictions" and "task" of the lesson file `j` into `L`.
void parse_assessment(const nlohmann::json& j, Lesson& L, const LessonReader& r);

// ---- Predictions ---------------------------------------------------------------------------

// When a prediction is decided: the end of its step (just before the next step begins; the
// end of the run for the last step).
Tick prediction_moment(const Lesson& L, const Prediction& p);

struct PredictionOutcome {
  std::int64_t value = 0;  // what the query gave (0/1 for a yes/no query)
  int answer = -1;         // the choice that holds it (0-based)
  std::string observed;    // in words: "3 copies: server INBOX, phone INBOX, laptop INBOX"
  Tick at = 0;
};
// Evaluates the prediction's query over the trace of `w` (the prediction's world, run to at
// least its moment). Throws AssessError when no choice holds the value.
PredictionOutcome decide_prediction(const Lesson& L, const World& w, const Prediction& p);
// Every prediction of the run's lesson, in order (runs the lesson when `run` lacks a world).
std::vector<PredictionOutcome> decide_predictions(const LessonRun& run);
// "In the POP3 world: " + the question, as a quiz shows it.
std::string prediction_text(const Prediction& p);

// ---- Tasks ---------------------------------------------------------------------------------

// A setting a task may let the learner change: its lesson key (as a device's "pop3"/"imap"
// object names it), the label mail apps give it, and what values it takes.
struct TaskSettingInfo {
  Proto world = Proto::None;
  std::string key;     // "leave_on_server"
  std::string label;   // "Leave messages on server"
  std::string source;  // where that label is from, or "unverified"
  std::string kind;    // "yes/no", "number" or "choice"
  std::vector<std::string> options;  // for "choice"
};
// Every setting a task can offer, in the order a settings panel lists them.
const std::vector<TaskSettingInfo>& task_settings();
const TaskSettingInfo* task_setting(Proto world, const std::string& key);

// One change the learner made: DEVICE's setting KEY to VALUE ("true", "14", "move to trash").
struct SettingChange {
  std::string device, setting, value;
};
// Parses "phone.leave_on_server=false"; nullopt when it is not of that shape.
std::optional<SettingChange> parse_setting_change(const std::string& s);
// The value a device's setting has in the lesson as written ("true", "14"...).
std::string setting_value(const Lesson& L, const std::string& device, Proto world,
                          const std::string& key);
// The lesson with the changes applied to its devices (those it sets up and those its script
// adds). Throws AssessError for a device, setting or value the task does not allow.
Lesson apply_changes(const Lesson& L, const std::vector<SettingChange>& changes);

// An action the learner adds to the script: DEVICE does WHAT ("check mail", "go offline", "go
// online", "empty trash") at AT.
struct AddedAction {
  std::string device, what;
  Tick at = 0;
};
// The actions a task may offer (task.may_change[].actions).
const std::vector<std::string>& task_actions();
// Parses "phone:check mail@50s"; nullopt when it is not of that shape.
std::optional<AddedAction> parse_added_action(const std::string& s);
// The lesson with the actions added to its script (in time order, after those already due at
// the same moment). Throws AssessError for one the task does not allow or a time past the run.
Lesson add_actions(const Lesson& L, const std::vector<AddedAction>& actions);

struct TaskOutcome {
  bool pass = false;
  std::vector<CheckResult> checks;  // the task's checks, in order
};
// Re-runs the task's world with the changes and added actions and decides each of its checks from the trace.
TaskOutcome check_task(const Lesson& L, const std::vector<SettingChange>& changes,
                       const std::vector<AddedAction>& actions = {});

}  // namespace ms
