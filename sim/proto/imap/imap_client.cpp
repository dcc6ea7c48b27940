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
}  // namespace

ImapClient::ImapClient(ImapPlan plan, std::function<ImapPlan()> replan)
    : plan_(std::move(plan)), replan_(std::move(replan)) {}

void ImapClient::command(const std::string& text, Step step) {
  tag_ = "A" + std::to_string(++tag_no_);
  step_ = step;
  send(tag_ + " " + text + "\r\n");
}

void ImapClient::receive(std::string_view bytes) {
  reader_.feed(bytes);
  while (step_ != Step::Closed) {
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
        command("LOGIN " + quote(plan_.user) + " " + quote(plan_.pass), Step::Login);
      } else {
        note(EngineEvent::Error, "server refused the connection: " + r.text);
        step_ = Step::Closed;
        close();
      }
      return;
    }
    if (r.name == "CAPABILITY") caps_ = r.capabilities;
    if (r.name == "FETCH" && r.fetch) fetched(*r.fetch);
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
        }
        mb().uidvalidity = *uv;
        event(std::move(e));
      }
    }
    if (step_ == Step::Idle && (r.name == "EXISTS" || r.name == "EXPUNGE" || r.name == "FETCH")) {
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

void ImapClient::fetched(const imap::FetchData& f) {
  if (!f.uid || mb_pos_ == 0) return;
  std::uint32_t uid = *f.uid;
  if (f.flags) listed_[uid] = to_flags(*f.flags);
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
  } else if (f.flags && step_ != Step::Flags && step_ != Step::Bodies) {
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
  const std::string text = r.code ? "[" + r.code->name + " " + r.code->raw + "] " + r.text : r.text;
  switch (step_) {
    case Step::Login:
      if (!ok) {
        note(EngineEvent::Error, "login failed: " + text);
        command("LOGOUT", Step::Logout);
        return;
      }
      state_ = "AUTHENTICATED";
      note(EngineEvent::LoggedIn, "");
      append_pos_ = 0;
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
      listed_.clear();
      op_pos_ = 0;
      next_op();
      return;
    case Step::Op:
      // RFC 4549 section 4.2: +FLAGS/-FLAGS merge with other devices' changes; an action on a
      // message another device expunged meanwhile finds nothing and is dropped.
      if (!ok) note(EngineEvent::Error, "server refused a queued action: " + text);
      next_op();
      return;
    case Step::Flags: {
      // Compare the server's list with the device's copy: new UIDs, changed flags, and UIDs
      // that are gone (expunged or moved by another device).
      std::vector<std::uint32_t> fresh;
      for (const auto& [uid, fl] : listed_) {
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
        if (!listed_.count(uid)) {
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
      next_mailbox();
      return;
    }
    case Step::Bodies:
      next_mailbox();
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
    case Step::Done:
    case Step::Closed:
      return;
  }
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
  command("APPEND " + quote(op.folder) + (op.flags.empty() ? "" : " (" + op.flags + ")") + " {" +
              std::to_string(op.data.size()) + "}",
          Step::Append);
  literal_out_ = op.data;
}

void ImapClient::next_mailbox() {
  if (mb_pos_ >= plan_.mailboxes.size()) {
    end_pass();
    return;
  }
  ++mb_pos_;
  command("SELECT " + quote(mb().name), Step::Select);
}

void ImapClient::next_op() {
  if (op_pos_ >= mb().ops.size()) {
    command("UID FETCH 1:* (FLAGS)", Step::Flags);
    return;
  }
  const ImapOp& op = mb().ops[op_pos_++];
  switch (op.kind) {
    case ImapOp::Store:
      command("UID STORE " + std::to_string(op.uid) + " " + op.item + " (" + op.flags + ")",
              Step::Op);
      return;
    case ImapOp::Move:
      command("UID MOVE " + std::to_string(op.uid) + " " + quote(op.item), Step::Op);
      return;
    case ImapOp::Expunge:
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
  bool can_idle = std::any_of(caps_.begin(), caps_.end(),
                              [](const std::string& c) { return iequals(c, "IDLE"); });
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
