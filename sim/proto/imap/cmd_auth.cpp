// Not-authenticated state: RFC 3501 section 6.2 (AUTHENTICATE 6.2.2, LOGIN 6.2.3), with the
// PLAIN mechanism (RFC 4616) and its initial response on the command line (RFC 4959 SASL-IR).
#include "proto/imap/imap_server.hpp"
#include "proto/sasl.hpp"
#include "util/text.hpp"

namespace ms {

void ImapServer::login_as(Account* acct, const std::string& tag, const std::string& user) {
  watch(acct);
  set_state(State::Authenticated, "logged in as " + user);
  tagged(tag, "OK", "[CAPABILITY " + capabilities(true) + "] Logged in");
}

// RFC 3501 section 6.2.1: STARTTLS. The tagged OK is the last plaintext; the server then
// forgets everything it buffered (see receive) and waits for the ClientHello.
void ImapServer::cmd_starttls(const imap::Command& c) {
  if (!c.args.empty()) return tagged(c.tag, "BAD", "STARTTLS takes no arguments");
  if (!tls_.starttls || tls_active())
    return tagged(c.tag, "BAD", tls_active() ? "TLS is already active" : "STARTTLS not offered");
  tagged(c.tag, "OK", "Begin TLS negotiation now");
  tls_begun_ = true;
  reader_ = imap::CommandReader();
  request_tls();
}

void ImapServer::tls_started() {
  Engine::tls_started();
  tls_begun_ = false;
  reader_ = imap::CommandReader();
  note(EngineEvent::Note, "TLS started: the session continues inside the tunnel");
}

// RFC 3501 section 6.2.3 (LOGINDISABLED) and 11.1: with TLS required, no password in clear.
bool ImapServer::plaintext_refused(const std::string& tag) {
  if (!tls_.require_tls || tls_active()) return false;
  note(EngineEvent::Note, "plaintext login refused before STARTTLS");
  tagged(tag, "NO", "[PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure connections.");
  return true;
}

// RFC 3501 section 6.2.3
void ImapServer::cmd_login(const imap::Command& c) {
  if (plaintext_refused(c.tag)) return;
  std::optional<std::string> user, pass;
  if (c.args.size() == 2) {
    user = c.args[0].astring();
    pass = c.args[1].astring();
  }
  if (!user || !pass) return tagged(c.tag, "BAD", "LOGIN needs a user name and a password");
  Account* acct = server_.find(*user);
  if (!acct || acct->password.empty() || acct->password != *pass) {
    note(EngineEvent::Note, "login failed for \"" + *user + "\"");
    return tagged(c.tag, "NO", "[AUTHENTICATIONFAILED] Authentication failed.");
  }
  login_as(acct, c.tag, *user);
}

// RFC 3501 section 6.2.2 and RFC 4959: "AUTHENTICATE PLAIN <base64>" answers at once;
// "AUTHENTICATE PLAIN" asks for the response with an empty "+ " challenge.
void ImapServer::cmd_authenticate(const imap::Command& c) {
  if (c.args.empty() || c.args.size() > 2 || !c.args[0].is_atom())
    return tagged(c.tag, "BAD", "AUTHENTICATE needs a mechanism name");
  if (plaintext_refused(c.tag)) return;
  if (c.args[0].upper() != "PLAIN")
    return tagged(c.tag, "NO", "Unsupported authentication mechanism");
  if (c.args.size() == 2) {
    if (!c.args[1].is_atom()) return tagged(c.tag, "BAD", "invalid initial response");
    return finish_auth_plain(c.tag, c.args[1].text, true);
  }
  mode_ = Mode::AuthPlain;
  mode_tag_ = c.tag;
  reader_.expect_raw_line();
  send("+ \r\n");
}

void ImapServer::finish_auth_plain(const std::string& tag, std::string_view b64, bool initial) {
  const sasl::Response r = sasl::read_response(b64, initial);
  switch (r.outcome) {
    case sasl::Outcome::Decoded: break;
    // RFC 3501 section 6.2.2: BAD for a cancelled exchange or an undecodable response.
    case sasl::Outcome::Cancelled: return tagged(tag, "BAD", "AUTHENTICATE cancelled");
    case sasl::Outcome::NotBase64:
      return tagged(tag, "BAD", "invalid base64 in AUTHENTICATE response");
    case sasl::Outcome::Malformed:
    case sasl::Outcome::NotPermitted:
      note(EngineEvent::Note, "AUTHENTICATE PLAIN failed: " + r.why);
      return tagged(tag, "NO", "[AUTHENTICATIONFAILED] Authentication failed.");
  }
  const std::string& user = r.plain.authcid;
  Account* acct = server_.find(user);
  if (!acct || acct->password.empty() || acct->password != r.plain.passwd) {
    note(EngineEvent::Note, "AUTHENTICATE PLAIN failed for \"" + printable(user) + "\"");
    return tagged(tag, "NO", "[AUTHENTICATIONFAILED] Authentication failed.");
  }
  login_as(acct, tag, user);
}

}  // namespace ms
