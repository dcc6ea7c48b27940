#include "proto/imap/imap_client.hpp"

#include <algorithm>

#include "model/message.hpp"
#include "util/text.hpp"

namespace ms {

namespace {
// Credentials and mailbox names always go out quoted (as most clients send them), with the
// codec's escaping; the names the app uses are plain ASCII.
std::string quote(const std::string& s) { return imap::write_quoted(s); }
std::string uid_list(const std::vector<std::uint32_t>& v) { return imap::write_sequence_set(v); }
Flags to_flags(const std::vector<std::string>& names) {
  std::string joined;
  for (const auto& n : names) joined += (joined.empty() ? "" : " ") + n;
  return flags_from_imap(joined);
}
bool contains(const std::vector<std::uint32_t>& sorted, std::uint32_t u) {
  return std::binary_search(sorted.begin(), sorted.end(), u);
}
// UID sets are kept as merged ranges, so that "VANISHED 1:4294967295" costs one range.
void add_ranges(imap::SequenceSet& to, const imap::SequenceSet& set) {
  if (to.ranges.size() > 100'000) return;  // a server flooding VANISHED gets no more memory
  auto add = set.resolve(0);
  to.ranges.insert(to.ranges.end(), add.begin(), add.end());
  to.ranges = to.resolve(0);
}
bool contains(const imap::SequenceSet& merged, std::uint32_t u) {
  auto it = std::upper_bound(merged.ranges.begin(), merged.ranges.end(), u,
                             [](std::uint32_t x, const imap::SeqRange& r) { return x < r.first; });
  return it != merged.ranges.begin() && u <= std::prev(it)->last;
}
const char* op_name(const ImapOp& op) {
  switch (op.kind) {
    case ImapOp::Store: return "flag change";
    case ImapOp::Move: return "move";
    case ImapOp::Expunge: return "expunge";
    case ImapOp::Fetch: return "body fetch";
    case ImapOp::Append: break;
  }
  return "action";
}
}  // namespace

ImapClient::ImapClient(ImapPlan plan, std::function<ImapPlan()> replan)
    : plan_(std::move(plan)), replan_(std::move(replan)) {}

void ImapClient::command(const std::string& text, Step step) {
  tag_ = "A" + std::to_string(++tag_no_);
  step_ = step;
  send(tag_ + " " + text + "\r\n");
}

void ImapClient::receive(std::string_view bytes) {
  if (step_ == Step::TlsHandshake && !tls_active()) return;  // plaintext after "go ahead"
  reader_.feed(bytes);
  while (step_ != Step::Closed && step_ != Step::TlsHandshake) {
    imap::ResponseReader::Event ev = reader_.next();
    if (ev.kind == imap::ResponseReader::Event::Kind::NeedMore) return;
    if (ev.kind == imap::ResponseReader::Event::Kind::Error) {
      note(EngineEvent::Error, "unparsable server response: " + printable(ev.raw.substr(0, 80)));
      continue;
    }
    response(ev.response);
  }
}

void ImapClient::response(const imap::Response& r) {
  using Kind = imap::Response::Kind;
  if (r.kind == Kind::Continuation) {
    if (!literal_out_.empty()) {
      // The server is ready for the literal we announced (RFC 3501 section 7.5).
      send(std::move(literal_out_) + "\r\n");
      literal_out_.clear();
    } else if (step_ == Step::Idle) {
      state_ = "IDLE";
      note(EngineEvent::Note, "idling: the server will push changes (RFC 2177)");
      if (wake_pending_ || logout_pending_) leave_idle();
    }
    return;
  }
  if (r.code && r.code->name == "CAPABILITY") caps_ = r.capabilities;
  if (r.kind == Kind::Untagged) {
    if (step_ == Step::Greeting) {
      if (r.name == "OK" || r.name == "PREAUTH") {
        if (plan_.starttls && !tls_active()) {
          // RFC 3501 section 6.2.1. A client set to STARTTLS insists: without the capability
          // it stops here instead of sending the password in clear.
          if (!caps_.empty() && !has_cap("STARTTLS")) {
            if (!plan_.starttls_required) {
              note(EngineEvent::Note, "server does not offer STARTTLS: logging in without TLS");
              login();
              return;
            }
            note(EngineEvent::Error, "server does not offer STARTTLS: not logging in without TLS");
            command("LOGOUT", Step::Logout);
            return;
          }
          command("STARTTLS", Step::StartTls);
        } else {
          login();
        }
      } else {
        note(EngineEvent::Error, "server refused the connection: " + r.text);
        step_ = Step::Closed;
        close();
      }
      return;
    }
    if (r.name == "CAPABILITY") caps_ = r.capabilities;
    if (r.name == "ENABLED")
      for (const auto& c : r.capabilities) qresync_on_ = qresync_on_ || iequals(c, "QRESYNC");
    if (r.name == "FETCH" && r.fetch) fetched(*r.fetch);
    if (r.name == "VANISHED" && mb_pos_ > 0) add_ranges(vanished_, r.vanished);
    // RFC 6851 section 4.3: a MOVE that moved something says so with an untagged COPYUID (with
    // UIDPLUS) and the expunges of the source.
    if (step_ == Step::Op &&
        (r.name == "EXPUNGE" || r.name == "VANISHED" || (r.code && r.code->name == "COPYUID")))
      moved_ = true;
    if (r.name == "SEARCH" && step_ == Step::Check) {
      present_ = r.search;
      std::sort(present_.begin(), present_.end());
    }
    if (r.name == "OK" && r.code && step_ == Step::Select) {
      // RFC 7162 section 3.1.2.1: what the mailbox's mod-sequence is now, or that it has none.
      if (r.code->name == "HIGHESTMODSEQ") select_modseq_ = r.code->number64(0).value_or(0);
      if (r.code->name == "NOMODSEQ") select_modseq_ = 0;
    }
    if (r.name == "OK" && r.code && r.code->name == "UIDVALIDITY" && step_ == Step::Select) {
      auto uv = r.code->number(0);
      if (uv) {
        EngineEvent e;
        e.kind = EngineEvent::MailboxSelected;
        e.folder = mb().name;
        e.uid = *uv;
        e.aux = mb().uidvalidity && mb().uidvalidity != *uv;  // 1: UIDVALIDITY changed
        if (e.aux) {
          // RFC 3501 2.3.1.1: every cached UID of this mailbox is meaningless now.
          e.text = "UIDVALIDITY changed: the cached copy of " + mb().name + " is discarded";
          mb().known.clear();
          mb().highestmodseq = 0;
        }
        mb().uidvalidity = *uv;
        event(std::move(e));
      }
    }
    if (step_ == Step::Idle && (r.name == "EXISTS" || r.name == "EXPUNGE" || r.name == "FETCH" ||
                                r.name == "VANISHED")) {
      // A push from the server: leave IDLE and synchronise.
      wake_pending_ = true;
      leave_idle();
    }
    if (r.name == "BYE" && step_ != Step::Logout) note(EngineEvent::Note, "server closes: " + r.text);
    return;
  }
  if (r.tag != tag_) return;
  tagged(r.name == "OK", r);
}

void ImapClient::login() {
  command("LOGIN " + quote(plan_.user) + " " + quote(plan_.pass), Step::Login);
}

// RFC 3501 section 6.2.1: after the handshake the client forgets the capabilities it heard in
// clear (a man in the middle could have edited them) and asks again.
void ImapClient::tls_started() {
  Engine::tls_started();
  if (step_ != Step::TlsHandshake) return;  // implicit TLS: the greeting is still to come
  caps_.clear();
  reader_ = imap::ResponseReader();
  command("CAPABILITY", Step::Capability);
}

void ImapClient::fetched(const imap::FetchData& f) {
  if (!f.uid || mb_pos_ == 0) return;
  std::uint32_t uid = *f.uid;
  if (f.flags) listed_[uid] = to_flags(*f.flags);
  if (f.modseq) modseqs_[uid] = *f.modseq;
  if (step_ == Step::Refetch && f.modseq) retry_modseq_ = *f.modseq;
  // While the client is collecting the server's state, flags are compared at the end.
  const bool collecting = step_ == Step::Select || step_ == Step::Refetch ||
                          step_ == Step::Flags || step_ == Step::Check || step_ == Step::Bodies;
  if (const std::string* body = f.body("")) {
    EngineEvent e;
    e.kind = EngineEvent::MessageDownloaded;
    e.folder = mb().name;
    e.uid = uid;
    e.flags = listed_[uid];
    e.data = *body;
    e.text = "downloaded UID " + std::to_string(uid);
    event(std::move(e));
  } else if (const std::string* head = f.body("HEADER")) {
    EngineEvent e;
    e.kind = EngineEvent::HeadersDownloaded;
    e.folder = mb().name;
    e.uid = uid;
    e.flags = listed_[uid];
    e.data = *head;
    e.text = "downloaded the header of UID " + std::to_string(uid);
    event(std::move(e));
  } else if (f.flags && !collecting) {
    // An unsolicited FETCH: another device changed this message's flags (RFC 3501 7.4.2).
    EngineEvent e;
    e.kind = EngineEvent::FlagsSeen;
    e.folder = mb().name;
    e.uid = uid;
    e.flags = listed_[uid];
    event(std::move(e));
  }
}

void ImapClient::tagged(bool ok, const imap::Response& r) {
  // A code without arguments ("[OVERQUOTA]", RFC 5530) is shown as the server sent it.
  const std::string text =
      r.code ? "[" + r.code->name + (r.code->raw.empty() ? "" : " " + r.code->raw) + "] " + r.text
             : r.text;
  switch (step_) {
    case Step::StartTls:
      if (!ok) {
        note(EngineEvent::Error, "STARTTLS refused: " + text);
        command("LOGOUT", Step::Logout);
        return;
      }
      step_ = Step::TlsHandshake;
      request_tls();
      return;
    case Step::Capability:
      login();
      return;
    case Step::Login:
      if (!ok) {
        note(EngineEvent::Error, "login failed: " + text);
        command("LOGOUT", Step::Logout);
        return;
      }
      state_ = "AUTHENTICATED";
      note(EngineEvent::LoggedIn, "");
      append_pos_ = 0;
      // RFC 7162 section 3.2.3: QRESYNC must be enabled before a SELECT may use it.
      if (plan_.use_condstore && has_cap("QRESYNC") && !qresync_on_) {
        command("ENABLE QRESYNC", Step::Enable);
        return;
      }
      next_append();
      return;
    case Step::Enable:
      if (!ok || !qresync_on_) note(EngineEvent::Note, "server did not enable QRESYNC: " + text);
      next_append();
      return;
    case Step::Append: {
      const ImapOp& op = plan_.appends[append_pos_ - 1];
      EngineEvent e;
      e.kind = ok ? EngineEvent::MessageAppended : EngineEvent::Error;
      e.folder = op.folder;
      e.id = header_value(op.data, "Message-ID");
      e.data = op.data;
      e.text = ok ? "" : "APPEND refused: " + text;
      // UIDPLUS (RFC 4315): "[APPENDUID <uidvalidity> <uid>]" tells where the copy went.
      if (ok && r.code && r.code->name == "APPENDUID")
        if (auto u = r.code->number(1)) e.uid = *u;
      event(std::move(e));
      next_append();
      return;
    }
    case Step::Select:
      if (!ok) {
        note(EngineEvent::Error, "cannot select " + mb().name + ": " + text);
        next_mailbox();
        return;
      }
      state_ = "SELECTED";
      op_pos_ = 0;
      // Incremental only from a state the device already holds, of the same mailbox
      // (UIDVALIDITY unchanged: the event above cleared highestmodseq otherwise), and only
      // while the server's mod-sequences move forward.
      if (sync_ != Sync::Full &&
          (!mb().highestmodseq || !select_modseq_ || select_modseq_ < mb().highestmodseq)) {
        if (mb().highestmodseq)
          note(EngineEvent::Note, "cannot resynchronise " + mb().name +
                                      " from its mod-sequence: listing every message");
        sync_ = Sync::Full;
      }
      if (sync_ == Sync::QResync && !vanished_.ranges.empty())
        note(EngineEvent::Note, "the server reports UIDs " + vanished_.to_string() +
                                    " of " + mb().name + " expunged while this device was away");
      next_op();
      return;
    case Step::Op: {
      const ImapOp& op = mb().ops[op_pos_ - 1];
      if (ok && r.code && r.code->name == "MODIFIED" && op.kind == ImapOp::Store) {
        // RFC 7162 section 3.1.3: another device changed this message after this device's
        // last synchronisation. RFC 4549 section 4.2: fetch its flags again and re-apply the
        // queued change on top of them (+FLAGS/-FLAGS merge; a second conflict retries).
        if (retries_ >= 3) {
          note(EngineEvent::Error, "UID " + std::to_string(op.uid) +
                                       " keeps changing on the server: the queued flag change "
                                       "is given up");
          next_op();
          return;
        }
        note(EngineEvent::Note,
             "UID " + std::to_string(op.uid) + " was changed on the server since this device "
             "last synchronised ([MODIFIED]): its flags are fetched again and the queued " +
                 op.item + " (" + op.flags + ") is re-applied on top (RFC 4549 section 4.2)");
        retry_ = &op;
        retry_modseq_ = 0;
        command("UID FETCH " + std::to_string(op.uid) + " (FLAGS MODSEQ)", Step::Refetch);
        return;
      }
      if (ok && op.kind == ImapOp::Move && !moved_ && !(r.code && r.code->name == "COPYUID") &&
          has_cap("UIDPLUS")) {
        // RFC 4549 section 4.2: the message had already left this mailbox (another device
        // moved or deleted it): nothing was moved, and nothing more is to be done.
        note(EngineEvent::Note, "UID " + std::to_string(op.uid) + " was no longer in " +
                                    mb().name + " on the server (another device moved or "
                                    "deleted it): the queued move did nothing and is dropped");
      }
      // RFC 4549 section 4.2: +FLAGS/-FLAGS merge with other devices' changes.
      if (!ok) note(EngineEvent::Error, "server refused a queued action: " + text);
      next_op();
      return;
    }
    case Step::Refetch:
      if (!retry_modseq_) {
        drop_op(*retry_, "it was expunged on the server meanwhile");
        next_op();
        return;
      }
      ++retries_;
      command(store_command(*retry_, retry_modseq_), Step::Op);
      return;
    case Step::Flags:
      if (sync_ == Sync::CondStore && !mb().known.empty()) {
        // RFC 7162 section 3.1 / RFC 4549 section 6.1: CONDSTORE tells of changed flags, not of
        // expunges: the UIDs still there are asked for (a short list, no flags).
        command("UID SEARCH UID 1:" + std::to_string(mb().known.rbegin()->first), Step::Check);
        return;
      }
      compare();
      return;
    case Step::Check:
      compare();
      return;
    case Step::Bodies:
      mailbox_done();
      return;
    case Step::IdleSelect:
      if (!ok) {
        command("LOGOUT", Step::Logout);
        return;
      }
      command("IDLE", Step::Idle);
      return;
    case Step::Idle:
      if (!ok) {
        // The server advertised IDLE but refused it: fall back to polling.
        idle_refused_ = true;
        note(EngineEvent::Error, "server refused IDLE: " + text);
        command("LOGOUT", Step::Logout);
        return;
      }
      // DONE was answered: the IDLE command is complete.
      state_ = "SELECTED";
      if (logout_pending_) command("LOGOUT", Step::Logout);
      else start_pass();
      return;
    case Step::Logout:
      state_ = "LOGOUT";
      step_ = Step::Closed;
      note(EngineEvent::Finished, "");
      close();
      return;
    case Step::Greeting:
    case Step::TlsHandshake:
    case Step::Done:
    case Step::Closed:
      return;
  }
}

void ImapClient::compare() {
  // Compare the server's answers with the device's copy: new UIDs, changed flags, and UIDs
  // that are gone (expunged or moved by another device). A full listing names every UID;
  // CONDSTORE names the changed ones plus the UIDs still there; QRESYNC the changed ones plus
  // the vanished ones.
  const std::uint32_t max_known = mb().known.empty() ? 0 : mb().known.rbegin()->first;
  auto gone = [&](std::uint32_t uid) {
    switch (sync_) {
      case Sync::Full: return !listed_.count(uid);
      case Sync::CondStore: return uid <= max_known && !contains(present_, uid);
      case Sync::QResync: return contains(vanished_, uid);
    }
    return false;
  };
  std::vector<std::uint32_t> fresh;
  for (const auto& [uid, fl] : listed_) {
    if (sync_ != Sync::Full && gone(uid)) continue;  // changed, then expunged
    auto it = mb().known.find(uid);
    if (it == mb().known.end()) {
      fresh.push_back(uid);
    } else if (!(it->second == fl)) {
      EngineEvent e;
      e.kind = EngineEvent::FlagsSeen;
      e.folder = mb().name;
      e.uid = uid;
      e.flags = fl;
      e.text = "UID " + std::to_string(uid) + " flags now (" + flags_to_imap(fl) + ")";
      event(std::move(e));
    }
  }
  for (const auto& [uid, fl] : mb().known)
    if (gone(uid)) {
      // A queued flag change on it found nothing to change (RFC 4549 section 4.2).
      for (const auto& op : mb().ops)
        if (op.kind == ImapOp::Store && op.uid == uid) {
          drop_op(op, "the message had been expunged on the server (by another device)");
          break;
        }
      EngineEvent e;
      e.kind = EngineEvent::MessageExpunged;
      e.folder = mb().name;
      e.uid = uid;
      e.text = "UID " + std::to_string(uid) + " is no longer on the server";
      event(std::move(e));
    }
  if (!fresh.empty()) {
    command("UID FETCH " + uid_list(fresh) +
                (mb().headers_only ? " (FLAGS BODY.PEEK[HEADER])" : " (FLAGS BODY.PEEK[])"),
            Step::Bodies);
    return;
  }
  mailbox_done();
}

void ImapClient::mailbox_done() {
  // The device's copy now holds everything up to the SELECT's HIGHESTMODSEQ (later changes
  // carry higher mod-sequences, so the next resynchronisation asks for them).
  if (plan_.use_condstore && select_modseq_ && (qresync_on_ || has_cap("CONDSTORE"))) {
    EngineEvent e;
    e.kind = EngineEvent::MailboxSynced;
    e.folder = mb().name;
    e.aux = select_modseq_;
    mb().highestmodseq = select_modseq_;
    event(std::move(e));
  }
  next_mailbox();
}

void ImapClient::start_pass() {
  wake_pending_ = false;
  if (replan_) {
    ImapPlan next = replan_();
    next.user = plan_.user;
    next.pass = plan_.pass;
    plan_ = std::move(next);
  }
  append_pos_ = 0;
  mb_pos_ = 0;
  next_append();
}

void ImapClient::next_append() {
  if (append_pos_ >= plan_.appends.size()) {
    next_mailbox();
    return;
  }
  const ImapOp& op = plan_.appends[append_pos_++];
  // LITERAL+ (RFC 7888) would save a round trip; the synchronising form is what most clients
  // send and shows the "+" continuation to learners.
  command("APPEND " + quote(op.folder) + (op.flags.empty() ? "" : " (" + op.flags + ")") +
              (op.date.empty() ? "" : " " + op.date) + " {" + std::to_string(op.data.size()) +
              "}",
          Step::Append);
  literal_out_ = op.data;
}

bool ImapClient::has_cap(const char* name) const {
  return std::any_of(caps_.begin(), caps_.end(),
                     [name](const std::string& c) { return iequals(c, name); });
}

void ImapClient::next_mailbox() {
  if (mb_pos_ >= plan_.mailboxes.size()) {
    end_pass();
    return;
  }
  ++mb_pos_;
  listed_.clear();
  vanished_.ranges.clear();
  present_.clear();
  modseqs_.clear();
  select_modseq_ = 0;
  sent_ops_ = false;
  retries_ = 0;
  const bool cached = mb().uidvalidity && mb().highestmodseq;
  std::string params;
  sync_ = Sync::Full;
  if (plan_.use_condstore && qresync_on_) {
    if (cached) {
      // RFC 7162 section 3.2.5: what the device holds, so that the server answers with the
      // difference only.
      sync_ = Sync::QResync;
      params = " (QRESYNC (" + std::to_string(mb().uidvalidity) + " " +
               std::to_string(mb().highestmodseq);
      // Known UIDs include those of queued actions (a message deleted offline is gone from
      // the device's copy but not from what it must hear about).
      std::vector<std::uint32_t> uids;
      for (const auto& [u, fl] : mb().known) uids.push_back(u);
      for (const auto& op : mb().ops)
        if (op.uid && op.kind != ImapOp::Append) uids.push_back(op.uid);
      if (!uids.empty()) params += " " + uid_list(uids);
      params += "))";
    }
  } else if (plan_.use_condstore && has_cap("CONDSTORE")) {
    // RFC 7162 section 3.1.8: the SELECT parameter enables CONDSTORE and asks for
    // HIGHESTMODSEQ.
    params = " (CONDSTORE)";
    if (cached) sync_ = Sync::CondStore;
  }
  command("SELECT " + quote(mb().name) + params, Step::Select);
}

std::string ImapClient::store_command(const ImapOp& op, std::uint64_t unchanged_since) const {
  return "UID STORE " + std::to_string(op.uid) +
         (unchanged_since ? " (UNCHANGEDSINCE " + std::to_string(unchanged_since) + ")" : "") +
         " " + op.item + " (" + op.flags + ")";
}

void ImapClient::drop_op(const ImapOp& op, const std::string& why) {
  // RFC 4549 section 4.2: an action on a message that is gone cannot be replayed; the user's
  // intent (flag, move, delete) no longer applies to anything.
  note(EngineEvent::Note, "queued " + std::string(op_name(op)) + " on UID " +
                              std::to_string(op.uid) + " in " + mb().name + " dropped: " + why);
}

void ImapClient::next_op() {
  if (op_pos_ >= mb().ops.size()) {
    switch (sync_) {
      case Sync::Full:
        command("UID FETCH 1:* (FLAGS)", Step::Flags);
        return;
      case Sync::CondStore:
        // RFC 7162 section 3.1.4: only the messages changed since the device's last sync
        // (new ones included); queued changes of this pass are among them.
        command("UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + std::to_string(mb().highestmodseq) +
                    ")",
                Step::Flags);
        return;
      case Sync::QResync:
        // The SELECT brought every change up to its HIGHESTMODSEQ; what the replayed actions
        // (or other devices meanwhile) changed since is asked for only when there were any.
        if (sent_ops_) {
          command("UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + std::to_string(select_modseq_) + ")",
                  Step::Flags);
          return;
        }
        compare();
        return;
    }
  }
  const ImapOp& op = mb().ops[op_pos_++];
  if (op.kind != ImapOp::Append && op.uid && contains(vanished_, op.uid)) {
    drop_op(op, "the message was expunged on the server (by another device) while this "
                "device was offline");
    next_op();
    return;
  }
  retries_ = 0;
  switch (op.kind) {
    case ImapOp::Store: {
      sent_ops_ = true;
      // RFC 7162 section 3.1.3 / RFC 4549 section 4.2: only if nobody changed the message
      // since this device last saw it: at its last synchronisation, or when the server last
      // reported the message's MODSEQ (the QRESYNC answer to SELECT tells of changes made
      // meanwhile, so those are merged, not conflicts).
      auto known = modseqs_.find(op.uid);
      std::uint64_t since = sync_ == Sync::Full           ? 0
                            : known != modseqs_.end() ? known->second
                                                      : mb().highestmodseq;
      command(store_command(op, since), Step::Op);
      return;
    }
    case ImapOp::Move:
      sent_ops_ = true;
      moved_ = false;
      command("UID MOVE " + std::to_string(op.uid) + " " + quote(op.item), Step::Op);
      return;
    case ImapOp::Expunge:
      sent_ops_ = true;
      command(op.uid ? "UID EXPUNGE " + std::to_string(op.uid) : std::string("EXPUNGE"), Step::Op);
      return;
    case ImapOp::Fetch:
      command("UID FETCH " + std::to_string(op.uid) + " (BODY.PEEK[])", Step::Op);
      return;
    case ImapOp::Append:
      break;
  }
  next_op();
}

void ImapClient::end_pass() {
  EngineEvent done;
  done.kind = EngineEvent::Note;
  done.id = "pass";  // the app may forget the actions it handed to this pass
  done.text = "synchronised";
  event(std::move(done));
  if (wake_pending_ && !logout_pending_) {
    start_pass();
    return;
  }
  bool can_idle = has_cap("IDLE");
  if (plan_.idle && can_idle && !logout_pending_ && !idle_refused_) {
    // IDLE reports changes of the selected mailbox only: clients idle on INBOX.
    bool on_inbox = mb_pos_ > 0 && mb().name == "INBOX";
    if (on_inbox) command("IDLE", Step::Idle);
    else command("SELECT \"INBOX\"", Step::IdleSelect);
    return;
  }
  if (plan_.idle && !can_idle) note(EngineEvent::Note, "server has no IDLE: polling instead");
  command("LOGOUT", Step::Logout);
}

void ImapClient::leave_idle() {
  if (step_ != Step::Idle || state_ != "IDLE") return;
  state_ = "SELECTED";
  send("DONE\r\n");  // RFC 2177: ends IDLE; the server then completes the IDLE command
}

void ImapClient::wake() {
  wake_pending_ = true;
  if (step_ == Step::Idle) leave_idle();
}

void ImapClient::logout() {
  logout_pending_ = true;
  if (step_ == Step::Idle) leave_idle();
}

void ImapClient::peer_closed() {
  if (step_ == Step::Closed) return;
  step_ = Step::Closed;
  state_ = "LOGOUT";
  note(EngineEvent::Finished, "");
}

}  // namespace ms
