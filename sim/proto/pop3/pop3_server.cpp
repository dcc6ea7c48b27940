#include "proto/pop3/pop3_server.hpp"

#include "proto/sasl.hpp"
#include "util/text.hpp"

namespace ms {

std::string pop3_stuff(std::string_view raw) {
  std::string out;
  out.reserve(raw.size() + 16);
  bool bol = true;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (bol && c == '.') out += '.';
    // Bare LF is sent as CRLF: the multi-line grammar is CRLF-terminated lines.
    if (c == '\n' && (i == 0 || raw[i - 1] != '\r')) out += '\r';
    out += c;
    bol = c == '\n';
  }
  if (!out.empty() && !bol) out += "\r\n";
  return out;
}

std::string pop3_canonical(std::string_view raw) {
  // The message as it travels, before byte-stuffing: CRLF line ends, ending in CRLF. Sizes
  // in STAT, LIST and the RETR reply count these octets (RFC 1939 section 11: "the exact size
  // of the message ... in octets", with CRLF line ends).
  std::string out;
  out.reserve(raw.size() + 16);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) out += '\r';
    out += raw[i];
  }
  if (!out.empty() && out.back() != '\n') out += "\r\n";
  return out;
}

std::size_t pop3_octets(std::string_view raw) {
  std::size_t n = raw.size();
  for (std::size_t i = 0; i < raw.size(); ++i)
    if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) ++n;
  if (!raw.empty() && raw.back() != '\n') n += 2;
  return n;
}

const std::vector<Pop3Server::Command>& Pop3Server::commands() {
  // {name, handler, valid in AUTHORIZATION, valid in TRANSACTION, RFC section}
  static const std::vector<Command> table = {
      {"STLS", &Pop3Server::cmd_stls, true, false, "RFC 2595 section 4"},
      {"USER", &Pop3Server::cmd_user, true, false, "RFC 1939 section 7"},
      {"PASS", &Pop3Server::cmd_pass, true, false, "RFC 1939 section 7"},
      {"APOP", &Pop3Server::cmd_apop, true, false, "RFC 1939 section 7"},
      {"AUTH", &Pop3Server::cmd_auth, true, false, "RFC 5034 section 4"},
      {"CAPA", &Pop3Server::cmd_capa, true, true, "RFC 2449 section 5"},
      {"STAT", &Pop3Server::cmd_stat, false, true, "RFC 1939 section 5"},
      {"LIST", &Pop3Server::cmd_list, false, true, "RFC 1939 section 5"},
      {"RETR", &Pop3Server::cmd_retr, false, true, "RFC 1939 section 5"},
      {"TOP", &Pop3Server::cmd_top, false, true, "RFC 1939 section 7"},
      {"DELE", &Pop3Server::cmd_dele, false, true, "RFC 1939 section 5"},
      {"NOOP", &Pop3Server::cmd_noop, false, true, "RFC 1939 section 5"},
      {"RSET", &Pop3Server::cmd_rset, false, true, "RFC 1939 section 5"},
      {"UIDL", &Pop3Server::cmd_uidl, false, true, "RFC 1939 section 7"},
      {"QUIT", &Pop3Server::cmd_quit, true, true, "RFC 1939 sections 4 and 6"},
  };
  return table;
}

Pop3Server::Pop3Server(MailServer& server, std::string apop_token, ServerTls tls)
    : server_(server), token_(std::move(apop_token)), tls_(tls) {
  if (token_.empty()) token_ = "<1.0@" + server_.settings.hostname + ">";
  reply_ok("POP3 server ready " + token_);
}

Pop3Server::~Pop3Server() { release(); }

std::string Pop3Server::state_name() const {
  switch (state_) {
    case State::Authorization: return "AUTHORIZATION";
    case State::Transaction: return "TRANSACTION";
    case State::Update: return "UPDATE";
    case State::Closed: return "CLOSED";
  }
  return "";
}

void Pop3Server::set_state(State s, const std::string& why) {
  if (s == state_) return;
  std::string from = state_name();
  state_ = s;
  state_changed(std::move(from), why);
}

void Pop3Server::release() {
  if (account_ && account_->pop3_locked) account_->pop3_locked = false;
  account_ = nullptr;
}

