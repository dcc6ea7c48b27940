#pragma once
// Where named widgets were drawn in the last frame. The web page is a single canvas, so a
// browser test that clicks "File", then "Export...", as a user would, has to be told where
// they are; the panels name the few widgets a test drives (mark), and the web glue answers
// queries (ms_web_widget_rect). Recording is off until someone asks, then costs a map insert
// per named widget per frame.
#include <optional>
#include <string>

namespace ms::widgets {

struct Rect {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // screen pixels, as Dear ImGui draws
};

void record(bool on);
bool recording();
// Names the last item drawn (ImGui::GetItemRectMin/Max). Callers building the name at run
// time may check recording() first.
void mark(const std::string& name);
// Where `name` was drawn in the frame last rendered; nothing when it was not drawn then
// (a menu that has closed, a dialog not open).
std::optional<Rect> find(const std::string& name);

}  // namespace ms::widgets
