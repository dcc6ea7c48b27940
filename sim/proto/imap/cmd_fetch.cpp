// RFC 3501 section 6.4.5 (FETCH) and 6.4.8 (UID FETCH); response items per section 7.4.2.
// RFC 7162: the MODSEQ item and the CHANGEDSINCE modifier (section 3.1.4; both enable
// CONDSTORE, and CHANGEDSINCE adds MODSEQ to every answer), the VANISHED modifier of UID FETCH
// (section 3.2.6, QRESYNC clients only).
#include "mime/mime.hpp"
#include "proto/imap/imap_server.hpp"
#include "proto/imap/server_util.hpp"

namespace ms {

namespace {

using K = imap::FetchAtt::Kind;

// RFC 3501 6.4.5: BODY[...] (not PEEK), RFC822 and RFC822.TEXT set \Seen.
bool sets_seen(const imap::FetchAtt& a) {
  return (a.kind == K::BodySection && !a.peek) || a.kind == K::Rfc822 || a.kind == K::Rfc822Text;
}

std::string body_item(const std::string& raw, const imap::FetchAtt& a) {
  std::string spec = a.kind == K::Rfc822Header ? "HEADER"
                     : a.kind == K::Rfc822Text ? "TEXT"
                     : a.kind == K::Rfc822     ? ""
                                               : a.section.to_string();
  // A section the message does not have is answered with an empty string, as common
  // servers do (mime.hpp).
  std::string data = spec.empty() ? raw : imap_body_section(raw, spec).value_or("");
  if (a.partial) {
    // RFC 3501 6.4.5: a start past the end gives an empty string; the length is a maximum.
    data = a.partial->start >= data.size() ? std::string()
                                           : data.substr(a.partial->start, a.partial->length);
  }
  return a.response_name() + " " + imap::write_literal(data);
}

}  // namespace

void ImapServer::cmd_fetch(const imap::Command& c) {
  const bool uid = c.name == "UID FETCH";
  auto req = imap::parse_fetch(c);
  if (!req) return tagged(c.tag, "BAD", req.error);
  if (req->vanished && !qresync_)
    return tagged(c.tag, "BAD", "VANISHED needs QRESYNC enabled (use ENABLE QRESYNC)");
  bool want_modseq = req->changed_since.has_value();
  for (const auto& a : req->atts) want_modseq = want_modseq || a.kind == K::ModSeq;
  if (want_modseq) enable_condstore();
  report_changes(uid_expunge_ok(uid));
  std::vector<std::size_t> idx;
  if (!resolve(req->set, uid, idx)) return tagged(c.tag, "BAD", "invalid sequence set");
  Folder* f = folder();
  if (req->vanished && f) {
    // RFC 7162 section 3.2.6: expunges since CHANGEDSINCE among the requested UIDs first.
    const std::uint32_t max_uid = f->uidnext > 1 ? f->uidnext - 1 : 0;
    std::string gone = imapsrv::vanished_since(*f, *req->changed_since, req->set.resolve(max_uid));
    if (!gone.empty()) out("* VANISHED (EARLIER) " + gone + "\r\n");
  }
  for (std::size_t i : idx) {
    Entry* e = f ? f->find_uid(known_uids_[i]) : nullptr;
    if (!e) continue;  // expunged by another session; its EXPUNGE comes later (7.4.1)
    if (req->changed_since && e->modseq <= *req->changed_since) continue;
    const std::string& raw = e->body ? e->body->raw : std::string();
    std::vector<std::string> parts;
    bool flags_out = false, set_seen = false, seen_now = false;
    // UID FETCH always reports the UID (6.4.8), first so that it is easy to find.
    if (uid) parts.push_back("UID " + std::to_string(e->uid));
    for (const auto& a : req->atts) {
      if (sets_seen(a)) set_seen = true;
      switch (a.kind) {
        case K::Uid:
          if (!uid) parts.push_back("UID " + std::to_string(e->uid));
          break;
        case K::Flags: flags_out = true; break;
        case K::InternalDate:
          parts.push_back("INTERNALDATE " + imap::write_date_time(internal_date(e->internal_date)));
          break;
        case K::Rfc822Size: parts.push_back("RFC822.SIZE " + std::to_string(e->size())); break;
        case K::Envelope: parts.push_back("ENVELOPE " + imap_envelope(raw)); break;
        case K::BodyStructure:
          parts.push_back("BODYSTRUCTURE " + imap_bodystructure(raw, true));
          break;
        case K::Body: parts.push_back("BODY " + imap_bodystructure(raw, false)); break;
        case K::ModSeq: break;  // added once, after FLAGS (below)
        case K::Rfc822:
        case K::Rfc822Header:
        case K::Rfc822Text:
        case K::BodySection: parts.push_back(body_item(raw, a)); break;
      }
    }
    if (set_seen && !read_only_ && !e->flags.has(kSeen)) {
      // RFC 3501 6.4.5: the fetch sets \Seen, and the new flags are reported with it.
      Flags nf = e->flags;
      nf.bits |= kSeen;
      std::uint32_t u = e->uid;
      account_->store.set_flags(mailbox_, u, nf);
      e = f->find_uid(u);
      flags_out = true;
      seen_now = true;
    }
    // FLAGS comes last: it shows the flags after this fetch changed them; MODSEQ follows
    // when asked for, implied by CHANGEDSINCE, or when this fetch changed the flags of a
    // CONDSTORE client's message (RFC 7162 section 3.1).
    if (flags_out) {
      known_flags_[i] = e->flags;
      announce_keywords(e->flags);  // before the FETCH that shows them (RFC 3501 7.2.6)
      parts.push_back(flags_item(e->uid, e->flags));
    }
    if (want_modseq || (seen_now && condstore_))
      parts.push_back(modseq_value(*e));
    std::string resp;
    for (std::size_t k = 0; k < parts.size(); ++k) resp += (k ? " " : "") + parts[k];
    out("* " + std::to_string(i + 1) + " FETCH (" + resp + ")\r\n");
    // A response carrying message content leaves as its own unit: on a slow link the client
    // has each message as soon as its bytes are through, as over a real TCP stream.
    if (resp.find("}\r\n") != std::string::npos) flush();
  }
  tagged(c.tag, "OK", std::string(uid ? "UID " : "") + "FETCH completed");
}

}  // namespace ms
