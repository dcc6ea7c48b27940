#include "audit.hpp"

#include <algorithm>

namespace ms::audit {

namespace {
bool g_on = false;
std::vector<Item> g_items;

// Sub-pixel contact (edges that meet after float rounding) is not an overlap.
constexpr float kSlack = 0.01f;

bool intersect(const Item& a, const Item& b) {
  const float w = std::min(a.p1.x, b.p1.x) - std::max(a.p0.x, b.p0.x);
  const float h = std::min(a.p1.y, b.p1.y) - std::max(a.p0.y, b.p0.y);
  return w > kSlack && h > kSlack;
}

bool leaves(const Item& i) {
  return i.p0.x < i.clip0.x - kSlack || i.p0.y < i.clip0.y - kSlack ||
         i.p1.x > i.clip1.x + kSlack || i.p1.y > i.clip1.y + kSlack;
}
}  // namespace

bool on() { return g_on; }

void item(const char* kind, const std::string& owner, const std::string& text, ImVec2 p0,
          ImVec2 p1, ImVec2 clip0, ImVec2 clip1) {
  if (!g_on) return;
  // An empty rectangle draws nothing: it can neither cover nor be cut.
  if (p1.x - p0.x <= 0.0f || p1.y - p0.y <= 0.0f) return;
  g_items.push_back({kind, owner, text, p0, p1, clip0, clip1, false});
}

void begin() {
  g_items.clear();
  g_on = true;
}

void end() { g_on = false; }

const std::vector<Item>& items() { return g_items; }

bool contains(const std::string& a, const std::string& b) {
  return b.size() >= a.size() && b.compare(0, a.size(), a) == 0 &&
         (b.size() == a.size() || b[a.size()] == '/');
}

std::vector<Defect> find_defects(std::vector<Item>& items) {
  std::vector<Defect> out;
  const int n = static_cast<int>(items.size());
  for (int i = 0; i < n; ++i) {
    items[i].clipped = leaves(items[i]);
    if (items[i].clipped) out.push_back({i, -1});
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
