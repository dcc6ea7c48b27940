// RFC 3501 section 6.3.10: STATUS of a mailbox without selecting it; RFC 7162 section 3.1.6
// adds HIGHESTMODSEQ (a CONDSTORE-enabling item).
#include "proto/imap/imap_server.hpp"
#include "proto/imap/server_util.hpp"

namespace ms {

void ImapServer::cmd_status(const imap::Command& c) {
  if (c.args.size() != 2 || !c.args[1].is_list() || c.args[1].items.empty())
    return tagged(c.tag, "BAD", "STATUS needs a mailbox and a list of items");
  auto name = mailbox_arg(c, 0);
  if (!name) return tagged(c.tag, name.status, name.error);
  std::string items;
  const Folder* f = account_->store.folder(*name);
  for (const auto& t : c.args[1].items) {
    std::string item = t.upper();
    std::uint64_t v = 0;
    if (item == "MESSAGES") {
      v = f ? f->entries.size() : 0;
    } else if (item == "RECENT") {
      // RFC 3501 section 2.3.2: messages no session has claimed yet (see claim_recent).
      if (f)
        for (const auto& e : f->entries) v += e.uid >= f->recent_from;
    } else if (item == "HIGHESTMODSEQ") {
      v = f ? f->highestmodseq : 0;
    } else if (item == "UIDNEXT") {
      v = f ? f->uidnext : 0;
    } else if (item == "UIDVALIDITY") {
      v = f ? f->uidvalidity : 0;
    } else if (item == "UNSEEN") {
      if (f)
        for (const auto& e : f->entries) v += !e.flags.has(kSeen);
    } else {
      return tagged(c.tag, "BAD", "unknown STATUS item");
    }
    items += (items.empty() ? "" : " ") + item + " " + std::to_string(v);
  }
  if (!f) return tagged(c.tag, "NO", "[NONEXISTENT] Mailbox doesn't exist: " + *name);
  if (items.find("HIGHESTMODSEQ") != std::string::npos) enable_condstore();
  report_changes(true);
  out("* STATUS " + imapsrv::wire_mailbox(*name) + " (" + items + ")\r\n");
  tagged(c.tag, "OK", "STATUS completed");
}

}  // namespace ms
