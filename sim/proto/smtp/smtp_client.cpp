#include "proto/smtp/smtp_client.hpp"

#include <algorithm>
#include <cstdint>

#include "proto/sasl.hpp"
#include "util/text.hpp"

namespace ms {

SmtpClient::SmtpClient(SmtpClientConfig cfg, std::vector<SmtpOutgoing> messages)
    : cfg_(std::move(cfg)), msgs_(std::move(messages)) {}

std::string SmtpClient::state_name() const {
  switch (state_) {
    case State::Greeting: return "GREETING";
    case State::Ehlo: return "EHLO";
    case State::Helo: return "HELO";
    case State::StartTls: return "STARTTLS";
    case State::TlsWait: return "TLS";
    case State::Auth: return "AUTH";
    case State::AuthUser: return "AUTH-USER";
    case State::AuthPass: return "AUTH-PASS";
    case State::Mail: return "MAIL";
    case State::Rcpt: return "RCPT";
    case State::Data: return "DATA";
    case State::Body: return "BODY";
    case State::Rset: return "RSET";
    case State::Quit: return "QUIT";
    case State::Done: return "DONE";
  }
  return "?";
}

void SmtpClient::set_state(State s) {
  if (s == state_) return;
  std::string from = state_name();
  state_ = s;
  state_changed(std::move(from));
}

void SmtpClient::command(std::string line, State next) {
  send(std::move(line) + "\r\n");
  set_state(next);
}

EngineEvent SmtpClient::message_event(EngineEvent::Kind k, std::string text) const {
  EngineEvent e;
  e.kind = k;
  e.text = std::move(text);
  if (idx_ < msgs_.size()) {
    e.id = header_value(msgs_[idx_].raw, "Message-ID");
    e.aux = idx_;
  }
  return e;
}

// RFC 3207 section 4.2: after the handshake the client forgets what the server said in clear
// and says EHLO again. With implicit TLS (RFC 8314) the greeting is still to come.
void SmtpClient::tls_started() {
  Engine::tls_started();
  if (state_ != State::TlsWait) return;
  lines_.discard();
  parser_ = smtp::ReplyParser();
  caps_ = SmtpCapabilities{};
  command("EHLO " + cfg_.helo_name, State::Ehlo);
}

void SmtpClient::receive(std::string_view bytes) {
  // Plaintext after "220 Ready to start TLS" was never protected (RFC 3207 section 4.2).
  if (state_ == State::Done || state_ == State::TlsWait) return;
  lines_.feed(bytes);
  std::string line;
  while (state_ != State::Done && state_ != State::TlsWait && lines_.next(line)) {
    smtp::Reply r;
    switch (parser_.feed(line, r)) {
      case smtp::ReplyParser::Incomplete: break;
      case smtp::ReplyParser::Complete: on_reply(r); break;
      case smtp::ReplyParser::Malformed:
        note(EngineEvent::Error, "malformed reply from the server: " + line.substr(0, 80));
        finish("protocol error");
        break;
    }
  }
  if (state_ != State::Done && lines_.overflow()) {
    note(EngineEvent::Error, "reply line from the server is too long");
    finish("protocol error");
  }
  if (state_ == State::Done) lines_.discard();
}

void SmtpClient::on_reply(const smtp::Reply& r) {
  // RFC 5321 section 3.8: 421 means the server is closing the channel, whatever we asked.
  if (r.code == 421) {
    note(EngineEvent::Error, r.text());
    finish("the server closed the session");
    return;
  }
  switch (state_) {
    case State::Greeting:
      // Section 3.1: on a 554 greeting the client should still say QUIT.
      if (r.code != 220) return fail(r, "server refused the session");
      command("EHLO " + cfg_.helo_name, State::Ehlo);
      return;
    case State::Ehlo:
      if (r.klass() == 2) {
        parse_capabilities(r);
        if (cfg_.starttls && !tls_active()) {
          if (!caps_.starttls) {
            if (!cfg_.starttls_required) {
              note(EngineEvent::Note, "server does not offer STARTTLS: continuing without TLS");
              return authenticate_or_submit();
            }
            note(EngineEvent::Error, "server does not offer STARTTLS: not continuing without TLS");
            return quit();
          }
          command("STARTTLS", State::StartTls);
          return;
        }
        return authenticate_or_submit();
      }
      // Section 3.2: a server that does not know EHLO gets HELO.
      command("HELO " + cfg_.helo_name, State::Helo);
      return;
    case State::Helo:
      if (r.klass() != 2) return fail(r, "HELO refused");
      return authenticate_or_submit();
    case State::StartTls:
      if (r.code != 220) return fail(r, "STARTTLS refused");
      set_state(State::TlsWait);
      request_tls();
      return;
    case State::TlsWait: return;
    case State::Auth:
      if (r.code != 235) return fail(r, "authentication failed");
      note(EngineEvent::LoggedIn, cfg_.user + " authenticated");
      return next_message();
    case State::AuthUser:
      if (r.code != 334) return fail(r, "authentication failed");
      command(base64_encode(cfg_.user), State::AuthPass);
      return;
    case State::AuthPass:
      if (r.code != 334) return fail(r, "authentication failed");
      command(base64_encode(cfg_.password), State::Auth);
      return;
    case State::Mail:
      if (r.klass() != 2) return fail_transaction(r, "sender rejected");
      rcpt_idx_ = 0;
      accepted_ = 0;
      return next_recipient();
    case State::Rcpt:
      if (r.klass() == 2) {
        ++accepted_;
      } else {
        event(message_event(EngineEvent::Error, "recipient <" + msgs_[idx_].rcpts[rcpt_idx_ - 1] +
                                                    "> rejected: " + r.text()));
      }
      return next_recipient();
    case State::Data:
      if (r.code != 354) return fail_transaction(r, "DATA refused");
      // RFC 5321 section 4.5.2: the message, dot-stuffed, ends with <CRLF>.<CRLF>.
      send(smtp::dot_stuff(msgs_[idx_].raw));
      set_state(State::Body);
      return;
    case State::Body:
      if (r.klass() == 2) {
        ++sent_;
        event(message_event(EngineEvent::Sent, "message accepted: " + r.text()));
      } else {
        event(message_event(EngineEvent::Error, "message rejected: " + r.text()));
      }
      ++idx_;
      return next_message();
    case State::Rset:
      ++idx_;
      return next_message();
    case State::Quit: finish("QUIT answered"); return;
    case State::Done: return;
  }
}

void SmtpClient::parse_capabilities(const smtp::Reply& r) {
  caps_ = SmtpCapabilities{};
  caps_.esmtp = true;
  // The first line is the server's greeting; each further line is one extension (4.1.1.1).
  for (std::size_t i = 1; i < r.lines.size(); ++i) {
    std::string line = upper(r.lines[i]);
    auto sp = line.find_first_of(" =");
    std::string key = line.substr(0, sp);
    std::string rest = sp == std::string::npos ? "" : line.substr(sp + 1);
    if (key == "PIPELINING") {
      caps_.pipelining = true;
    } else if (key == "STARTTLS") {
      caps_.starttls = true;
    } else if (key == "8BITMIME") {
      caps_.eightbitmime = true;
    } else if (key == "ENHANCEDSTATUSCODES") {
      caps_.enhanced_status_codes = true;
    } else if (key == "SIZE") {
      caps_.size = true;
      std::size_t n = 0;
      for (char c : rest) {
        if (c < '0' || c > '9' || n > (SIZE_MAX - 9) / 10) break;
        n = n * 10 + static_cast<std::size_t>(c - '0');
      }
      caps_.size_max = n;
    } else if (key == "AUTH") {
      // "AUTH PLAIN LOGIN", or the pre-standard "AUTH=PLAIN LOGIN" some servers still send.
      std::size_t pos = 0;
      while (pos < rest.size()) {
        auto end = rest.find(' ', pos);
        if (end == std::string::npos) end = rest.size();
        if (end > pos) caps_.auth.push_back(rest.substr(pos, end - pos));
        pos = end + 1;
      }
    }
  }
  std::string summary;
  for (std::size_t i = 1; i < r.lines.size(); ++i) summary += (i > 1 ? ", " : "") + r.lines[i];
  note(EngineEvent::Note, "server offers: " + (summary.empty() ? "no extensions" : summary));
}

void SmtpClient::authenticate_or_submit() {
  if (cfg_.user.empty()) return next_message();
  auto offers = [&](const char* m) {
    return std::find(caps_.auth.begin(), caps_.auth.end(), m) != caps_.auth.end();
  };
  if (offers("PLAIN")) {
    // RFC 4954 section 4: the initial response saves a round trip.
    command("AUTH PLAIN " + sasl::client_response(cfg_.user, cfg_.password), State::Auth);
  } else if (offers("LOGIN")) {
    command("AUTH LOGIN", State::AuthUser);
  } else {
    note(EngineEvent::Error, "the server offers no AUTH PLAIN or LOGIN");
    quit();
  }
}

void SmtpClient::next_message() {
  while (idx_ < msgs_.size()) {
    const SmtpOutgoing& m = msgs_[idx_];
    const std::size_t size = smtp::wire_size(m.raw);
    if (caps_.size && caps_.size_max && size > caps_.size_max) {
      // RFC 1870 section 6: do not send what the server has said it will refuse.
      event(message_event(EngineEvent::Error,
                          "message of " + std::to_string(size) + " bytes is over the server's " +
                              "limit of " + std::to_string(caps_.size_max) + " bytes"));
      ++idx_;
      continue;
    }
    std::string cmd = "MAIL FROM:<" + m.from + ">";
    if (caps_.size) cmd += " SIZE=" + std::to_string(size);
    if (caps_.eightbitmime &&
        std::any_of(m.raw.begin(), m.raw.end(), [](char c) { return c & 0x80; }))
      cmd += " BODY=8BITMIME";
    command(std::move(cmd), State::Mail);
    return;
  }
  quit();
}

void SmtpClient::next_recipient() {
  const SmtpOutgoing& m = msgs_[idx_];
  if (rcpt_idx_ < m.rcpts.size()) {
    command("RCPT TO:<" + m.rcpts[rcpt_idx_++] + ">", State::Rcpt);
    return;
  }
  if (accepted_ == 0) {
    event(message_event(EngineEvent::Error, "no recipient was accepted"));
    command("RSET", State::Rset);
    return;
  }
  command("DATA", State::Data);
}

// A reply that ends the session: report it and say QUIT.
void SmtpClient::fail(const smtp::Reply& r, const std::string& what) {
  note(EngineEvent::Error, what + ": " + r.text());
  quit();
}

// A reply that ends the current message only: report it, RSET, go on with the next one.
void SmtpClient::fail_transaction(const smtp::Reply& r, const std::string& what) {
  event(message_event(EngineEvent::Error, what + ": " + r.text()));
  command("RSET", State::Rset);
}

void SmtpClient::quit() { command("QUIT", State::Quit); }

void SmtpClient::finish(const std::string& why) {
  set_state(State::Done);
  note(EngineEvent::Finished, "session ended (" + why + "), " + std::to_string(sent_) + " of " +
                                  std::to_string(msgs_.size()) + " messages sent");
  close();
}

void SmtpClient::peer_closed() {
  if (state_ == State::Done) return;
  if (state_ != State::Quit) note(EngineEvent::Error, "the server closed the connection");
  finish("connection closed");
}

}  // namespace ms
