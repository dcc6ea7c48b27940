// Not-authenticated state: RFC 3501 section 6.2 (AUTHENTICATE 6.2.2, LOGIN 6.2.3), with the
// PLAIN mechanism (RFC 4616) and its initial response on the command line (RFC 4959 SASL-IR).
#include "proto/imap/imap_server.hpp"
#include "util/text.hpp"

namespace ms {

void ImapServer::login_as(Account* acct, const std::string& tag, const std::string& user) {
  watch(acct);
  set_state(State::Authenticated, "logged in as " + user);
  tagged(tag, "OK", "[CAPABILITY " + capabilities(true) + "] Logged in");
}

// RFC 3501 section 6.2.3
void ImapServer::cmd_login(const imap::Command& c) {
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
  if (c.args[0].upper() != "PLAIN")
    return tagged(c.tag, "NO", "Unsupported authentication mechanism");
  if (c.args.size() == 2) {
    if (!c.args[1].is_atom()) return tagged(c.tag, "BAD", "invalid initial response");
    return finish_auth_plain(c.tag, c.args[1].text);
  }
  mode_ = Mode::AuthPlain;
  mode_tag_ = c.tag;
  reader_.expect_raw_line();
  send("+ \r\n");
}

void ImapServer::finish_auth_plain(const std::string& tag, std::string_view b64) {
  // RFC 3501 6.2.2: "*" cancels the exchange; RFC 4959: "=" is an empty initial response.
  if (b64 == "*") return tagged(tag, "BAD", "AUTHENTICATE cancelled");
  auto plain = b64 == "=" ? std::optional<std::string>("") : base64_decode(b64);
  if (!plain) return tagged(tag, "BAD", "invalid base64 in AUTHENTICATE response");
  // RFC 4616: [authzid] NUL authcid NUL passwd
  std::size_t a = plain->find('\0');
  std::size_t b = a == std::string::npos ? a : plain->find('\0', a + 1);
  if (b == std::string::npos) return tagged(tag, "BAD", "malformed PLAIN response");
  std::string authz = plain->substr(0, a), user = plain->substr(a + 1, b - a - 1),
              pass = plain->substr(b + 1);
  Account* acct = server_.find(user);
  if (!acct || acct->password.empty() || acct->password != pass ||
      (!authz.empty() && authz != user)) {
    note(EngineEvent::Note, "AUTHENTICATE PLAIN failed for \"" + printable(user) + "\"");
    return tagged(tag, "NO", "[AUTHENTICATIONFAILED] Authentication failed.");
  }
  login_as(acct, tag, user);
}

}  // namespace ms
