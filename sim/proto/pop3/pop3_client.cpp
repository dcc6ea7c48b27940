#include "proto/pop3/pop3_client.hpp"

#include "model/message.hpp"
#include "util/text.hpp"

namespace ms {

Pop3Client::Pop3Client(Pop3Plan plan) : plan_(std::move(plan)) {
  pending_.push_back({Step::Greeting});
}

std::string Pop3Client::state_name() const { return state_; }

// RFC 2595 section 4: after STLS the client discards what it learnt in clear and asks CAPA
// again. With implicit TLS (RFC 8314) the greeting is still to come: nothing to redo.
void Pop3Client::tls_started() {
  Engine::tls_started();
  if (!tls_wait_) return;
  tls_wait_ = false;
  in_.discard();
  caps_.clear();
  command("CAPA", Step::Capa);
}

bool Pop3Client::multiline_reply(Step s) {
  return s == Step::Capa || s == Step::Uidl || s == Step::Top || s == Step::Retr;
}

std::string Pop3Client::unstuff(const std::string& body) {
  // RFC 1939 section 3: strip the extra "." a server put before lines starting with ".".
  std::string out;
  out.reserve(body.size());
  bool bol = true;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (bol && body[i] == '.') {
      bol = false;
      continue;
    }
    out += body[i];
    bol = body[i] == '\n';
  }
  return out;
}

void Pop3Client::command(const std::string& text, Step step, std::size_t msgno, std::string id) {
  send(text + "\r\n");
  pending_.push_back({step, msgno, std::move(id)});
}

void Pop3Client::receive(std::string_view bytes) {
  if (tls_wait_) return;  // plaintext after STLS's +OK was never protected
  in_.feed(bytes);
  std::string l;
  while (!pending_.empty() && in_.next(l)) {
    if (collecting_) {
      if (l == ".") {
        collecting_ = false;
        handle(true, first_, unstuff(body_));
        body_.clear();
      } else if (body_.size() + l.size() > kMaxReply) {
        give_up("multi-line reply too long");
        return;
      } else {
        body_ += l;
        body_ += "\r\n";
      }
      continue;
    }
    bool ok = l.rfind("+OK", 0) == 0;
    bool err = l.rfind("-ERR", 0) == 0;
    if (!ok && !err) {
      if (pending_.front().step == Step::Pass && l.rfind("+ ", 0) == 0) continue;
      note(EngineEvent::Error, "unexpected reply: " + printable(l));
      continue;
    }
    std::string rest = l.size() > (ok ? 3u : 4u) ? l.substr(ok ? 4 : 5) : "";
    if (ok && multiline_reply(pending_.front().step)) {
      collecting_ = true;
      first_ = rest;
      continue;
    }
    handle(ok, rest, "");
  }
  // A server line longer than any message line may be (RFC 5322 section 2.1.1 allows 998
  // octets; the buffer allows far more): a broken or hostile server, so stop listening.
  if (in_.overflow()) give_up("reply line too long");
}

void Pop3Client::give_up(const std::string& why) {
  in_.discard();
  pending_.clear();
  collecting_ = false;
  body_.clear();
  note(EngineEvent::Error, why + ": giving up on this session");
  if (done_) return;
  done_ = true;
  state_ = "DONE";
  note(EngineEvent::Finished, "");
  close();
}

void Pop3Client::report_vanished() {
  // Unique-ids the app remembers that the server no longer lists were removed by someone
  // else (another device, server expiry): the app can forget them.
  std::set<std::string> present;
  for (const auto& [n, id] : ids_) present.insert(id);
  std::set<std::string> remembered = plan_.seen;
  remembered.insert(plan_.to_delete.begin(), plan_.to_delete.end());
  for (const auto& id : remembered) {
    if (present.count(id)) continue;
    EngineEvent e;
    e.kind = EngineEvent::MessageExpunged;
    e.id = id;
    e.text = id + " is no longer on the server";
    event(std::move(e));
  }
}

