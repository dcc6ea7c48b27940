#pragma once
// Helpers shared by the course's panels (start screen, chooser, table, lesson, toolbar,
// export): text that explains its protocol terms on hover, and the layout audit's record of
// the last drawn item.
#include <string>

#include "imgui.h"

// Font Awesome 4 glyphs the course's panels use besides those of icons.hpp.
#define ICON_TABLE "\xef\x83\x8e"     // U+F0CE
#define ICON_UNDO "\xef\x83\xa2"      // U+F0E2
#define ICON_FLAG "\xef\x80\xa4"      // U+F024
#define ICON_EYE "\xef\x81\xae"       // U+F06E
#define ICON_PLUS "\xef\x81\xa7"      // U+F067
#define ICON_DOWNLOAD "\xef\x80\x99"  // U+F019
#define ICON_WIFI "\xef\x87\xab"      // U+F1EB
#define ICON_HAND "\xef\x82\xa6"      // U+F0A6 hand-o-up

namespace ms {

// Wrapped text (dim when `dim`) whose glossary terms are explained when it is hovered.
void tip_text(const std::string& text, bool dim = false);
// Records the last drawn ImGui item for --layout-audit (gui/harness/audit.hpp), clipped to the
// current window's visible area.
void audit_last(const char* kind, const std::string& owner, const std::string& text);
// `text` shortened to `max_w` pixels in the current font, ending in "…" when it was cut (the
// caller shows the whole of it on hover).
std::string fit_text(const std::string& text, float max_w);
// Records the label of the last item (a button, a selectable, a table cell's text) at its
// own width, `pad_x` from the item's left edge, for --layout-audit: a label wider than its
// item or the visible area is text cut by its container (a defect), and a label that ends in
// "…" needs `full`, the whole text its hover shows.
void audit_label(const char* kind, const std::string& owner, const std::string& shown,
                 const std::string& full = std::string(), float pad_x = 0.0f);
}  // namespace ms
