#include "audit.hpp"

#include <algorithm>

#include "view/audit_rule.hpp"

namespace ms::audit {

namespace {
bool g_on = false;
std::vector<Item> g_items;

view::audit_rule::Box box(ImVec2 p0, ImVec2 p1) { return {p0.x, p0.y, p1.x, p1.y}; }

bool intersect(const Item& a, const Item& b) {
  return view::audit_rule::overlap(box(a.p0, a.p1), box(b.p0, b.p1));
}

bool leaves(const Item& i) { return view::audit_rule::leaves(box(i.p0, i.p1), box(i.clip0, i.clip1)); }
}  // namespace

bool on() { return g_on; }

void item(const char* kind, const std::string& owner, const std::string& text, ImVec2 p0,
          ImVec2 p1, ImVec2 clip0, ImVec2 clip1, float px, const std::string& full) {
  if (!g_on) return;
  // An empty rectangle draws nothing: it can neither cover nor be cut.
  if (p1.x - p0.x <= 0.0f || p1.y - p0.y <= 0.0f) return;
  g_items.push_back({kind, owner, text, p0, p1, clip0, clip1, false, px, full});
}


void begin() {
  g_items.clear();
  g_on = true;
}

void end() { g_on = false; }

const std::vector<Item>& items() { return g_items; }

bool contains(const std::string& a, const std::string& b) { return view::audit_rule::contains(a, b); }

std::vector<Defect> find_defects(std::vector<Item>& items) {
  std::vector<Defect> out;
  const int n = static_cast<int>(items.size());
  for (int i = 0; i < n; ++i) {
    items[i].clipped = leaves(items[i]);
    if (items[i].clipped) out.push_back({i, kClipped});
    else if (view::audit_rule::cut_without_hover(items[i].text, items[i].full))
      out.push_back({i, kCutNoHover});
  }
  for (int i = 0; i < n; ++i)
    for (int j = i + 1; j < n; ++j) {
      const Item& a = items[i];
      const Item& b = items[j];
      // A panel contains its contents; only panels are compared with panels.
      if ((a.kind == "panel") != (b.kind == "panel")) continue;
      if (contains(a.owner, b.owner) || contains(b.owner, a.owner)) continue;
      if (intersect(a, b)) out.push_back({i, j});
    }
  return out;
}

}  // namespace ms::audit
