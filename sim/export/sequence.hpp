#pragma once
// Sequence diagrams of a run's wire traffic: one lifeline per device, the server and the
// internet (outside mail servers), one arrow per Wire record (a command or a response,
// labelled with its first line), time flowing down. As SVG (standalone or inline in HTML)
// and as a Mermaid `sequenceDiagram` with the same content.
#include <string>
#include <vector>

#include "world/world.hpp"

namespace ms {

struct DiagramWorld {
  const World* world = nullptr;
  std::string heading;  // e.g. "POP3 world: Where does my mail live?"
};

// The label of a Wire record's arrow: its first line, control bytes escaped, long lines cut,
// and "(+N lines)" when it holds more.
std::string arrow_label(const std::string& wire_text);

// The lifelines of a world, left to right: the internet, the server, then the devices in the
// order they joined.
std::vector<std::uint16_t> lifeline_actors(const World& w);

// An SVG document (an XML declaration unless `inline_svg`); `title` goes into <title>, and a
// <desc> summarises the exchange for screen readers.
std::string sequence_svg(const std::vector<DiagramWorld>& worlds, const std::string& title,
                         bool inline_svg = false);
std::string sequence_mermaid(const std::vector<DiagramWorld>& worlds, const std::string& title);

}  // namespace ms
