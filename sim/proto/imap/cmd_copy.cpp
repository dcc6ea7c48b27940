// RFC 3501 section 6.4.7 (COPY, UID COPY) and RFC 6851 (MOVE, UID MOVE), both reporting where
// the copies went with RFC 4315 COPYUID.
#include "proto/imap/imap_server.hpp"

namespace ms {

namespace {

struct Copied {
  std::vector<std::uint32_t> from, to;
  // uid-set as a plain comma list in copy order (RFC 4315 section 3): the engine has always
  // written it so, and it pairs source and destination UIDs one by one for a reader.
  static std::string list(const std::vector<std::uint32_t>& v) {
    std::string s;
    for (auto u : v) s += (s.empty() ? "" : ",") + std::to_string(u);
    return s;
  }
  std::string code(std::uint32_t uidvalidity) const {
    return "COPYUID " + std::to_string(uidvalidity) + " " + list(from) + " " + list(to);
  }
};

}  // namespace

void ImapServer::cmd_copy(const imap::Command& c) {
  const bool uid = c.name == "UID COPY" || c.name == "UID MOVE";
  const bool move = c.name == "MOVE" || c.name == "UID MOVE";
  if (c.args.size() != 2 || !c.args[0].is_atom())
    return tagged(c.tag, "BAD", c.name + " needs a sequence set and a mailbox");
  auto set = imap::parse_sequence_set(c.args[0].text);
  if (!set) return tagged(c.tag, "BAD", set.error);
  auto dest = mailbox_arg(c, 1);
  if (!dest) return tagged(c.tag, dest.status, dest.error);
  Folder* to = account_->store.folder(*dest);
  if (!to) return tagged(c.tag, "NO", "[TRYCREATE] Mailbox doesn't exist: " + *dest);
  if (move && read_only_) return tagged(c.tag, "NO", "[READ-ONLY] Mailbox is read-only");
  Folder* src = folder();
  if (!src) return tagged(c.tag, "NO", "[NONEXISTENT] The selected mailbox was deleted");
  report_changes(false);
  std::vector<std::size_t> idx;
  if (!resolve(*set, uid, idx)) return tagged(c.tag, "BAD", "invalid sequence set");
  if (!move && account_->quota) {
    std::size_t extra = 0;
    for (std::size_t i : idx)
      if (const Entry* e = src->find_uid(known_uids_[i])) extra += e->size();
    if (account_->over_quota(extra)) return tagged(c.tag, "NO", "[OVERQUOTA] Quota exceeded");
  }
  Copied done;
  for (std::size_t i : idx) {
    // Looked up afresh each time: appending to the selected folder itself may reallocate.
    const Entry* e = src->find_uid(known_uids_[i]);
    if (!e) continue;
    Entry copy = *e;
    done.to.push_back(account_->store.append(*dest, copy.body, copy.flags, copy.internal_date));
    done.from.push_back(copy.uid);
  }
  if (!move) {
    report_changes(false);
    return tagged(c.tag, "OK",
                  (done.from.empty() ? "" : "[" + done.code(to->uidvalidity) + "] ") + c.name +
                      " completed");
  }
  // RFC 6851 section 4.3: COPYUID goes in an untagged OK before the EXPUNGEs.
  if (!done.from.empty()) out("* OK [" + done.code(to->uidvalidity) + "] Moved UIDs.\r\n");
  for (auto u : done.from) account_->store.remove(mailbox_, u);
  report_changes(true);
  tagged(c.tag, "OK", std::string(uid ? "UID " : "") + "MOVE completed");
}

void ImapServer::cmd_move(const imap::Command& c) { cmd_copy(c); }

}  // namespace ms
