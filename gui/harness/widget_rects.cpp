#include "widget_rects.hpp"

#include <unordered_map>

#include "imgui.h"

namespace ms::widgets {
namespace {

struct Entry {
  Rect rect;
  int frame = -1;  // ImGui's frame count when it was drawn
};
bool g_on = false;
std::unordered_map<std::string, Entry> g_rects;

}  // namespace

void record(bool on) {
  g_on = on;
  if (!on) g_rects.clear();
}

bool recording() { return g_on; }

void mark(const std::string& name) {
  if (!g_on) return;
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  g_rects[name] = {{a.x, a.y, b.x, b.y}, ImGui::GetFrameCount()};
}

std::optional<Rect> find(const std::string& name) {
  const auto it = g_rects.find(name);
  // Between frames the frame count is still the one of the frame last drawn.
  if (it == g_rects.end() || it->second.frame != ImGui::GetFrameCount()) return std::nullopt;
  return it->second.rect;
}

}  // namespace ms::widgets
