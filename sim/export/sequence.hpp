#pragma once
// Sequence diagrams of a run's wire traffic: one lifeline per device, the server and the
// internet (outside mail servers), one arrow per Wire record (a command or a response,
// labelled with its first line), time flowing down. As SVG (standalone or inline in HTML)
// and as a Mermaid `sequenceDiagram` with the same content. The rows, lifelines, labels and
// colour roles are the headless description the GUI draws too (view/sequence_layout,
// view/sequence_diagram).
#include <string>
#include <vector>

#include "world/world.hpp"

namespace ms {

struct DiagramWorld {
  const World* world = nullptr;
  std::string heading;  // e.g. "POP3 world: Where does my mail live?"
};

// The label of a Wire record's arrow: its first line, control bytes escaped, long lines cut,
// and "(+N lines)" when it holds more. The first line is cut to `max_chars` (with "...").
std::string arrow_label(const std::string& wire_text, std::size_t max_chars = 44);

// An SVG document (an XML declaration unless `inline_svg`); `title` goes into <title>, and a
// <desc> summarises the exchange for screen readers. With `max_width` > 0 the diagram is laid
// out to be no wider than that (narrower lifeline columns and time column, labels cut to the
// arrow they sit on), so that it fits a printed page without scaling the text down.
std::string sequence_svg(const std::vector<DiagramWorld>& worlds, const std::string& title,
                         bool inline_svg = false, int max_width = 0);
// The printed diagram of one world, for a page: no wider than `max_width` and no taller than
// `max_height` pixels, text in DejaVu Sans Mono at 11 px or more (8 pt at print scale 1) and
// every label measured and cut with "…" to the arrow it sits on. To fit, runs of three or more
// lines of one kind become one arrow ("×12 FETCH …"), then the longest conversations between
// two lifelines one arrow each ("×13: EHLO, MAIL, RCPT, DATA, QUIT"), then alike ones next to
// each other. `summarised`, when given, gets how many arrows stand for more than one line.
std::string printed_sequence_svg(const DiagramWorld& world, const std::string& title,
                                 int max_width, int max_height, int* summarised = nullptr);
// `text` cut to `room_px` in DejaVu Sans Mono at `font_px` (whole characters, "…" where cut),
// and the width a text takes in it.
std::string fit_label(const std::string& text, double room_px, double font_px);
int label_width_px(const std::string& text, double font_px);
std::string sequence_mermaid(const std::vector<DiagramWorld>& worlds, const std::string& title);

}  // namespace ms
