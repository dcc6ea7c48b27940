#include "proto/smtp/smtp_server.hpp"

#include <charconv>
#include <utility>

#include "proto/sasl.hpp"
#include "proto/smtp/smtp_codec.hpp"
#include "util/text.hpp"

namespace ms {

namespace {
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}
}  // namespace

// The command table. Order is the order HELP lists them in.
const std::vector<SmtpCommandInfo>& SmtpServer::commands() {
  static const std::vector<SmtpCommandInfo> table = {
      {"EHLO", &SmtpServer::cmd_ehlo, "RFC 5321 4.1.1.1",
       "Say hello and ask for the server's extensions"},
      {"HELO", &SmtpServer::cmd_helo, "RFC 5321 4.1.1.1", "Say hello, without extensions"},
      {"AUTH", &SmtpServer::cmd_auth, "RFC 4954 4", "Log in (PLAIN or LOGIN)"},
      {"MAIL", &SmtpServer::cmd_mail, "RFC 5321 4.1.1.2", "Start a message: who sends it"},
      {"RCPT", &SmtpServer::cmd_rcpt, "RFC 5321 4.1.1.3", "Add a recipient"},
      {"DATA", &SmtpServer::cmd_data, "RFC 5321 4.1.1.4", "Send the message itself"},
      {"RSET", &SmtpServer::cmd_rset, "RFC 5321 4.1.1.5", "Abandon the current message"},
      {"VRFY", &SmtpServer::cmd_vrfy, "RFC 5321 4.1.1.6", "Ask whether an address exists"},
      {"EXPN", &SmtpServer::cmd_not_implemented, "RFC 5321 4.1.1.7", "Expand a mailing list"},
      {"HELP", &SmtpServer::cmd_help, "RFC 5321 4.1.1.8", "List the commands"},
      {"NOOP", &SmtpServer::cmd_noop, "RFC 5321 4.1.1.9", "Do nothing (keep the line alive)"},
      {"QUIT", &SmtpServer::cmd_quit, "RFC 5321 4.1.1.10", "Say goodbye"},
      // Known to exist but not offered here: answered 502, not 500 (RFC 5321 4.2.4).
      {"STARTTLS", &SmtpServer::cmd_starttls, "RFC 3207 4", "Encrypt the session (when offered)"},
      {"BDAT", &SmtpServer::cmd_not_implemented, "RFC 3030", "Send data in chunks"},
      {"ETRN", &SmtpServer::cmd_not_implemented, "RFC 1985", "Ask for a queue run"},
      {"TURN", &SmtpServer::cmd_not_implemented, "RFC 821", "Swap roles (obsolete)"},
  };
  return table;
}

SmtpServer::SmtpServer(SmtpBackend& backend, SmtpServerConfig cfg)
    : backend_(backend),
      cfg_(std::move(cfg)),
      lines_(std::max(cfg_.max_line, cfg_.max_data_line)) {
  // RFC 5321 section 4.2: the greeting is the server's first reply; no enhanced code in it
  // (RFC 2034 section 3).
  send(smtp::format_reply(220, cfg_.hostname + " ESMTP Mailscope"));
}

std::string SmtpServer::state_name() const {
  switch (state_) {
    case State::Connected: return "CONNECTED";
    case State::Ready: return "READY";
    case State::Auth: return "AUTH";
    case State::Mail: return "MAIL";
    case State::Rcpt: return "RCPT";
    case State::Data: return "DATA";
    case State::Closed: return "CLOSED";
  }
  return "?";
}

// Every transition goes through here so that the trace shows each one by name.
void SmtpServer::set_state(State s) {
  if (s == state_) return;
  std::string from = state_name();
  state_ = s;
  state_changed(std::move(from));
}

void SmtpServer::reply(int code, std::string_view text) { send(smtp::format_reply(code, text)); }

void SmtpServer::error(int code, std::string_view text) {
  reply(code, text);
  if (++errors_ >= cfg_.max_errors && state_ != State::Closed) {
    // Stop talking to a peer that only produces errors (a confused or hostile client).
    reply(421, "4.7.0 " + cfg_.hostname + " Error: too many errors");
    note(EngineEvent::Note, "closing: too many errors");
    set_state(State::Closed);
    close();
  }
}

bool SmtpServer::line_too_long(std::size_t n) const {
  return n > (state_ == State::Data ? cfg_.max_data_line : cfg_.max_line);
}

// ---------------------------------------------------------------------------------------------
// Input: split into lines, answer each in order (RFC 2920 section 3.1: the server must not
// lose or reorder pipelined commands).

