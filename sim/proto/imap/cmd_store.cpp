// RFC 3501 section 6.4.6 (STORE) and 6.4.8 (UID STORE): replace, add or remove flags and
// keywords; .SILENT suppresses the FETCH responses (except the UID STORE echo this server
// has always sent, which RFC 3501 permits as an untagged update).
#include <algorithm>

#include "proto/imap/imap_server.hpp"
#include "proto/imap/server_util.hpp"

namespace ms {

void ImapServer::cmd_store(const imap::Command& c) {
  const bool uid = c.name == "UID STORE";
  auto req = imap::parse_store(c);
  if (!req) return tagged(c.tag, "BAD", req.error);
  if (read_only_) return tagged(c.tag, "NO", "[READ-ONLY] Mailbox is read-only");
  report_changes(false);
  std::vector<std::size_t> idx;
  if (!resolve(req->set, uid, idx)) return tagged(c.tag, "BAD", "invalid sequence set");
  Flags given = imapsrv::to_flags(req->flags);
  Folder* f = folder();
  for (std::size_t i : idx) {
    Entry* e = f ? f->find_uid(known_uids_[i]) : nullptr;
    if (!e) continue;
    Flags nf = e->flags;
    using M = imap::StoreRequest::Mode;
    if (req->mode == M::Replace) {
      nf = given;
    } else if (req->mode == M::Add) {
      nf.bits |= given.bits;
      for (const auto& k : given.keywords)
        if (!std::count(nf.keywords.begin(), nf.keywords.end(), k)) nf.keywords.push_back(k);
      std::sort(nf.keywords.begin(), nf.keywords.end());
    } else {
      nf.bits &= ~given.bits;
      std::erase_if(nf.keywords, [&](const std::string& k) {
        return std::count(given.keywords.begin(), given.keywords.end(), k) > 0;
      });
    }
    std::uint32_t u = e->uid;
    account_->store.set_flags(mailbox_, u, nf);
    known_flags_[i] = nf;
    // .SILENT: no new value is returned (RFC 3501 section 6.4.6), for UID STORE too.
    if (!req->silent)
      out("* " + std::to_string(i + 1) + " FETCH (" +
          (uid ? "UID " + std::to_string(u) + " " : std::string()) + "FLAGS (" +
          flags_to_imap(nf) + "))\r\n");
  }
  report_changes(false);
  tagged(c.tag, "OK", std::string(uid ? "UID " : "") + "STORE completed");
}

}  // namespace ms
