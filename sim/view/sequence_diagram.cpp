#include "view/sequence_diagram.hpp"

#include <algorithm>

#include "util/text.hpp"

namespace ms::view::seq {

void Lifelines::extend(const TraceIndex& ix) {
  if (ix.scanned() == taken_ && ix.actor_count() == names_.size()) return;
  names_.resize(ix.actor_count());
  kinds_.resize(ix.actor_count());
  bool changed = false;
  for (std::size_t a = 0; a < names_.size(); ++a) {
    const auto id = static_cast<std::uint16_t>(a);
    if (names_[a] != ix.name_of(id) || kinds_[a] != ix.kind_of(id)) {
      names_[a] = ix.name_of(id);
      kinds_[a] = ix.kind_of(id);
      changed = true;
    }
  }
  if (changed || list_.size() != names_.size()) order();
  taken_ = ix.scanned();
}

void Lifelines::order() {
  // The server and the internet by the kind their Added record gives, else by the names the
  // world interns them under (a trace written before Device records had kinds).
  has_server_ = has_internet_ = false;
  auto find = [&](ActorKind k, const char* name, std::uint16_t& id, bool& has) {
    for (int pass = 0; pass < 2 && !has; ++pass)
      for (std::size_t a = 0; a < names_.size() && !has; ++a)
        if (pass == 0 ? kinds_[a] == k : kinds_[a] == ActorKind::None && names_[a] == name)
          id = static_cast<std::uint16_t>(a), has = true;
  };
  find(ActorKind::Server, "server", server_, has_server_);
  find(ActorKind::Internet, "internet", internet_, has_internet_);
  list_.clear();
  auto add = [&](std::size_t a) {
    list_.push_back({static_cast<std::uint16_t>(a), kinds_[a], names_[a]});
  };
  if (has_internet_) add(internet_);
  if (has_server_) add(server_);
  for (std::size_t a = 0; a < names_.size(); ++a)
    if (!(has_server_ && a == server_) && !(has_internet_ && a == internet_)) add(a);
  column_.assign(names_.size(), -1);
  for (std::size_t c = 0; c < list_.size(); ++c) column_[list_[c].actor] = static_cast<int>(c);
}

const std::string& Lifelines::name(std::uint16_t actor) const {
  static const std::string none;
  return actor < names_.size() ? names_[actor] : none;
}

std::vector<std::uint16_t> Lifelines::actors() const {
  std::vector<std::uint16_t> out;
  for (const Lifeline& l : list_) out.push_back(l.actor);
  return out;
}

double column_x(std::size_t i, std::size_t n, double x0, double width) {
  return x0 + width / static_cast<double>(std::max<std::size_t>(n, 1)) *
                  (static_cast<double>(i) + 0.5);
}

Chrome chrome(double panel_h, double fs, double controls_h, double row_h) {
  Chrome c;
  c.head_h = fs + 6;
  c.body_h = panel_h - controls_h - c.head_h;
  if (c.body_h < kRowsWithControls * row_h) {
    c.controls_row = false;
    c.body_h = panel_h - c.head_h;
  }
  c.body_h = std::max(0.0, c.body_h);
  c.rows = row_h > 0 ? static_cast<int>(c.body_h / row_h) : 0;
  return c;
}

Colour colour_of(const Record& wire, const Lifelines& lanes) {
  return {lanes.is_server(wire.actor) ? Ink::Reply : Ink::Command, wire.proto};
}

Colour head_colour(const Lifeline& l, Proto world) {
  return l.kind == ActorKind::Server ? Colour{Ink::ServerHead, world} : Colour{Ink::Head};
}

Said said(std::string_view s) {
  Said out;
  std::string_view first = s.substr(0, s.find('\n'));
  if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
  out.first = printable(first);
  // A trailing fragment without its newline is a line too.
  int lines = 0;
  for (std::size_t p = 0; p < s.size();) {
    const std::size_t q = s.find('\n', p);
    ++lines;
    p = q == s.npos ? s.size() : q + 1;
  }
  out.more = std::max(0, lines - 1);
  return out;
}

std::string unit_label(const Said& s) {
  return s.more > 0 ? s.first + " (+" + std::to_string(s.more) + " lines)" : s.first;
}

std::string burst_label(int lines, const Said& first) {
  return std::to_string(lines) + " lines: " + first.first;
}

std::string step_label(int index, std::string_view title, bool numbered) {
  return (numbered ? "Step " + std::to_string(index + 1) + ": " : std::string("Step: ")) +
         std::string(title);
}

std::string label(const Item& it, const Record* first_unit, std::string_view step_title,
                  bool numbered) {
  switch (it.kind) {
    case Kind::Step: return step_label(it.step, step_title, numbered);
    case Kind::Break: return gap_label(it.t_end - it.t);
    case Kind::Burst: return first_unit ? burst_label(it.lines, said(first_unit->text)) : "";
    case Kind::Unit: return first_unit ? unit_label(said(first_unit->text)) : "";
  }
  return "";
}

Box label_box(const Arrow& a, double text_w, double text_h, double row_h, double lo, double hi) {
  const double x = place_label((a.xa + a.xb) / 2, text_w, lo, hi);
  const double y = a.ya - row_h + 1;
  return {x, y, x + text_w, y + text_h};
}

bool crosses(const Arrow& a, const Box& b) {
  // Liang-Barsky: clip the segment to the box; it crosses when a piece of positive length
  // is left strictly inside (an arrow along an edge, or touching a corner, does not).
  constexpr double kIn = 0.5;
  const double x0 = b.x0 + kIn, x1 = b.x1 - kIn, y0 = b.y0 + kIn, y1 = b.y1 - kIn;
  if (x0 >= x1 || y0 >= y1) return false;
  const double dx = a.xb - a.xa, dy = a.yb - a.ya;
  double lo = 0.0, hi = 1.0;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {a.xa - x0, x1 - a.xa, a.ya - y0, y1 - a.ya};
  for (int k = 0; k < 4; ++k) {
    if (p[k] == 0.0) {
      if (q[k] < 0) return false;
      continue;
    }
    const double r = q[k] / p[k];
    if (p[k] < 0) lo = std::max(lo, r);
    else hi = std::min(hi, r);
  }
  return lo < hi;
}

}  // namespace ms::view::seq