void Pop3Server::receive(std::string_view bytes) {
  // After "+OK Begin TLS negotiation" plaintext that reaches the engine before the handshake
  // was never protected and is dropped (RFC 2595 section 4; CVE-2011-0411).
  auto waiting_for_tls = [this] { return tls_begun_ && !tls_active(); };
  for (std::size_t pos = 0; pos < bytes.size() && state_ != State::Closed && !waiting_for_tls();) {
    if (skipping_) {
      // The rest of an over-long line: drop it up to its LF, answering nothing more.
      std::size_t nl = bytes.find('\n', pos);
      if (nl == std::string_view::npos) return;
      skipping_ = false;
      pos = nl + 1;
      continue;
    }
    std::size_t nl = bytes.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? bytes.size() : nl + 1;
    in_.feed(bytes.substr(pos, end - pos));
    pos = end;
    std::string l;
    // Pipelined commands (RFC 2449 section 6.6) are answered strictly in order.
    if (in_.next(l)) {
      line(l);
    } else if (in_.pending() > kMaxLine + 2) {
      // Longer than any line we accept even before its CRLF: answer once, then resynchronise
      // at the next LF, so that the reply is the same however the bytes are split.
      in_.discard();
      skipping_ = true;
      sasl_pending_ = false;  // the SASL exchange cannot continue after a lost line
      reply_err("line too long");
    }
  }
}

void Pop3Server::peer_closed() {
  if (state_ == State::Closed) return;
  // RFC 1939 section 6: without QUIT the server must not enter UPDATE; marks are forgotten.
  std::size_t marked = 0;
  for (const auto& m : msgs_) marked += m.deleted;
  if (state_ == State::Transaction)
    note(EngineEvent::Note, "connection lost before QUIT: " + std::to_string(marked) +
                                " message(s) marked for deletion stay on the server");
  release();
  set_state(State::Closed, "");
}

void Pop3Server::line(std::string_view l) {
  if (l.size() > kMaxLine) {
    sasl_pending_ = false;
    reply_err("line too long");
    return;
  }
  if (sasl_pending_) {
    sasl_pending_ = false;
    auth_plain(l, false);
    return;
  }
  std::string_view name = l.substr(0, l.find(' '));
  std::string_view args = name.size() < l.size() ? l.substr(name.size() + 1) : std::string_view();
  for (const auto& c : commands()) {
    if (!iequals(name, c.name)) continue;
    bool ok = state_ == State::Authorization ? c.in_authorization : c.in_transaction;
    if (!ok) {
      reply_err(std::string(c.name) + " not valid in the " + state_name() + " state");
      return;
    }
    (this->*c.handler)(args);
    return;
  }
  reply_err("unknown command");
}

void Pop3Server::multiline(const std::string& first, const std::string& body) {
  send((first.empty() ? "+OK\r\n" : "+OK " + first + "\r\n") + body + ".\r\n");
}

Pop3Server::Msg* Pop3Server::msg_arg(std::string_view arg, std::size_t* number) {
  auto n = parse_number(arg, 9);
  if (!n || *n == 0 || *n > msgs_.size()) {
    reply_err("no such message");
    return nullptr;
  }
  if (number) *number = *n;
  Msg& m = msgs_[*n - 1];
  if (m.deleted) {
    reply_err("message " + std::to_string(*n) + " already deleted");
    return nullptr;
  }
  return &m;
}

std::string Pop3Server::unique_id(const Msg& m) const {
  // Stable across sessions (RFC 1939 section 7): derived from UIDVALIDITY and the IMAP UID of
  // the same message, as servers that serve both protocols from one store do.
  return std::to_string(uidvalidity_) + "." + std::to_string(m.uid);
}

std::size_t Pop3Server::live_count() const {
  std::size_t n = 0;
  for (const auto& m : msgs_) n += !m.deleted;
  return n;
}
std::size_t Pop3Server::live_octets() const {
  std::size_t n = 0;
  for (const auto& m : msgs_)
    if (!m.deleted) n += m.octets;
  return n;
}

