#pragma once
// The layout audit: panels report what they draw (text, chips, boxes, packet labels ...) with
// its rectangle and the region it must stay inside, and `mailscope --layout-audit` writes the
// list and the defects found in it: two items of unrelated owners that overlap, an item that
// leaves its region. The panels and the audit agree on the contract written at item().
#include <string>
#include <vector>

#include "imgui.h"

namespace ms::audit {

// True while a --layout-audit frame is being recorded; callers may skip building strings
// for item() when it is false (it costs nothing then).
bool on();
// One drawn item: kind is "text", "chip", "box", "label" (packet label), "icon", "marker",
// "badge" ...; owner is a path naming what it belongs to, e.g. "worlds/pop3/server",
// "worlds/pop3/server/INBOX/chip:3", "worlds/imap/device:phone", "worlds/pop3/link:phone/label:2",
// "timeline/marker:3", "sequence/arrow:17", "caption". [p0,p1] is its rectangle in screen
// pixels; [clip0,clip1] the region it must stay inside (its panel or scrolling child).
// Two items overlap (a defect) when their rectangles intersect with positive area and neither
// owner is a path prefix of the other ("a/b" contains "a/b/c"; a box may contain its own text).
// An item whose rectangle leaves its clip region is "clipped" (also a defect), unless it
// is drawn in a scrolling region (pass the scrolling child's visible rect as clip and draw
// only what is visible).
// Kind "panel" is a container (a window of the layout): panels are checked against each
// other and against the display, never against what they contain.
// `px`: the text's size in pixels where the item is text (0: not text, or not known), which
// the audit's figures measure (the smallest world text ...). `full`: the whole text a hover
// shows when `text` was shortened; text that ends in an ellipsis must have one (a defect
// otherwise: a reader cannot get at the rest).
void item(const char* kind, const std::string& owner, const std::string& text,
          ImVec2 p0, ImVec2 p1, ImVec2 clip0, ImVec2 clip1, float px = 0.0f,
          const std::string& full = std::string());

// ---- The recording side (main's audit modes) ------------------------------------------------

struct Item {
  std::string kind, owner, text;
  ImVec2 p0, p1, clip0, clip1;
  bool clipped = false;
  float px = 0.0f;
  std::string full;
};
// A defect: items a and b overlap, or item a is clipped (b == kClipped), or item a ends in an
// ellipsis with no hover that shows the whole text (b == kCutNoHover).
constexpr int kClipped = -1, kCutNoHover = -2;
struct Defect {
  int a = 0, b = kClipped;
};

// Starts recording a frame (clears what the last one recorded) / stops recording.
void begin();
void end();
const std::vector<Item>& items();

// True when owner `a` is `b` or a path prefix of it ("a/b" of "a/b/c", not of "a/bc").
bool contains(const std::string& a, const std::string& b);
// The defects among `items`; also sets each item's `clipped`.
std::vector<Defect> find_defects(std::vector<Item>& items);

}  // namespace ms::audit
