#pragma once
// A lesson as one standalone, accessible HTML page for a class: title, summary, the narrative
// steps, the comparison row(s) decided from this run, the run's expectations, the sequence
// diagram (inline SVG) and the wire transcript. Readable without CSS or scripts.
#include <string>
#include <vector>

#include "lesson/lesson.hpp"
#include "lesson/table.hpp"

namespace ms {

// `rows` are the comparison rows decided from the run (decide_rows), computed while the run
// still had both worlds; the page shows the worlds `run` holds.
std::string lesson_handout_html(const LessonRun& run, const std::vector<TableRow>& rows);

}  // namespace ms
