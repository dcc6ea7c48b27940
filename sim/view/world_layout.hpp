#pragma once
// The world view's geometry, free of any GUI or GL: what one world shows at a cursor (a Scene)
// placed into a panel of a given size (a Layout). The GUI draws the Layout with Dear ImGui and
// the HTML handout draws the same Layout as SVG (export/worlds_svg), so both show one picture.
//
// Sizes follow one zoom factor: every text size, chip and gap is a multiple of the font size
// `font_px * zoom`. When the content does not fit at the zoom asked for, the layout first shows
// fewer chip rows per folder (the least relevant chips go behind "+N more", never the message
// the step is about), then lowers the zoom down to `min_zoom`.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "trace/trace.hpp"

namespace ms::view {

// ---- What a world shows at the cursor -------------------------------------------------------

struct Chip {
  std::uint32_t msg = 0;   // trace message number (+1)
  std::uint32_t uid = 0;
  std::string label;       // "1", "2"... scenario number, or a letter
  Flags flags;
  std::uint32_t size = 0;
  bool headers_only = false;  // a device holds only the header (bodies fetched on demand)
  bool popped = false;        // a server copy a POP3 client retrieved (Gmail hides it after)
  bool selected = false;
  float ghost = 0.0f;         // > 0: removed that recently (1 = just now), fading out in place
  float fresh = 0.0f;         // > 0: landed that recently (1 = just now)
  int relevance = 0;          // higher stays visible longer when a folder overflows
};

struct Folder {
  std::string name;
  std::size_t count = 0;      // messages in it now (ghosts excluded)
  std::vector<Chip> chips;    // in arrival order (message number, then UID)
};

// One line about the selected message's copy in this box: "1 in INBOX: in sync, read".
struct BadgeLine {
  std::string text;
  int badge = 0;              // the GUI's Badge value (colour), opaque here
  std::string explain;        // tooltip
};

struct Box {
  std::uint16_t actor = 0;
  std::string name;           // "phone", "mail.example.com"
  std::string kind;           // "server", "phone", "desktop", "laptop", "tablet"
  std::vector<std::string> info;  // client preset and its key policies, one item each
  std::string status;         // "IDLE — push", "next check in 4:00", "offline", "lost"
  bool online = true, lost = false;
  bool push = false;          // status is live push (drawn in the "good" colour)
  std::vector<Folder> folders;    // folders holding mail (or fading copies)
  std::string empty_note;     // "Sent, Trash: empty" / "online-only: nothing stored here"
  std::vector<BadgeLine> badges;
  std::uint64_t bytes = 0;    // stored now
  bool show_wire = false;
  std::uint64_t sent = 0, received = 0;  // on the wire up to the cursor (fully arrived)
  std::string foot;           // replaces the storage line when set (a real client's state)
  std::vector<std::string> lines;  // a real client's latest commands (live mode), drawn dim
};

struct Packet {
  std::uint16_t other = 0;    // the device (or internet) end of the link
  bool from_server = false;
  float progress = 0.0f;      // 0 at the sender, 1 at the receiver
  Proto proto = Proto::None;
  std::string text;           // "IMAP C: A3 UID FETCH 1:* (FLAGS)"
  std::uint32_t rec = 0;      // trace record index
};

struct Link {
  std::uint16_t device = 0;
  std::string speed;          // "56 kbit/s · 150 ms" (empty: not known)
  bool up = true;
  std::string why;            // when down: "offline" / "lost"
};

struct Scene {
  std::string key;            // "pop3" / "imap": owners are "worlds/<key>/..."
  std::string title;          // "POP3 world"
  Proto proto = Proto::None;
  Box server;
  std::vector<Box> devices;   // present at the cursor, in order of appearance
  std::vector<Link> links;    // one per device
  bool internet = false;
  std::uint16_t internet_actor = 0;
  std::vector<Packet> packets;  // newest first
  std::uint64_t scale_bytes = 1;  // a full storage bar (shared by both worlds)
  std::uint64_t wire_total = 0;   // bytes on the wire in this world up to the cursor
};

// ---- Where everything goes --------------------------------------------------------------------

struct Vec {
  float x = 0, y = 0;
};
struct Rect {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  float w() const { return x1 - x0; }
  float h() const { return y1 - y0; }
  bool overlaps(const Rect& o) const {
    return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1;
  }
  bool inside(const Rect& o) const {
    return x0 >= o.x0 - 0.5f && y0 >= o.y0 - 0.5f && x1 <= o.x1 + 0.5f && y1 <= o.y1 + 0.5f;
  }
};

enum class Ink : std::uint8_t { Text, Dim, Title, Broken, Good, Accent };

struct TextItem {
  Rect r;                     // the text's box (top-left is where it is drawn)
  std::string text;           // as drawn (may end in "…")
  std::string full;           // the whole text when `text` was shortened, else empty
  float size = 0;             // pixels
  Ink ink = Ink::Text;
  std::string icon;           // leading icon (box kind, "broken", ...): r starts with its room
  int tag = -1;               // a badge line's Badge value (the GUI's colour), else -1
  std::string kind = "text";  // audit kind
  std::string owner;
};

struct ChipItem {
  Rect r;
  int box = -1;               // -1 server, else index into Scene::devices
  int folder = 0, chip = 0;   // indices into that box's folders / chips
  std::string owner;
};

struct BoxItem {
  Rect r;
  int box = -1;
  std::string owner;
};

struct BarItem {
  Rect r;
  float frac = 0;
  std::string owner;
};

struct LinkItem {
  Vec a, b;                   // server end, device (or internet) end
  bool up = true;
  int device = -1;            // index into Scene::devices, -1 for the internet link
};

struct LabelItem {            // a packet in flight: its dot on the link and its label
  Rect r;
  Vec dot;
  std::string text, full;     // full: the whole first line when `text` was shortened
  float size = 0;
  float alpha = 1;            // older units fade
  Proto proto = Proto::None;
  bool from_server = false;
  std::string owner;
};

struct Layout {
  Rect frame;
  float fs = 17;              // the text size used (font_px * zoom actually used)
  float zoom = 1;
  bool fits = true;           // everything fits without dropping content
  Rect swatch;                // the protocol's colour mark before the title
  std::vector<BoxItem> boxes;
  std::vector<TextItem> texts;
  std::vector<ChipItem> chips;
  std::vector<BarItem> bars;
  std::vector<LinkItem> links;
  std::vector<TextItem> link_labels;  // speeds and "offline" marks, drawn on a backing
  std::vector<LabelItem> labels;
  Rect internet_icon;         // empty when the world has no internet actor
  Rect bounds;                // union of everything drawn
};

// Width in pixels of `text` drawn at `px` pixels (a UTF-8 string).
using Measure = std::function<float(std::string_view text, float px)>;

struct LayoutParams {
  float font_px = 17;         // text size at zoom 1
  float zoom = 1;             // wanted zoom (panel size and presenter mode decide it)
  float min_zoom = 1;         // never smaller than this (minimum readable size)
  // Presenter mode: details go (empty-folder notes, policies, chip rows, the storage words)
  // before the text gets smaller, and the text never goes under min_zoom.
  bool presenter = false;
  Measure width;
};

// The smallest text a world draws, as a share of its text size (a chip's number): the zoom
// that keeps every world text at least `px` high is px / (font_px * kSmallestText).
constexpr float kSmallestText = 0.744f;

// The zoom a panel of w x h pixels asks for: 1 for the 1600x900 window the view was designed
// for, growing with the panel up to 2.5. Presenter mode multiplies font_px, not this.
float panel_zoom(float w, float h);

Layout layout_world(const Scene& s, Rect frame, const LayoutParams& p);
// Several worlds side by side at ONE zoom and level of detail: the first that fits them all
// (a world that would fit larger is drawn at its neighbour's size, so that equal things look
// equal across the two).
std::vector<Layout> layout_worlds(const std::vector<const Scene*>& scenes,
                                  const std::vector<Rect>& frames, const LayoutParams& p);

// A badge line (TextItem::tag >= 0) carries a colour marker before its words: the layout
// leaves it this much room before the text, so the marker never covers the first character
// ("1: duplicate, read"), and badge_marker is where the marker goes.
float badge_marker_room(float px);
Rect badge_marker(const TextItem& t);

// `text` shortened to at most `max_w` pixels, ending in "…" when it was cut.
std::string ellipsize(const std::string& text, float px, float max_w, const Measure& width);

// "509 B", "3.1 KB", "2.4 MB".
std::string bytes_text(std::uint64_t b);

// A rough width of DejaVu Sans text (0.55 em per character) for callers without a font, such
// as the SVG export. Counts UTF-8 code points.
float approx_width(std::string_view text, float px);

}  // namespace ms::view
