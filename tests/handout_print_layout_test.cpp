// The printed handout's sequence diagram: one page per world, bursts summarised, labels
// measured in the font they are drawn in, no text under 8 pt; the transcript an appendix.
#include <catch2/catch.hpp>

#include <regex>
#include <string>

#include "export/handout.hpp"
#include "export/sequence.hpp"
#include "lesson/lesson.hpp"
#include "lesson/table.hpp"

namespace {
const std::string kLessons = std::string(MAILSCOPE_SOURCE_DIR) + "/lessons";

int attr(const std::string& svg, const std::string& name) {
  const auto at = svg.find(" " + name + "=\"");
  return at == std::string::npos ? -1 : std::stoi(svg.substr(at + name.size() + 3));
}
}  // namespace

TEST_CASE("a label is cut to the pixels it has in DejaVu Sans Mono, with one ellipsis",
          "[export][sequence]") {
  // 11 px DejaVu Sans Mono advances 6.62 px a character: 66 px hold 9 characters.
  CHECK(ms::fit_label("A1 LOGIN alice", 66, 11) == "A1 LOGIN\xE2\x80\xA6");
  CHECK(ms::fit_label("A1 LOGIN", 66, 11) == "A1 LOGIN");
  // "×" is one character, not two bytes.
  CHECK(ms::fit_label("\xC3\x97" "12 FETCH", 66, 11) == "\xC3\x97" "12 FETCH");
  CHECK(ms::label_width_px("\xC3\x97" "12 FETCH", 11) == 60);
  CHECK(ms::fit_label("abc", 3, 11).empty());
}

SCENARIO("the printed diagram of a long lesson fits its page by summarising conversations",
         "[export][sequence]") {
  for (const char* id : {"quick-resync", "deleted-mail", "what-breaks", "moving-to-imap"}) {
    INFO(id);
    ms::LessonRun run = ms::run_lesson(ms::load_lesson(kLessons + "/" + id + ".json"));
    for (const auto& wr : run.worlds) {
      INFO(wr.world->label());
      int summarised = -1;
      const std::string svg =
          ms::printed_sequence_svg({wr.world.get(), wr.world->label() + " world"}, "t", 700, 820,
                                   &summarised);
      CHECK(attr(svg, "width") <= 700);
      CHECK(attr(svg, "height") <= 820);
      CHECK(summarised > 0);
      // Summaries say how many lines they stand for.
      CHECK_THAT(svg, Catch::Contains("\xC3\x97"));
      // Every text is 11 px or more: 8.25 pt at the print scale of 1.
      const std::regex size("font-size=\"([0-9.]+)\"");
      for (auto it = std::sregex_iterator(svg.begin(), svg.end(), size);
           it != std::sregex_iterator(); ++it)
        CHECK(std::stod((*it)[1]) >= 11);
      // No cut with three dots: the cut is one ellipsis character.
      CHECK_THAT(svg, !Catch::Contains("...<"));
    }
  }
}

TEST_CASE("a short exchange that fits is drawn arrow by arrow", "[export][sequence]") {
  ms::LessonRun run = ms::run_lesson(ms::load_lesson(kLessons + "/gmail-pop.json"));
  const auto& wr = run.worlds.front();
  int summarised = -1;
  const std::string svg = ms::printed_sequence_svg({wr.world.get(), "w"}, "t", 700, 20000,
                                                   &summarised);
  CHECK(summarised == 0);
  CHECK_THAT(svg, !Catch::Contains("msg summary"));
}

TEST_CASE("the handout leaves the transcript out unless asked, then adds it as an appendix",
          "[export]") {
  ms::LessonRun run = ms::run_lesson(ms::load_lesson(kLessons + "/mail-storage.json"));
  const auto rows = ms::decide_rows(run);
  const std::string without = ms::lesson_handout_html(run, rows);
  const std::string with = ms::lesson_handout_html(run, rows, {.transcript = true});
  CHECK_THAT(without, !Catch::Contains("<pre>"));
  CHECK_THAT(without, Catch::Contains("export it with the handout's transcript appendix"));
  CHECK_THAT(with, Catch::Contains("<h2 id=\"transcript\">Appendix: transcript</h2>"));
  CHECK_THAT(with, Catch::Contains("00:00:10.880  phone -&gt; server  POP3  C: RETR 1\n"));
  // One diagram figure per world, and the worlds figure before the summary.
  CHECK(with.find("<figure class=\"sequence\">") != with.rfind("<figure class=\"sequence\">"));
  CHECK(without.find("<figure class=\"worlds\">") < without.find("<p class=\"summary\">"));
}
