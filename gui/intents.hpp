#pragma once
// Sandbox intents: what the user does to a lesson while watching it. An intent is either an
// action at a simulated time (a ScriptAction, exactly as a lesson's script would say it) or a
// change of a device's or the server's settings. Settings changes apply from the start of the
// run: the lesson format has no "change policy" action, and a setting that appears halfway
// would be something no lesson can express.
//
// Applying intents copies the lesson, inserts the actions into its script after every action
// at the same or an earlier time, and re-runs it. Runs are deterministic, so the new run is
// the old one up to the first action's time and branches from there. No ImGui in here.
#include <optional>
#include <string>
#include <vector>

#include "lesson/lesson.hpp"

namespace ms {

struct Intent {
  enum class Kind { Action, Device, Server };
  Kind kind = Kind::Action;
  ScriptAction action;          // Kind::Action: action.at is when it happens
  DeviceSpec device;            // Kind::Device: replaces the spec of the device of that name
  ServerSettings server;        // Kind::Server
  std::uint64_t quota = 0;      // Kind::Server: per-account quota in bytes (0: none)
  std::string describe() const;
};

// The lesson with the intents applied (see the top of the file). The run is extended so that
// every action has at least `tail` to play out.
Lesson apply_intents(const Lesson& base, const std::vector<Intent>& intents,
                     Tick tail = 15 * kSecond);
// Where the future branches: the earliest action's time, 0 when a setting changed, nullopt
// without intents.
std::optional<Tick> branch_time(const std::vector<Intent>& intents);

// Parses "phone read 1 at 30", "desktop check mail at 12.5", "phone go offline at 20",
// "phone send Hello to bob@outside.example at 5": DEVICE VERB [N] [...] at SECONDS.
// Returns nullopt and sets *error on a malformed intent.
std::optional<Intent> parse_intent(const std::string& text, std::string* error = nullptr);

// What a run shows at the end of each lesson step and how it decides its checks: enough to
// tell where the learner's run tells a different story from the lesson as planned.
struct RunOutline {
  std::vector<std::string> steps;  // per step: every world's stores at the step's end
  struct Check {
    bool pass = false;
    std::string observed;
  };
  std::vector<std::vector<Check>> checks;  // per world, per check (the lesson's order)
  bool empty() const { return steps.empty() && checks.empty(); }
};
RunOutline outline_run(const LessonRun& run);

// Where the learner's run differs from the lesson as planned: the steps whose outcome differs
// (0-based) and, per world and check, whether it was decided differently.
struct RunChanges {
  std::vector<int> steps;
  std::vector<std::vector<bool>> checks;
  bool step_changed(int i) const;
  bool check_changed(std::size_t world, std::size_t k) const;
};
RunChanges compare_runs(const RunOutline& planned, const RunOutline& now);

// Intents waiting to be applied between frames, and those that made the current run.
struct Sandbox {
  Lesson base;                    // the lesson as loaded
  std::optional<std::uint64_t> seed;
  std::vector<Intent> applied;    // the current run is base + applied
  std::vector<Intent> pending;    // queued by the panels this frame
  bool reset = false;             // back to the lesson as loaded
  bool undo = false;              // take back the last applied intent
  unsigned generation = 0;        // bumped on every re-run: caches keyed on the run check it
  std::string error;              // why the last re-run failed, if it did
  RunOutline planned;             // the lesson as loaded (outlined at the first re-run)
  RunChanges changes;             // the current run against `planned` (empty without intents)
  bool active() const { return !applied.empty(); }
};

// A name for a device of `kind` added in the sandbox: the kind itself while no device has that
// name ("laptop"), else "laptop 2", "laptop 3" ... (the first free number).
std::string new_device_name(const std::vector<std::string>& taken, const std::string& kind);

// Applies `pending` (or the reset, or the undo of the last applied intent) to the sandbox:
// returns the new run, or nullopt when nothing was queued. On failure (an exception from the run) sets `error`, drops the pending
// intents and returns nullopt, leaving the current run as it is.
std::optional<LessonRun> rerun_sandbox(Sandbox& s);

}  // namespace ms
