#pragma once
// Both worlds of a lesson run at one moment as a standalone SVG, drawn from the same geometry
// as the GUI's world view (view/world_layout), for the HTML handout. No window, no font: text
// widths are estimated (view::approx_width).
#include <string>

#include "lesson/lesson.hpp"

namespace ms {

struct WorldsSvgOptions {
  float width = 1200, height = 560;  // the whole picture, both worlds side by side
  float font_px = 13;                // text size
  // The smallest zoom the layout may shrink to before it drops details: print asks for 1, so
  // that no text is smaller than the size it asked for (a crowded world shows less instead).
  float min_zoom = 0.75f;
};

// The worlds as they are after every record up to time `t` (inclusive).
std::string worlds_svg(const LessonRun& run, Tick t, const WorldsSvgOptions& o = {});
// At the end of lesson step `step` (1-based): just before the next step begins (or at the end
// of the run), when the step's outcome is on screen. Throws std::out_of_range for a step the
// lesson does not have.
std::string worlds_svg_at_step(const LessonRun& run, int step, const WorldsSvgOptions& o = {});

}  // namespace ms
