#include "ui_scale.hpp"

#include <algorithm>
#include <cmath>

namespace ms {

float interface_scale(float content_scale, int fb_w, int fb_h) {
  if (content_scale > 1.01f) return std::min(content_scale, 4.0f);
  const float by_size = std::min(static_cast<float>(fb_w) / 1920.0f,
                                 static_cast<float>(fb_h) / 1080.0f);
  return std::clamp(std::floor(by_size * 4.0f + 1e-3f) / 4.0f, 1.0f, 4.0f);
}

}  // namespace ms
