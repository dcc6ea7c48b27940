#pragma once
// How large the whole interface is drawn (menus, toolbar, panels, caption and worlds alike):
// the monitor's content scale where the system reports one, else from the framebuffer's size,
// so that a 4K screen whose system says 1.0 (Xvfb, many X desktops) is not drawn at 1080p
// pixel sizes, a quarter of the screen's area per word.

namespace ms {

// `content_scale`: glfwGetWindowContentScale (the page's device pixel ratio in a browser).
// Above 1 it is the answer. At 1 the framebuffer decides: 1 up to 1920x1080, growing with the
// smaller of width / 1920 and height / 1080 in steps of a quarter (2 at 3840x2160), at most 4.
// The steps keep the fonts from being rebuilt at every pixel of a window being resized.
float interface_scale(float content_scale, int fb_w, int fb_h);

}  // namespace ms
