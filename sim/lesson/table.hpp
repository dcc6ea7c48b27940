#pragma once
// The POP3/IMAP comparison table, decided from runs. Every cell is chosen by a decision
// function that inspects what a lesson's run left behind (final stores, the trace replayed at
// the moments that matter), so a change in the simulation that changes the behaviour changes
// the table. Nothing here knows the "right answer"; tests compare the result with the
// reference table.
#include <optional>
#include <map>
#include <string>
#include <vector>

#include "lesson/lesson.hpp"

namespace ms {

// One cell: the phrase shown in the table and the observations it was decided from.
struct TableCell {
  std::string phrase;
  std::string evidence;  // e.g. "after the phone downloaded, the server held 0 of 3 messages"
  // The lesson step (1-based) from whose end on the run shows this phrase: the step a learner
  // is sent to for it. 0 when the lesson has no steps. Not part of the exported formats.
  int step = 0;
};

struct TableRow {
  std::string row;     // "mail storage", ...
  std::string lesson;  // id of the lesson whose run decided it
  TableCell imap, pop3;
};

// The six rows, in the order the table shows them.
const std::vector<std::string>& table_row_names();

// Decides one world's cell of `row` from a finished world of `lesson`. Returns nullopt when
// the lesson's script does not contain what the row needs (e.g. no "delete" for deleted mail).
std::optional<TableCell> decide_cell(const std::string& row, const Lesson& lesson,
                                     const World& world);
// Both cells of a row from a run (which must include the IMAP and the POP3 world).
std::optional<TableRow> decide_row(const std::string& row, const LessonRun& run);
// Every row the run's lesson demonstrates (its `rows`) that can be decided from the run.
std::vector<TableRow> decide_rows(const LessonRun& run);

// The lesson made for each row (by id): the table's first choice for that row.
const std::map<std::string, std::string>& table_row_lessons();
// Runs, for every row, the row's own lesson (table_row_lessons), else the first lesson (by
// file name) in `lessons_dir` that demonstrates it, and decides the row. Rows without a lesson
// get "no lesson" cells. Throws LessonError if a lesson file is malformed.
std::vector<TableRow> compute_table(const std::string& lessons_dir);

// ---- "With your mail app" -------------------------------------------------------------------
// The textbook table above is decided from each row's lesson as written (POP3 devices that
// delete after download, an online-only IMAP client...). The per-app table runs the same
// lessons again with a real app's defaults applied to every client device, and finds the
// condition of each cell by running it again with one setting flipped.

// The client profiles the per-app table runs, in the order it shows them. Ids unknown to
// apply_client_preset are skipped (compute_app_table).
const std::vector<std::string>& table_profile_ids();

// Applies client profile `id` (apply_client_preset) to every client device of the lesson: the
// devices it sets up and those its script adds, and makes the run last until every app has
// checked mail on its own schedule once after the script's last action. Returns false,
// leaving the lesson unchanged, for an unknown id.
bool apply_profile(Lesson& lesson, const std::string& id);

// One profile's cell: the phrase decided from the run, and the condition that decides it.
struct AppCell {
  TableCell cell;
  // The settings whose change flips the cell, as found by running the row again with each one
  // flipped: "depends on 'leave on server' (on in this app; off: resides on the computer)".
  // Empty when no setting tried changes it.
  std::string condition;
  // False when the app does not speak this world's protocol (a webmail has no POP3): the cell
  // says so, links to no run, and the row's summary leaves the app out.
  bool used = true;
};

struct AppAnswer {
  std::string profile;  // "thunderbird"
  std::string title;    // "Thunderbird"
  AppCell imap, pop3;
};

struct AppTableRow {
  std::string row;
  std::string lesson;  // the lesson run with each profile (the textbook row's lesson)
  std::vector<AppAnswer> apps;
  // Each world's answers across the apps: "yes with every app" or
  // "yes with Thunderbird, Outlook; no, needs a connection with Webmail".
  std::string imap_summary, pop3_summary;
};

// Runs `lesson` with each profile (skipping unknown ids) and decides `row` in both worlds,
// with each cell's condition. nullopt when the lesson cannot decide the row.
std::optional<AppTableRow> decide_app_row(const std::string& row, const Lesson& lesson,
                                          const std::vector<std::string>& profiles =
                                              table_profile_ids());
// The per-app rows of every row of `textbook` (compute_table), each run from its lesson in
// `lessons_dir`. A row without a lesson is left out. Throws LessonError like compute_table.
std::vector<AppTableRow> compute_app_table(const std::string& lessons_dir,
                                           const std::vector<TableRow>& textbook,
                                           const std::vector<std::string>& profiles =
                                               table_profile_ids());
// The per-app rows of the rows a lesson demonstrates (its `rows`), for its handout.
std::vector<AppTableRow> decide_app_rows(const Lesson& lesson);

// Both tables: "The textbook answer" then "With your mail app". With an empty `apps`, just
// the textbook table as before.
std::string format_table_md(const std::vector<TableRow>& rows,
                            const std::vector<AppTableRow>& apps, bool explain);
std::string format_table_html(const std::vector<TableRow>& rows,
                              const std::vector<AppTableRow>& apps, bool explain,
                              bool standalone = true);
// The textbook rows as format_table_json, each with "apps": [{"profile", "title", "imap":
// {"phrase", "condition", "evidence"}, "pop3": {...}}, ...] and "summary": {"imap", "pop3"}.
std::string format_table_json(const std::vector<TableRow>& rows,
                              const std::vector<AppTableRow>& apps);
// Just the per-app part as HTML (a table per row, captioned with the row), for embedding. Each
// cell of an app that speaks the world's protocol links to the row's lesson with that app's
// profile at the start of the deciding step: "index.html?lesson=L&profile=P&step=S", the web
// build's deep link, titled with the desktop command (mailscope --lesson L --profile P --step S).
std::string format_app_table_html(const std::vector<AppTableRow>& apps, bool explain);

std::string format_table_md(const std::vector<TableRow>& rows, bool explain);
// A standalone HTML page (lang, title, caption, th scope) or, with standalone=false, just the
// <table> element for embedding.
std::string format_table_html(const std::vector<TableRow>& rows, bool explain,
                              bool standalone = true);
// [{"row": ..., "imap": ..., "pop3": ..., "evidence": {"lesson", "imap", "pop3"}}, ...]
std::string format_table_json(const std::vector<TableRow>& rows);

std::string html_escape(std::string_view s);

}  // namespace ms
