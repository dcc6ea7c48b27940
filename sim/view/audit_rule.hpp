#pragma once
// The layout audit's rule, headless so that the GUI's audit (gui/harness/audit.cpp) and the layout
// tests judge by the same one: two drawn items of unrelated owners must not overlap, and an
// item stays inside the region it is drawn in. Owners are paths ("worlds/pop3/server/INBOX");
// an owner is related to what it contains, so a box may hold its own text.
#include <algorithm>
#include <string_view>

namespace ms::view::audit_rule {

// Sub-pixel contact (edges that meet after float rounding) is neither an overlap nor a cut.
constexpr float kSlack = 0.01f;

struct Box {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

// True when owner `a` is `b` or a path prefix of it ("a/b" of "a/b/c", not of "a/bc").
inline bool contains(std::string_view a, std::string_view b) {
  return b.size() >= a.size() && b.compare(0, a.size(), a) == 0 &&
         (b.size() == a.size() || b[a.size()] == '/');
}

inline bool related(std::string_view a, std::string_view b) {
  return contains(a, b) || contains(b, a);
}

// The two intersect with positive area.
inline bool overlap(const Box& a, const Box& b) {
  const float w = std::min(a.x1, b.x1) - std::max(a.x0, b.x0);
  const float h = std::min(a.y1, b.y1) - std::max(a.y0, b.y0);
  return w > kSlack && h > kSlack;
}

// `item` reaches out of `region`.
inline bool leaves(const Box& item, const Box& region) {
  return item.x0 < region.x0 - kSlack || item.y0 < region.y0 - kSlack ||
         item.x1 > region.x1 + kSlack || item.y1 > region.y1 + kSlack;
}

// Text shortened to fit ends in an ellipsis, and then a hover must show the whole of it
// (`full`, non-empty): text that ends in "…" with nothing to show is cut for good.
inline bool cut_without_hover(std::string_view text, std::string_view full) {
  constexpr std::string_view kEllipsis = "\xe2\x80\xa6";
  const bool ends = text.size() >= kEllipsis.size() &&
                    text.compare(text.size() - kEllipsis.size(), kEllipsis.size(), kEllipsis) == 0;
  return ends && full.empty();
}

}  // namespace ms::view::audit_rule
