#pragma once
// A lesson as one standalone, accessible HTML page for a class or a customer: the one-line
// takeaway on top, the two worlds drawn at the lesson's decisive step (the same layout as the
// GUI's), the narrative steps each with the checks decided at it, the comparison row(s) decided
// from this run, the sequence diagram laid out to the page width, the wire transcript and the
// quiz. Print and screen CSS share one layout that fits A4 and Letter; readable without CSS.
#include <string>
#include <vector>

#include "lesson/lesson.hpp"
#include "lesson/table.hpp"

namespace ms {

// `rows` are the comparison rows decided from the run (decide_rows), computed while the run
// still had both worlds; the page shows the worlds `run` holds.
std::string lesson_handout_html(const LessonRun& run, const std::vector<TableRow>& rows);

}  // namespace ms