bool Pop3Server::login(const std::string& login_name, const std::string& pass, bool apop_ok) {
  // Gmail's "recent mode" (a "recent:" prefix on the user name) re-offers messages that
  // were already popped. Mailscope offers all of them: its runs are shorter than the 30 days
  // Gmail looks back.
  bool recent = server_.settings.pop3_popped_once && login_name.rfind("recent:", 0) == 0;
  std::string user = recent ? login_name.substr(7) : login_name;
  Account* a = server_.find(user);
  bool good = a && (apop_ok || (!a->password.empty() && a->password == pass));
  if (!good) {
    ++failed_logins_;
    note(EngineEvent::Note, "login failed for \"" + user + "\"");
    reply_err("[AUTH] invalid user name or password");
    user_.clear();
    return false;
  }
  if (a->pop3_locked) {
    // RFC 2449 section 8.1.1: IN-USE says another session holds the maildrop.
    note(EngineEvent::Note, "maildrop of " + user + " is locked by another session");
    reply_err("[IN-USE] maildrop already locked by another session");
    user_.clear();
    return false;
  }
  a->pop3_locked = true;
  account_ = a;
  user_ = user;
  expire_retrieved();
  const Folder* inbox = a->store.folder("INBOX");
  msgs_.clear();
  if (inbox) {
    uidvalidity_ = inbox->uidvalidity;
    for (const auto& e : inbox->entries) {
      if (server_.settings.pop3_popped_once && !recent && a->pop3_popped.count(e.uid)) continue;
      Body b = e.body ? e.body : make_body("");
      std::size_t octets = pop3_octets(b->raw);
      msgs_.push_back({e.uid, std::move(b), octets, false});
    }
  }
  set_state(State::Transaction, "maildrop of " + user + " locked");
  reply_ok("maildrop has " + std::to_string(msgs_.size()) + " messages (" +
           std::to_string(live_octets()) + " octets)");
  return true;
}

void Pop3Server::expire_retrieved() {
  // RFC 2449 section 6.7: with "EXPIRE n" the server may delete a message n days after it
  // was first retrieved. Applied when a session opens the maildrop, before it is listed.
  int days = server_.settings.retention_days;
  if (days <= 0 || !server_.clock || !account_) return;
  const Tick limit = static_cast<Tick>(days) * 86'400'000'000LL;
  const Tick now = server_.clock();
  std::vector<std::uint32_t> old;
  for (const auto& [uid, when] : account_->pop3_retrieved)
    if (now - when >= limit) old.push_back(uid);
  std::size_t removed = 0;
  for (auto uid : old) {
    removed += account_->store.remove("INBOX", uid);
    account_->pop3_retrieved.erase(uid);
  }
  if (removed)
    note(EngineEvent::Note, "EXPIRE " + std::to_string(days) + ": removed " +
                                std::to_string(removed) + " message(s) retrieved " +
                                std::to_string(days) + " or more days ago");
}

// RFC 2595 section 4: STLS, in the AUTHORIZATION state before any login, without arguments.
void Pop3Server::cmd_stls(std::string_view args) {
  if (!args.empty()) return reply_err("STLS takes no arguments");
  if (!tls_.starttls || tls_active())
    return reply_err(tls_active() ? "TLS is already active" : "STLS not offered");
  reply_ok("Begin TLS negotiation now");
  tls_begun_ = true;
  in_.discard();
  skipping_ = false;
  request_tls();
}

void Pop3Server::tls_started() {
  Engine::tls_started();
  tls_begun_ = false;
  in_.discard();
  user_.clear();
  note(EngineEvent::Note, "TLS started: the session continues inside the tunnel");
}

// With TLS required, the password never crosses in clear: USER, PASS and AUTH PLAIN get
// -ERR before STLS, as RFC 2595 section 2.1 lets a server insist.
bool Pop3Server::plaintext_refused() {
  if (!tls_.require_tls || tls_active()) return false;
  note(EngineEvent::Note, "plaintext login refused before STLS");
  reply_err("[AUTH] Plaintext authentication disallowed on non-secure connections: use STLS");
  return true;
}

void Pop3Server::cmd_user(std::string_view args) {
  if (plaintext_refused()) return;
  if (args.empty()) return reply_err("USER needs a mailbox name");
  user_ = std::string(args);
  reply_ok("send PASS");
}

