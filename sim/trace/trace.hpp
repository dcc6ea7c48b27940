#pragma once
// The trace: the single source of truth of a run. An append-only log of records (bytes on the
// wire, engine events, store changes, device and link changes, devices' settings, lesson steps
// and checks). Everything the GUI, the exporters and the checks show is derived from it:
// `Replay` rebuilds the stores at any record index from periodic snapshots, and view::TraceIndex
// (view/trace_index.hpp) finds who is who and where each kind of record is.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <unordered_map>
#include <vector>

#include "model/store.hpp"
#include "trace/display_text.hpp"
#include "trace/settings.hpp"

namespace ms {

enum class RecKind : std::uint8_t {
  Wire,    // bytes sent on a connection: text holds them exactly
  Event,   // an engine or application event: what it is in `ev` and its fields
  Store,   // a store change (op, folder, uid, msg, flags)
  Device,  // a device or link changed state: what in `ev` (Added with `device`, Renamed with
           // `name`, Online, Offline, Lost); the actor stays the same across a rename
  Step,    // a lesson narrative step begins: text is the step's title, uid its index
  Check,   // an expectation was evaluated: text is its description, uid 1 for pass, 0 for fail
  Settings,  // a simulated device's settings in force from now on (`settings`): recorded when it
             // joins and whenever they change; `proto` is the protocol its mail app speaks
};
// What an Event or Device record says, for code; its `text` says it for people, and no code
// reads that text back (it may be reworded or translated). Event kinds mirror the engines'
// EngineEvent kinds, plus the connection's life as the world or the live listener sees it.
enum class EventKind : std::uint8_t {
  None,
  // Device records
  Added, Online, Offline, Lost, Renamed,
  // A connection's life, recorded under its client's actor (and its `conn`)
  Connected,  // the client opened it
  Closed,     // it ended after a goodbye, or either side closed it
  Dropped,    // it ended without one (the link went down, a limit, an internal error)
  // Engine events (EngineEvent::Kind)
  StateChanged,  // `old_state` -> `new_state`, by the engine's RFC names
  LoggedIn, MessageDownloaded, HeadersDownloaded, FlagsSeen, MessageExpunged, MessageDeleted,
  MessageAppended, MailboxSelected, Sent, Error, Finished, Note, MailboxSynced,
  ClientIdentified,  // IMAP ID (RFC 2971): the client's name and version in `name`
  MessagePopped,     // Gmail-style POP3: server `folder`/`uid` is not offered to POP3 again
  // The world's and the devices' own events
  UserAction,  // the lesson's user did something on a device (read, flag, delete, send...)
  Outside,     // mail left the server for the Internet
  Refused,     // the live listener turned a connection away
  TlsStarted,  // a connection's TLS handshake completed: version and cipher in `name`
};
// Device kinds as the trace records them; the GUI picks icons by them.
enum class ActorKind : std::uint8_t { None, Phone, Desktop, Laptop, Tablet, Server, Internet };
enum class Proto : std::uint8_t { None, POP3, IMAP, SMTP };
const char* proto_name(Proto p);
const char* kind_name(RecKind k);
const char* op_name(StoreChange::Op op);
const char* ev_name(EventKind e);           // "state-changed", as the JSON trace names it
const char* actor_kind_name(ActorKind k);  // "phone"... "server", "internet"; "" for None

// The JSON Lines trace's format version: 2 added `event`/`change`/`device` and the states
// of a state change; 3 added Settings records and the world's protocol on the server's Added
// record; 4 added TLS: a Wire record's `tls` (its records and ciphertext, with `bytes` the
// plaintext inside), tls-started events and a device's `security`. The text fields are the
// same as in version 1.
constexpr int kTraceFormatVersion = 4;

// A TLS record's content type and size (header included) for each record in `cipher`.
std::vector<std::pair<int, std::size_t>> tls_records(std::string_view cipher);


struct Record {
  Tick t = 0;      // when it happened; for Wire, when the first byte left the sender
  Tick t_end = 0;  // for Wire, when the last byte reached the peer; else == t
  RecKind kind = RecKind::Event;
  Proto proto = Proto::None;
  std::uint16_t actor = 0;  // who: a device, the server, or the store's owner (actor id)
  std::uint16_t peer = 0;   // Wire: the receiving actor; an Event on a connection: its other end
  std::uint32_t conn = 0;   // connection number, 0 when not on a connection
  StoreChange::Op op = StoreChange::Add;
  Role role = Role::None;   // FolderAdd: the folder's SPECIAL-USE role
  std::uint32_t uid = 0;
  std::uint32_t msg = 0;    // message number (Trace::message_at), 0 = none
  std::uint32_t size = 0;   // Store Add: the message's size in octets
  EventKind ev = EventKind::None;      // Event and Device records: what happened
  ActorKind device = ActorKind::None;  // Device Added: what the actor is
  Flags flags;
  std::string folder;       // Store: the folder; MessagePopped: the server folder (and `uid`)
  std::string name;         // Device Renamed: the new display name; ClientIdentified: the name
  std::string old_state, new_state;  // Event StateChanged
  std::string text;         // Wire: the bytes; otherwise for display only
  // Wire over TLS: the TLS records that crossed the link, while `text` holds what the engine
  // said inside them ("" for a handshake flight). Empty on a plaintext connection.
  std::string cipher;
  // Settings: the device's settings from now on. Shared, not copied, by the copies of the
  // record (a live view's display trace, its checkpoints).
  std::shared_ptr<const DeviceSettings> settings;
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
  // The messages kept in memory: message number n is messages()[n - 1 - first_message()].
  const std::vector<TraceMessage>& messages() const { return messages_; }

