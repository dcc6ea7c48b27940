#include "export/handout.hpp"

#include "export/sequence.hpp"
#include "lesson/report.hpp"

namespace ms {

std::string lesson_handout_html(const LessonRun& run, const std::vector<TableRow>& rows) {
  const Lesson& L = run.lesson;
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>" +
      html_escape(L.title) +
      " - Mailscope</title>\n"
      "<style>table{border-collapse:collapse}th,td{border:1px solid #888;"
      "padding:.4em;text-align:left;vertical-align:top}pre{overflow-x:auto}"
      "figure{overflow-x:auto;margin:0}</style>\n</head>\n<body>\n<main>\n";
  h += "<h1>" + html_escape(L.title) + "</h1>\n";
  if (!L.summary.empty()) h += "<p>" + html_escape(L.summary) + "</p>\n";

  if (!L.steps.empty()) {
    h += "<section aria-labelledby=\"steps\">\n<h2 id=\"steps\">What happens</h2>\n<ol>\n";
    for (const auto& s : L.steps)
      h += "<li><h3>" + html_escape(s.title) + "</h3><p>At " + html_escape(format_time(s.at)) +
           ": " + html_escape(s.text) + "</p></li>\n";
    h += "</ol>\n</section>\n";
  }

  h += "<section aria-labelledby=\"compare\">\n<h2 id=\"compare\">IMAP and POP3 compared</h2>\n";
  if (rows.empty()) {
    h += "<p>This lesson demonstrates no row of the comparison table in both worlds.</p>\n";
  } else {
    h += "<p>Decided from what this run showed, not typed in:</p>\n";
    h += format_table_html(rows, true, false);
  }
  h += "<h3>Checks</h3>\n<ul>\n";
  for (const auto& wr : run.worlds)
    for (const auto& c : wr.checks)
      h += "<li>" + std::string(c.pass ? "Passed" : "Failed") + " [" +
           html_escape(wr.world->label()) + "]: " + html_escape(c.description) +
           (c.pass ? "" : " (observed " + html_escape(c.observed) + ")") + "</li>\n";
  h += "</ul>\n</section>\n";

  std::vector<DiagramWorld> dws;
  for (const auto& wr : run.worlds) dws.push_back({wr.world.get(), wr.world->label() + " world"});
  h += "<section aria-labelledby=\"diagram\">\n<h2 id=\"diagram\">Sequence diagram</h2>\n"
       "<figure>\n" +
       sequence_svg(dws, "Sequence diagram: " + L.title, true) +
       "<figcaption>Every command and response on the wire, time flowing down. The "
       "transcript below gives the same exchange as text.</figcaption>\n</figure>\n</section>\n";

  h += "<section aria-labelledby=\"transcript\">\n<h2 id=\"transcript\">Transcript</h2>\n";
  for (const auto& wr : run.worlds)
    h += "<h3>" + html_escape(wr.world->label()) + " world</h3>\n<pre>" +
         html_escape(format_world_transcript(*wr.world)) + "</pre>\n";
  h += "</section>\n";

  if (!L.quiz.empty()) {
    h += "<section aria-labelledby=\"quiz\">\n<h2 id=\"quiz\">Questions</h2>\n<ol>\n";
    for (const auto& q : L.quiz) {
      h += "<li><p>" + html_escape(q.question) + "</p><ol type=\"a\">";
      for (const auto& c : q.choices) h += "<li>" + html_escape(c) + "</li>";
      h += "</ol><details><summary>Answer</summary><p>";
      if (q.answer >= 0 && q.answer < static_cast<int>(q.choices.size()))
        h += html_escape(q.choices[q.answer]) + ". ";
      h += html_escape(q.explain) + "</p></details></li>\n";
    }
    h += "</ol>\n</section>\n";
  }
  h += "</main>\n</body>\n</html>\n";
  return h;
}

}  // namespace ms
