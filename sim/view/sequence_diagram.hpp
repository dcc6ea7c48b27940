#pragma once
// What the sequence diagram shows, headless, for both of its renderers: the GUI's sequence
// panel (Dear ImGui) and the SVG export. sequence_layout places the rows; this says which
// lifelines there are and where, what each row's label says, and which colour role each part
// takes. A renderer only fits the text to its room and maps each role to its own colours, so
// the two pictures cannot drift apart in what they say.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "trace/trace.hpp"
#include "view/sequence_layout.hpp"
#include "view/trace_index.hpp"

namespace ms::view::seq {

struct Lifeline {
  std::uint16_t actor = 0;
  ActorKind kind = ActorKind::None;  // from its Device Added record (None when it has none)
  std::string name;                  // the trace's name, or the one a live client gave itself
};

// The lifelines of one world, left to right: the internet, the server (outside mail servers
// on its left, devices on its right), then every other actor in the order it joined. Taken in
// incrementally, so a live trace's devices that join later and clients that name themselves
// (a Device record with EventKind::Renamed) show as they happen. They are read from the world's
// one trace index (view/trace_index), which has already followed kinds and renames.
class Lifelines {
 public:
  Lifelines() = default;
  explicit Lifelines(const TraceIndex& ix) { extend(ix); }
  // Brings the lifelines up to what the index has taken in since the last call.
  void extend(const TraceIndex& ix);

  const std::vector<Lifeline>& list() const { return list_; }
  std::size_t size() const { return list_.size(); }
  // The lifeline's column from the left, -1 when the actor has none.
  int column(std::uint16_t actor) const {
    return actor < column_.size() ? column_[actor] : -1;
  }
  // The actor's display name ("" when the actor is unknown).
  const std::string& name(std::uint16_t actor) const;
  bool is_server(std::uint16_t actor) const { return has_server_ && actor == server_; }
  std::uint16_t server() const { return server_; }
  std::vector<std::uint16_t> actors() const;
  // How many records (counted from the trace's first ever) the index had taken in.
  std::size_t taken() const { return taken_; }

 private:
  void order();

  std::vector<ActorKind> kinds_;     // by actor id
  std::vector<std::string> names_;   // by actor id
  std::vector<Lifeline> list_;
  std::vector<int> column_;          // by actor id
  std::uint16_t server_ = 0, internet_ = 0;
  bool has_server_ = false, has_internet_ = false;
  std::size_t taken_ = 0;
};

// The x of lifeline `i` of `n` drawn across [x0, x0 + width]: the middle of its equal column.
double column_x(std::size_t i, std::size_t n, double x0, double width);

// How the GUI panel spends its height: a row of controls, the lifeline heads, then label rows
// of `row_h`. A short panel (a 1024x768 or 1280x720 window's bottom panel is about 150 px)
// folds the controls into a button beside the heads, so that its rows get that height.
struct Chrome {
  bool controls_row = true;  // false: folded into a button left of the heads
  double head_h = 0;         // the heads' strip
  double body_h = 0;         // below it, for the rows
  int rows = 0;              // whole label rows in the body
};
// `panel_h`: the panel's height below its tabs; `controls_h`: the controls row with its spacing.
Chrome chrome(double panel_h, double fs, double controls_h, double row_h);
// The fewest rows a panel keeps its controls row for.
constexpr int kRowsWithControls = 8;

// Colour roles: what a drawn part is, not its colour; the GUI maps them to its palette (and
// its colour-blind-safe one), the SVG to its print colours.
enum class Ink : std::uint8_t {
  Command,  // a client's (or a sending server's) unit
  Reply,    // the server's unit
  Step,     // a lesson step's row
  Break,    // an idle stretch cut to one row
  Head,     // a lifeline's name
  ServerHead,
};
struct Colour {
  Ink ink = Ink::Command;
  Proto proto = Proto::None;  // Command, Reply, ServerHead: whose protocol colour
};
// A wire unit's colour: the server's units are replies, every other sender's commands.
Colour colour_of(const Record& wire, const Lifelines& lanes);
Colour head_colour(const Lifeline& l, Proto world);

// What a wire unit says: its first protocol line (control bytes shown as \xNN) and how many
// lines follow it.
struct Said {
  std::string first;
  int more = 0;
};
Said said(std::string_view wire_text);

// The label of a row, in full (a renderer cuts it to its room):
//  a unit:   "A1 LOGIN alice secret (+2 lines)";
//  a burst:  "5 lines: +OK 2 messages" (the lines of all its units, its first unit's line);
//  a step:   "Step 3: The phone reads message 1" (unnumbered: "Step: The phone reads...");
//  a break:  "12 s later".
std::string unit_label(const Said& s);
std::string burst_label(int lines, const Said& first);
std::string step_label(int index, std::string_view title, bool numbered = true);
std::string label(const Item& it, const Record* first_unit, std::string_view step_title = {},
                  bool numbered = true);

// Where a row's label and arrow lie on screen: the arrow from the sender's lifeline at the
// row's y to the receiver's at the item's y_end; its label `text_w` x `text_h` at the top of
// the row's band [y - row_h, y], centred over the arrow and kept inside [lo, hi].
struct Box {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};
struct Arrow {
  double xa = 0, ya = 0, xb = 0, yb = 0;
};
Box label_box(const Arrow& a, double text_w, double text_h, double row_h, double lo, double hi);
// The arrow passes through the box (a segment meets a rectangle, touching edges excepted).
bool crosses(const Arrow& a, const Box& b);

}  // namespace ms::view::seq