void SmtpServer::receive(std::string_view bytes) {
  // The line buffer is given one line at a time: a whole message arriving in one chunk is
  // then split in linear time, and the length check sees each line before it is stored.
  // After "220 Ready to start TLS" plaintext that reaches the engine before the handshake was
  // never protected and is dropped (RFC 3207 section 4.2; CVE-2011-0411).
  while (!bytes.empty() && state_ != State::Closed && !(tls_begun_ && !tls_active())) {
    const auto nl = bytes.find('\n');
    const bool complete = nl != std::string_view::npos;
    std::string_view piece = bytes.substr(0, complete ? nl + 1 : bytes.size());
    bytes.remove_prefix(piece.size());
    if (skipping_) {
      skipping_ = !complete;
      continue;
    }
    if (!complete) {
      const std::size_t held = lines_.pending() + piece.size();
      if (line_too_long(held > 0 ? held - 1 : 0)) {  // one byte of slack for a trailing CR
        // Drop what we hold of the line and the rest of it as it arrives, so memory stays
        // bounded however long the line is; answer now (earlier lines are already answered).
        lines_.discard();
        skipping_ = true;
        overlong_line(held);
        continue;
      }
      lines_.feed(piece);
      continue;
    }
    lines_.feed(piece);
    std::string line;
    if (lines_.next(line)) handle_line(line);
  }
  if (state_ == State::Closed) lines_.discard();
}

// A data line over the limit spoils the message (answered at the final dot); a command line
// over the limit is answered at once.
void SmtpServer::overlong_line(std::size_t n) {
  if (state_ == State::Data) {
    data_line_too_long_ = true;
    data_bytes_ += n;
    return;
  }
  if (state_ == State::Auth) set_state(State::Ready);
  error(500, "5.5.2 Error: line too long");
}

void SmtpServer::handle_line(std::string_view line) {
  if (line_too_long(line.size())) {
    overlong_line(line.size() + 2);
    return;
  }
  switch (state_) {
    case State::Data: handle_data_line(line); break;
    case State::Auth: handle_auth_line(line); break;
    case State::Closed: break;
    default: handle_command(line); break;
  }
}

void SmtpServer::handle_command(std::string_view line) {
  if (trim(line).empty()) {
    error(500, "5.5.2 Error: bad syntax");
    return;
  }
  // RFC 5321 section 2.4: verbs are case-insensitive; a single space separates the argument.
  auto sp = line.find(' ');
  std::string_view verb = line.substr(0, sp);
  std::string_view args = sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
  args = trim(args);
  for (const auto& c : commands()) {
    if (iequals(verb, c.name)) {
      (this->*c.handler)(args);
      return;
    }
  }
  error(500, "5.5.1 Error: command not recognized");
}

void SmtpServer::reset_transaction() {
  from_.clear();
  declared_size_ = 0;
  rcpts_.clear();
  data_.clear();
  data_.shrink_to_fit();
  data_bytes_ = 0;
  data_line_too_long_ = false;
}

// ---------------------------------------------------------------------------------------------
// Session commands

// RFC 5321 section 4.1.1.1 (EHLO, HELO). A new EHLO also resets any transaction (4.1.4).
void SmtpServer::cmd_ehlo(std::string_view args) {
  if (args.empty()) {
    error(501, "5.5.4 Syntax: EHLO hostname");
    return;
  }
  reset_transaction();
  helo_ = std::string(args);
  esmtp_ = true;
  set_state(State::Ready);
  std::vector<std::string> ext = {cfg_.hostname + " Hello " + helo_, "PIPELINING",
                                  "SIZE " + std::to_string(cfg_.max_message), "8BITMIME",
                                  "ENHANCEDSTATUSCODES"};
  // RFC 3207 section 4.2: STARTTLS is not offered again inside TLS; without TLS a server that
  // requires it offers no AUTH (RFC 4954 section 4 lets it withhold mechanisms).
  if (cfg_.tls.starttls && !tls_active()) ext.emplace_back("STARTTLS");
  if (!cfg_.tls.require_tls || tls_active()) ext.emplace_back("AUTH PLAIN LOGIN");
  send(smtp::format_reply(250, ext));
}

void SmtpServer::cmd_helo(std::string_view args) {
  if (args.empty()) {
    error(501, "5.5.4 Syntax: HELO hostname");
    return;
  }
  reset_transaction();
  helo_ = std::string(args);
  esmtp_ = false;
  set_state(State::Ready);
  reply(250, cfg_.hostname);
}

