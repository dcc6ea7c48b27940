#include "export/sequence.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <tuple>

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
constexpr int kMinPrintColumn = 56;    // narrowest on paper, where the page cannot scroll
constexpr int kFitLeft = 70;           // time column of a fitted diagram (9px digits)
// DejaVu Sans Mono (the handout's monospace; every character advances 1233/2048 em): labels
// are measured in it, not guessed.
constexpr const char* kMonoFamily = "'DejaVu Sans Mono',monospace";

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
        const std::string step =
            fit_label(view::seq::label(it, nullptr, r->text, false), band - 12, 12);
        body += "<g class=\"step\"><rect x=\"" + num(left) + "\" y=\"" + num(ry - 15) +
                "\" width=\"" + num(band) +
                "\" height=\"20\" fill=\"#ffd\" stroke=\"#cc9\"/><text x=\"" + num(left + 6) +
                "\" y=\"" + num(ry) + "\" font-size=\"12\" font-style=\"italic\" font-family=\"" +
                kMonoFamily + "\">" +
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
      // A white box under the label keeps it readable where it crosses a lifeline. The label
      // may use the arrow's span (at least one column) less a margin, measured in the font it
      // is drawn in; "(+N lines)" goes first when the line itself must be cut.
      const int span = std::max(column, std::abs(x2 - x1)) - 10;
      const view::seq::Said said = view::seq::said(r->text);
      std::string label = view::seq::unit_label(said);
      if (label_width_px(label, 11) > span) label = fit_label(said.first, span, 11);
      const int lw = label_width_px(label, 11) + 8;
      body += "<rect x=\"" + num((x1 + x2) / 2 - lw / 2) + "\" y=\"" + num(ry - 15) +
              "\" width=\"" + num(lw) +
              "\" height=\"13\" fill=\"#fff\" fill-opacity=\"0.85\" stroke=\"none\"/>"
              "<text x=\"" +
              num((x1 + x2) / 2) + "\" y=\"" + num(ry - 4) +
              "\" text-anchor=\"middle\" font-size=\"11\" font-family=\"" + kMonoFamily + "\">" +
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

// The printed diagram's type: DejaVu Sans Mono, the handout's own monospace (every character
// advances 1233/2048 em), so a label's width is measured, not guessed. 11 px prints at 8.25 pt.
constexpr double kMonoAdvance = 1233.0 / 2048.0;
constexpr int kFitFont = 11;
constexpr int kFitRow = 20;             // label (11 px) over its arrow, 5 px to the row above

std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// The time column's text: the run's clock without the hour while it is zero ("01:05.250").
std::string short_time(Tick t) {
  std::string s = format_time(t);
  return s.rfind("00:", 0) == 0 ? s.substr(3) : s;
}

// A wire record's first word, as a reader names the line: the command ("LOGIN", "UID FETCH",
// "RETR", "EHLO"), or the response's kind ("+OK", "250", "FETCH" of "* 3 FETCH ...", "OK" of
// "A1 OK ..."). Lines that start with no such word (a message's header lines) are "message".
std::string keyword(const Record& r) {
  const std::string first = view::seq::said(r.text).first;
  std::vector<std::string> words;
  for (std::size_t i = 0; i < first.size() && words.size() < 4;) {
    const std::size_t sp = first.find(' ', i);
    words.push_back(first.substr(i, sp == std::string::npos ? std::string::npos : sp - i));
    i = sp == std::string::npos ? first.size() : sp + 1;
  }
  std::size_t k = 0;
  const bool untagged = !words.empty() && (words[0] == "*" || words[0] == "+");
  if (r.proto == Proto::IMAP && !words.empty() && words[0] != "+") ++k;  // the tag, or "*"
  if (untagged && k < words.size() && !words[k].empty() &&
      std::all_of(words[k].begin(), words[k].end(), [](unsigned char c) { return std::isdigit(c); }) &&
      k + 1 < words.size())
    ++k;  // "* 3 FETCH": the message number
  if (k >= words.size()) return words.empty() ? "message" : words[0];
  std::string w = words[k];
  const bool word = !w.empty() && w.size() <= 12 &&
                    std::all_of(w.begin(), w.end(), [](unsigned char c) {
                      return std::isupper(c) || std::isdigit(c) || c == '+' || c == '-';
                    });
  if (!word) return "message";
  if (w == "UID" && k + 1 < words.size()) w += " " + words[k + 1];
  return w;
}

