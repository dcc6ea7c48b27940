// IMAP server engine core: framing through the codec's CommandReader (RFC 3501 sections 4.3
// and 7.5, RFC 7888), the command table and state checks (RFC 3501 section 3), and untagged
// updates from other sessions (RFC 3501 sections 5.2 and 7). Handlers live in cmd_*.cpp.
#include "proto/imap/imap_server.hpp"

#include <algorithm>
#include <utility>

#include "proto/imap/server_util.hpp"
#include "util/text.hpp"

namespace ms {

namespace {

constexpr std::uint8_t bit(ImapServer::State s) { return 1u << static_cast<int>(s); }
constexpr std::uint8_t kAny = 0x0F;
constexpr std::uint8_t kAuth =
    bit(ImapServer::State::Authenticated) | bit(ImapServer::State::Selected);
constexpr std::uint8_t kSel = bit(ImapServer::State::Selected);
constexpr std::uint8_t kNotAuth = bit(ImapServer::State::NotAuthenticated);

}  // namespace

const std::vector<ImapServer::CommandSpec>& ImapServer::commands() {
  using S = ImapServer;
  static const std::vector<CommandSpec> table = {
      {"CAPABILITY", &S::cmd_capability, kAny, "RFC 3501 section 6.1.1"},
      {"NOOP", &S::cmd_noop, kAny, "RFC 3501 section 6.1.2"},
      {"LOGOUT", &S::cmd_logout, kAny, "RFC 3501 section 6.1.3"},
      {"ID", &S::cmd_id, kAny, "RFC 2971 section 3.1"},
      {"STARTTLS", &S::cmd_starttls, kNotAuth, "RFC 3501 section 6.2.1"},
      {"AUTHENTICATE", &S::cmd_authenticate, kNotAuth, "RFC 3501 section 6.2.2, RFC 4959"},
      {"LOGIN", &S::cmd_login, kNotAuth, "RFC 3501 section 6.2.3"},
      {"ENABLE", &S::cmd_enable, kAuth, "RFC 5161 section 3.1"},
      {"SELECT", &S::cmd_select, kAuth, "RFC 3501 section 6.3.1"},
      {"EXAMINE", &S::cmd_examine, kAuth, "RFC 3501 section 6.3.2"},
      {"CREATE", &S::cmd_create, kAuth, "RFC 3501 section 6.3.3"},
      {"DELETE", &S::cmd_delete, kAuth, "RFC 3501 section 6.3.4"},
      {"RENAME", &S::cmd_rename, kAuth, "RFC 3501 section 6.3.5"},
      {"SUBSCRIBE", &S::cmd_subscribe, kAuth, "RFC 3501 section 6.3.6"},
      {"UNSUBSCRIBE", &S::cmd_unsubscribe, kAuth, "RFC 3501 section 6.3.7"},
      {"LIST", &S::cmd_list, kAuth, "RFC 3501 section 6.3.8, RFC 6154"},
      {"LSUB", &S::cmd_lsub, kAuth, "RFC 3501 section 6.3.9"},
      {"NAMESPACE", &S::cmd_namespace, kAuth, "RFC 2342 section 5"},
      {"STATUS", &S::cmd_status, kAuth, "RFC 3501 section 6.3.10"},
      {"APPEND", &S::cmd_append, kAuth, "RFC 3501 section 6.3.11, RFC 4315"},
      {"IDLE", &S::cmd_idle, kAuth, "RFC 2177 section 3"},
      {"CHECK", &S::cmd_check, kSel, "RFC 3501 section 6.4.1"},
      {"CLOSE", &S::cmd_close, kSel, "RFC 3501 section 6.4.2"},
      {"UNSELECT", &S::cmd_unselect, kSel, "RFC 3691 section 2"},
      {"EXPUNGE", &S::cmd_expunge, kSel, "RFC 3501 section 6.4.3"},
      {"UID EXPUNGE", &S::cmd_expunge, kSel, "RFC 4315 section 2.1"},
      {"SEARCH", &S::cmd_search, kSel, "RFC 3501 section 6.4.4"},
      {"UID SEARCH", &S::cmd_search, kSel, "RFC 3501 sections 6.4.4 and 6.4.8"},
      {"FETCH", &S::cmd_fetch, kSel, "RFC 3501 section 6.4.5"},
      {"UID FETCH", &S::cmd_fetch, kSel, "RFC 3501 sections 6.4.5 and 6.4.8"},
      {"STORE", &S::cmd_store, kSel, "RFC 3501 section 6.4.6"},
      {"UID STORE", &S::cmd_store, kSel, "RFC 3501 sections 6.4.6 and 6.4.8"},
      {"COPY", &S::cmd_copy, kSel, "RFC 3501 section 6.4.7, RFC 4315"},
      {"UID COPY", &S::cmd_copy, kSel, "RFC 3501 sections 6.4.7 and 6.4.8, RFC 4315"},
      {"MOVE", &S::cmd_move, kSel, "RFC 6851 section 3.1"},
      {"UID MOVE", &S::cmd_move, kSel, "RFC 6851 section 3.2"},
  };
  return table;
}

std::string ImapServer::capabilities(bool authenticated) {
  std::string c =
      "IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE UIDPLUS MOVE SPECIAL-USE UNSELECT NAMESPACE "
      "CHILDREN CONDSTORE QRESYNC";
  if (!authenticated) c += " AUTH=PLAIN";
  return c;
}

imap::DateTime ImapServer::internal_date(Tick t) {
  // Floor division, so that a tick before the epoch still maps to the second it falls in.
  std::int64_t secs = t >= 0 ? t / 1'000'000 : -((-t + 999'999) / 1'000'000);
  return imap::DateTime::from_unix(kEpochUnix + secs, 0);
}

std::string ImapServer::session_capabilities() const {
  const bool authed = state_ != State::NotAuthenticated;
  if (tls_active() || authed || (!tls_.starttls && !tls_.require_tls)) return capabilities(authed);
  std::string c = capabilities(false);
  if (tls_.require_tls) c.replace(c.rfind(" AUTH=PLAIN"), 11, " LOGINDISABLED");
  if (tls_.starttls) c += " STARTTLS";
  return c;
}

ImapServer::ImapServer(MailServer& server, ServerTls tls) : server_(server), tls_(tls) {
  send("* OK [CAPABILITY " + session_capabilities() + "] " + server_.settings.hostname +
       " Mailscope IMAP4rev1 ready\r\n");
}

ImapServer::~ImapServer() { watch(nullptr); }

std::string ImapServer::state_name() const {
  switch (state_) {
    case State::NotAuthenticated: return "NOT AUTHENTICATED";
    case State::Authenticated: return "AUTHENTICATED";
    case State::Selected: return "SELECTED";
    case State::Logout: return "LOGOUT";
  }
  return "";
}

void ImapServer::set_state(State s, const std::string& why) {
  if (s == state_) return;
  std::string from = state_name();
  state_ = s;
  state_changed(std::move(from), why);
}

void ImapServer::watch(Account* a) {
  if (account_ && observer_) account_->store.unobserve(observer_);
  observer_ = 0;
  account_ = a;
  if (a) observer_ = a->store.observe([this](const StoreChange& c) { on_store_change(c); });
}

void ImapServer::on_store_change(const StoreChange& c) {
  if (state_ != State::Selected || c.folder != mailbox_) return;
  if (c.op == StoreChange::FolderRemove) {
    // Another session deleted (or renamed away) the selected mailbox. IMAP has no response
    // that moves a client out of the selected state, so this server does what Dovecot does:
    // it says BYE ("Selected mailbox was deleted, have to disconnect") at the next chance -
    // at once while idling, else instead of answering the next command. Staying SELECTED on
    // a mailbox that no longer exists would answer every command with nonsense.
    mailbox_gone_ = true;
    if (mode_ == Mode::Idle) drop_gone_mailbox();
    return;
  }
  // Remember what changed, so that reporting costs the size of the change, not of the
  // mailbox (a NOOP on a 10,000-message mailbox must stay cheap).
  switch (c.op) {
    case StoreChange::SetFlags: changed_uids_.push_back(c.uid); break;
    case StoreChange::Remove: expunged_any_ = true; break;
    case StoreChange::Add: added_any_ = true; break;
    default: changed_all_ = true; break;
  }
  // RFC 2177: while idling, the client hears of changes as they happen. Otherwise they wait
  // for the next command (report_changes), as RFC 3501 section 5.2 allows.
  if (mode_ != Mode::Idle) return;
  report_changes(true);
  flush();
}

void ImapServer::peer_closed() {
  watch(nullptr);
  set_state(State::Logout, "connection closed");
}

void ImapServer::flush() {
  if (!pending_.empty()) send(std::move(pending_));
  pending_.clear();
}

void ImapServer::tagged(const std::string& tag, const std::string& status,
                        const std::string& text) {
  clamp_highestmodseq();
  out(tag + " " + status + " " + text + "\r\n");
  flush();
}

void ImapServer::receive(std::string_view bytes) {
  // After "OK Begin TLS negotiation now" the next bytes belong to the TLS handshake; plaintext
  // that reaches the engine meanwhile was never protected and is dropped (RFC 3501 section
  // 6.2.1 and the STARTTLS command injection of CVE-2011-0411).
  if (tls_begun_ && !tls_active()) return;
  reader_.feed(bytes);
  while (state_ != State::Logout && !(tls_begun_ && !tls_active())) {
    imap::CommandReader::Event e = reader_.next();
    using K = imap::CommandReader::Event::Kind;
    switch (e.kind) {
      case K::NeedMore:
        return;
      case K::Continuation:
        send("+ Ready for literal data\r\n");
        break;
      case K::RawLine:
        if (mode_ == Mode::AuthPlain) {
          mode_ = Mode::Command;
          finish_auth_plain(mode_tag_, e.raw);
        } else if (mode_ == Mode::Idle) {
          idle_done(e.raw);
        } else {
          // Only after a rejected raw line; treat it as the command it is.
          auto p = imap::parse_command(e.raw);
          if (p.command) dispatch(*p.command);
          else send((p.tag.empty() ? "*" : p.tag) + " BAD " + p.error + "\r\n");
        }
        break;
      case K::Command:
        if (!e.parsed.command) {
          send((e.parsed.tag.empty() ? "*" : e.parsed.tag) + " BAD " + e.parsed.error + "\r\n");
        } else {
          dispatch(*e.parsed.command);
        }
        break;
      case K::Error:
        if (mode_ != Mode::Command) {  // an overlong AUTHENTICATE response or IDLE line
          std::string tag = mode_tag_;
          mode_ = Mode::Command;
          send(tag + " BAD " + e.text + "\r\n");
        } else if (!e.tag.empty() && e.code == "TOOBIG" && e.text != "line too long") {
          send(e.tag + " NO [TOOBIG] " + e.text + "\r\n");
        } else {
          send((e.tag.empty() ? "*" : e.tag) + " BAD " + e.text + "\r\n");
        }
        break;
    }
  }
}

void ImapServer::drop_gone_mailbox() {
  out("* BYE Selected mailbox was deleted, have to disconnect.\r\n");
  flush();
  watch(nullptr);
  mode_ = Mode::Command;
  set_state(State::Logout, "selected mailbox " + mailbox_ + " deleted by another session");
  close();
}

void ImapServer::dispatch(const imap::Command& c) {
  if (mailbox_gone_ && state_ == State::Selected) return drop_gone_mailbox();
  for (const auto& spec : commands()) {
    if (c.name != spec.name) continue;
    if (!(spec.states & bit(state_)))
      return tagged(c.tag, "BAD",
                    std::string(spec.name) + " not allowed in the " + state_name() + " state");
    return (this->*spec.handler)(c);
  }
  tagged(c.tag, "BAD", "unknown command");
}

Folder* ImapServer::folder() const {
  return account_ && !mailbox_.empty() ? account_->store.folder(mailbox_) : nullptr;
}

ImapServer::MailboxArg ImapServer::mailbox_arg(const imap::Command& c, std::size_t i) const {
  if (i >= c.args.size()) return {std::nullopt, "BAD", "mailbox name expected"};
  if (c.args[i].text.size() > kMaxMailboxName) return {std::nullopt, "BAD", "mailbox name too long"};
  auto name = imap::parse_mailbox(c.args[i]);
  if (name) return {*name, "", ""};
  // parse_mailbox refuses a non-empty astring only for its modified UTF-7.
  auto s = c.args[i].astring();
  return {std::nullopt, s && !s->empty() ? "NO" : "BAD", name.error};
}

std::uint32_t ImapServer::new_uidvalidity() const {
  // Never reuse a UIDVALIDITY within the account (RFC 3501 section 2.3.1.1): a re-created
  // mailbox must not look like the old one to a client's cache, not even when the mailbox
  // that held the highest value is gone (DELETE, or RENAME away).
  return account_->store.uidvalidity_high() + 1;
}

void ImapServer::report_changes(bool allow_expunge) {
  // Tell this client what other sessions changed (RFC 3501 section 7: EXPUNGE, EXISTS, FETCH).
  const Folder* f = folder();
  if (state_ != State::Selected || !f) return;
  if (allow_expunge && (expunged_any_ || changed_all_)) {
    std::vector<std::size_t> gone;
    for (std::size_t i = 0; i < known_uids_.size(); ++i)
      if (!f->find_uid(known_uids_[i])) gone.push_back(i);
    report_expunged(gone);
    expunged_any_ = false;
  }
  auto report_flags = [&](std::size_t i) {
    if (const Entry* e = f->find_uid(known_uids_[i]); e && !(e->flags == known_flags_[i])) {
      known_flags_[i] = e->flags;
      announce_keywords(e->flags);
      // RFC 7162 section 3.1: with CONDSTORE enabled, MODSEQ goes with every flag change.
      out("* " + std::to_string(i + 1) + " FETCH (UID " + std::to_string(e->uid) + " " +
          flags_item(e->uid, e->flags) + modseq_item(*e) + ")\r\n");
    }
  };
  if (changed_all_ || expunged_any_) {
    for (std::size_t i = 0; i < known_uids_.size(); ++i) report_flags(i);
  } else if (!changed_uids_.empty()) {
    std::sort(changed_uids_.begin(), changed_uids_.end());
    changed_uids_.erase(std::unique(changed_uids_.begin(), changed_uids_.end()),
                        changed_uids_.end());
    for (std::uint32_t u : changed_uids_) {
      auto it = std::lower_bound(known_uids_.begin(), known_uids_.end(), u);
      if (it != known_uids_.end() && *it == u)
        report_flags(static_cast<std::size_t>(it - known_uids_.begin()));
    }
  }
  changed_uids_.clear();
  if (added_any_ || changed_all_) {
    std::uint32_t last = known_uids_.empty() ? 0 : known_uids_.back();
    const std::size_t before = known_uids_.size();
    auto from = std::upper_bound(f->entries.begin(), f->entries.end(), last,
                                 [](std::uint32_t u, const Entry& e) { return u < e.uid; });
    for (auto it = from; it != f->entries.end(); ++it) {
      known_uids_.push_back(it->uid);
      known_flags_.push_back(it->flags);
      announce_keywords(it->flags);  // a new message's keywords are now in use (7.2.6)
    }
    if (known_uids_.size() > before) {
      // RFC 3501 section 7.3.2: the new RECENT count goes with the new EXISTS; this session
      // is the first to be told of these messages, so it claims them (2.3.2).
      claim_recent(*folder(), before);
      out("* " + std::to_string(known_uids_.size()) + " EXISTS\r\n");
      out("* " + std::to_string(recent_.size()) + " RECENT\r\n");
    }
    added_any_ = false;
  }
  // Without EXPUNGE allowed, the removals stay pending for a later report.
  changed_all_ = changed_all_ && !allow_expunge;
}

bool ImapServer::resolve(const imap::SequenceSet& set, bool uid,
                         std::vector<std::size_t>& out) const {
  // Indexes are into known_uids_: what the client knows, not what the folder holds now.
  auto maxv = uid ? (known_uids_.empty() ? 0u : known_uids_.back())
                  : static_cast<std::uint32_t>(known_uids_.size());
  if (!uid)
    for (const auto& r : set.ranges)
      if (r.first > maxv || r.last > maxv) return false;  // beyond EXISTS (kStar is 0)
  auto ranges = set.resolve(maxv);
  // Each range maps to a run of indexes (known_uids_ ascends), found by binary search, so a
  // command on one message costs O(log n) on a large mailbox; the runs are then merged in
  // mailbox order without duplicates.
  std::vector<std::pair<std::size_t, std::size_t>> runs;
  for (const auto& r : ranges) {
    std::size_t lo, hi;
    if (uid) {
      lo = static_cast<std::size_t>(
          std::lower_bound(known_uids_.begin(), known_uids_.end(), r.first) - known_uids_.begin());
      hi = static_cast<std::size_t>(
          std::upper_bound(known_uids_.begin(), known_uids_.end(), r.last) - known_uids_.begin());
    } else {
      lo = r.first ? r.first - 1 : 0;
      hi = std::min<std::size_t>(r.last, known_uids_.size());
    }
    if (lo < hi) runs.emplace_back(lo, hi);
  }
  std::sort(runs.begin(), runs.end());
  std::size_t next = 0;
  for (auto [lo, hi] : runs)
    for (std::size_t i = std::max(lo, next); i < hi; ++i) out.push_back(i), next = i + 1;
  return true;
}

void ImapServer::forget_changes() {
  changed_uids_.clear();
  expunged_any_ = added_any_ = changed_all_ = false;
}

void ImapServer::deselect(const std::string& why) {
  mailbox_.clear();
  known_uids_.clear();
  known_flags_.clear();
  recent_.clear();
  keywords_.clear();
  mailbox_gone_ = false;
  forget_changes();
  set_state(State::Authenticated, why);
}

void ImapServer::enable_condstore() {
  if (condstore_) return;
  condstore_ = true;
  // RFC 7162 section 3.1: a client that enables CONDSTORE while a mailbox is selected has not
  // seen its HIGHESTMODSEQ yet (an untagged OK before the tagged answer, as SELECT sends it).
  if (const Folder* f = folder(); f && state_ == State::Selected)
    out("* OK [HIGHESTMODSEQ " + std::to_string(f->highestmodseq) + "] Highest\r\n");
}

std::string ImapServer::flags_responses() const {
  std::string list = "\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded";
  for (const auto& k : keywords_) list += " " + k;
  // A read-only session may change nothing (RFC 3501 section 6.3.2: EXAMINE).
  return "* FLAGS (" + list + ")\r\n* OK [PERMANENTFLAGS (" +
         (read_only_ ? std::string() : list + " \\*") + ")] Flags permitted.\r\n";
}

void ImapServer::announce_keywords(const Flags& f) {
  bool grew = false;
  for (const auto& k : f.keywords)
    if (std::find(keywords_.begin(), keywords_.end(), k) == keywords_.end()) {
      keywords_.push_back(k);
      grew = true;
    }
  if (grew) out(flags_responses());
}

bool ImapServer::is_recent(std::uint32_t uid) const {
  return std::binary_search(recent_.begin(), recent_.end(), uid);
}

std::string ImapServer::flags_item(std::uint32_t uid, const Flags& f) const {
  std::string list = flags_to_imap(f);
  if (is_recent(uid)) list += list.empty() ? "\\Recent" : " \\Recent";
  return "FLAGS (" + list + ")";
}

std::string ImapServer::modseq_item(const Entry& e) const {
  return condstore_ ? " " + modseq_value(e) : std::string();
}

std::string ImapServer::modseq_value(const Entry& e) const {
  modseq_sent_ = std::max(modseq_sent_, e.modseq);
  return "MODSEQ (" + std::to_string(e.modseq) + ")";
}

void ImapServer::clamp_highestmodseq() {
  const std::uint64_t sent = std::exchange(modseq_sent_, 0);
  const Folder* f = folder();
  if (!sent || state_ != State::Selected || !f || !(expunged_any_ || changed_all_)) return;
  std::uint64_t oldest = 0;  // mod-sequence of the oldest expunge the client was not told of
  for (std::uint32_t u : known_uids_) {
    if (f->find_uid(u)) continue;
    std::uint64_t m = f->vanished_floor;  // forgotten: at most the floor
    for (const Tombstone& t : f->vanished)
      if (t.first <= u && u <= t.last) m = t.modseq;
    oldest = oldest ? std::min(oldest, m) : m;
  }
  if (oldest && sent >= oldest)
    out("* OK [HIGHESTMODSEQ " + std::to_string(std::max<std::uint64_t>(1, oldest - 1)) +
        "] Highest\r\n");
}

void ImapServer::claim_recent(Folder& f, std::size_t from) {
  for (std::size_t i = from; i < known_uids_.size(); ++i)
    if (known_uids_[i] >= f.recent_from) recent_.push_back(known_uids_[i]);
  // known_uids_ ascends and every claim is of UIDs above the previous ones.
  if (!read_only_ && !known_uids_.empty())
    f.recent_from = std::max(f.recent_from, known_uids_.back() + 1);
}

void ImapServer::report_expunged(const std::vector<std::size_t>& gone) {
  if (gone.empty()) return;
  if (qresync_) {
    std::vector<std::uint32_t> uids;
    for (std::size_t i : gone) uids.push_back(known_uids_[i]);
    out("* VANISHED " + imap::write_sequence_set(uids) + "\r\n");
  } else {
    // Highest first: each number stays valid for the client as it applies the earlier ones.
    for (std::size_t k = gone.size(); k-- > 0;)
      out("* " + std::to_string(gone[k] + 1) + " EXPUNGE\r\n");
  }
  std::vector<std::uint32_t> keep_uids;
  std::vector<Flags> keep_flags;
  keep_uids.reserve(known_uids_.size());
  keep_flags.reserve(known_flags_.size());
  std::size_t g = 0;
  for (std::size_t i = 0; i < known_uids_.size(); ++i) {
    if (g < gone.size() && gone[g] == i) {
      ++g;
      continue;
    }
    keep_uids.push_back(known_uids_[i]);
    keep_flags.push_back(std::move(known_flags_[i]));
  }
  known_uids_ = std::move(keep_uids);
  known_flags_ = std::move(keep_flags);
  std::erase_if(recent_, [&](std::uint32_t u) {
    return !std::binary_search(known_uids_.begin(), known_uids_.end(), u);
  });
}

}  // namespace ms