// RFC 4954 section 4: AUTH mechanism [initial-response]; "=" is an empty initial response.
void SmtpServer::cmd_auth(std::string_view args) {
  if (!esmtp_) {
    error(503, "5.5.1 Error: send EHLO first");
    return;
  }
  if (cfg_.tls.require_tls && !tls_active()) {
    note(EngineEvent::Note, "plaintext AUTH refused before STARTTLS");
    error(530, "5.7.0 Must issue a STARTTLS command first");  // RFC 3207 section 4
    return;
  }
  if (!user_.empty()) {
    error(503, "5.5.1 Error: already authenticated");
    return;
  }
  if (state_ == State::Mail || state_ == State::Rcpt) {
    error(503, "5.5.1 Error: MAIL transaction in progress");
    return;
  }
  auto sp = args.find(' ');
  std::string mech = upper(args.substr(0, sp));
  std::string_view ir = sp == std::string_view::npos ? std::string_view() : args.substr(sp + 1);
  if (mech.empty() || ir.find(' ') != std::string_view::npos) {
    error(501, "5.5.4 Syntax: AUTH mechanism [initial-response]");
    return;
  }
  if (mech != "PLAIN" && mech != "LOGIN") {
    error(504, "5.5.4 Unrecognized authentication type");
    return;
  }
  sasl_ = mech == "PLAIN" ? Sasl::Plain : Sasl::LoginUser;
  set_state(State::Auth);
  if (ir.empty()) {
    // PLAIN's challenge is empty; LOGIN asks "Username:" (draft-murchison-sasl-login).
    reply(334, sasl_ == Sasl::Plain ? "" : base64_encode("Username:"));
    return;
  }
  handle_auth_line(ir, true);
}

void SmtpServer::handle_auth_line(std::string_view line, bool initial) {
  if (sasl_ == Sasl::Plain) {
    const sasl::Response r = sasl::read_response(line, initial);
    switch (r.outcome) {
      case sasl::Outcome::Decoded: return finish_auth(r.plain.authcid, r.plain.passwd);
      // RFC 4954 section 4: a cancelled exchange and an undecodable response both get 501.
      case sasl::Outcome::Cancelled: return abort_auth("5.7.0 Authentication aborted");
      case sasl::Outcome::NotBase64: return abort_auth("5.5.2 Cannot decode response");
      case sasl::Outcome::Malformed:
      case sasl::Outcome::NotPermitted:
        set_state(State::Ready);
        note(EngineEvent::Note, "rejected: " + r.why);
        error(535, "5.7.8 Authentication credentials invalid");
        return;
    }
  }
  // AUTH LOGIN (draft-murchison-sasl-login): two base64 lines, no message format of its own.
  if (line == "*") return abort_auth("5.7.0 Authentication aborted");
  auto decoded = initial && line == "=" ? std::optional<std::string>("") : base64_decode(line);
  if (!decoded) return abort_auth("5.5.2 Cannot decode response");
  if (sasl_ == Sasl::LoginUser) {
    sasl_user_ = *decoded;
    sasl_ = Sasl::LoginPass;
    reply(334, base64_encode("Password:"));
    return;
  }
  finish_auth(std::exchange(sasl_user_, {}), *decoded);
}

void SmtpServer::abort_auth(const std::string& text) {
  set_state(State::Ready);
  error(501, text);
}

void SmtpServer::finish_auth(const std::string& user, const std::string& pass) {
  set_state(State::Ready);
  if (!backend_.authenticate(user, pass)) {
    note(EngineEvent::Note, "rejected: bad credentials for " + user);
    error(535, "5.7.8 Authentication credentials invalid");
    return;
  }
  user_ = user;
  note(EngineEvent::LoggedIn, user + " authenticated");
  reply(235, "2.7.0 Authentication successful");
}

// ---------------------------------------------------------------------------------------------
// Mail transaction