// One row of the printed diagram: one arrow, a run of arrows with one keyword in one direction
// ("×12 FETCH …"), or a whole conversation between two lifelines ("×13: EHLO, MAIL, RCPT, DATA,
// QUIT"), or several alike in a row ("3 sessions, ×39: ...").
struct Group {
  std::vector<std::size_t> recs;  // record indices, in time order
  enum Kind { One, Same, Talk } kind = One;
  int sessions = 1;
  std::string signature;  // Talk: the client's commands, in order, each once
};

struct Conversation {
  std::vector<std::size_t> recs;
  int segment = 0;               // steps before it
  std::uint16_t a = 0, b = 0;    // its two lifelines, a < b
  bool talk = false;             // drawn as one row
};

// A conversation drawn arrow by arrow, with runs of three or more arrows of one keyword in
// one direction drawn as one.
std::vector<Group> detailed(const Trace& t, const Conversation& c) {
  std::vector<Group> out;
  const auto& recs = t.records();
  for (std::size_t i = 0; i < c.recs.size();) {
    const Record& r = recs[c.recs[i]];
    const std::string k = keyword(r);
    std::size_t j = i + 1;
    while (j < c.recs.size() && recs[c.recs[j]].actor == r.actor && keyword(recs[c.recs[j]]) == k)
      ++j;
    Group g;
    g.recs.assign(c.recs.begin() + static_cast<std::ptrdiff_t>(i),
                  c.recs.begin() + static_cast<std::ptrdiff_t>(j < i + 3 ? i + 1 : j));
    g.kind = g.recs.size() > 1 ? Group::Same : Group::One;
    i += g.recs.size();
    out.push_back(std::move(g));
  }
  return out;
}

std::string signature(const Trace& t, const std::vector<std::size_t>& recs,
                      const view::seq::Lifelines& lines) {
  std::vector<std::string> said;
  for (std::size_t i : recs) {
    const Record& r = t.records()[i];
    if (view::seq::colour_of(r, lines).ink == view::seq::Ink::Reply) continue;
    const std::string k = keyword(r);
    if (k != "message" && std::find(said.begin(), said.end(), k) == said.end()) said.push_back(k);
  }
  std::string out;
  for (const auto& k : said) out += (out.empty() ? "" : ", ") + k;
  return out.empty() ? "responses" : out;
}

