#pragma once
// The accessible twin: what the canvas shows, as data a web page can turn into real HTML
// (headings, a live region, radio groups, a table, buttons) for screen readers and keyboards.
// Dear ImGui draws pixels and exposes no accessibility tree, so the browser build publishes
// this snapshot beside the canvas (gui/platform/web/a11y_twin_web.cpp) whenever it changes.
//
// Built from the same run, views and UI state the panels draw from; nothing here decides
// anything the panels do not (quiz verdicts come from the lesson's answer key, checks from
// the run, the table from decide_rows, the recommendation from recommend()). No ImGui in here
// (tested headless, tests/gui_a11y_twin_test.cpp).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "lesson/chooser.hpp"
#include "lesson/lesson.hpp"
#include "lesson/table.hpp"
#include "ui_state.hpp"

namespace ms {

// One world as the worlds view draws it: its title ("POP3 world"), the server's actor id and
// its state at the cursor (the panels' WorldModel::view).
struct TwinWorld {
  std::string title;
  Proto proto = Proto::None;
  const Trace* trace = nullptr;
  const std::vector<CheckResult>* checks = nullptr;
  const WorldView* view = nullptr;
  std::uint16_t server = 0;
  int internet = -1;  // the Internet actor, which carries mail but is no place it is kept
};

struct TwinInput {
  const LessonRun* run = nullptr;
  std::vector<TwinWorld> worlds;
  const Course* course = nullptr;
  Tick duration = 1;
  // The comparison table's rows of this lesson and the moment its cells may be shown (the
  // table panel's rule: once the run has gone quiet), or every row from its own lesson.
  const std::vector<TableRow>* table = nullptr;
  Tick table_at = 0;
  bool full_table = false;
};

// How many transcript lines the twin's log keeps (the latest at the cursor).
constexpr std::size_t kTwinTranscriptLines = 12;

// The snapshot: {"screen", "lesson", "step", "timeline", "checks", "checks_pending", "quiz",
// "transcript", "table", "chooser", "course", "canvas"}.
nlohmann::json twin_snapshot(const TwinInput& in, const UiState& ui);

// What the worlds view draws at the cursor, in words: "POP3 world: the server holds 0
// messages; the phone holds 3. IMAP world: ..." (the canvas's accessible description).
std::string describe_worlds(const std::vector<TwinWorld>& worlds);

// The chooser's five questions as the start screen asks them (panels/chooser.cpp draws them, the
// twin publishes them): key, question, answers. A question's value is the chosen answer's index.
struct ChooserQuestion {
  const char* key;
  const char* text;
  std::vector<const char*> answers;
};
const std::vector<ChooserQuestion>& chooser_questions();
// The chooser's answers as UiState holds them, in the recommender's terms.
ChooserAnswers chooser_answers_of(const UiState& ui);

// Answers question q with choice c as a click on the quiz's radio button does: the latest
// answer shown, the first kept for the score (record_answer), progress saved between frames.
void answer_quiz(UiState& ui, const Lesson& lesson, std::size_t q, int c);

// An action the page's twin asks for: {"do": "quiz", "q": 0, "c": 1}, {"do": "step", "dir": 1},
// {"do": "play"}, {"do": "pause"}, {"do": "open", "lesson": "mail-storage"}, {"do": "start"},
// {"do": "chooser", "devices": 2, "connection": 0, "offline": false, "storage": false,
// "provider": 0}. nullopt, with *error saying why, for anything else.
struct TwinAction {
  std::string what;
  int q = 0, c = 0, dir = 0;
  std::string lesson;
  int devices = 1, connection = 0, provider = 0;
  bool offline = false, storage = false;
};
std::optional<TwinAction> parse_twin_action(const std::string& text, std::string* error = nullptr);

}  // namespace ms