void Pop3Server::cmd_pass(std::string_view args) {
  if (plaintext_refused()) return;
  if (user_.empty()) return reply_err("send USER first");
  login(user_, std::string(args), false);
}

void Pop3Server::cmd_apop(std::string_view args) {
  auto parts = split_spaces(args);
  if (parts.size() != 2 || parts[1].size() != 32) return reply_err("APOP needs name and digest");
  Account* a = server_.find(std::string(parts[0]));
  bool ok = a && !a->password.empty() && md5_hex(token_ + a->password) == parts[1];
  if (!ok) {
    ++failed_logins_;
    reply_err("[AUTH] invalid user name or digest");
    return;
  }
  login(std::string(parts[0]), "", true);
}

void Pop3Server::cmd_auth(std::string_view args) {
  if (args.empty()) {
    // RFC 5034 requires a mechanism name; a bare AUTH is the pre-standard probe some clients
    // still send, answered (as Dovecot does) with a multi-line list of the mechanisms.
    multiline("", "PLAIN\r\n");
    return;
  }
  auto parts = split_spaces(args);
  if (!iequals(parts[0], "PLAIN")) return reply_err("unsupported authentication mechanism");
  if (plaintext_refused()) return;
  if (parts.size() == 1) {
    sasl_pending_ = true;
    send("+ \r\n");
    return;
  }
  if (parts.size() != 2) return reply_err("AUTH PLAIN takes one initial response");
  auth_plain(parts[1], true);
}

// RFC 5034 section 4: the client's response to "+ " (or its initial response) is one base64
// line, or "*" to cancel; either failure of the exchange is a plain -ERR, and a message that
// names no valid credentials fails like a wrong password, with [AUTH] (RFC 3206 section 4).
void Pop3Server::auth_plain(std::string_view response, bool initial) {
  const sasl::Response r = sasl::read_response(response, initial);
  switch (r.outcome) {
    case sasl::Outcome::Decoded: login(r.plain.authcid, r.plain.passwd, false); return;
    case sasl::Outcome::Cancelled: reply_err("AUTH cancelled"); return;
    case sasl::Outcome::NotBase64: reply_err("invalid base64 in AUTH response"); return;
    case sasl::Outcome::Malformed:
    case sasl::Outcome::NotPermitted:
      ++failed_logins_;
      note(EngineEvent::Note, "AUTH PLAIN failed: " + r.why);
      reply_err("[AUTH] invalid user name or password");
      return;
  }
}

void Pop3Server::cmd_capa(std::string_view) {
  // Before TLS, a server that requires it offers no plaintext login (RFC 2449 section 5: CAPA
  // lists what is available now) and offers STLS (RFC 2595 section 4).
  const bool clear = !tls_active() && state_ == State::Authorization;
  const bool no_plain = clear && tls_.require_tls;
  std::string caps = no_plain ? "TOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\n"
                              : "TOP\r\nUIDL\r\nUSER\r\nSASL PLAIN\r\nRESP-CODES\r\n"
                                "AUTH-RESP-CODE\r\nPIPELINING\r\n";
  if (clear && tls_.starttls) caps += "STLS\r\n";
  int days = server_.settings.retention_days;
  caps += "EXPIRE " + (days > 0 ? std::to_string(days) : std::string("NEVER")) + "\r\n";
  caps += "LOGIN-DELAY 0\r\nIMPLEMENTATION Mailscope\r\n";
  multiline("Capability list follows", caps);
}

void Pop3Server::cmd_stat(std::string_view args) {
  if (!args.empty()) return reply_err("STAT takes no arguments");
  reply_ok(std::to_string(live_count()) + " " + std::to_string(live_octets()));
}

void Pop3Server::cmd_list(std::string_view args) {
  if (!args.empty()) {
    std::size_t n = 0;
    Msg* m = msg_arg(args, &n);
    if (m) reply_ok(std::to_string(n) + " " + std::to_string(m->octets));
    return;
  }
  std::string body;
  for (std::size_t i = 0; i < msgs_.size(); ++i)
    if (!msgs_[i].deleted)
      body += std::to_string(i + 1) + " " + std::to_string(msgs_[i].octets) + "\r\n";
  multiline(std::to_string(live_count()) + " messages (" + std::to_string(live_octets()) +
                " octets)",
            body);
}