// RFC 5321 section 4.1.1.2, with RFC 1870 SIZE and RFC 6152 BODY parameters.
void SmtpServer::cmd_mail(std::string_view args) {
  if (state_ == State::Connected) {
    error(503, "5.5.1 Error: send HELO/EHLO first");
    return;
  }
  if (state_ == State::Mail || state_ == State::Rcpt) {
    error(503, "5.5.1 Error: nested MAIL command");
    return;
  }
  // RFC 6409 section 4.3: the submission server requires authentication.
  if (cfg_.submission && user_.empty()) {
    error(530, "5.7.0 Authentication required");
    return;
  }
  auto p = smtp::parse_path_arg(args, "FROM");
  if (!p) {
    error(501, "5.5.4 Syntax: MAIL FROM:<address>");
    return;
  }
  if (!p->address.empty() && !smtp::valid_mailbox(p->address)) {
    error(501, "5.1.7 Bad sender address syntax");
    return;
  }
  std::size_t size = 0;
  for (const auto& [key, value] : p->params) {
    if (!esmtp_) {
      error(555, "5.5.4 Unsupported option: " + key);
      return;
    }
    if (key == "SIZE") {
      std::uint64_t n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (value.empty() || ec != std::errc() || end != value.data() + value.size()) {
        error(501, "5.5.4 Syntax: SIZE=number");
        return;
      }
      if (n > cfg_.max_message) {
        note(EngineEvent::Note, "rejected: declared size " + value + " is over the limit");
        error(552, "5.3.4 Message size exceeds fixed maximum message size");
        return;
      }
      size = static_cast<std::size_t>(n);
    } else if (key == "BODY") {
      if (!iequals(value, "7BIT") && !iequals(value, "8BITMIME")) {
        error(501, "5.5.4 Syntax: BODY=7BIT or BODY=8BITMIME");
        return;
      }
    } else if (key == "AUTH") {
      // RFC 4954 section 5: the original submitter; trusted only between relays, ignored.
    } else {
      error(555, "5.5.4 Unsupported option: " + key);
      return;
    }
  }
  reset_transaction();
  from_ = p->address;
  declared_size_ = size;
  set_state(State::Mail);
  reply(250, "2.1.0 Ok");
}

// RFC 5321 section 4.1.1.3.
void SmtpServer::cmd_rcpt(std::string_view args) {
  if (state_ != State::Mail && state_ != State::Rcpt) {
    error(503, "5.5.1 Error: need MAIL command");
    return;
  }
  auto p = smtp::parse_path_arg(args, "TO");
  if (!p) {
    error(501, "5.5.4 Syntax: RCPT TO:<address>");
    return;
  }
  if (!p->params.empty()) {
    error(555, "5.5.4 Unsupported option: " + p->params.front().first);
    return;
  }
  const std::string& addr = p->address;
  if (!smtp::valid_mailbox(addr)) {
    error(501, "5.1.3 Bad recipient address syntax");
    return;
  }
  if (rcpts_.size() >= cfg_.max_recipients) {
    error(452, "4.5.3 Error: too many recipients");
    return;
  }
  switch (backend_.check_recipient(addr, declared_size_)) {
    case SmtpVerdict::Local: break;
    case SmtpVerdict::Remote:
      // Relaying to the outside is for authenticated users only (RFC 5321 section 3.6.2).
      if (user_.empty()) {
        note(EngineEvent::Note, "rejected: relaying to " + addr + " denied");
        error(550, "5.7.1 <" + addr + ">: Relay access denied");
        return;
      }
      break;
    case SmtpVerdict::UnknownUser:
      note(EngineEvent::Note, "rejected: unknown user " + addr);
      error(550, "5.1.1 <" + addr + ">: Recipient address rejected: User unknown");
      return;
    case SmtpVerdict::MailboxFull:
      note(EngineEvent::Note, "rejected: mailbox full (" + addr + ")");
      error(552, "5.2.2 <" + addr + ">: Mailbox full");
      return;
  }
  rcpts_.push_back(addr);
  set_state(State::Rcpt);
  reply(250, "2.1.5 Ok");
}

// RFC 5321 section 4.1.1.4; the data itself is read by handle_data_line.
void SmtpServer::cmd_data(std::string_view args) {
  if (state_ == State::Mail) {
    error(503, "5.5.1 Error: need RCPT command");
    return;
  }
  if (state_ != State::Rcpt) {
    error(503, "5.5.1 Error: need MAIL command");
    return;
  }
  if (!args.empty()) {
    error(501, "5.5.4 Syntax: DATA");
    return;
  }
  data_.clear();
  data_bytes_ = 0;
  data_line_too_long_ = false;
  set_state(State::Data);
  reply(354, "End data with <CR><LF>.<CR><LF>");
}

// RFC 5321 section 4.5.2: a line of one "." ends the data; any other line starting with "."
// lost its first dot to stuffing. Data over the size limit is counted, not kept.
void SmtpServer::handle_data_line(std::string_view line) {
  if (line == ".") {
    finish_data();
    return;
  }
  if (!line.empty() && line.front() == '.') line.remove_prefix(1);
  data_bytes_ += line.size() + 2;
  if (data_bytes_ <= cfg_.max_message) {
    data_.append(line);
    data_ += "\r\n";
  } else if (!data_.empty()) {
    data_.clear();
    data_.shrink_to_fit();
  }
}

