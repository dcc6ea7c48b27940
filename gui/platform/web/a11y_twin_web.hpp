#pragma once
// The accessible twin in the browser (a11y_twin_web.cpp): called once per frame by the web
// frame loop, after the frame.
#include "frame.hpp"

namespace ms {
void a11y_twin_frame(App& app);
}  // namespace ms
