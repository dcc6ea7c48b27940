#pragma once
// One index of a trace, shared by everything that shows or judges a run: the GUI (a lesson's
// worlds and the live world), the exporters (pcap, worlds SVG) and the lesson's checks. It
// takes the records in one scan that a growing trace (live mode) extends with its new records
// only, and finds who is who (the server, the internet, the devices in join order with their
// kinds, display names and settings in force) and where each kind of record is. It keeps
// record indices, never pointers into the trace's growing record vector.
//
// The trace must keep its records (no Trace::keep_last): a live world's GUI indexes its
// display trace (gui/live_display.hpp), which a cut replaces whole (the index is built anew).
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "trace/trace.hpp"

namespace ms::view {

// Message labels: scenario messages carry the lesson's numbers, so that the same message has
// the same number in both worlds; the others (a device's reply) get letters in the order the
// trace first holds them.
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

class TraceIndex {
 public:
  struct Device {
    std::uint16_t id = 0;
    std::string name;  // its display name: the actor's name, or the name it took (Renamed)
    ActorKind kind = ActorKind::None;
    std::size_t added_at = 0;  // index of its Added record
    Tick added_t = 0;
    // Its Settings records, in order (none for a real client in live mode).
    std::vector<std::uint32_t> settings;
  };
  // One protocol line of a Wire record: where it is in the record's text. CRLF ends a line; a
  // trailing fragment counts as one.
  struct Line {
    std::uint32_t rec = 0, off = 0, len = 0;
  };
  // Bytes over time: (arrival time, running total), in arrival order (a unit counts once it
  // has fully arrived).
  using Series = std::vector<std::pair<Tick, std::uint64_t>>;

  TraceIndex() = default;
  // `scenario_ids` names the lesson's messages by Message-ID in order (message n is
  // scenario_ids[n-1]): they are labelled with their numbers.
  explicit TraceIndex(const std::vector<std::string>& scenario_ids);

  // Takes in the records and messages added to `tr` since the last call (all on the first).
  void extend(const Trace& tr);
  std::size_t scanned() const { return scanned_; }

  // ---- Who is who ---------------------------------------------------------------------------
  std::uint16_t server() const { return server_; }
  int internet() const { return internet_; }  // -1 before its Added record
  // The protocol the world's mail apps speak (the server's Added record); None when unknown.
  Proto proto() const { return proto_; }
  const std::vector<Device>& devices() const { return devices_; }
  // The device of actor `id` (not the server or the internet), or nullptr.
  const Device* device(std::uint16_t id) const;
  // The device whose trace actor is called `actor_name` (its name before any rename).
  const Device* device_named(const Trace& tr, const std::string& actor_name) const;
  // Display names by actor id: the trace's actor names, except a live client that named itself.
  const std::string& name_of(std::uint16_t actor) const;
  std::size_t actor_count() const { return names_.size(); }  // actors interned so far
  ActorKind kind_of(std::uint16_t actor) const;
  // The device's settings in force after the first `index` records (nullptr: none recorded).
  const DeviceSettings* settings_at(const Trace& tr, const Device& d, std::size_t index) const;

  // ---- Where each kind of record is ----------------------------------------------------------
  const std::vector<std::uint32_t>& steps() const { return steps_; }      // Step records
  const std::vector<std::uint32_t>& wire_recs() const { return wire_; }   // Wire, start order
  const std::vector<Line>& lines() const { return lines_; }               // every wire line
  // Per actor, the StateChanged events it took part in (as actor or peer).
  const std::vector<std::vector<std::uint32_t>>& state_events() const { return state_events_; }
  // Per actor, (record index, true = a connection opened / false = it ended).
  const std::vector<std::vector<std::pair<std::size_t, bool>>>& conns() const { return conns_; }
  // Per actor, the mail protocol its client speaks from a record index on: (index of its first
  // POP3 or IMAP unit, protocol), one entry per change. A device that moves from POP3 to IMAP
  // ("move to IMAP") has two; other devices speak their world's protocol throughout.
  const std::vector<std::vector<std::pair<std::size_t, Proto>>>& mail_proto() const {
    return mail_proto_;
  }
  // Server messages a Gmail-style POP3 server will not offer again: (folder, UID) -> since.
  const std::map<std::pair<std::string, std::uint32_t>, Tick>& popped() const { return popped_; }

  // ---- Sizes and times ---------------------------------------------------------------------
  Tick max_transit() const { return max_transit_; }  // the longest a wire unit took to arrive
  Tick end() const { return end_; }                  // the latest t_end of any record
  std::uint64_t max_server_bytes() const { return max_server_bytes_; }  // at least 1
  const Series& sent(std::uint16_t actor) const;
  const Series& received(std::uint16_t actor) const;
  const Series& total() const { return total_; }  // the whole world's
  // The stores after every record taken in (what Replay gives at scanned()).
  const WorldView& state() const { return state_; }

  // ---- Messages ------------------------------------------------------------------------------
  // Labels by message number (index 0 is "?"): "1", "2"... or "a", "b".
  const std::vector<std::string>& labels() const { return labels_; }
  const std::string& label(std::uint32_t msg) const;
  // The message number of a trace key (Message-ID), 0 when the trace has none.
  std::uint32_t msg_by_key(const std::string& key) const;

 private:
  static void add_bytes(Series& s, Tick t, std::uint64_t n);

  MessageLabels labeller_;
  std::size_t scanned_ = 0;
  std::uint16_t server_ = 0;
  int internet_ = -1;
  Proto proto_ = Proto::None;
  std::vector<Device> devices_;
  std::vector<int> device_of_;  // by actor: index into devices_, -1 for none
  std::vector<std::string> names_;
  std::vector<ActorKind> kinds_;
  std::vector<std::uint32_t> steps_, wire_;
  std::vector<Line> lines_;
  std::vector<std::vector<std::uint32_t>> state_events_;
  std::vector<std::vector<std::pair<std::size_t, bool>>> conns_;
  std::vector<std::vector<std::pair<std::size_t, Proto>>> mail_proto_;
  std::map<std::pair<std::string, std::uint32_t>, Tick> popped_;
  Tick max_transit_ = 0, end_ = 0;
  std::uint64_t max_server_bytes_ = 1;
  std::vector<Series> sent_, received_;
  Series total_;
  WorldView state_;
  std::vector<std::string> labels_;
  std::unordered_map<std::string, std::uint32_t> msg_keys_;
};

// Running total at time t of a Series.
std::uint64_t bytes_by(const TraceIndex::Series& s, Tick t);
// Whether `actor` has a connection open after the first `index` records.
bool connected(const TraceIndex& ix, std::uint16_t actor, std::size_t index);
// The mail protocol the device's app speaks after the first `index` records (see
// TraceIndex::mail_proto); `world` when it never spoke POP3 or IMAP.
Proto device_proto(const TraceIndex& ix, std::uint16_t actor, std::size_t index, Proto world);
// The text of a wire line (it lives in its record's text).
std::string_view line_text(const Trace& tr, const TraceIndex::Line& l);

}  // namespace ms::view
