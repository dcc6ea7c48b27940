// RFC 3501 section 6.4.6 (STORE) and 6.4.8 (UID STORE): replace, add or remove flags and
// keywords; .SILENT suppresses the FETCH responses (except the UID STORE echo this server
// has always sent, which RFC 3501 permits as an untagged update).
// RFC 7162 section 3.1.3: STORE (UNCHANGEDSINCE n) changes only messages whose mod-sequence
// is at most n and lists the others in [MODIFIED set]; once CONDSTORE is enabled every changed
// message is reported with its new MODSEQ, .SILENT or not, so that the client's cache learns
// the mod-sequence of its own change. \Recent cannot be stored (RFC 3501 section 2.3.2): the
// flag model has no place for it, so it is dropped from the list like any unknown system flag.
#include <algorithm>

#include "proto/imap/imap_server.hpp"
#include "proto/imap/server_util.hpp"

namespace ms {

void ImapServer::cmd_store(const imap::Command& c) {
  const bool uid = c.name == "UID STORE";
  auto req = imap::parse_store(c);
  if (!req) return tagged(c.tag, "BAD", req.error);
  if (read_only_) return tagged(c.tag, "NO", "[READ-ONLY] Mailbox is read-only");
  if (req->unchanged_since) enable_condstore();
  report_changes(uid_expunge_ok(uid));
  std::vector<std::size_t> idx;
  if (!resolve(req->set, uid, idx)) return tagged(c.tag, "BAD", "invalid sequence set");
  Flags given = imapsrv::to_flags(req->flags);
  Folder* f = folder();
  std::vector<std::uint32_t> modified;
  for (std::size_t i : idx) {
    Entry* e = f ? f->find_uid(known_uids_[i]) : nullptr;
    if (!e) continue;
    if (req->unchanged_since && e->modseq > *req->unchanged_since) {
      modified.push_back(uid ? e->uid : static_cast<std::uint32_t>(i + 1));
      continue;
    }
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
    e = f->find_uid(u);
    // A keyword new to the mailbox is announced before the FETCH that shows it, .SILENT or
    // not: the client's list of the mailbox's flags must stay whole (RFC 3501 7.2.6).
    announce_keywords(nf);
    // .SILENT: no new value is returned (RFC 3501 section 6.4.6), for UID STORE too; with
    // CONDSTORE the MODSEQ still is.
    std::vector<std::string> items;
    if (uid) items.push_back("UID " + std::to_string(u));
    if (!req->silent) items.push_back(flags_item(u, nf));
    if (condstore_) items.push_back(modseq_value(*e));
    if (!req->silent || condstore_) {
      std::string resp;
      for (const auto& it : items) resp += (resp.empty() ? "" : " ") + it;
      out("* " + std::to_string(i + 1) + " FETCH (" + resp + ")\r\n");
    }
  }
  report_changes(false);
  if (!modified.empty())
    return tagged(c.tag, "OK",
                  "[MODIFIED " + imap::write_sequence_set(modified) + "] Conditional " +
                      (uid ? "UID " : "") + "STORE failed");
  tagged(c.tag, "OK", std::string(uid ? "UID " : "") + "STORE completed");
}

}  // namespace ms
