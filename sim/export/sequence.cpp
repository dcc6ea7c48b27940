#include "export/sequence.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "lesson/lesson.hpp"
#include "lesson/table.hpp"
#include "util/text.hpp"
#include "view/sequence_diagram.hpp"
#include "view/sequence_layout.hpp"
#include "view/world_scene.hpp"
#include "world/device.hpp"

namespace ms {

namespace {

constexpr int kLeft = 110;             // room for the time column
constexpr int kColumn = 300;           // distance between lifelines
constexpr int kRow = 24;               // distance between arrows
constexpr int kHead = 46;              // lifeline header height
constexpr int kMinColumn = 96;         // narrowest column a fitted diagram uses
constexpr int kFitLeft = 70;           // time column of a fitted diagram (9px digits)
constexpr double kCharPx = 6.7;        // advance of an 11px monospace character

// The records the Mermaid diagram lists: Wire records and lesson steps, in time order.
std::vector<const Record*> shown(const World& w) {
  std::vector<const Record*> out;
  for (const auto& r : w.trace().records())
    if (r.kind == RecKind::Wire || r.kind == RecKind::Step) out.push_back(&r);
  std::stable_sort(out.begin(), out.end(),
                   [](const Record* a, const Record* b) { return a->t < b->t; });
  return out;
}

std::string num(int v) { return std::to_string(v); }

// A world's Wire records as the layout's units (keyed by record index) and its Step records.
struct Rows {
  std::vector<view::seq::Unit> units;
  std::vector<const Record*> steps;
  view::seq::Layout layout;
};

// The printed diagram: every Wire and Step record a row of its own, as the trace recorded them.
Rows rows_of(const World& w) {
  Rows out;
  const auto& recs = w.trace().records();
  for (std::size_t i = 0; i < recs.size(); ++i) {
    const Record& r = recs[i];
    if (r.kind == RecKind::Wire)
      out.units.push_back({.t = r.t, .t_end = std::max(r.t, r.t_end), .from = r.actor,
                           .to = r.peer, .key = i});
    else if (r.kind == RecKind::Step)
      out.steps.push_back(&r);
  }
  std::stable_sort(out.units.begin(), out.units.end(),
                   [](const view::seq::Unit& a, const view::seq::Unit& b) { return a.t < b.t; });
  std::stable_sort(out.steps.begin(), out.steps.end(),
                   [](const Record* a, const Record* b) { return a->t < b->t; });
  std::vector<view::seq::StepMark> at;
  for (const Record* r : out.steps)
    at.push_back({r->t, static_cast<std::uint64_t>(r - recs.data())});
  out.layout = view::seq::rows(out.units, at, kRow);
  return out;
}

}  // namespace

std::string arrow_label(const std::string& text, std::size_t max_chars) {
  // The label the GUI shows too (view/sequence_diagram), its first line cut in characters:
  // print has no font to measure, and a monospace one makes characters the measure.
  const std::size_t most = std::max<std::size_t>(max_chars, 4);
  view::seq::Said s = view::seq::said(text);
  if (s.first.size() > most) {
    std::size_t cut = most - 3;
    while (cut > 0 && (static_cast<unsigned char>(s.first[cut]) & 0xC0) == 0x80) --cut;
    s.first = s.first.substr(0, cut) + "...";
  }
  return view::seq::unit_label(s);
}

namespace {
// A finished world's lifelines, read through its trace index as the GUI reads them.
view::seq::Lifelines lifelines_of(const World& w) {
  view::TraceIndex ix(view::scenario_ids(w));
  ix.extend(w.trace());
  return view::seq::Lifelines(ix);
}

// The SVG's colours for the diagram's roles: replies dashed green, commands solid blue (print
// keeps to two inks; the protocol is in the label and the heading).
const char* svg_ink(view::seq::Colour c) { return c.ink == view::seq::Ink::Reply ? "#070" : "#036"; }
}  // namespace

std::string sequence_svg(const std::vector<DiagramWorld>& worlds, const std::string& title,
                         bool inline_svg, int max_width) {
  // Each world's index is built once: the lane count and the drawing both read its lifelines.
  std::vector<view::seq::Lifelines> world_lines;
  for (const auto& dw : worlds) world_lines.push_back(lifelines_of(*dw.world));
  std::size_t lanes = 1;
  for (const auto& l : world_lines) lanes = std::max(lanes, l.size());
  const int n = static_cast<int>(lanes);
  int left = kLeft, column = kColumn, time_px = 11;
  if (max_width > 0 && kLeft + kColumn * n > max_width) {
    // Narrower columns rather than a scaled-down picture: the text stays readable in print,
    // and each label is cut to the arrow it sits on (the transcript has the full lines).
    left = kFitLeft, time_px = 9;
    column = std::max(kMinColumn, (max_width - left) / n);
  }
  const int box = std::min(140, column - 8);
  int width = std::max(left + 40, left + column * n);
  std::string body, desc;
  int y = 10;
  for (const auto& dw : worlds) {
    const World& w = *dw.world;
    const Trace& t = w.trace();
    const view::seq::Lifelines& lines = world_lines[static_cast<std::size_t>(&dw - worlds.data())];
    const auto actors = lines.actors();
    std::map<std::uint16_t, int> x;
    for (std::size_t i = 0; i < actors.size(); ++i)
      x[actors[i]] = static_cast<int>(
          view::seq::column_x(i, actors.size(), left, column * static_cast<double>(actors.size())));
    const Rows rows = rows_of(w);
    desc += dw.heading + ": " + std::to_string(rows.units.size()) +
            " commands and responses between ";
    for (std::size_t i = 0; i < actors.size(); ++i)
      desc += (i ? (i + 1 == actors.size() ? " and " : ", ") : "") + lines.name(actors[i]);
    desc += ". ";

    body += "<g class=\"world\">\n<text x=\"10\" y=\"" + num(y + 16) +
            "\" font-size=\"16\" font-weight=\"bold\">" + html_escape(dw.heading) + "</text>\n";
    y += 30;
    const int top = y, bottom = y + kHead + static_cast<int>(rows.layout.height);
    for (auto a : actors) {
      int cx = x[a];
      std::string name = html_escape(lines.name(a));
      body += "<g class=\"lifeline\"><line x1=\"" + num(cx) + "\" y1=\"" + num(top + 30) +
              "\" x2=\"" + num(cx) + "\" y2=\"" + num(bottom) +
              "\" stroke=\"#999\" stroke-dasharray=\"4 4\"/>"
              "<rect x=\"" +
              num(cx - box / 2) + "\" y=\"" + num(top) + "\" width=\"" + num(box) +
              "\" height=\"30\" rx=\"4\" fill=\"#eef\" stroke=\"#336\"/>"
              "<text x=\"" +
              num(cx) + "\" y=\"" + num(top + 20) + "\" text-anchor=\"middle\" font-size=\"14\">" +
              name + "</text></g>\n";
    }
    for (const view::seq::Item& it : rows.layout.items) {
      const int ry = top + kHead + static_cast<int>(it.y);
      if (it.kind == view::seq::Kind::Step) {
        const Record* r = rows.steps[static_cast<std::size_t>(it.step)];
        const int band = column * static_cast<int>(actors.size());
        std::string step = view::seq::label(it, nullptr, r->text, false);
        const auto fits = static_cast<std::size_t>((band - 12) / 6.5);
        if (step.size() > fits) step = arrow_label(step, fits);
        body += "<g class=\"step\"><rect x=\"" + num(left) + "\" y=\"" + num(ry - 15) +
                "\" width=\"" + num(band) +
                "\" height=\"20\" fill=\"#ffd\" stroke=\"#cc9\"/><text x=\"" + num(left + 6) +
                "\" y=\"" + num(ry) + "\" font-size=\"12\" font-style=\"italic\">" +
                html_escape(step) + "</text></g>\n";
        continue;
      }
      const Record* r = &t.records()[static_cast<std::size_t>(rows.units[it.first].key)];
      int x1 = x[r->actor], x2 = x[r->peer];
      const view::seq::Colour role = view::seq::colour_of(*r, lines);
      const bool down = role.ink == view::seq::Ink::Reply;
      const std::string colour = svg_ink(role);
      int dir = x2 > x1 ? 1 : -1;
      body += "<g class=\"msg\"><text x=\"" + num(left == kLeft ? 10 : 4) + "\" y=\"" +
              num(ry + 4) + "\" font-size=\"" + num(time_px) + "\" fill=\"#555\">" +
              format_time(r->t) +
              "</text>"
              "<line x1=\"" +
              num(x1) + "\" y1=\"" + num(ry) + "\" x2=\"" + num(x2 - 6 * dir) + "\" y2=\"" +
              num(ry) + "\" stroke=\"" + colour + "\"" + (down ? " stroke-dasharray=\"6 3\"" : "") +
              "/>"
              "<path d=\"M" +
              num(x2) + " " + num(ry) + " l" + num(-8 * dir) + " -4 v8 z\" fill=\"" + colour +
              "\"/>";
      // A white box under the label keeps it readable where it crosses a lifeline.
      std::string label = arrow_label(r->text);
      if (column != kColumn) {
        // A fitted diagram: the label may use the arrow's span (at least one column), less a
        // margin; "(+N lines)" comes after the cut, so it goes when it would not fit.
        const int span = std::max(column, std::abs(x2 - x1)) - 10;
        const auto room = static_cast<std::size_t>(span / kCharPx);
        label = arrow_label(r->text, std::min<std::size_t>(44, room));
        if (label.size() > room) label = arrow_label(r->text.substr(0, r->text.find('\n')), room);
      }
      int lw = static_cast<int>(label.size()) * 7 + 8;
      body += "<rect x=\"" + num((x1 + x2) / 2 - lw / 2) + "\" y=\"" + num(ry - 15) +
              "\" width=\"" + num(lw) +
              "\" height=\"13\" fill=\"#fff\" fill-opacity=\"0.85\" stroke=\"none\"/>"
              "<text x=\"" +
              num((x1 + x2) / 2) + "\" y=\"" + num(ry - 4) +
              "\" text-anchor=\"middle\" font-size=\"11\" font-family=\"monospace\">" +
              html_escape(label) + "</text></g>\n";
    }
    y = bottom + 20;
    body += "</g>\n";
  }
  std::string out;
  if (!inline_svg) out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"" + num(width) +
         "\" height=\"" + num(y) + "\" viewBox=\"0 0 " + num(width) + " " + num(y) +
         "\" aria-labelledby=\"seq-title seq-desc\" font-family=\"sans-serif\">\n"
         "<title id=\"seq-title\">" +
         html_escape(title) + "</title>\n<desc id=\"seq-desc\">" +
         html_escape(desc +
                     "Time flows down; solid arrows are client commands, dashed arrows "
                     "server responses.") +
         "</desc>\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n" + body + "</svg>\n";
  return out;
}

namespace {
// Mermaid message text: '#' and ';' would end or escape the statement, and angle brackets are
// taken as HTML, so they become Mermaid entity codes.
std::string mermaid_text(const std::string& s) {
  std::string out;
  for (char c : s) switch (c) {
      case '#':
        out += "#35;";
        break;
      case ';':
        out += "#59;";
        break;
      case '<':
        out += "#lt;";
        break;
      case '>':
        out += "#gt;";
        break;
      default:
        out += c;
    }
  return out;
}
std::string mermaid_id(const std::string& prefix, const std::string& name) {
  std::string id = prefix;
  for (char c : name) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return id;
}
}  // namespace

std::string sequence_mermaid(const std::vector<DiagramWorld>& worlds, const std::string& title) {
  std::string out = "sequenceDiagram\n  title " + mermaid_text(title) + "\n";
  bool boxes = worlds.size() > 1;
  auto prefix = [](const World& w) { return w.proto() == Proto::IMAP ? "imap_" : "pop3_"; };
  std::vector<view::seq::Lifelines> world_lines;  // one index per world, read by both passes
  for (const auto& dw : worlds) world_lines.push_back(lifelines_of(*dw.world));
  for (const auto& dw : worlds) {
    const World& w = *dw.world;
    if (boxes) out += "  box " + mermaid_text(w.label()) + " world\n";
    const view::seq::Lifelines& lines = world_lines[static_cast<std::size_t>(&dw - worlds.data())];
    for (auto a : lines.actors()) {
      const std::string& n = lines.name(a);
      out += "  participant " + mermaid_id(prefix(w), w.trace().actor_name(a)) + " as " +
             mermaid_text(boxes ? n + " (" + w.label() + ")" : n) + "\n";
    }
    if (boxes) out += "  end\n";
  }
  for (const auto& dw : worlds) {
    const World& w = *dw.world;
    const Trace& t = w.trace();
    const view::seq::Lifelines& lines = world_lines[static_cast<std::size_t>(&dw - worlds.data())];
    const auto actors = lines.actors();
    std::string first = mermaid_id(prefix(w), t.actor_name(actors.front()));
    std::string last = mermaid_id(prefix(w), t.actor_name(actors.back()));
    out += "  Note over " + first + "," + last + ": " + mermaid_text(dw.heading) + "\n";
    for (const Record* r : shown(w)) {
      if (r->kind == RecKind::Step) {
        out += "  Note over " + first + "," + last + ": Step: " + mermaid_text(r->text) + "\n";
        continue;
      }
      out += "  " + mermaid_id(prefix(w), t.actor_name(r->actor)) +
             (view::seq::colour_of(*r, lines).ink == view::seq::Ink::Reply ? "-->>" : "->>") +
             mermaid_id(prefix(w), t.actor_name(r->peer)) + ": " + format_time(r->t) + " " +
             mermaid_text(arrow_label(r->text)) + "\n";
    }
  }
  return out;
}

}  // namespace ms
