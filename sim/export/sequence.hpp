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
std::string sequence_mermaid(const std::vector<DiagramWorld>& worlds, const std::string& title);

}  // namespace ms