// The rows of one world, summarised until at most `max_rows` rows (steps included) remain:
// first the longest conversations become one row each, then alike conversations next to each
// other become one, then every conversation between two lifelines within one step does.
std::vector<Group> fit_rows(const World& w, const view::seq::Lifelines& lines,
                            std::vector<const Record*>& steps, int max_rows) {
  const Trace& t = w.trace();
  const auto& recs = t.records();
  std::vector<std::size_t> wire;
  for (std::size_t i = 0; i < recs.size(); ++i)
    if (recs[i].kind == RecKind::Wire) wire.push_back(i);
    else if (recs[i].kind == RecKind::Step) steps.push_back(&recs[i]);
  std::stable_sort(wire.begin(), wire.end(),
                   [&](std::size_t a, std::size_t b) { return recs[a].t < recs[b].t; });
  std::stable_sort(steps.begin(), steps.end(),
                   [](const Record* a, const Record* b) { return a->t < b->t; });
  // A step's row comes before the units at its time with larger record indices (as rows()
  // orders them), so a conversation never runs across a step.
  auto segment_of = [&](std::size_t i) {
    int s = 0;
    for (const Record* st : steps)
      if (st->t < recs[i].t || (st->t == recs[i].t && st - recs.data() < static_cast<std::ptrdiff_t>(i)))
        ++s;
    return s;
  };
  std::vector<Conversation> cs;
  // A session ends with the answer to QUIT or LOGOUT: the next line starts another, so that
  // back-to-back sessions read "12 sessions, ×156: ..." rather than one conversation.
  bool closing = false, closed = false;
  for (std::size_t i : wire) {
    const Record& r = recs[i];
    const auto a = std::min(r.actor, r.peer), b = std::max(r.actor, r.peer);
    const int seg = segment_of(i);
    if (cs.empty() || cs.back().a != a || cs.back().b != b || cs.back().segment != seg || closed)
      cs.push_back({{}, seg, a, b, false}), closing = closed = false;
    cs.back().recs.push_back(i);
    const bool reply = view::seq::colour_of(r, lines).ink == view::seq::Ink::Reply;
    const std::string k = keyword(r);
    if (!reply && (k == "QUIT" || k == "LOGOUT")) closing = true;
    else if (reply && closing && k != "BYE") closed = true;  // IMAP: "* BYE", then "A9 OK"
  }
  std::vector<std::vector<Group>> detail;
  int total = static_cast<int>(steps.size());
  for (const auto& c : cs) {
    detail.push_back(detailed(t, c));
    total += static_cast<int>(detail.back().size());
  }
  // The longest first (the earlier of equals): short exchanges keep their arrows.
  while (total > max_rows) {
    std::size_t best = cs.size();
    for (std::size_t i = 0; i < cs.size(); ++i)
      if (!cs[i].talk && detail[i].size() > 1 &&
          (best == cs.size() || detail[i].size() > detail[best].size()))
        best = i;
    if (best == cs.size()) break;
    total -= static_cast<int>(detail[best].size()) - 1;
    cs[best].talk = true;
  }
  std::vector<Group> out;
  for (std::size_t i = 0; i < cs.size(); ++i) {
    if (!cs[i].talk) {
      for (auto& g : detail[i]) out.push_back(std::move(g));
      continue;
    }
    Group g;
    g.recs = cs[i].recs;
    g.kind = Group::Talk;
    g.signature = signature(t, cs[i].recs, lines);
    out.push_back(std::move(g));
  }
  // Summarised sessions next to each other between the same lifelines within one step, alike
  // ("3 sessions"), are one row; when still too tall, unlike ones become one row too.
  auto same_place = [&](const Group& x, const Group& y) {
    const Record& p = recs[x.recs.front()];
    const Record& q = recs[y.recs.front()];
    return x.kind == Group::Talk && y.kind == Group::Talk &&
           std::min(p.actor, p.peer) == std::min(q.actor, q.peer) &&
           std::max(p.actor, p.peer) == std::max(q.actor, q.peer) &&
           segment_of(x.recs.front()) == segment_of(y.recs.front());
  };
  for (int pass = 0;
       pass < 2 && (pass == 0 || static_cast<int>(out.size() + steps.size()) > max_rows); ++pass) {
    std::vector<Group> merged;
    for (auto& g : out) {
      if (!merged.empty() && same_place(merged.back(), g) &&
          (pass == 1 || merged.back().signature == g.signature)) {
        Group& m = merged.back();
        m.recs.insert(m.recs.end(), g.recs.begin(), g.recs.end());
        // Alike ones count as sessions; unlike ones are one conversation of many commands.
        m.sessions = pass == 0 ? m.sessions + g.sessions : 1;
        m.signature = signature(t, m.recs, lines);
        continue;
      }
      merged.push_back(std::move(g));
    }
    out = std::move(merged);
  }
  // Last: within each step, all the traffic between two lifelines is one row, at its first
  // line's time (conversations of two devices at once no longer interleave row by row).
  if (static_cast<int>(out.size() + steps.size()) > max_rows) {
    std::vector<Group> merged;
    std::map<std::tuple<int, std::uint16_t, std::uint16_t>, std::size_t> at;
    for (auto& g : out) {
      const Record& r = recs[g.recs.front()];
      const auto key = std::make_tuple(segment_of(g.recs.front()), std::min(r.actor, r.peer),
                                       std::max(r.actor, r.peer));
      const auto found = at.find(key);
      if (found == at.end()) {
        at[key] = merged.size();
        merged.push_back(std::move(g));
        continue;
      }
      Group& m = merged[found->second];
      m.recs.insert(m.recs.end(), g.recs.begin(), g.recs.end());
      m.kind = Group::Talk;
      m.sessions = 1;
    }
    for (Group& m : merged) {
      std::stable_sort(m.recs.begin(), m.recs.end(),
                       [&](std::size_t a, std::size_t b) { return recs[a].t < recs[b].t; });
      if (m.kind == Group::Talk) m.signature = signature(t, m.recs, lines);
    }
    out = std::move(merged);
  }
  return out;
}

std::string group_label(const Trace& t, const Group& g) {
  const Record& r = t.records()[g.recs.front()];
  const std::string n = "\xC3\x97" + std::to_string(g.recs.size());  // "×12"
  switch (g.kind) {
    case Group::One: return view::seq::unit_label(view::seq::said(r.text));
    case Group::Same: return n + " " + keyword(r) + " \xE2\x80\xA6";
    case Group::Talk:
      return (g.sessions > 1 ? std::to_string(g.sessions) + " sessions, " : std::string()) + n +
             ": " + g.signature;
  }
  return {};
}

}  // namespace