void Pop3Server::cmd_retr(std::string_view args) {
  Msg* m = msg_arg(args);
  if (!m) return;
  if (server_.settings.pop3_popped_once && account_->pop3_popped.insert(m->uid).second) {
    // The views draw the message as popped from here on: they read it from the trace.
    EngineEvent e;
    e.kind = EngineEvent::MessagePopped;
    e.id = account_->name;
    e.folder = "INBOX";
    e.uid = m->uid;
    e.text = "UID " + std::to_string(m->uid) + " popped: not offered to POP3 again";
    event(std::move(e));
  }
  if (server_.clock) account_->pop3_retrieved.emplace(m->uid, server_.clock());
  multiline(std::to_string(m->octets) + " octets", pop3_stuff(pop3_canonical(m->body->raw)));
}

void Pop3Server::cmd_top(std::string_view args) {
  auto parts = split_spaces(args);
  if (parts.size() != 2) return reply_err("TOP needs a message number and a line count");
  auto lines = parse_number(parts[1], 9);
  if (!lines) return reply_err("invalid line count");
  Msg* m = msg_arg(parts[0]);
  if (!m) return;
  const std::string raw = pop3_canonical(m->body->raw);
  // Header, the blank line, then at most `lines` lines of the body (RFC 1939 section 7).
  std::size_t sep = raw.find("\r\n\r\n");
  std::size_t end = sep == std::string::npos ? raw.size() : sep + 4;
  for (std::uint64_t k = 0; k < *lines && end < raw.size(); ++k) {
    std::size_t nl = raw.find('\n', end);
    end = nl == std::string::npos ? raw.size() : nl + 1;
  }
  // "+OK <n> octets" as for RETR (n counts the lines sent, before byte-stuffing), as
  // production servers answer: Wireshark's POP dissector reads n to reassemble the reply.
  multiline(std::to_string(end) + " octets", pop3_stuff(std::string_view(raw).substr(0, end)));
}

void Pop3Server::cmd_dele(std::string_view args) {
  std::size_t n = 0;
  Msg* m = msg_arg(args, &n);
  if (!m) return;
  m->deleted = true;  // only marked: removal happens in the UPDATE state
  reply_ok("message " + std::to_string(n) + " deleted");
}

void Pop3Server::cmd_noop(std::string_view args) {
  if (!args.empty()) return reply_err("NOOP takes no arguments");
  reply_ok("");
}

void Pop3Server::cmd_rset(std::string_view args) {
  if (!args.empty()) return reply_err("RSET takes no arguments");
  for (auto& m : msgs_) m.deleted = false;
  reply_ok("maildrop has " + std::to_string(live_count()) + " messages (" +
           std::to_string(live_octets()) + " octets)");
}

void Pop3Server::cmd_uidl(std::string_view args) {
  if (!args.empty()) {
    std::size_t n = 0;
    Msg* m = msg_arg(args, &n);
    if (m) reply_ok(std::to_string(n) + " " + unique_id(*m));
    return;
  }
  std::string body;
  for (std::size_t i = 0; i < msgs_.size(); ++i)
    if (!msgs_[i].deleted) body += std::to_string(i + 1) + " " + unique_id(msgs_[i]) + "\r\n";
  multiline("", body);
}

void Pop3Server::cmd_quit(std::string_view) {
  if (state_ == State::Authorization) {
    reply_ok(server_.settings.hostname + " POP3 server signing off");
    set_state(State::Closed, "");
    close();
    return;
  }
  set_state(State::Update, "QUIT received");
  std::size_t removed = 0;
  for (const auto& m : msgs_)
    if (m.deleted && account_ && account_->store.remove("INBOX", m.uid)) ++removed;
  std::size_t left = account_ && account_->store.folder("INBOX")
                         ? account_->store.folder("INBOX")->entries.size()
                         : 0;
  if (removed)
    note(EngineEvent::Note,
         "removed " + std::to_string(removed) + " message(s) from the maildrop");
  release();
  reply_ok(server_.settings.hostname + " POP3 server signing off (" + std::to_string(left) +
           " messages left)");
  set_state(State::Closed, "");
  close();
}

}  // namespace ms
