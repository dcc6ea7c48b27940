#pragma once
// A lesson as one standalone, accessible HTML page for a class or a customer: the one-line
// takeaway on top, the two worlds drawn at the lesson's decisive step (the same layout as the
// GUI's), the narrative steps each with the checks decided at it, the comparison row(s) decided
// from this run, the sequence diagram fitted to the page (one page per world), the quiz and, when asked
// for, the wire transcript as an appendix. Print and screen CSS share one layout that fits A4 and Letter; readable without CSS.
#include <string>
#include <vector>

#include "lesson/lesson.hpp"
#include "lesson/table.hpp"

namespace ms {

struct HandoutOptions {
  // Every wire line as an appendix at the end. Off by default: a long lesson's transcript
  // runs to hundreds of printed pages (what-breaks: over 1,400), while the diagram and the
  // steps are what a class reads; the appendix is one option away, and --transcript writes
  // the same lines as a text file.
  bool transcript = false;
};

// `rows` are the comparison rows decided from the run (decide_rows), computed while the run
// still had both worlds; the page shows the worlds `run` holds.
std::string lesson_handout_html(const LessonRun& run, const std::vector<TableRow>& rows,
                                const HandoutOptions& opt = {});

}  // namespace ms
