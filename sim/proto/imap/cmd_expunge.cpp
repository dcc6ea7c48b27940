// Leaving and cleaning a mailbox: RFC 3501 sections 6.4.1 (CHECK), 6.4.2 (CLOSE), 6.4.3
// (EXPUNGE), RFC 4315 section 2.1 (UID EXPUNGE), RFC 3691 (UNSELECT).
#include <algorithm>

#include "proto/imap/imap_server.hpp"

namespace ms {

// RFC 3501 section 6.4.1: nothing to checkpoint in memory; acts as a NOOP.
void ImapServer::cmd_check(const imap::Command& c) {
  if (!c.args.empty()) return tagged(c.tag, "BAD", "CHECK takes no arguments");
  report_changes(true);
  tagged(c.tag, "OK", "CHECK completed");
}

// RFC 3501 section 6.4.2: silently expunge \Deleted messages (not when read-only), then
// return to the authenticated state.
void ImapServer::cmd_close(const imap::Command& c) {
  if (!c.args.empty()) return tagged(c.tag, "BAD", "CLOSE takes no arguments");
  Folder* f = folder();
  std::vector<std::uint32_t> gone;
  if (f && !read_only_)
    for (const auto& e : f->entries)
      if (e.flags.has(kDeleted)) gone.push_back(e.uid);
  for (auto u : gone) account_->store.remove(mailbox_, u);
  deselect("mailbox closed");
  tagged(c.tag, "OK", "CLOSE completed");
}

// RFC 3691 section 2: like CLOSE without the expunge.
void ImapServer::cmd_unselect(const imap::Command& c) {
  if (!c.args.empty()) return tagged(c.tag, "BAD", "UNSELECT takes no arguments");
  deselect("mailbox unselected");
  tagged(c.tag, "OK", "UNSELECT completed");
}

// RFC 3501 section 6.4.3 and RFC 4315 section 2.1 (UID EXPUNGE limits it to a UID set).
void ImapServer::cmd_expunge(const imap::Command& c) {
  const bool uid = c.name == "UID EXPUNGE";
  std::vector<std::size_t> limit;
  if (uid) {
    if (c.args.size() != 1 || !c.args[0].is_atom())
      return tagged(c.tag, "BAD", "UID EXPUNGE needs a UID set");
    auto set = imap::parse_sequence_set(c.args[0].text);
    if (!set) return tagged(c.tag, "BAD", set.error);
    resolve(*set, true, limit);
  } else if (!c.args.empty()) {
    return tagged(c.tag, "BAD", "EXPUNGE takes no arguments");
  }
  if (read_only_) return tagged(c.tag, "NO", "[READ-ONLY] Mailbox is read-only");
  Folder* f = folder();
  std::vector<std::uint32_t> gone;
  for (std::size_t i = 0; f && i < known_uids_.size(); ++i) {
    Entry* e = f->find_uid(known_uids_[i]);
    if (!e || !e->flags.has(kDeleted)) continue;
    if (uid && std::find(limit.begin(), limit.end(), i) == limit.end()) continue;
    gone.push_back(e->uid);
  }
  for (auto u : gone) account_->store.remove(mailbox_, u);
  report_changes(true);
  tagged(c.tag, "OK", std::string(uid ? "UID " : "") + "EXPUNGE completed");
}

}  // namespace ms
