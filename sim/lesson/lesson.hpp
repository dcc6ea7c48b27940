#pragma once
// Lessons: a JSON file describing a world (server, accounts, devices with their client
// policies and links), a protocol-agnostic script of timed actions, narrative steps,
// expectations the program checks, and quiz questions. The same script runs in a POP3 world
// and an IMAP world. Format documented in lessons/README.md.
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "world/world.hpp"

namespace ms {

// A malformed lesson: the message names the file, line, column and the field at fault.
struct LessonError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The message for a JSON syntax error in a data file (a lesson, the profiles file), so that
// both say it alike: "FILE:LINE:COL: invalid JSON: syntax error ...". `byte` is where
// nlohmann::json's parse_error puts it (1-based), `what` that error's text.
std::string json_syntax_error(const std::string& text, const std::string& file, std::size_t byte,
                              const std::string& what);

struct ScriptAction {
  Tick at = 0;
  std::string device;  // empty for world actions ("mail arrives")
  std::string what;    // "mail arrives", "check mail", "read", "flag", "unflag", "delete",
                       // "send", "reply", "empty trash", "go offline", "go online", "lose",
                       // "add device"
  int message = 0;     // scenario message number for read/flag/delete/reply
  std::string from, to, subject, text;
  std::size_t attachment_kb = 0;  // mail arrives: size of an attachment
  std::string attachment_name;
  DeviceSpec new_device;  // for "add device"
  std::string describe() const;
};

struct Step {
  Tick at = 0;
  std::string title, text;
};

// What an eavesdropper may look for on the wire (sim/lesson/lesson.cpp, wire_readable).
enum class WireSecret : std::uint8_t { Password, MessageBody, ServerName };

struct Expectation {
  std::string world;   // "pop3", "imap" or "" for both
  std::string where;   // "server" or a device name
  std::string folder = "INBOX";
  std::optional<int> count;          // number of messages in the folder
  std::optional<std::string> also_on;  // every message here is also held by this place
  std::optional<int> seen;           // number of \Seen messages in the folder
  std::string says;                  // what the expectation shows, in words
  std::optional<Tick> at;            // "at": decided at this moment (within the step in force)
  std::optional<int> step;           // "step" (0-based here, 1-based in the file)
  // "readable_on_wire": what an eavesdropper on `where`'s connections can read in the bytes
  // that crossed the wire (TLS records count as ciphertext, except the ClientHello's server
  // name), and whether it should be readable.
  std::optional<WireSecret> readable_on_wire;
  bool readable = true;
  int message = 1;  // "message body": scenario message N
};

struct CheckResult {
  std::string world;
  std::string description;
  bool pass = false;
  std::string observed;
  // The step the expectation belongs to (0-based; -1 when the lesson has no step in force at
  // that moment) and the moment it was decided: a viewer shows it pending before `at` and
  // PASS/FAIL from `at` on.
  int step = -1;
  Tick at = 0;
};

struct QuizQuestion {
  std::string question;
  std::vector<std::string> choices;
  int answer = 0;
  std::string explain;                // why the answer is right
  std::vector<std::string> feedback;  // one per choice: what picking it shows (may be empty)
};

// ---- Assessment (issue 24), read and decided by lesson/assess.* -----------------------------
// A query over the trace at a moment: what a prediction asks about.
struct Query {
  enum class What { Copies, Messages, Read, Flagged, Holds, BytesFrom, BytesTo, BytesWire };
  What what = What::Messages;
  int message = 0;     // Copies, Holds: the scenario message number
  std::string on;      // "server", a device, "devices", "everywhere"; bytes: an actor
  std::string folder;  // "" = every folder of the place
};
// One choice of a prediction: the values it stands for, as one value or a range.
struct PredictionChoice {
  std::string text;
  std::int64_t lo = 0, hi = 0;  // holds value v when lo <= v <= hi (yes/no: 1 yes, 0 no)
};
struct Prediction {
  int step = 0;  // 0-based; decided at the step's end
  Proto world = Proto::None;
  std::string question;
  Query query;
  std::vector<PredictionChoice> choices;
  std::vector<std::string> feedback;  // one per choice
  std::string explain;
};
// A task: a goal, the settings the learner may change on which devices, and checks.
struct Task {
  std::string goal, hint;
  Proto world = Proto::None;
  std::vector<std::pair<std::string, std::vector<std::string>>> may_change;  // device, keys
  std::vector<std::pair<std::string, std::vector<std::string>>> may_do;  // device, actions
  std::vector<Expectation> checks;
};

struct Lesson {
  std::string id, title, summary, file;
  std::string takeaway;              // the lesson's point in one line
  int decisive_step = -1;            // 0-based step whose moment shows the point (-1: the last)
  std::vector<std::string> rows;     // comparison rows it demonstrates
  std::vector<Proto> worlds;         // which worlds to run
  std::uint64_t seed = 1;
  Tick duration = 0;                 // end of the run
  ServerSettings server;
  bool require_tls = false;          // "server.require_tls": no password before TLS (issue 22)
  std::uint64_t quota = 0;
  std::vector<std::pair<std::string, std::string>> accounts;  // name, password
  std::vector<DeviceSpec> devices;
  std::vector<ScriptAction> script;
  std::vector<Step> steps;
  std::vector<Expectation> expect;
  std::vector<QuizQuestion> quiz;
  std::vector<Prediction> predictions;  // issue 24
  std::optional<Task> task;
};

Lesson parse_lesson(const std::string& text, const std::string& file);
Lesson load_lesson(const std::string& path);
// The lesson files of a directory, sorted by name: every *.json but course.json (the
// suggested order of the lessons, not a lesson).
std::vector<std::string> lesson_files(const std::string& lessons_dir);
// Finds a lesson by id ("mail-storage") or path in the given lessons directory.
std::string find_lesson(const std::string& id_or_path, const std::string& lessons_dir);

// One world of a lesson run.
struct WorldRun {
  std::unique_ptr<World> world;
  std::vector<CheckResult> checks;
};

// Runs every world of the lesson to its end, deciding each expectation at its step's moment
// (decided_when); WorldRun::checks keep the lesson's order.
struct LessonRun {
  Lesson lesson;
  std::vector<WorldRun> worlds;
  bool all_pass() const;
};
LessonRun run_lesson(const Lesson& lesson, std::optional<std::uint64_t> seed = std::nullopt);
// Builds a world for the lesson (set-up and scheduled script) without running it.
std::unique_ptr<World> build_world(const Lesson& lesson, Proto proto, std::uint64_t seed);
// The expectations of a lesson without steps that name no moment: decided on `w` as it is now
// (run_lesson calls it once the run has ended).
std::vector<CheckResult> check_world(const Lesson& lesson, World& w);
// One expectation evaluated against the world as it is now (records a Check in the trace).
CheckResult evaluate(const Lesson& lesson, World& w, const Expectation& x);
// The step an expectation belongs to (0-based, -1 when none is in force) and the moment it is
// decided: its step's start ("step", default the last step), its own "at", or, in a lesson
// without steps, the end of the run.
std::pair<int, Tick> decided_when(const Lesson& lesson, const Expectation& x);

// "1m30s" style durations; lessons may also give plain seconds as a number.
std::optional<Tick> parse_duration(const std::string& s);
std::string format_time(Tick t);  // "00:01:30.250"

}  // namespace ms
