#pragma once
// What one world shows at a cursor, derived from its trace (and, for the devices' settings,
// its World): the Scene that view/world_layout places. Shared by the GUI's world view and the
// SVG export, so both draw the same facts.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "view/world_layout.hpp"
#include "world/world.hpp"

namespace ms::view {

// Derived once per trace: actors, message labels, bytes on the wire over time, connections.
struct WorldIndex {
  struct Dev {
    std::uint16_t id = 0;
    std::string name, kind;
    std::size_t added_at = 0;  // index of its "added" record
    Tick added_t = 0;
  };
  std::uint16_t server = 0;
  int internet = -1;
  std::vector<Dev> devices;          // in order of appearance
  std::vector<std::string> labels;   // by message number (+1): "1", "2"... or "a", "b"
  // Per actor, bytes it sent / received on the wire, counted when a unit has fully arrived:
  // (arrival time, running total), in arrival order. `total` is the whole world's.
  using Series = std::vector<std::pair<Tick, std::uint64_t>>;
  std::vector<Series> sent, received;
  Series total;
  // Per actor, (record index, true = a connection opened / false = closed).
  std::vector<std::vector<std::pair<std::size_t, bool>>> conns;
  // Per actor, the mail protocol its client speaks from a record index on: (index of its first
  // POP3 or IMAP unit, protocol), one entry per change. A device that moves from POP3 to IMAP
  // ("move to IMAP") has two; other devices speak their world's protocol throughout.
  std::vector<std::vector<std::pair<std::size_t, Proto>>> mail_proto;
  // Server messages a Gmail-style POP3 server will not offer again: (folder, UID) -> since.
  std::map<std::pair<std::string, std::uint32_t>, Tick> popped;
  std::uint64_t max_server_bytes = 1;
  std::size_t scanned = 0;           // records taken in
};
// Message labels: scenario messages carry the lesson's numbers, so that the same message has
// the same number in both worlds; the others (a device's reply) get letters in the order the
// trace first holds them. The worlds view and the GUI's model both label through this.
class MessageLabels {
 public:
  MessageLabels() = default;
  explicit MessageLabels(const std::vector<std::string>& scenario_ids);
  // The label of the trace's next message.
  std::string next(const TraceMessage& tm);

 private:
  std::map<std::string, int> number_;
  int letters_ = 0;
};

// `scenario` names the scenario messages' Message-IDs in order (message n is scenario[n-1]).
WorldIndex index_world(const Trace& tr, const std::vector<std::string>& scenario_ids);
std::vector<std::string> scenario_ids(const World& w);
// Running total at time t of a Series.
std::uint64_t bytes_by(const WorldIndex::Series& s, Tick t);
// Whether `actor` has a connection open after the first `index` records.
bool connected(const WorldIndex& ix, std::uint16_t actor, std::size_t index);
// The mail protocol the device's app speaks after the first `index` records (see
// WorldIndex::mail_proto); `world` when it never spoke POP3 or IMAP.
Proto device_proto(const WorldIndex& ix, std::uint16_t actor, std::size_t index, Proto world);

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

// `world` may be null (no settings known: no policies, speeds or schedules shown) or a world
// whose trace is not `tr` (live mode's display trace): devices are matched by name.
Scene build_scene(const World* world, const Trace& tr, const WorldIndex& ix,
                  const WorldView& v, const SceneOptions& o);

// The scenario message numbers a step's words are about: "message 2", "messages 1 and 3".
std::vector<std::string> step_messages(const std::string& text);

// "56 kbit/s · 150 ms"
std::string link_text(const LinkSpec& l);
// The client preset's display name ("Thunderbird") and its key policies, in plain words.
std::vector<std::string> policy_words(const DeviceSpec& d, Proto proto);

}  // namespace ms::view
