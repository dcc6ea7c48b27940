#pragma once
// What one world shows at a cursor, derived from its trace alone (through its TraceIndex: the
// devices' settings too are trace records): the Scene that view/world_layout places. Shared by
// the GUI's world view and the SVG export, so both draw the same facts.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "trace/settings.hpp"
#include "view/trace_index.hpp"
#include "view/world_layout.hpp"

namespace ms {
class World;
}

namespace ms::view {

// The scenario messages' Message-IDs in order (message n is [n-1]): what a TraceIndex labels
// with the lesson's numbers. The lesson's numbering, an input of the run, not a state of it.
std::vector<std::string> scenario_ids(const World& w);

struct SceneOptions {
  std::string title;                 // "POP3 world"
  std::uint32_t selected = 0;        // the selected message's number here (0: none)
  std::vector<std::string> focus;    // labels of the messages the step is about
  std::uint64_t scale_bytes = 0;     // a full storage bar (0: this world's own peak)
  // Animation (GUI only): the store a moment ago and how recently (1 = now, 0 = not within
  // the window) a change hit an entry; removed copies fade out in place.
  const WorldView* before = nullptr;
  std::function<float(std::uint16_t actor, const std::string& folder, std::uint32_t uid,
                      bool add)>
      recency;
};

// `ix` has taken in `tr` (at least up to v.index). A device without a Settings record (a real
// client in live mode) shows no policies, speed or schedule.
Scene build_scene(const Trace& tr, const TraceIndex& ix, const WorldView& v,
                  const SceneOptions& o);

// The scenario message numbers a step's words are about: "message 2", "messages 1 and 3".
std::vector<std::string> step_messages(const std::string& text);

// "56 kbit/s · 150 ms"
std::string link_text(const LinkSpec& l);
// The client preset's display name ("Thunderbird") and its key policies, in plain words.
std::vector<std::string> policy_words(const DeviceSettings& d, Proto proto);

}  // namespace ms::view