  void append(Record r);
  // The records kept in memory: record i (counted from the first ever appended) is
  // records()[i - first()]. Without keep_last() nothing is dropped and first() is 0.
  const std::vector<Record>& records() const { return records_; }
  // Every record ever appended, dropped ones included.
  std::size_t size() const { return first_ + records_.size(); }
  // Index of the first record with t > tick (records are in time order); at least first().
  std::size_t index_after(Tick tick) const;

  // Deterministic JSON Lines serialisation (one record per line); byte-identical for the same
  // lesson and seed. Only records in memory are written (all of them unless keep_last()).
  std::string to_jsonl() const;

  // ---- Live mode: a trace that runs for days ---------------------------------------------
  // A live server records every byte real clients send, without end, so the trace can be
  // streamed to a file as it grows and kept in memory only as a window of recent records.

  // Every record appended from now on is also written to `f` at once (the records already
  // in memory first), as the line to_jsonl() gives it, and flushed: a crash loses nothing
  // recorded. nullptr stops streaming. The file stays the caller's to close.
  void stream_to(std::FILE* f);
  // The first write error of the stream, "" while it has none (the stream stops at one).
  const std::string& stream_error() const { return stream_error_; }
  // Keeps only about the last `n` records in memory (at most 2n; 0 keeps all, the default):
  // older records are dropped in batches of n, with the messages no kept record refers to.
  void keep_last(std::size_t n);
  // How many records were dropped from memory (the index of records()[0]).
  std::size_t first() const { return first_; }
  // How many messages were dropped from memory (message numbers up to it are gone).
  std::uint32_t first_message() const { return first_message_; }
  // Record i when it is in memory, else nullptr.
  const Record* record(std::size_t i) const;
  // Message number n (1-based) when it is in memory, else nullptr.
  const TraceMessage* message_at(std::uint32_t n) const;
  // The JSON line (without its newline) of record i, which must be in memory.
  std::string jsonl_line(std::size_t i) const;

 private:
  void trim();

  std::vector<std::string> actors_;
  std::unordered_map<std::string, std::uint16_t> actor_ids_;
  std::vector<TraceMessage> messages_;
  std::unordered_map<std::string, std::uint32_t> message_ids_;
  std::vector<Record> records_;
  std::size_t first_ = 0;
  std::uint32_t first_message_ = 0;
  std::size_t keep_ = 0;
  std::FILE* stream_ = nullptr;
  std::string stream_error_;
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
  // State after the first `index` records (clamped to the trace's size). The trace must keep
  // all its records (no keep_last): indices count from its first record.
  WorldView at(std::size_t index);
  static void apply(WorldView& v, const Record& r);

 private:
  const Trace& trace_;
  std::size_t every_;
  std::vector<WorldView> snapshots_;  // snapshots_[k] is the state at k * every_
};

}  // namespace ms
