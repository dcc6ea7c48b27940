#pragma once
// Folders and stores. A Store is one place mail can live: a server account or a device's
// local store. Every mutation goes through Store so that it can be reported to the trace
// (the trace is how the GUI and the checks see what happened).
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/message.hpp"

namespace ms {

// RFC 6154 SPECIAL-USE roles (None for INBOX and ordinary folders).
enum class Role : std::uint8_t { None, Sent, Trash, Drafts, Junk, Archive };
const char* role_attr(Role r);  // "\\Sent" ...; "" for None

struct Entry {
  std::uint32_t uid = 0;
  Body body;
  Flags flags;
  Tick internal_date = 0;
  std::uint64_t modseq = 1;  // RFC 7162 per-message mod-sequence
  std::size_t size() const { return body ? body->raw.size() : 0; }
};

// UIDs expunged from a folder, with the mod-sequence of the expunge (RFC 7162 section 3.2.5:
// QRESYNC reports them as VANISHED). A run of neighbouring UIDs shares one record carrying
// the newest of their mod-sequences: reporting a UID as vanished a little too eagerly is
// harmless (clients ignore UIDs they do not hold), missing one is not.
struct Tombstone {
  std::uint32_t first = 0, last = 0;
  std::uint64_t modseq = 0;
};

struct Folder {
  std::string name;
  Role role = Role::None;
  std::uint32_t uidvalidity = 1;
  std::uint32_t uidnext = 1;
  std::uint64_t highestmodseq = 1;
  bool subscribed = true;
  std::vector<Entry> entries;  // ascending UID: sequence number n is entries[n-1]
  // RFC 3501 section 2.3.2: messages with this UID or higher are \Recent and not yet claimed
  // by any IMAP session (the first session told of them claims them: see ImapServer).
  std::uint32_t recent_from = 1;
  // Expunges in the order they happened (ascending modseq), at most kMaxTombstones runs.
  // When old ones must go, vanished_floor keeps the newest mod-sequence forgotten: every
  // expunge with a higher mod-sequence is still listed, anything older is not known.
  static constexpr std::size_t kMaxTombstones = 1024;
  std::vector<Tombstone> vanished;
  std::uint64_t vanished_floor = 0;
  void record_expunge(std::uint32_t uid, std::uint64_t modseq);

  Entry* find_uid(std::uint32_t uid);
  const Entry* find_uid(std::uint32_t uid) const;
  std::size_t bytes() const;
};

struct StoreChange {
  enum Op : std::uint8_t { Add, Remove, SetFlags, FolderAdd, FolderRemove, Wipe } op;
  std::string folder;
  std::uint32_t uid = 0;
  Body body;
  Flags flags;
};

class Store {
 public:
  explicit Store(std::string owner) : owner_(std::move(owner)) {}
  const std::string& owner() const { return owner_; }

  Folder& add_folder(const std::string& name, Role role, std::uint32_t uidvalidity);
  bool remove_folder(const std::string& name);
  Folder* folder(const std::string& name);
  const Folder* folder(const std::string& name) const;
  Folder* folder_by_role(Role r);
  const std::map<std::string, Folder>& folders() const { return folders_; }
  // The highest UIDVALIDITY any folder of this store ever had, deleted ones included: a new
  // folder takes a higher one, so a name is never given a UIDVALIDITY it had before (RFC 3501
  // section 2.3.1.1).
  std::uint32_t uidvalidity_high() const { return uidvalidity_high_; }
  // Subscribed names with no folder (deleted or renamed away): RFC 3501 section 6.3.6 forbids
  // dropping a name from the subscriptions because its mailbox is gone. A folder created
  // under such a name takes the subscription back.
  std::set<std::string> orphan_subscriptions;
  std::map<std::string, Folder>& folders_mut() { return folders_; }

  // Appends with the next UID of the folder; returns that UID.
  std::uint32_t append(const std::string& folder, Body body, Flags flags, Tick date);
  // Inserts with a given UID (a device mirroring a server folder keeps the server's UIDs).
  bool put(const std::string& folder, std::uint32_t uid, Body body, Flags flags, Tick date);
  bool remove(const std::string& folder, std::uint32_t uid);
  bool set_flags(const std::string& folder, std::uint32_t uid, const Flags& flags);
  void wipe();  // the device is lost: every folder and message is gone

  std::size_t bytes() const;
  std::size_t count() const;
  // Observers of every change, in order of registration: the world forwards changes to the
  // trace; IMAP sessions learn of other sessions' changes (RFC 3501 section 5.2).
  int observe(std::function<void(const StoreChange&)> fn) {
    observers_.push_back({++next_observer_, std::move(fn)});
    return next_observer_;
  }
  void unobserve(int id) {
    std::erase_if(observers_, [id](const auto& o) { return o.first == id; });
  }

 private:
  void emit(const StoreChange& c) {
    // Copy: an observer may unobserve while being called.
    auto obs = observers_;
    for (auto& [id, fn] : obs) fn(c);
  }
  std::vector<std::pair<int, std::function<void(const StoreChange&)>>> observers_;
  int next_observer_ = 0;
  std::string owner_;
  std::map<std::string, Folder> folders_;
  std::uint32_t uidvalidity_high_ = 0;
};

}  // namespace ms
