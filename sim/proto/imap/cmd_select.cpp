// RFC 3501 section 6.3.1 (SELECT) and 6.3.2 (EXAMINE), with the select parameters of
// RFC 7162: (CONDSTORE) (section 3.1.8) and (QRESYNC (...)) (section 3.2.5), the
// HIGHESTMODSEQ response code (3.1.2.1) and CLOSED (3.2.11).
#include <algorithm>

#include "proto/imap/imap_server.hpp"
#include "proto/imap/server_util.hpp"

namespace ms {

namespace {

// A set of UIDs written by the client, without "*" (RFC 7162 section 7: known-uids and the
// sets of seq-match-data are sequence-sets where "*" is not allowed).
imap::Parsed<imap::SequenceSet> star_free_set(const imap::Token& t) {
  if (!t.is_atom()) return imap::Parsed<imap::SequenceSet>::fail("a sequence set is expected");
  auto set = imap::parse_sequence_set(t.text);
  if (!set) return set;
  for (const auto& r : set->ranges)
    if (r.first == imap::SequenceSet::kStar || r.last == imap::SequenceSet::kStar)
      return imap::Parsed<imap::SequenceSet>::fail("\"*\" is not allowed in QRESYNC sets");
  return set;
}

}  // namespace

// RFC 7162 sections 3.2.5.1 and 3.2.6: the UIDs among `known` expunged since `since`.
std::string imapsrv::vanished_since(const Folder& f, std::uint64_t since,
                                    const std::vector<imap::SeqRange>& known) {
  const std::uint32_t max_uid = f.uidnext > 1 ? f.uidnext - 1 : 0;
  std::vector<imap::SeqRange> gone;
  if (since < f.vanished_floor) {
    // Expunges that old are forgotten: every known UID that no longer exists is reported,
    // which RFC 7162 section 3.2.5.1 allows (some may have gone long ago; the client ignores
    // those it does not hold). The UIDs that no longer exist are the gaps between entries.
    std::uint32_t next = 1;
    for (const auto& e : f.entries) {
      if (e.uid > next) gone.push_back({next, e.uid - 1});
      next = e.uid + 1;
    }
    if (next <= max_uid) gone.push_back({next, max_uid});
  } else {
    for (const auto& t : f.vanished)
      if (t.modseq > since) gone.push_back({t.first, t.last});
    imap::SequenceSet merged{gone};
    gone = merged.resolve(max_uid);
  }
  // Both lists ascend without overlaps: intersect them in one walk.
  imap::SequenceSet vanished;
  for (std::size_t a = 0, b = 0; a < gone.size() && b < known.size();) {
    std::uint32_t lo = std::max(gone[a].first, known[b].first);
    std::uint32_t hi = std::min(gone[a].last, known[b].last);
    if (lo <= hi) vanished.ranges.push_back({lo, hi});
    if (gone[a].last < known[b].last) ++a;
    else ++b;
  }
  return vanished.to_string();
}

void ImapServer::cmd_select(const imap::Command& c) {
  const bool examine = c.name == "EXAMINE";
  if (c.args.empty() || c.args.size() > 2 || (c.args.size() == 2 && !c.args[1].is_list()))
    return tagged(c.tag, "BAD", std::string(c.name) + " needs one mailbox name");
  auto name = mailbox_arg(c, 0);
  if (!name && name.bad()) return tagged(c.tag, "BAD", name.error);
  // Select parameters (RFC 4466 section 2.1 syntax): this server knows CONDSTORE and QRESYNC.
  bool want_condstore = false;
  const imap::Token* qresync = nullptr;
  if (c.args.size() == 2) {
    const auto& ps = c.args[1].items;
    if (ps.empty()) return tagged(c.tag, "BAD", "empty select parameter list");
    for (std::size_t i = 0; i < ps.size(); ++i) {
      if (ps[i].is_atom("CONDSTORE")) {
        want_condstore = true;
      } else if (ps[i].is_atom("QRESYNC") && i + 1 < ps.size() && ps[i + 1].is_list() &&
                 !qresync) {
        qresync = &ps[++i];
      } else {
        return tagged(c.tag, "BAD", "unknown select parameter");
      }
    }
  }
  if (qresync) {
    // RFC 7162 section 3.2.5: QRESYNC is only for a client that has enabled it.
    if (!qresync_) return tagged(c.tag, "BAD", "QRESYNC is not enabled (use ENABLE QRESYNC)");
    const auto& q = qresync->items;
    if (q.size() < 2 || q.size() > 4 || !q[0].number() || *q[0].number() == 0 ||
        !q[1].number64() || *q[1].number64() == 0)
      return tagged(c.tag, "BAD", "QRESYNC needs (uidvalidity modseq [known-uids [seq-match]])");
    if (q.size() >= 3 && !q[2].is_atom() && !q[2].is_list())
      return tagged(c.tag, "BAD", "QRESYNC known-uids must be a UID set");
    if (q.size() >= 3 && q[2].is_atom()) {
      auto known = star_free_set(q[2]);
      if (!known) return tagged(c.tag, "BAD", known.error);
    }
    const imap::Token* match = q.size() == 4 ? &q[3] : (q.size() == 3 && q[2].is_list() ? &q[2]
                                                                                       : nullptr);
    if (q.size() == 4 && !q[2].is_atom())
      return tagged(c.tag, "BAD", "QRESYNC known-uids must be a UID set");
    if (match) {
      if (match->items.size() != 2) return tagged(c.tag, "BAD", "seq-match-data needs two sets");
      for (const auto& t : match->items)
        if (auto s = star_free_set(t); !s) return tagged(c.tag, "BAD", s.error);
    }
  }
  // RFC 3501 6.3.1: a SELECT while selected deselects first, even if it then fails. RFC 7162
  // section 3.2.11: a server that advertises CONDSTORE or QRESYNC says so with [CLOSED],
  // whether or not the client enabled them, so that any client can tell the responses about
  // the old mailbox from those about the new one (Dovecot does the same).
  if (state_ == State::Selected) {
    out("* OK [CLOSED] Previous mailbox is now closed\r\n");
    deselect("");
  }
  if (!name) return tagged(c.tag, "NO", name.error);
  Folder* f = account_->store.folder(*name);
  if (!f) return tagged(c.tag, "NO", "[NONEXISTENT] Mailbox doesn't exist: " + *name);
  read_only_ = examine;
  mailbox_ = *name;
  known_uids_.clear();
  known_flags_.clear();
  forget_changes();
  keywords_.clear();
  std::size_t unseen = 0;
  for (const auto& e : f->entries) {
    known_uids_.push_back(e.uid);
    known_flags_.push_back(e.flags);
    if (!unseen && !e.flags.has(kSeen)) unseen = known_uids_.size();
    // RFC 3501 section 7.2.6: FLAGS lists every keyword in use in the mailbox.
    for (const auto& k : e.flags.keywords)
      if (std::find(keywords_.begin(), keywords_.end(), k) == keywords_.end())
        keywords_.push_back(k);
  }
  // RFC 3501 section 2.3.2: a SELECT takes the \Recent claim on every message no session has
  // been told of; EXAMINE shows them as recent but leaves the claim to others.
  claim_recent(*f, 0);
  if (want_condstore || qresync) condstore_ = true;  // RFC 7162 section 3.1: enabling
  out(flags_responses());
  out("* " + std::to_string(f->entries.size()) + " EXISTS\r\n");
  out("* " + std::to_string(recent_.size()) + " RECENT\r\n");
  if (unseen) out("* OK [UNSEEN " + std::to_string(unseen) + "] First unseen.\r\n");
  out("* OK [UIDVALIDITY " + std::to_string(f->uidvalidity) + "] UIDs valid\r\n");
  out("* OK [UIDNEXT " + std::to_string(f->uidnext) + "] Predicted next UID\r\n");
  // RFC 7162 section 3.1.2.1: a server that keeps mod-sequences says so on every SELECT.
  out("* OK [HIGHESTMODSEQ " + std::to_string(f->highestmodseq) + "] Highest\r\n");
  if (qresync) qresync_select(*f, *qresync);
  set_state(State::Selected, *name + (read_only_ ? " examined" : " selected"));
  tagged(c.tag, "OK",
         read_only_ ? "[READ-ONLY] EXAMINE completed" : "[READ-WRITE] SELECT completed");
}

// RFC 7162 section 3.2.5: the client's (uidvalidity modseq [known-uids [seq-match]]) is what
// it last saw. When the UIDVALIDITY matches, the server tells it what was expunged since that
// modseq (VANISHED (EARLIER)) and what changed (FETCH with UID, FLAGS and MODSEQ); the
// seq-match data is only a hint for servers that forget expunges, and this one keeps them.
// UIDs are handled as ranges throughout, so a client's "1:4294967295" costs nothing.
void ImapServer::qresync_select(const Folder& f, const imap::Token& params) {
  const auto& q = params.items;
  if (*q[0].number() != f.uidvalidity) return;  // the client's cache is of another mailbox
  const std::uint64_t since = *q[1].number64();
  const std::uint32_t max_uid = f.uidnext > 1 ? f.uidnext - 1 : 0;
  // Without known-uids the client means every UID it could know: 1 up to UIDNEXT-1.
  std::vector<imap::SeqRange> known;
  if (q.size() >= 3 && q[2].is_atom()) known = imap::parse_sequence_set(q[2].text)->resolve(max_uid);
  else if (max_uid) known.push_back({1, max_uid});
  std::string vanished = imapsrv::vanished_since(f, since, known);
  if (!vanished.empty()) out("* VANISHED (EARLIER) " + vanished + "\r\n");
  for (std::size_t i = 0; i < known_uids_.size(); ++i) {
    const Entry* e = f.find_uid(known_uids_[i]);
    if (!e || e->modseq <= since) continue;
    out("* " + std::to_string(i + 1) + " FETCH (UID " + std::to_string(e->uid) + " " +
        flags_item(e->uid, e->flags) + modseq_item(*e) + ")\r\n");
  }
}

void ImapServer::cmd_examine(const imap::Command& c) { cmd_select(c); }

}  // namespace ms