void SmtpServer::finish_data() {
  // Whatever happens, the transaction is over (RFC 5321 section 4.1.1.4).
  std::string raw = std::move(data_);
  const std::size_t bytes = data_bytes_;
  const bool long_line = data_line_too_long_;
  SmtpEnvelope env{helo_, user_, from_, rcpts_};
  reset_transaction();
  set_state(State::Ready);
  if (long_line) {
    note(EngineEvent::Note, "rejected: a message line is too long");
    error(554, "5.6.0 Error: message line too long");
    return;
  }
  if (bytes > cfg_.max_message) {
    note(EngineEvent::Note, "rejected: message of " + std::to_string(bytes) + " bytes is too big");
    error(552, "5.3.4 Message size exceeds fixed maximum message size");
    return;
  }
  std::string failed;
  switch (backend_.deliver(env, raw, failed)) {
    case SmtpVerdict::Local:
    case SmtpVerdict::Remote:
      note(EngineEvent::Note, "message queued for " + join(env.rcpts) + " (" +
                                  std::to_string(raw.size()) + " bytes)");
      reply(250, "2.0.0 Ok: queued");
      return;
    case SmtpVerdict::UnknownUser:
      note(EngineEvent::Note, "rejected: unknown user " + failed);
      error(550, "5.1.1 <" + failed + ">: Recipient address rejected: User unknown");
      return;
    case SmtpVerdict::MailboxFull:
      note(EngineEvent::Note, "rejected: mailbox full (" + failed + ")");
      error(552, "5.2.2 <" + failed + ">: Mailbox full");
      return;
  }
}

// RFC 5321 section 4.1.1.5.
void SmtpServer::cmd_rset(std::string_view args) {
  if (!args.empty()) {
    error(501, "5.5.4 Syntax: RSET");
    return;
  }
  reset_transaction();
  if (state_ != State::Connected) set_state(State::Ready);
  reply(250, "2.0.0 Ok");
}

// RFC 5321 section 4.1.1.9: any argument is ignored.
void SmtpServer::cmd_noop(std::string_view) { reply(250, "2.0.0 Ok"); }

// RFC 5321 section 4.1.1.10.
void SmtpServer::cmd_quit(std::string_view) {
  if (state_ == State::Mail || state_ == State::Rcpt)
    note(EngineEvent::Note, "client quit: unfinished message discarded");
  reset_transaction();
  reply(221, "2.0.0 Bye");
  set_state(State::Closed);
  close();
}

// RFC 5321 section 3.5.3: a server that will not say may answer 252.
void SmtpServer::cmd_vrfy(std::string_view args) {
  if (args.empty()) {
    error(501, "5.5.4 Syntax: VRFY address");
    return;
  }
  reply(252, "2.5.2 Cannot VRFY user, but will accept message and attempt delivery");
}

void SmtpServer::cmd_help(std::string_view) {
  std::string list;
  for (const auto& c : commands())
    if (c.handler != &SmtpServer::cmd_not_implemented &&
        (c.handler != &SmtpServer::cmd_starttls || (cfg_.tls.starttls && !tls_active())))
      list += std::string(" ") + c.name;
  reply(214, "2.0.0 Commands:" + list);
}

// RFC 3207 section 4: "STARTTLS" without parameters; 220, then the TLS handshake.
void SmtpServer::cmd_starttls(std::string_view args) {
  if (!cfg_.tls.starttls || tls_active()) return cmd_not_implemented(args);
  if (!args.empty()) {
    error(501, "5.5.4 Syntax error (no parameters allowed)");
    return;
  }
  if (state_ == State::Mail || state_ == State::Rcpt) {
    error(503, "5.5.1 Error: MAIL transaction in progress");
    return;
  }
  reply(220, "2.0.0 Ready to start TLS");
  tls_begun_ = true;
  lines_.discard();
  skipping_ = false;
  request_tls();
}

// RFC 3207 section 4.2: the server forgets what the client said before TLS (its EHLO); the
// client starts again with EHLO.
void SmtpServer::tls_started() {
  Engine::tls_started();
  tls_begun_ = false;
  lines_.discard();
  reset_transaction();
  helo_.clear();
  esmtp_ = false;
  if (state_ != State::Closed && state_ != State::Connected) set_state(State::Connected);
  note(EngineEvent::Note, "TLS started: the session continues inside the tunnel");
}

void SmtpServer::cmd_not_implemented(std::string_view) {
  error(502, "5.5.1 Error: command not implemented");
}

void SmtpServer::peer_closed() {
  if (state_ == State::Closed) return;
  if (state_ == State::Data || state_ == State::Mail || state_ == State::Rcpt)
    note(EngineEvent::Note, "connection lost: unfinished message discarded");
  else
    note(EngineEvent::Note, "client closed the connection");
  reset_transaction();
  set_state(State::Closed);
}

}  // namespace ms
