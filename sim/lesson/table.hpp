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

std::string format_table_md(const std::vector<TableRow>& rows, bool explain);
// A standalone HTML page (lang, title, caption, th scope) or, with standalone=false, just the
// <table> element for embedding.
std::string format_table_html(const std::vector<TableRow>& rows, bool explain,
                              bool standalone = true);
// [{"row": ..., "imap": ..., "pop3": ..., "evidence": {"lesson", "imap", "pop3"}}, ...]
std::string format_table_json(const std::vector<TableRow>& rows);

std::string html_escape(std::string_view s);

}  // namespace ms