void Pop3Client::handle(bool ok, const std::string& first, const std::string& body) {
  Pending p = pending_.front();
  pending_.pop_front();
  switch (p.step) {
    case Step::Greeting:
      if (!ok) {
        note(EngineEvent::Error, "server refused the connection: " + first);
        command("QUIT", Step::Quit);
        return;
      }
      command("CAPA", Step::Capa);
      return;
    case Step::Capa:
      if (ok) {
        for (std::size_t pos = 0; pos < body.size();) {
          std::size_t eol = body.find("\r\n", pos);
          std::string cap = upper(body.substr(pos, eol - pos));
          caps_.insert(cap.substr(0, cap.find(' ')));
          pos = eol == std::string::npos ? body.size() : eol + 2;
        }
        has_uidl_ = caps_.count("UIDL");
      }
      if (plan_.starttls && !tls_active() && !plan_.starttls_required && !caps_.count("STLS")) {
        note(EngineEvent::Note, "server does not offer STLS: logging in without TLS");
      } else if (plan_.starttls && !tls_active()) {
        if (!caps_.count("STLS")) {
          note(EngineEvent::Error, "server does not offer STLS: not logging in without TLS");
          command("QUIT", Step::Quit);
          return;
        }
        command("STLS", Step::Stls);
        return;
      }
      command("USER " + plan_.user, Step::User);
      return;
    case Step::Stls:
      if (!ok) {
        note(EngineEvent::Error, "STLS refused: " + first);
        command("QUIT", Step::Quit);
        return;
      }
      tls_wait_ = true;
      request_tls();
      return;
    case Step::User:
      if (!ok) {
        note(EngineEvent::Error, "USER refused: " + first);
        command("QUIT", Step::Quit);
        return;
      }
      command("PASS " + plan_.pass, Step::Pass);
      return;
    case Step::Pass:
      if (!ok) {
        EngineEvent e;
        e.kind = EngineEvent::Error;
        e.text = first.rfind("[IN-USE]", 0) == 0 ? "mailbox in use by another device: " + first
                                                  : "login failed: " + first;
        e.id = first.rfind("[IN-USE]", 0) == 0 ? "IN-USE" : "AUTH";
        event(std::move(e));
        command("QUIT", Step::Quit);
        return;
      }
      state_ = "TRANSACTION";
      note(EngineEvent::LoggedIn, "logged in");
      command("STAT", Step::Stat);
      return;
    case Step::Stat: {
      auto parts = split_spaces(first);
      auto n = parts.empty() ? std::nullopt : parse_number(parts[0]);
      if (!ok || !n) {
        command("QUIT", Step::Quit);
        return;
      }
      if (*n > kMaxMessages) {
        note(EngineEvent::Error, "server claims " + std::to_string(*n) + " messages: giving up");
        command("QUIT", Step::Quit);
        return;
      }
      if (*n == 0) {
        // An empty maildrop: every unique-id seen before is gone from the server.
        report_vanished();
        command("QUIT", Step::Quit);
        return;
      }
      for (std::size_t i = 1; i <= *n; ++i) ids_[i] = "";
      if (has_uidl_) command("UIDL", Step::Uidl);
      else plan_transfers();
      return;
    }
    case Step::Uidl:
      if (ok) {
        for (std::size_t pos = 0; pos < body.size();) {
          std::size_t eol = body.find("\r\n", pos);
          // A view into `body`: split_spaces returns views, which must not outlive a temporary.
          auto parts = split_spaces(std::string_view(body).substr(pos, eol - pos));
          // Only numbers STAT announced: a confused server must not make us RETR others.
          if (parts.size() == 2)
            if (auto n = parse_number(parts[0]); n && ids_.count(*n))
              ids_[*n] = std::string(parts[1]);
          pos = eol == std::string::npos ? body.size() : eol + 2;
        }
        report_vanished();
      } else {
        has_uidl_ = false;
      }
      plan_transfers();
      return;
    case Step::Top:
    case Step::Retr: {
      if (ok) {
        EngineEvent e;
        e.kind = p.step == Step::Retr ? EngineEvent::MessageDownloaded
                                      : EngineEvent::HeadersDownloaded;
        e.id = p.id.empty() ? header_value(body, "Message-ID") : p.id;
        e.uid = static_cast<std::uint32_t>(p.msgno);
        e.data = body;
        e.text = (p.step == Step::Retr ? "downloaded message " : "downloaded headers of message ") +
                 std::to_string(p.msgno) + (e.id.empty() ? "" : " (" + e.id + ")");
        std::string id = e.id;  // e is moved from below
        event(std::move(e));
        if (p.step == Step::Retr && plan_.delete_after_download) {
          command("DELE " + std::to_string(p.msgno), Step::Dele, p.msgno, id);
          return;
        }
      }
      next_transfer();
      return;
    }
    case Step::Dele:
      if (ok) deleted_.push_back(p.id);
      next_transfer();
      return;
    case Step::Quit:
      if (ok) {
        // Deletions take effect only now, in the server's UPDATE state (RFC 1939 section 6).
        for (const auto& id : deleted_) {
          EngineEvent e;
          e.kind = EngineEvent::MessageDeleted;
          e.id = id;
          e.text = "server removed " + id;
          event(std::move(e));
        }
      }
      state_ = "DONE";
      done_ = true;
      note(EngineEvent::Finished, "");
      close();
      return;
    case Step::Done:
      return;
  }
}

void Pop3Client::plan_transfers() {
  // Without UIDL the client cannot tell old from new on the server: it retrieves everything
  // again and the app recognises repeats by their Message-ID afterwards. That repeated
  // download is the problem UIDL exists to solve (RFC 1939 section 7).
  for (const auto& [n, id] : ids_) {
    if (!id.empty() && plan_.to_delete.count(id)) {
      work_.push_back({n, "DELE"});
      continue;
    }
    if (!id.empty() && plan_.seen.count(id) && !plan_.want_body.count(id)) {
      // Downloaded in an earlier session whose QUIT never came (the link dropped), so the
      // server kept it: with delete-after-download it is deleted now instead of fetched again.
      if (plan_.delete_after_download && !plan_.headers_only) work_.push_back({n, "DELE"});
      continue;
    }
    work_.push_back({n, plan_.headers_only && !plan_.want_body.count(id) ? "TOP" : "RETR"});
  }
  if (!has_uidl_)
    note(EngineEvent::Note, "server has no UIDL: cannot remember which messages were seen");
  next_transfer();
}

void Pop3Client::next_transfer() {
  if (work_pos_ >= work_.size()) {
    command("QUIT", Step::Quit);
    return;
  }
  auto [n, what] = work_[work_pos_++];
  std::string id = ids_[n];
  if (what == "DELE") command("DELE " + std::to_string(n), Step::Dele, n, id);
  else if (what == "TOP") command("TOP " + std::to_string(n) + " 0", Step::Top, n, id);
  else command("RETR " + std::to_string(n), Step::Retr, n, id);
}

void Pop3Client::peer_closed() {
  if (done_) return;
  done_ = true;
  state_ = "DONE";
  if (!deleted_.empty())
    note(EngineEvent::Note, "connection lost before QUIT: the server keeps every message");
  note(EngineEvent::Finished, "");
}

}  // namespace ms
