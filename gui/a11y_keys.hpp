#pragma once
// F1: the list of every key the app answers to, over everything else until F1 or Escape
// closes it (native and browser builds alike).
#include "ui_state.hpp"

namespace ms {
void draw_key_map(UiState& ui);
}  // namespace ms
