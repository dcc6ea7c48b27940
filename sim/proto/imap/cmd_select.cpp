// RFC 3501 section 6.3.1 (SELECT) and 6.3.2 (EXAMINE).
#include "proto/imap/imap_server.hpp"

namespace ms {

namespace {
const char* kFlags = "(\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)";
const char* kPermanent = "(\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded \\*)";
}  // namespace

void ImapServer::cmd_select(const imap::Command& c) {
  const bool examine = c.name == "EXAMINE";
  if (c.args.size() != 1)
    return tagged(c.tag, "BAD", std::string(c.name) + " needs one mailbox name");
  auto name = mailbox_arg(c, 0);
  if (!name) return tagged(c.tag, "BAD", name.error);
  // RFC 3501 6.3.1: a SELECT while selected deselects first, even if it then fails.
  if (state_ == State::Selected) deselect("");
  const Folder* f = account_->store.folder(*name);
  if (!f) return tagged(c.tag, "NO", "[NONEXISTENT] Mailbox doesn't exist: " + *name);
  read_only_ = examine;
  mailbox_ = *name;
  known_uids_.clear();
  known_flags_.clear();
  std::size_t unseen = 0;
  for (const auto& e : f->entries) {
    known_uids_.push_back(e.uid);
    known_flags_.push_back(e.flags);
    if (!unseen && !e.flags.has(kSeen)) unseen = known_uids_.size();
  }
  out(std::string("* FLAGS ") + kFlags + "\r\n");
  out(std::string("* OK [PERMANENTFLAGS ") + (examine ? "()" : kPermanent) +
      "] Flags permitted.\r\n");
  out("* " + std::to_string(f->entries.size()) + " EXISTS\r\n");
  out("* 0 RECENT\r\n");
  if (unseen) out("* OK [UNSEEN " + std::to_string(unseen) + "] First unseen.\r\n");
  out("* OK [UIDVALIDITY " + std::to_string(f->uidvalidity) + "] UIDs valid\r\n");
  out("* OK [UIDNEXT " + std::to_string(f->uidnext) + "] Predicted next UID\r\n");
  set_state(State::Selected, *name + (read_only_ ? " examined" : " selected"));
  tagged(c.tag, "OK",
         read_only_ ? "[READ-ONLY] EXAMINE completed" : "[READ-WRITE] SELECT completed");
}

void ImapServer::cmd_examine(const imap::Command& c) { cmd_select(c); }

}  // namespace ms
