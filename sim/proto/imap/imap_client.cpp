#include "proto/imap/imap_client.hpp"

#include <algorithm>

#include "model/message.hpp"
#include "proto/imap/codec.hpp"
#include "util/text.hpp"

namespace ms {

namespace {
// Credentials and mailbox names always go out quoted (as most clients send them), with the
// codec's escaping; the names the app uses are plain ASCII.
std::string quote(const std::string& s) { return imap::write_quoted(s); }
std::string uid_list(const std::vector<std::uint32_t>& v) { return imap::write_sequence_set(v); }
}  // namespace

ImapClient::ImapClient(ImapPlan plan) : plan_(std::move(plan)) {}

std::string ImapClient::next_tag() { return "A" + std::to_string(++tag_no_); }

void ImapClient::command(const std::string& text, Step step) {
  tag_ = next_tag();
  step_ = step;
  send(tag_ + " " + text + "\r\n");
}

void ImapClient::receive(std::string_view bytes) {
  // Consumed input is skipped by offset (pos_) and dropped once per call, so that a large
  // FETCH response read line by line stays linear in its size.
  buf_.append(bytes);
  while (!done_) {
    if (literal_left_) {
      std::size_t take = std::min(literal_left_, buf_.size() - pos_);
      resp_.append(buf_, pos_, take);
      pos_ += take;
      literal_left_ -= take;
      if (literal_left_) break;
    }
    std::size_t nl = buf_.find('\n', pos_);
    if (nl == std::string::npos) break;
    std::string_view l(buf_.data() + pos_, nl + 1 - pos_);
    resp_.append(l);
    pos_ = nl + 1;
    // A response line ending in {n} continues with an n-octet literal (RFC 3501 4.3).
    if (l.size() >= 3 && l.substr(l.size() - 3) == "}\r\n") {
      std::size_t open = l.rfind('{');
      auto n = open == l.npos ? std::nullopt : parse_number(l.substr(open + 1, l.size() - open - 4), 12);
      if (n) {
        literal_left_ = static_cast<std::size_t>(*n);
        continue;
      }
    }
    std::string r = std::move(resp_);
    resp_.clear();
    response(r);
  }
  buf_.erase(0, pos_);
  pos_ = 0;
}

void ImapClient::response(const std::string& r) {
  if (step_ == Step::Greeting) {
    if (r.rfind("* OK", 0) == 0 || r.rfind("* PREAUTH", 0) == 0) {
      command("LOGIN " + quote(plan_.user) + " " + quote(plan_.pass), Step::Login);
    } else {
      note(EngineEvent::Error, "server refused the connection");
      done_ = true;
      close();
    }
    return;
  }
  if (r.rfind("+", 0) == 0) {
    // The server is ready for the literal we announced (RFC 3501 section 7.5).
    if (!literal_out_.empty()) send(std::move(literal_out_) + "\r\n");
    literal_out_.clear();
    return;
  }
  if (r.rfind("* ", 0) == 0) {
    std::string_view v(r);
    v.remove_prefix(2);
    std::size_t sp = v.find(' ');
    auto num = parse_number(v.substr(0, sp), 10);
    std::string_view rest = sp == v.npos ? std::string_view() : v.substr(sp + 1);
    if (num && rest.rfind("FETCH (", 0) == 0) {
      untagged_fetch(static_cast<std::uint32_t>(*num), std::string(rest.substr(7)));
    } else if (rest.rfind("OK [UIDVALIDITY ", 0) == 0 && step_ == Step::Select) {
      auto uv = parse_number(rest.substr(16, rest.find(']') - 16), 10);
      if (uv) {
        EngineEvent e;
        e.kind = EngineEvent::MailboxSelected;
        e.folder = mb().name;
        e.uid = static_cast<std::uint32_t>(*uv);
        e.aux = mb().uidvalidity && mb().uidvalidity != *uv;  // 1: UIDVALIDITY changed
        if (e.aux) {
          e.text = "UIDVALIDITY changed: the cached copy of " + mb().name + " is discarded";
          mb().known.clear();
        }
        mb().uidvalidity = e.uid;
        event(std::move(e));
      }
    }
    return;
  }
  std::size_t sp = r.find(' ');
  if (r.substr(0, sp) != tag_) return;
  std::string status = r.substr(sp + 1, r.find(' ', sp + 1) - sp - 1);
  tagged(status == "OK", r.substr(sp + 1, r.size() - sp - 3));
}

void ImapClient::untagged_fetch(std::uint32_t, const std::string& items) {
  // Items of interest: UID n, FLAGS (...), BODY[] {n}\r\n<octets>.
  if (mb_pos_ == 0) return;  // not in a mailbox yet: nothing of ours to update
  std::uint32_t uid = 0;
  std::string flags, body;
  bool has_flags = false, has_body = false;
  std::size_t pos = 0;
  while (pos < items.size()) {
    // Every branch moves pos forward (or stops): a truncated item from a hostile server must
    // neither loop forever nor index past the end.
    if (items.compare(pos, 4, "UID ") == 0) {
      std::size_t end = std::min(items.find_first_of(" )", pos + 4), items.size());
      auto n = parse_number(std::string_view(items).substr(pos + 4, end - pos - 4), 10);
      if (n) uid = static_cast<std::uint32_t>(*n);
      pos = end;
    } else if (items.compare(pos, 7, "FLAGS (") == 0) {
      std::size_t end = std::min(items.find(')', pos), items.size());
      flags = items.substr(pos + 7, end - pos - 7);
      has_flags = true;
      pos = end + 1;
    } else if (items.compare(pos, 8, "BODY[] {") == 0) {
      // RFC 3501 section 4.3: "{" number "}" CRLF, then exactly that many octets.
      std::size_t close = items.find('}', pos);
      if (close == std::string::npos || items.compare(close + 1, 2, "\r\n") != 0) break;
      auto n = parse_number(std::string_view(items).substr(pos + 8, close - pos - 8), 12);
      if (!n || *n > items.size() - close - 3) break;
      body = items.substr(close + 3, *n);
      has_body = true;
      pos = close + 3 + *n;
    } else {
      ++pos;
    }
  }
  if (!uid) return;
  if (has_flags) listed_[uid] = flags_from_imap(flags);
  if (has_body) {
    EngineEvent e;
    e.kind = EngineEvent::MessageDownloaded;
    e.folder = mb().name;
    e.uid = uid;
    e.flags = listed_[uid];
    e.data = std::move(body);
    e.text = "downloaded UID " + std::to_string(uid);
    event(std::move(e));
  } else if (has_flags && step_ != Step::Flags) {
    // An unsolicited FETCH: another device changed this message's flags (RFC 3501 7.4.2).
    EngineEvent e;
    e.kind = EngineEvent::FlagsSeen;
    e.folder = mb().name;
    e.uid = uid;
    e.flags = listed_[uid];
    event(std::move(e));
  }
}

void ImapClient::tagged(bool ok, const std::string& text) {
  switch (step_) {
    case Step::Login:
      if (!ok) {
        note(EngineEvent::Error, "login failed: " + text);
        command("LOGOUT", Step::Logout);
        return;
      }
      state_ = "AUTHENTICATED";
      note(EngineEvent::LoggedIn, "");
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
      std::size_t p = text.find("[APPENDUID ");
      if (ok && p != std::string::npos) {
        std::size_t sp = text.find(' ', p + 11);
        auto u = parse_number(text.substr(sp + 1, text.find(']', sp) - sp - 1), 10);
        if (u) e.uid = static_cast<std::uint32_t>(*u);
      }
      event(std::move(e));
      next_append();
      return;
    }
    case Step::Select:
      if (!ok) {
        note(EngineEvent::Error, "cannot select " + mb().name + ": " + text);
        command("LOGOUT", Step::Logout);
        return;
      }
      state_ = "SELECTED";
      listed_.clear();
      op_pos_ = 0;
      next_op();
      return;
    case Step::Op:
      if (!ok) note(EngineEvent::Error, "server refused a queued action: " + text);
      next_op();
      return;
    case Step::Flags: {
      // Compare the server's list with the device's copy: new UIDs, changed flags, and UIDs
      // that are gone (expunged or moved by another device).
      std::vector<std::uint32_t> fresh;
      for (const auto& [uid, fl] : listed_) {
        auto it = mb().known.find(uid);
        if (it == mb().known.end()) fresh.push_back(uid);
        else if (!(it->second == fl)) {
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
        command("UID FETCH " + uid_list(fresh) + " (FLAGS BODY.PEEK[])", Step::Bodies);
        return;
      }
      next_mailbox();
      return;
    }
    case Step::Bodies:
      next_mailbox();
      return;
    case Step::Logout:
      state_ = "LOGOUT";
      done_ = true;
      note(EngineEvent::Finished, "");
      close();
      return;
    case Step::Greeting:
      return;
  }
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
    command("LOGOUT", Step::Logout);
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
    case ImapOp::Append:
      break;
  }
  next_op();
}

void ImapClient::peer_closed() {
  if (done_) return;
  done_ = true;
  state_ = "LOGOUT";
  note(EngineEvent::Finished, "");
}

}  // namespace ms
