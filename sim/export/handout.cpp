#include "export/handout.hpp"

#include "export/sequence.hpp"
#include "export/worlds_svg.hpp"
#include "lesson/report.hpp"

namespace ms {

namespace {

// The narrowest printable width the page is laid out for: A4 (210 mm) less two 12 mm margins
// is 186 mm, about 703 CSS pixels (Letter is wider). Pictures are drawn to fit it, so print
// never cuts or shrinks them.
constexpr int kPageWidthPx = 700;
// The tallest a world's printed diagram may be: Letter's printable height (279.4 mm less two
// 12 mm margins, 965 CSS px; A4's is taller) less the section's heading and legend, which
// keep to the first world's figure.
constexpr int kDiagramHeightPx = 820;

// Screen and print share one layout; print only tightens type and drops backgrounds. Every
// block may wrap (transcript lines, table cells), so nothing is wider than the page. On paper
// the worlds figure (drawn in the app's dark palette, export/worlds_svg.cpp) turns light: its
// colours are mapped by attribute, so the picture itself stays the app's.
constexpr const char* kCss = R"(*{box-sizing:border-box}
html{color-scheme:light}
body{margin:0;background:#fff;color:#1b1b1b;font:16px/1.5 "DejaVu Sans",Verdana,sans-serif}
main{max-width:46rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.8rem;line-height:1.2;margin:.2rem 0 .6rem}
h2{font-size:1.3rem;margin:2rem 0 .6rem;border-bottom:1px solid #ccd;padding-bottom:.2rem}
h3{font-size:1.05rem;margin:0 0 .2rem}
.kicker{margin:0;color:#555;font-size:.8rem;letter-spacing:.06em;text-transform:uppercase}
.takeaway{margin:.8rem 0;padding:.6rem .9rem;background:#eef4ff;border-left:.35rem solid #2a62b8;font-size:1.15rem}
.summary{margin:.6rem 0}
figure{margin:1rem 0}
figcaption{color:#444;font-size:.85rem;margin-top:.4rem}
svg{display:block;max-width:100%;height:auto}
ol.steps{padding-left:1.4rem}
ol.steps>li{margin:0 0 1rem}
.when{color:#555;font-size:.85rem;margin:0}
ul.checks{list-style:none;padding-left:0;margin:.3rem 0 0}
ul.checks li{padding-left:1.3rem;text-indent:-1.3rem;font-size:.9rem}
.pass{color:#185c28}.fail{color:#a4161a}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th,td{border:1px solid #999;padding:.4em;text-align:left;vertical-align:top;overflow-wrap:anywhere}
pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.72rem;line-height:1.35;background:#f6f6f6;padding:.6rem;margin:.4rem 0}
ol.quiz>li{margin-bottom:1rem}
.feedback{color:#444}
.answer-print{display:none}
.legend{font-size:.85rem;color:#333}
@page{margin:12mm}
@media print{
body{font-size:10pt}
ol.steps>li{margin-bottom:.5rem}
ul.checks li{font-size:9pt}
ol.quiz>li{margin-bottom:.5rem}
main{max-width:none;padding:0}
.takeaway{background:none;border-left-width:1.2mm}
h2{break-after:avoid}
figure,ol.steps>li,ol.quiz>li,tr{break-inside:avoid}
pre{background:none;font-size:8pt}
.appendix,.diagram{break-before:page}
table{font-size:9pt}
small{font-size:max(8pt,.85em)}
.apps thead th:first-child{width:22%}
.apps td a,.apps td a+br,.apps td br:has(+a){display:none}
h2,.legend{break-after:avoid}
details{display:none}
.answer-print{display:block}
svg{print-color-adjust:exact;-webkit-print-color-adjust:exact}
.worlds [fill="#14171f"],.worlds [fill="#1e232e"]{fill:#fff}
.worlds [fill="#2d323e"]{fill:#e2e5ea}
.worlds [stroke="#373e50"],.worlds [stroke="#5a647d"],.worlds [stroke="#78829a"]{stroke:#6b7280}
.worlds [fill="#ebeef5"],.worlds [fill="#ffffff"]{fill:#111}
.worlds [stroke="#ebeef5"],.worlds [stroke="#ffffff"]{stroke:#111}
.worlds [fill="#a0a8b9"],.worlds [fill="#c8cdd7"]{fill:#3d4350}
.worlds [stroke="#a0a8b9"],.worlds [stroke="#c8cdd7"]{stroke:#3d4350}
.worlds [fill="#78e6ff"]{fill:#00658a}.worlds [stroke="#78e6ff"]{stroke:#00658a}
.worlds [fill="#50d28c"]{fill:#146c3a}.worlds [stroke="#50d28c"]{stroke:#146c3a}
}
)";

std::string passed(const CheckResult& c, const std::string& world) {
  return std::string("<li class=\"") + (c.pass ? "pass\">&#10003; Checked" : "fail\">&#10007; Failed") +
         " [" + html_escape(world) + "]: " + html_escape(c.description) +
         (c.pass ? "" : " (observed " + html_escape(c.observed) + ")") + "</li>\n";
}

}  // namespace

std::string lesson_handout_html(const LessonRun& run, const std::vector<TableRow>& rows,
                                const HandoutOptions& opt) {
  const Lesson& L = run.lesson;
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<title>" + html_escape(L.title) + " - Mailscope</title>\n<style>" + kCss +
                  "</style>\n</head>\n<body>\n<main>\n";
  h += "<header>\n<p class=\"kicker\">Mailscope lesson: POP3 and IMAP side by side</p>\n";
  h += "<h1>" + html_escape(L.title) + "</h1>\n";
  if (!L.takeaway.empty())
    h += "<p class=\"takeaway\"><strong>Takeaway:</strong> " + html_escape(L.takeaway) + "</p>\n";
  h += "</header>\n";

  // The worlds at the step that shows the lesson's point, as the GUI draws them there.
  if (!L.steps.empty()) {
    const int d = L.decisive_step >= 0 ? L.decisive_step : static_cast<int>(L.steps.size()) - 1;
    const Step& st = L.steps[static_cast<std::size_t>(d)];
    WorldsSvgOptions o;
    o.width = static_cast<float>(kPageWidthPx);
    // 15 px: the smallest labels (0.74 of it) print at 8 pt or more where the worlds fit at
    // full zoom; taller than the GUI's panel so that the larger text keeps its room.
    o.height = 480;
    o.font_px = 15;
    o.min_zoom = 1;  // a crowded world (three devices) drops details rather than shrink text
    std::string which = run.worlds.size() > 1 ? "The two worlds" : "The " +
                        run.worlds.front().world->label() + " world";
    h += "<section aria-labelledby=\"worlds\">\n<h2 id=\"worlds\">" + html_escape(which) +
         " at step " + std::to_string(d + 1) + ": " + html_escape(st.title) +
         "</h2>\n<figure class=\"worlds\">\n" + worlds_svg(run, st.at, o) +
         "<figcaption>At " + html_escape(format_time(st.at)) +
         (run.worlds.size() > 1 ? ", POP3 on the left and IMAP on the right" : "") +
         ": the server, each device and what each one holds.</figcaption>\n</figure>\n"
         "</section>\n";
  }
  // The summary after the picture: text breaks across pages where a figure cannot, so page 1
  // holds the title, the takeaway and the figure instead of half a page of white.
  if (!L.summary.empty()) h += "<p class=\"summary\">" + html_escape(L.summary) + "</p>\n";

  // Steps, each with the checks decided at it: the narrative and its evidence together.
  if (!L.steps.empty()) {
    h += "<section aria-labelledby=\"steps\">\n<h2 id=\"steps\">What happens</h2>\n"
         "<ol class=\"steps\">\n";
    for (std::size_t i = 0; i < L.steps.size(); ++i) {
      const Step& s = L.steps[i];
      h += "<li><h3>" + html_escape(s.title) + "</h3><p class=\"when\">At " +
           html_escape(format_time(s.at)) + "</p><p>" + html_escape(s.text) + "</p>\n";
      std::string checks;
      for (const auto& wr : run.worlds)
        for (const auto& c : wr.checks)
          if (c.step == static_cast<int>(i)) checks += passed(c, wr.world->label());
      if (!checks.empty()) h += "<ul class=\"checks\">\n" + checks + "</ul>\n";
      h += "</li>\n";
    }
    h += "</ol>\n</section>\n";
  }
  std::string other;
  for (const auto& wr : run.worlds)
    for (const auto& c : wr.checks)
      if (c.step < 0) other += passed(c, wr.world->label());
  if (!other.empty())
    h += "<section aria-labelledby=\"checks\">\n<h2 id=\"checks\">Checks</h2>\n"
         "<ul class=\"checks\">\n" + other + "</ul>\n</section>\n";

  h += "<section aria-labelledby=\"compare\">\n<h2 id=\"compare\">IMAP and POP3 compared</h2>\n";
  if (rows.empty()) {
    h += "<p>This lesson shows no row of the comparison table: its point is in the steps "
         "above.</p>\n";
  } else {
    h += "<h3>The textbook answer</h3>\n<p>Decided from what this run showed, not typed in:</p>\n";
    h += format_table_html(rows, true, false);
    // Each mail app's answer comes from runs of this lesson with that app's defaults, so the
    // handout does not claim the textbook cell holds for every app.
    std::vector<AppTableRow> apps;
    for (const TableRow& r : rows)
      if (auto a = decide_app_row(r.row, L)) apps.push_back(std::move(*a));
    if (!apps.empty())
      h += "<h3>With your mail app</h3>\n<p>This lesson run again with each app's default "
           "settings on every device; a condition names the setting whose change (run again "
           "with it flipped) changes the answer.</p>\n<div class=\"apps\">" + format_app_table_html(apps, false) + "</div>\n";
  }
  h += "</section>\n";

  // The diagram on paper: one figure per world, each fitted to one page (bursts and long
  // conversations summarised), so that a world's diagram is never cut by a page break.
  h += "<section class=\"diagram\" aria-labelledby=\"diagram\">\n<h2 id=\"diagram\">Sequence diagram</h2>\n";
  int summarised = 0;
  std::string figures;
  for (const auto& wr : run.worlds) {
    int s = 0;
    figures += "<figure class=\"sequence\">\n" +
               printed_sequence_svg({wr.world.get(), wr.world->label() + " world"},
                                    "Sequence diagram, " + wr.world->label() + " world: " + L.title,
                                    kPageWidthPx, kDiagramHeightPx, &s) +
               "</figure>\n";
    summarised += s;
  }
  h += "<p class=\"legend\">Time flows down. Solid arrows: a client's commands; dashed: the "
       "server's responses" +
       std::string(summarised > 0
                       ? "; a thick two-headed arrow: a whole conversation drawn as one "
                         "(\u00d713: its 13 commands and responses, the client's commands "
                         "named); \u00d712 FETCH \u2026: twelve lines of one kind"
                       : "") +
       ". Labels longer than their arrow end in \u2026" +
       (opt.transcript ? "; the transcript appendix gives every line in full."
                       : "; every line in full is in the transcript (export it with the "
                         "handout's transcript appendix, or as a text file).") +
       "</p>\n" + figures + "</section>\n";
  if (!L.quiz.empty()) {
    h += "<section aria-labelledby=\"quiz\">\n<h2 id=\"quiz\">Questions</h2>\n<ol class=\"quiz\">\n";
    for (const auto& q : L.quiz) {
      h += "<li><p>" + html_escape(q.question) + "</p><ol type=\"a\">";
      for (const auto& c : q.choices) h += "<li>" + html_escape(c) + "</li>";
      std::string answer = "<p>";
      if (q.answer >= 0 && q.answer < static_cast<int>(q.choices.size()))
        answer += html_escape(q.choices[static_cast<std::size_t>(q.answer)]) + ". ";
      answer += html_escape(q.explain) + "</p>";
      if (!q.feedback.empty()) {
        answer += "<ol type=\"a\" class=\"feedback\">";
        for (const auto& f : q.feedback) answer += "<li>" + html_escape(f) + "</li>";
        answer += "</ol>";
      }
      // On screen the answer waits behind a click; a printer cannot click, and Chromium does
      // not print a closed <details>' content: paper gets the answer open instead.
      h += "</ol><details><summary>Answer</summary>" + answer +
           "</details><div class=\"answer-print\"><p><strong>Answer</strong></p>" + answer +
           "</div></li>\n";
    }
    h += "</ol>\n</section>\n";
  }
  if (opt.transcript) {
    h += "<section class=\"appendix\" aria-labelledby=\"transcript\">\n<h2 id=\"transcript\">"
         "Appendix: transcript</h2>\n<p>Every command and response on the wire, as the "
         "diagram shows them, line by line.</p>\n";
    for (const auto& wr : run.worlds)
      h += "<h3>" + html_escape(wr.world->label()) + " world</h3>\n<pre>" +
           html_escape(format_world_transcript(*wr.world)) + "</pre>\n";
    h += "</section>\n";
  }
  h += "</main>\n</body>\n</html>\n";
  return h;
}

}  // namespace ms
