#pragma once
// The trace: the single source of truth of a run. An append-only log of records (bytes on the
// wire, engine events, store changes, device and link changes, lesson steps). Everything the
// GUI, the exporters and the checks show is derived from it; `Replay` rebuilds the visible state
// of the world at any record index from periodic snapshots.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/store.hpp"

namespace ms {

enum class RecKind : std::uint8_t {
  Wire,    // bytes sent on a connection: text holds them exactly
  Event,   // an engine or application event, text is a short description
  Store,   // a store change (op, folder, uid, msg, flags)
  Device,  // a device or link changed state: text is one of added/online/offline/lost/connect/close,
           // or "renamed" with the device's new display name in `folder` (the actor stays)
  Step,    // a lesson narrative step begins: text is the step's title, uid its index
  Check,   // an expectation was evaluated: text is its description, uid 1 for pass, 0 for fail
};
enum class Proto : std::uint8_t { None, POP3, IMAP, SMTP };
const char* proto_name(Proto p);
const char* kind_name(RecKind k);
const char* op_name(StoreChange::Op op);

struct Record {
  Tick t = 0;      // when it happened; for Wire, when the first byte left the sender
  Tick t_end = 0;  // for Wire, when the last byte reached the peer; else == t
  RecKind kind = RecKind::Event;
  Proto proto = Proto::None;
  std::uint16_t actor = 0;  // who: a device, the server, or the store's owner (actor id)
  std::uint16_t peer = 0;   // Wire: the receiving actor
  std::uint32_t conn = 0;   // connection number, 0 when not on a connection
  StoreChange::Op op = StoreChange::Add;
  Role role = Role::None;   // FolderAdd: the folder's SPECIAL-USE role
  std::uint32_t uid = 0;
  std::uint32_t msg = 0;    // index into Trace::messages() (+1; 0 = none)
  std::uint32_t size = 0;   // Store Add: the message's size in octets
  Flags flags;
  std::string folder;
  std::string text;
};

struct TraceMessage {
  Body body;
  std::string key;  // Message-ID, or a generated key when the message has none
};

class Trace {
 public:
  std::uint16_t actor(const std::string& name);  // interns an actor name
  const std::string& actor_name(std::uint16_t id) const { return actors_.at(id); }
  const std::vector<std::string>& actors() const { return actors_; }
  // Interns a message by its Message-ID so that every copy maps to the same number.
  std::uint32_t message(const Body& b);
  const std::vector<TraceMessage>& messages() const { return messages_; }

  void append(Record r) { records_.push_back(std::move(r)); }
  const std::vector<Record>& records() const { return records_; }
  std::size_t size() const { return records_.size(); }
  // Index of the first record with t > tick (records are in time order).
  std::size_t index_after(Tick tick) const;

  // Deterministic JSON Lines serialisation (one record per line); byte-identical for the same
  // lesson and seed.
  std::string to_jsonl() const;

 private:
  std::vector<std::string> actors_;
  std::unordered_map<std::string, std::uint16_t> actor_ids_;
  std::vector<TraceMessage> messages_;
  std::unordered_map<std::string, std::uint32_t> message_ids_;
  std::vector<Record> records_;
};

// ---- Replay: the visible state at a record index -------------------------------------------

struct ViewEntry {
  std::uint32_t uid = 0;
  std::uint32_t msg = 0;  // Trace message number (+1)
  Flags flags;
  std::uint32_t size = 0;
};
struct ViewFolder {
  std::string name;
  Role role = Role::None;
  std::vector<ViewEntry> entries;  // ascending uid
  std::uint64_t bytes = 0;
};
struct ViewStore {
  std::vector<ViewFolder> folders;  // INBOX first, then by role, then by name
  bool present = false;              // the actor has a store (server account or device)
  bool online = true;
  bool lost = false;
  std::uint64_t bytes = 0;
  std::size_t count() const;
  const ViewFolder* folder(const std::string& name) const;
};
struct WorldView {
  std::size_t index = 0;  // state after records [0, index)
  Tick t = 0;
  std::vector<ViewStore> stores;  // by actor id
  int step = -1;                  // the lesson step in force
};

class Replay {
 public:
  explicit Replay(const Trace& trace, std::size_t snapshot_every = 4096);
  // State after the first `index` records (clamped to the trace's size).
  WorldView at(std::size_t index);
  static void apply(WorldView& v, const Record& r);

 private:
  const Trace& trace_;
  std::size_t every_;
  std::vector<WorldView> snapshots_;  // snapshots_[k] is the state at k * every_
};

}  // namespace ms
