#pragma once
// Everything the panels may change: the time cursor, playback and view options. Panels never
// touch the simulation; they only edit this struct.
#include <vector>

#include "model/message.hpp"

namespace ms {

struct UiState {
  Tick cursor = 0;         // shared by both worlds
  bool playing = false;
  float speed = 1.0f;      // 0.25x .. 16x
  bool follow_transcript = true;  // keep the transcript scrolled to the newest line
  bool screenshot = false;        // deterministic frames: no wall-clock playback
  float ui_scale = 1.0f;          // presenter font scale
  std::vector<int> quiz_choice;
  Tick gap_from = 0, gap_to = -1;  // playback: the idle gap being crossed   // per question, -1 while unanswered
};

}  // namespace ms