std::string fit_label(const std::string& text, double room_px, double font_px) {
  const double advance = font_px * kMonoAdvance;
  const auto fits = static_cast<std::size_t>(std::max(0.0, room_px) / advance);
  if (code_points(text) <= fits) return text;
  if (fits == 0) return {};
  // Keep whole characters, end with one ellipsis character, so the cut shows and fits.
  std::string out;
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool starts = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    if (starts && ++n > fits - 1) break;
    out += text[i];
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + "\xE2\x80\xA6";
}

int label_width_px(const std::string& text, double font_px) {
  return static_cast<int>(std::ceil(static_cast<double>(code_points(text)) * font_px * kMonoAdvance));
}

std::string printed_sequence_svg(const DiagramWorld& dw, const std::string& title, int max_width,
                                 int max_height, int* summarised) {
  const World& w = *dw.world;
  const Trace& t = w.trace();
  const view::seq::Lifelines lines = lifelines_of(w);
  const auto actors = lines.actors();
  const int n = std::max<int>(1, static_cast<int>(actors.size()));
  std::vector<const Record*> steps;
  const int head_y = 30, top = head_y + 10;  // the world's heading, then the lifeline boxes
  const int max_rows = std::max(1, (max_height - top - kHead - 12) / kFitRow);
  std::vector<Group> groups = fit_rows(w, lines, steps, max_rows);
  if (summarised) {
    *summarised = 0;
    for (const auto& g : groups) *summarised += g.recs.size() > 1;
  }

  // The time column is as wide as its longest time, measured.
  int left = 0;
  for (const auto& g : groups)
    left = std::max(left, label_width_px(short_time(t.records()[g.recs.front()].t), kFitFont));
  left += 10;
  // On paper the page's width is a hard limit: many lifelines (the eavesdropper lesson's five
  // devices) get narrower columns, their names cut with an ellipsis, rather than run off the page.
  const int column = std::max(kMinPrintColumn, (max_width - left) / n);
  const int width = std::min(max_width, left + column * n);
  const int box = std::min(140, column - 8);
  std::map<std::uint16_t, int> x;
  for (std::size_t i = 0; i < actors.size(); ++i)
    x[actors[i]] = static_cast<int>(
        view::seq::column_x(i, actors.size(), left, column * static_cast<double>(actors.size())));

  std::vector<view::seq::Unit> units;
  for (const auto& g : groups) {
    const Record& r = t.records()[g.recs.front()];
    const Record& last = t.records()[g.recs.back()];
    units.push_back({.t = r.t, .t_end = std::max(last.t, last.t_end), .from = r.actor, .to = r.peer,
                     .key = g.recs.front()});
  }
  std::vector<view::seq::StepMark> at;
  for (const Record* r : steps)
    at.push_back({r->t, static_cast<std::uint64_t>(r - t.records().data())});
  // Rows still too many after every summary: closer together, down to 16 px (an 11 px label
  // over its arrow still clears the row above).
  const int avail = max_height - top - kHead - 12;
  const int count = static_cast<int>(groups.size() + steps.size());
  int row_h = count * kFitRow <= avail ? kFitRow : std::max(16, avail / std::max(1, count));
  view::seq::Layout layout = view::seq::rows(units, at, row_h);
  while (layout.height > avail && row_h > 16) layout = view::seq::rows(units, at, --row_h);

  std::string body = "<text x=\"4\" y=\"" + num(head_y - 10) +
                     "\" font-size=\"16\" font-weight=\"bold\">" + html_escape(dw.heading) +
                     "</text>\n";
  const int bottom = top + kHead + static_cast<int>(layout.height);
  for (auto a : actors) {
    const int cx = x[a];
    const std::string name = fit_label(lines.name(a), box - 6, 13);
    body += "<g class=\"lifeline\"><line x1=\"" + num(cx) + "\" y1=\"" + num(top + 30) +
            "\" x2=\"" + num(cx) + "\" y2=\"" + num(bottom) +
            "\" stroke=\"#999\" stroke-dasharray=\"4 4\"/><rect x=\"" + num(cx - box / 2) +
            "\" y=\"" + num(top) + "\" width=\"" + num(box) +
            "\" height=\"30\" rx=\"4\" fill=\"#eef\" stroke=\"#336\"/><text x=\"" + num(cx) +
            "\" y=\"" + num(top + 20) + "\" text-anchor=\"middle\" font-size=\"13\" font-family=\"" +
            kMonoFamily + "\">" + html_escape(name) + "</text></g>\n";
  }
  const int band = column * n;
  for (const view::seq::Item& it : layout.items) {
    const int ry = top + kHead + static_cast<int>(it.y);
    if (it.kind == view::seq::Kind::Step) {
      const Record* r = steps[static_cast<std::size_t>(it.step)];
      const std::string step = fit_label(view::seq::label(it, nullptr, r->text, false), band - 12, kFitFont);
      body += "<g class=\"step\"><rect x=\"" + num(left) + "\" y=\"" + num(ry - 15) +
              "\" width=\"" + num(band) + "\" height=\"18\" fill=\"#ffd\" stroke=\"#cc9\"/><text x=\"" +
              num(left + 6) + "\" y=\"" + num(ry - 2) + "\" font-size=\"" + num(kFitFont) +
              "\" font-style=\"italic\" font-family=\"" + kMonoFamily + "\">" + html_escape(step) +
              "</text></g>\n";
      continue;
    }
    const Group& g = groups[it.first];
    const Record& r = t.records()[g.recs.front()];
    const int x1 = x[r.actor], x2 = x[r.peer];
    const int dir = x2 > x1 ? 1 : -1;
    const bool talk = g.kind == Group::Talk;
    const bool down = !talk && view::seq::colour_of(r, lines).ink == view::seq::Ink::Reply;
    const std::string colour = talk ? "#333" : down ? "#070" : "#036";
    body += "<g class=\"" + std::string(g.recs.size() > 1 ? "msg summary" : "msg") +
            "\"><text x=\"4\" y=\"" + num(ry - 2) + "\" font-size=\"" + num(kFitFont) +
            "\" font-family=\"" + kMonoFamily + "\" fill=\"#444\">" + short_time(r.t) +
            "</text><line x1=\"" + num(x1 + (talk ? 6 * dir : 0)) + "\" y1=\"" + num(ry) +
            "\" x2=\"" + num(x2 - 6 * dir) + "\" y2=\"" + num(ry) + "\" stroke=\"" + colour + "\"" +
            (down ? " stroke-dasharray=\"6 3\"" : "") + (talk ? " stroke-width=\"2.5\"" : "") +
            "/><path d=\"M" + num(x2) + " " + num(ry) + " l" + num(-8 * dir) + " -4 v8 z\" fill=\"" +
            colour + "\"/>";
    if (talk)  // both ways: a conversation's commands and responses
      body += "<path d=\"M" + num(x1) + " " + num(ry) + " l" + num(8 * dir) + " -4 v8 z\" fill=\"" +
              colour + "\"/>";
    // Every row holds one arrow, so its label may use the whole width (at most 60 characters),
    // centred on the arrow where it can be, measured in the font it is drawn in; a white box
    // under it keeps it readable where it crosses a lifeline.
    const int span = std::max(std::abs(x2 - x1) - 10,
                              std::min(band - 10, label_width_px(std::string(60, 'x'), kFitFont)));
    const std::string label = fit_label(group_label(t, g), span, kFitFont);
    const int lw = label_width_px(label, kFitFont) + 6;
    const int lx = static_cast<int>(view::seq::place_label((x1 + x2) / 2.0, lw, left, width));
    body += "<rect x=\"" + num(lx) + "\" y=\"" + num(ry - 14) + "\" width=\"" + num(lw) +
            "\" height=\"13\" fill=\"#fff\" fill-opacity=\"0.9\" stroke=\"none\"/><text x=\"" +
            num(lx + 3) + "\" y=\"" + num(ry - 4) + "\" font-size=\"" + num(kFitFont) +
            "\" font-family=\"" + kMonoFamily + "\"" + (talk ? " font-weight=\"bold\"" : "") + ">" +
            html_escape(label) + "</text></g>\n";
  }
  const int height = bottom + 2;
  std::size_t arrows = 0;
  for (const auto& g : groups) arrows += g.recs.size();
  std::string desc = dw.heading + ": " + std::to_string(arrows) +
                     " commands and responses, drawn as " + std::to_string(groups.size()) +
                     " arrows, between ";
  for (std::size_t i = 0; i < actors.size(); ++i)
    desc += (i ? (i + 1 == actors.size() ? " and " : ", ") : "") + lines.name(actors[i]);
  desc += ". Time flows down; solid arrows are client commands, dashed arrows server "
          "responses, thick two-headed arrows a conversation summarised (\xC3\x97N: its N "
          "commands and responses, the client's commands named).";
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"" + num(width) +
         "\" height=\"" + num(height) + "\" viewBox=\"0 0 " + num(width) + " " + num(height) +
         "\" aria-label=\"" + html_escape(title) + "\" font-family=\"'DejaVu Sans',sans-serif\">\n<title>" +
         html_escape(title) + "</title>\n<desc>" + html_escape(desc) +
         "</desc>\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n" + body + "</svg>\n";
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
