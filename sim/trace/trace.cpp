#include "trace/trace.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "tls/tls.hpp"
#include "util/text.hpp"

namespace ms {

const char* proto_name(Proto p) {
  switch (p) {
    case Proto::POP3: return "POP3";
    case Proto::IMAP: return "IMAP";
    case Proto::SMTP: return "SMTP";
    case Proto::None: break;
  }
  return "";
}
std::vector<std::pair<int, std::size_t>> tls_records(std::string_view cipher) {
  std::vector<std::pair<int, std::size_t>> out;
  for (const auto& r : tls::records_of(cipher)) out.emplace_back(r.type, r.size);
  return out;
}

const char* kind_name(RecKind k) {
  switch (k) {
    case RecKind::Wire: return "wire";
    case RecKind::Event: return "event";
    case RecKind::Store: return "store";
    case RecKind::Device: return "device";
    case RecKind::Step: return "step";
    case RecKind::Check: return "check";
    case RecKind::Settings: return "settings";
  }
  return "";
}
const char* op_name(StoreChange::Op op) {
  switch (op) {
    case StoreChange::Add: return "add";
    case StoreChange::Remove: return "remove";
    case StoreChange::SetFlags: return "flags";
    case StoreChange::FolderAdd: return "folder-add";
    case StoreChange::FolderRemove: return "folder-remove";
    case StoreChange::Wipe: return "wipe";
  }
  return "";
}

const char* ev_name(EventKind e) {
  switch (e) {
    case EventKind::None: return "";
    case EventKind::Added: return "added";
    case EventKind::Online: return "online";
    case EventKind::Offline: return "offline";
    case EventKind::Lost: return "lost";
    case EventKind::Renamed: return "renamed";
    case EventKind::Connected: return "connected";
    case EventKind::Closed: return "closed";
    case EventKind::Dropped: return "dropped";
    case EventKind::StateChanged: return "state-changed";
    case EventKind::LoggedIn: return "logged-in";
    case EventKind::MessageDownloaded: return "message-downloaded";
    case EventKind::HeadersDownloaded: return "headers-downloaded";
    case EventKind::FlagsSeen: return "flags-seen";
    case EventKind::MessageExpunged: return "message-expunged";
    case EventKind::MessageDeleted: return "message-deleted";
    case EventKind::MessageAppended: return "message-appended";
    case EventKind::MailboxSelected: return "mailbox-selected";
    case EventKind::Sent: return "sent";
    case EventKind::Error: return "error";
    case EventKind::Finished: return "finished";
    case EventKind::Note: return "note";
    case EventKind::MailboxSynced: return "mailbox-synced";
    case EventKind::ClientIdentified: return "client-identified";
    case EventKind::MessagePopped: return "message-popped";
    case EventKind::UserAction: return "user-action";
    case EventKind::Outside: return "outside";
    case EventKind::Refused: return "refused";
    case EventKind::TlsStarted: return "tls-started";
  }
  return "";
}
const char* actor_kind_name(ActorKind k) {
  switch (k) {
    case ActorKind::None: return "";
    case ActorKind::Phone: return "phone";
    case ActorKind::Desktop: return "desktop";
    case ActorKind::Laptop: return "laptop";
    case ActorKind::Tablet: return "tablet";
    case ActorKind::Server: return "server";
    case ActorKind::Internet: return "internet";
  }
  return "";
}

const char* on_delete_name(ImapPolicy::OnDelete d) {
  switch (d) {
    case ImapPolicy::OnDelete::MoveToTrash: return "move to trash";
    case ImapPolicy::OnDelete::MarkDeleted: return "mark as deleted";
    case ImapPolicy::OnDelete::RemoveImmediately: return "remove immediately";
  }
  return "";
}

const char* security_name(Security s) {
  switch (s) {
    case Security::None: return "none";
    case Security::StartTls: return "starttls";
    case Security::Tls: return "tls";
  }
  return "";
}

const char* security_title(Security s) {
  switch (s) {
    case Security::None: return "None";
    case Security::StartTls: return "STARTTLS";
    case Security::Tls: return "SSL/TLS";
  }
  return "";
}

bool parse_security(const std::string& s, Security& out) {
  for (auto v : {Security::None, Security::StartTls, Security::Tls})
    if (s == security_name(v)) {
      out = v;
      return true;
    }
  return false;
}

namespace {
DisplayTextHook g_display_text_hook = nullptr;
}
void set_display_text_hook(DisplayTextHook h) { g_display_text_hook = h; }
std::string display_text(std::string s) {
  // No text stays no text: an empty one means "nothing to show" to its readers.
  return g_display_text_hook && !s.empty() ? g_display_text_hook(std::move(s)) : s;
}
std::string state_change_text(const std::string& from, const std::string& to,
                              const std::string& why) {
  return from + " -> " + to + (why.empty() ? "" : ": " + why);
}

std::uint16_t Trace::actor(const std::string& name) {
  auto it = actor_ids_.find(name);
  if (it != actor_ids_.end()) return it->second;
  auto id = static_cast<std::uint16_t>(actors_.size());
  actors_.push_back(name);
  actor_ids_.emplace(name, id);
  return id;
}

std::uint32_t Trace::message(const Body& b) {
  if (!b) return 0;
  std::string key = b->message_id.empty() ? "<body-" + std::to_string(messages_.size()) + ">"
                                          : b->message_id;
  auto it = message_ids_.find(key);
  if (it != message_ids_.end()) return it->second;
  messages_.push_back({b, key});
  auto id = static_cast<std::uint32_t>(first_message_ + messages_.size());
  message_ids_.emplace(key, id);
  return id;
}

std::size_t Trace::index_after(Tick tick) const {
  auto it = std::upper_bound(records_.begin(), records_.end(), tick,
                             [](Tick t, const Record& r) { return t < r.t; });
  return first_ + static_cast<std::size_t>(it - records_.begin());
}

const Record* Trace::record(std::size_t i) const {
  return i >= first_ && i < size() ? &records_[i - first_] : nullptr;
}

const TraceMessage* Trace::message_at(std::uint32_t n) const {
  return n > first_message_ && n - first_message_ <= messages_.size()
             ? &messages_[n - first_message_ - 1]
             : nullptr;
}

void Trace::append(Record r) {
  records_.push_back(std::move(r));
  if (stream_) {
    std::string line = jsonl_line(size() - 1);
    line += '\n';
    // Unbuffered in effect: each record reaches the file before the next one is made.
    if (std::fwrite(line.data(), 1, line.size(), stream_) != line.size() ||
        std::fflush(stream_) != 0) {
      stream_error_ = "cannot write the trace file";
      stream_ = nullptr;
    }
  }
  if (keep_ && records_.size() >= 2 * keep_) trim();
}

void Trace::stream_to(std::FILE* f) {
  stream_ = nullptr;
  for (std::size_t i = first_; f && i < size(); ++i) {
    std::string line = jsonl_line(i) + "\n";
    if (std::fwrite(line.data(), 1, line.size(), f) != line.size()) {
      stream_error_ = "cannot write the trace file";
      return;
    }
  }
  if (f && std::fflush(f) != 0) {
    stream_error_ = "cannot write the trace file";
    return;
  }
  stream_ = f;
}

void Trace::keep_last(std::size_t n) {
  keep_ = n;
  if (keep_ && records_.size() >= 2 * keep_) trim();
}

// Drops all but the last keep_ records, and every message numbered below the lowest one a
// kept record refers to. Batches of keep_ make the cost per appended record constant.
void Trace::trim() {
  const std::size_t drop = records_.size() - keep_;
  records_.erase(records_.begin(), records_.begin() + static_cast<std::ptrdiff_t>(drop));
  first_ += drop;
  std::uint32_t lowest = first_message_ + static_cast<std::uint32_t>(messages_.size()) + 1;
  for (const Record& r : records_)
    if (r.msg) lowest = std::min(lowest, r.msg);
  const std::uint32_t gone = lowest - 1 - first_message_;
  for (std::uint32_t k = 0; k < gone; ++k) message_ids_.erase(messages_[k].key);
  messages_.erase(messages_.begin(), messages_.begin() + gone);
  first_message_ += gone;
}

std::string Trace::to_jsonl() const {
  std::string out;
  for (std::size_t i = first_; i < size(); ++i) {
    out += jsonl_line(i);
    out += '\n';
  }
  return out;
}

std::string Trace::jsonl_line(std::size_t i) const {
  {
    const Record& r = records_.at(i - first_);
    nlohmann::ordered_json j;
    j["i"] = i;
    j["t"] = r.t;
    j["kind"] = kind_name(r.kind);
    j["actor"] = actors_.at(r.actor);
    if (r.kind == RecKind::Wire) {
      j["t_end"] = r.t_end;
      j["to"] = actors_.at(r.peer);
      j["proto"] = proto_name(r.proto);
      j["conn"] = r.conn;
      j["bytes"] = r.text;
      // Version 4: over TLS, `bytes` is what the engine said inside the tunnel and `tls` what
      // crossed the wire: each record's content type and size, and the ciphertext itself.
      if (!r.cipher.empty()) {
        nlohmann::ordered_json recs = nlohmann::ordered_json::array();
        for (const auto& [type, size] : tls_records(r.cipher)) recs.push_back({type, size});
        j["tls"] = {{"records", recs}, {"ciphertext", base64_encode(r.cipher)}};
      }
    } else if (r.kind == RecKind::Store) {
      j["op"] = op_name(r.op);
      if (!r.folder.empty()) j["folder"] = r.folder;
      if (r.uid) j["uid"] = r.uid;
      if (const TraceMessage* m = message_at(r.msg)) j["message"] = m->key;
      if (r.op == StoreChange::Add) j["size"] = r.size;
      if (r.op == StoreChange::Add || r.op == StoreChange::SetFlags)
        j["flags"] = flags_to_imap(r.flags);
      if (r.op == StoreChange::FolderAdd && r.role != Role::None) j["role"] = role_attr(r.role);
    } else {
      if (r.proto != Proto::None) j["proto"] = proto_name(r.proto);
      if (r.conn) j["conn"] = r.conn;
      if (r.kind == RecKind::Check) j["pass"] = r.uid == 1;
      if (r.kind == RecKind::Step) j["step"] = r.uid;
      j["text"] = r.text;
      // Version 2's kinds and fields follow the text, so version 1's keys keep their order.
      if (r.kind == RecKind::Device) {
        j["change"] = ev_name(r.ev);
        if (r.device != ActorKind::None) j["device"] = actor_kind_name(r.device);
        // A device's new display name (a live client named by IMAP ID); its actor stays.
        if (r.ev == EventKind::Renamed) j["name"] = r.name;
      } else if (r.kind == RecKind::Event && r.ev != EventKind::None) {
        j["event"] = ev_name(r.ev);
        if (r.ev == EventKind::StateChanged) {
          j["old_state"] = r.old_state;
          j["new_state"] = r.new_state;
        }
        if (r.ev == EventKind::ClientIdentified) j["name"] = r.name;
        if (r.ev == EventKind::MessagePopped) j["folder"] = r.folder, j["uid"] = r.uid;
      } else if (r.kind == RecKind::Settings && r.settings) {
        // The policy of the protocol the device's app speaks: the other one is never used.
        const DeviceSettings& d = *r.settings;
        if (!d.client.empty()) j["client"] = d.client;
        j["link"] = {{"latency", d.link.latency}, {"bits_per_second", d.link.bits_per_second}};
        if (d.security != Security::None) j["security"] = security_name(d.security);
        if (r.proto == Proto::POP3) {
          const Pop3Policy& p = d.pop3;
          j["pop3"] = {{"leave_on_server", p.leave_on_server},
                       {"delete_after_days", p.delete_after_days},
                       {"delete_when_deleted_locally", p.delete_when_deleted_locally},
                       {"check_every_minutes", p.check_every_minutes},
                       {"headers_first", p.headers_first},
                       {"recent_mode", p.recent_mode}};
        } else if (r.proto == Proto::IMAP) {
          const ImapPolicy& p = d.imap;
          j["imap"] = {{"on_delete", on_delete_name(p.on_delete)},
                       {"idle", p.idle},
                       {"check_every_minutes", p.check_every_minutes},
                       {"offline_cache", p.offline_cache},
                       {"save_sent_on_server", p.save_sent_on_server},
                       {"bodies_on_demand", p.bodies_on_demand},
                       {"use_condstore", p.use_condstore}};
        }
      }
    }
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
}

// ---- Replay --------------------------------------------------------------------------------

std::size_t ViewStore::count() const {
  std::size_t n = 0;
  for (const auto& f : folders) n += f.entries.size();
  return n;
}
const ViewFolder* ViewStore::folder(const std::string& name) const {
  for (const auto& f : folders)
    if (f.name == name) return &f;
  return nullptr;
}

namespace {
int folder_rank(const ViewFolder& f) {
  if (f.name == "INBOX" || f.name == "Inbox") return 0;
  switch (f.role) {
    case Role::Drafts: return 1;
    case Role::Sent: return 2;
    case Role::Archive: return 3;
    case Role::Junk: return 4;
    case Role::Trash: return 5;
    case Role::None: break;
  }
  return 6;
}
ViewFolder& folder_of(ViewStore& s, const std::string& name, Role role) {
  for (auto& f : s.folders)
    if (f.name == name) return f;
  ViewFolder nf;
  nf.name = name;
  nf.role = role;
  auto pos = std::find_if(s.folders.begin(), s.folders.end(), [&](const ViewFolder& f) {
    int a = folder_rank(nf), b = folder_rank(f);
    return a != b ? a < b : nf.name < f.name;
  });
  return *s.folders.insert(pos, std::move(nf));
}
}  // namespace

void Replay::apply(WorldView& v, const Record& r) {
  v.t = r.t;
  if (r.kind == RecKind::Step) v.step = static_cast<int>(r.uid);
  if (r.kind != RecKind::Store && r.kind != RecKind::Device) return;
  if (v.stores.size() <= r.actor) v.stores.resize(r.actor + 1u);
  ViewStore& s = v.stores[r.actor];
  if (r.kind == RecKind::Device) {
    switch (r.ev) {
      case EventKind::Added: s.present = true, s.lost = false, s.online = true; break;
      case EventKind::Online: s.online = true; break;
      case EventKind::Offline: s.online = false; break;
      case EventKind::Lost: s.lost = true, s.online = false; break;
      default: break;
    }
    return;
  }
  s.present = true;
  switch (r.op) {
    case StoreChange::FolderAdd: folder_of(s, r.folder, r.role); break;
    case StoreChange::FolderRemove:
      std::erase_if(s.folders, [&](const ViewFolder& f) { return f.name == r.folder; });
      break;
    case StoreChange::Wipe:
      s.folders.clear();
      s.bytes = 0;
      break;
    case StoreChange::Add: {
      ViewFolder& f = folder_of(s, r.folder, Role::None);
      ViewEntry e{r.uid, r.msg, r.flags, r.size};
      auto it = std::lower_bound(f.entries.begin(), f.entries.end(), r.uid,
                                 [](const ViewEntry& x, std::uint32_t u) { return x.uid < u; });
      f.entries.insert(it, e);
      f.bytes += e.size;
      s.bytes += e.size;
      break;
    }
    case StoreChange::Remove: {
      ViewFolder& f = folder_of(s, r.folder, Role::None);
      auto it = std::lower_bound(f.entries.begin(), f.entries.end(), r.uid,
                                 [](const ViewEntry& x, std::uint32_t u) { return x.uid < u; });
      if (it != f.entries.end() && it->uid == r.uid) {
        f.bytes -= it->size;
        s.bytes -= it->size;
        f.entries.erase(it);
      }
      break;
    }
    case StoreChange::SetFlags: {
      ViewFolder& f = folder_of(s, r.folder, Role::None);
      auto it = std::lower_bound(f.entries.begin(), f.entries.end(), r.uid,
                                 [](const ViewEntry& x, std::uint32_t u) { return x.uid < u; });
      if (it != f.entries.end() && it->uid == r.uid) it->flags = r.flags;
      break;
    }
  }
}

Replay::Replay(const Trace& trace, std::size_t snapshot_every)
    : trace_(trace), every_(std::max<std::size_t>(1, snapshot_every)) {
  snapshots_.emplace_back();
}

WorldView Replay::at(std::size_t index) {
  const auto& recs = trace_.records();
  index = std::min(index, recs.size());
  // Extend the snapshot list lazily: the trace may have grown since the last call.
  while ((snapshots_.size()) * every_ <= index) {
    WorldView v = snapshots_.back();
    std::size_t from = (snapshots_.size() - 1) * every_, to = from + every_;
    for (std::size_t i = from; i < to; ++i) apply(v, recs[i]);
    v.index = to;
    snapshots_.push_back(std::move(v));
  }
  WorldView v = snapshots_[index / every_];
  for (std::size_t i = v.index; i < index; ++i) apply(v, recs[i]);
  v.index = index;
  return v;
}

}  // namespace ms
