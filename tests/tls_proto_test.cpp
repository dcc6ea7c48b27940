// STARTTLS, STLS and implicit TLS in the engines (RFC 3501 section 6.2.1, RFC 2595 section 4,
// RFC 3207, RFC 8314): what the servers offer and refuse before TLS, the plaintext pipelined
// after the "go ahead" being discarded (the STARTTLS command injection of CVE-2011-0411), and
// client and server talking through real TLS records. Plaintext exchanges are fed whole and
// one byte at a time and must give the same bytes.
#include <catch2/catch.hpp>

#include <functional>
#include <memory>

#include "model/account.hpp"
#include "proto/imap/imap_client.hpp"
#include "proto/imap/imap_server.hpp"
#include "proto/pop3/pop3_client.hpp"
#include "proto/pop3/pop3_server.hpp"
#include "proto/secure.hpp"
#include "proto/smtp/smtp_backend.hpp"
#include "proto/smtp/smtp_client.hpp"
#include "proto/smtp/smtp_server.hpp"

using namespace ms;

namespace {

const ServerTls kRequired{.starttls = true, .require_tls = true};
const std::string kMsg =
    "From: bob@example.com\r\nTo: alice@mail.example.com\r\nSubject: Hello\r\n"
    "Message-ID: <1@example.com>\r\n\r\nThe secret plans.\r\n";

struct Fixture {
  MailServer server;
  MailServerSmtpBackend backend{server};
  Fixture() {
    Account& a = server.add_account("alice", "secret", 100);
    a.store.append("INBOX", make_body(kMsg), {}, 0);
    backend.now = [] { return Tick{42}; };
  }
};

std::string out(Engine& e) {
  std::string s;
  for (auto& u : e.take_output()) s += u;
  return s;
}

std::string feed(Engine& e, std::string_view in, bool bytewise) {
  if (bytewise)
    for (char c : in) e.receive(std::string_view(&c, 1));
  else
    e.receive(in);
  return out(e);
}

// Runs `script` against a fresh engine twice, fed whole and byte by byte; both transcripts
// must be equal. The script gets the engine and a feed and returns the transcript.
using Script = std::function<std::string(Fixture&, bool)>;
std::string both_ways(const Script& script) {
  Fixture a, b;
  std::string whole = script(a, false);
  CHECK(whole == script(b, true));
  return whole;
}

}  // namespace

TEST_CASE("IMAP server requiring TLS offers STARTTLS, says LOGINDISABLED and refuses LOGIN",
          "[tls][imap]") {
  std::string t = both_ways([](Fixture& f, bool bytewise) {
    ImapServer s(f.server, kRequired);
    std::string t = out(s);
    t += feed(s, "a1 CAPABILITY\r\n", bytewise);
    t += feed(s, "a2 LOGIN alice secret\r\n", bytewise);
    t += feed(s, "a3 AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==\r\n", bytewise);
    return t;
  });
  const std::string caps =
      "IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE UIDPLUS MOVE SPECIAL-USE UNSELECT NAMESPACE "
      "CHILDREN CONDSTORE QRESYNC LOGINDISABLED STARTTLS";
  CHECK(t == "* OK [CAPABILITY " + caps + "] mail.example.com Mailscope IMAP4rev1 ready\r\n"
             "* CAPABILITY " + caps + "\r\n"
             "a1 OK CAPABILITY completed\r\n"
             "a2 NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure "
             "connections.\r\n"
             "a3 NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure "
             "connections.\r\n");
}

TEST_CASE("IMAP server discards plaintext pipelined after STARTTLS (command injection)",
          "[tls][imap]") {
  both_ways([](Fixture& f, bool bytewise) {
    ImapServer s(f.server, kRequired);
    out(s);
    // The attacker's LOGIN rides in the same packet as STARTTLS; it must never be answered.
    std::string t = feed(s, "a1 STARTTLS\r\na2 LOGIN alice secret\r\n", bytewise);
    CHECK(t == "a1 OK Begin TLS negotiation now\r\n");
    CHECK(s.take_tls_request());
    CHECK(feed(s, "a3 NOOP\r\n", bytewise) == "");  // still before the handshake
    s.tls_started();
    t = feed(s, "b1 CAPABILITY\r\nb2 LOGIN alice secret\r\n", bytewise);
    CHECK(t == "* CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE UIDPLUS MOVE SPECIAL-USE "
               "UNSELECT NAMESPACE CHILDREN CONDSTORE QRESYNC AUTH=PLAIN\r\n"
               "b1 OK CAPABILITY completed\r\n"
               "b2 OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE UIDPLUS MOVE "
               "SPECIAL-USE UNSELECT NAMESPACE CHILDREN CONDSTORE QRESYNC] Logged in\r\n");
    CHECK(s.state_name() == "AUTHENTICATED");
    // Inside TLS, STARTTLS is refused (RFC 3501 section 6.2.1: not in the authenticated state).
    CHECK(feed(s, "b3 STARTTLS\r\n", bytewise) ==
          "b3 BAD STARTTLS not allowed in the AUTHENTICATED state\r\n");
    return t;
  });
}

TEST_CASE("IMAP server without TLS configured answers as before and refuses STARTTLS",
          "[tls][imap]") {
  Fixture f;
  ImapServer s(f.server);
  std::string g = out(s);
  CHECK(g.find("AUTH=PLAIN]") != std::string::npos);
  CHECK(g.find("STARTTLS") == std::string::npos);
  CHECK(feed(s, "a1 STARTTLS\r\n", false) == "a1 BAD STARTTLS not offered\r\n");
  CHECK_FALSE(s.take_tls_request());
}

TEST_CASE("POP3 server requiring TLS lists STLS, refuses USER and PASS, drops injected lines",
          "[tls][pop3]") {
  both_ways([](Fixture& f, bool bytewise) {
    Pop3Server s(f.server, "<1.2@mail.example.com>", kRequired);
    std::string t = out(s);
    t += feed(s, "CAPA\r\nUSER alice\r\nPASS secret\r\nAUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n",
              bytewise);
    CHECK(t == "+OK POP3 server ready <1.2@mail.example.com>\r\n"
               "+OK Capability list follows\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\n"
               "PIPELINING\r\nSTLS\r\nEXPIRE NEVER\r\nLOGIN-DELAY 0\r\nIMPLEMENTATION "
               "Mailscope\r\n.\r\n"
               "-ERR [AUTH] Plaintext authentication disallowed on non-secure connections: use "
               "STLS\r\n"
               "-ERR [AUTH] Plaintext authentication disallowed on non-secure connections: use "
               "STLS\r\n"
               "-ERR [AUTH] Plaintext authentication disallowed on non-secure connections: use "
               "STLS\r\n");
    CHECK(feed(s, "STLS\r\nUSER alice\r\nPASS secret\r\n", bytewise) ==
          "+OK Begin TLS negotiation now\r\n");
    CHECK(s.take_tls_request());
    s.tls_started();
    std::string in = feed(s, "PASS secret\r\nCAPA\r\nUSER alice\r\nPASS secret\r\n", bytewise);
    // The injected USER was forgotten: PASS alone is out of order.
    CHECK(in.rfind("-ERR send USER first\r\n+OK Capability list follows\r\nTOP\r\nUIDL\r\nUSER\r\n"
                   "SASL PLAIN\r\n", 0) == 0);
    CHECK(in.find("STLS") == std::string::npos);
    CHECK(s.state() == Pop3Server::State::Transaction);
    return t;
  });
}

TEST_CASE("SMTP submission requiring TLS offers STARTTLS and no AUTH until it ran",
          "[tls][smtp]") {
  both_ways([](Fixture& f, bool bytewise) {
    SmtpServerConfig cfg;
    cfg.tls = kRequired;
    SmtpServer s(f.backend, cfg);
    std::string t = out(s);
    t += feed(s, "EHLO client.example.com\r\nAUTH PLAIN AGFsaWNlAHNlY3JldA==\r\nHELP\r\n", bytewise);
    CHECK(t == "220 mail.example.com ESMTP Mailscope\r\n"
               "250-mail.example.com Hello client.example.com\r\n250-PIPELINING\r\n"
               "250-SIZE 10485760\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250 STARTTLS\r\n"
               "530 5.7.0 Must issue a STARTTLS command first\r\n"
               "214 2.0.0 Commands: EHLO HELO AUTH MAIL RCPT DATA RSET VRFY HELP NOOP QUIT "
               "STARTTLS\r\n");
    CHECK(feed(s, "STARTTLS\r\nAUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n", bytewise) ==
          "220 2.0.0 Ready to start TLS\r\n");
    CHECK(s.take_tls_request());
    s.tls_started();
    CHECK(s.state_name() == "CONNECTED");  // RFC 3207 4.2: the EHLO is forgotten
    std::string in = feed(s, "EHLO client.example.com\r\nAUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n",
                          bytewise);
    CHECK(in == "250-mail.example.com Hello client.example.com\r\n250-PIPELINING\r\n"
                "250-SIZE 10485760\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n"
                "250 AUTH PLAIN LOGIN\r\n235 2.7.0 Authentication successful\r\n");
    return t;
  });
}

// ---- Client and server through real TLS ------------------------------------------------------

namespace {

struct Wire {
  std::vector<SecureEnd::Unit> units;  // in the order they crossed
  std::string all;                     // every wire byte
  std::string plain;                   // what the engines said
};

// Carries units between the ends until both are quiet; `bytewise` delivers them one byte at
// a time.
Wire talk(SecureEnd& client, SecureEnd& server, bool bytewise = false) {
  Wire w;
  auto deliver = [&](SecureEnd& to, const SecureEnd::Unit& u) {
    if (bytewise)
      for (char c : u.wire) to.receive(std::string_view(&c, 1));
    else
      to.receive(u.wire);
  };
  for (int round = 0; round < 200; ++round) {
    bool any = false;
    for (auto& u : server.take_units()) {
      w.all += u.wire, w.plain += u.plain, any = true;
      deliver(client, u);
      w.units.push_back(std::move(u));
    }
    for (auto& u : client.take_units()) {
      w.all += u.wire, w.plain += u.plain, any = true;
      deliver(server, u);
      w.units.push_back(std::move(u));
    }
    if (!any) break;
  }
  return w;
}

ImapPlan alice_imap(bool starttls) {
  ImapPlan p;
  p.user = "alice";
  p.pass = "secret";
  p.starttls = starttls;
  p.mailboxes.push_back({});
  p.mailboxes.back().name = "INBOX";
  return p;
}

}  // namespace

TEST_CASE("An IMAP client set to STARTTLS logs in inside TLS; the wire never shows the password",
          "[tls][imap]") {
  for (bool bytewise : {false, true}) {
    Fixture f;
    tls::Context ctx(1);
    ImapServer s(f.server, kRequired);
    ImapClient c(alice_imap(true));
    SecureEnd se(s, tls::Role::Server, Security::StartTls, &ctx);
    SecureEnd ce(c, tls::Role::Client, Security::StartTls, &ctx, tls::kSimEpoch + 60);
    Wire w = talk(ce, se, bytewise);
    CHECK(c.state_name() == "LOGOUT");
    // In clear: the greeting, STARTTLS and its OK; then only TLS records.
    REQUIRE(w.units.size() > 4);
    CHECK_FALSE(w.units[0].tls);
    CHECK(w.units[1].wire == "A1 STARTTLS\r\n");
    CHECK(w.units[2].wire == "A1 OK Begin TLS negotiation now\r\n");
    for (std::size_t i = 3; i < w.units.size(); ++i) CHECK(w.units[i].tls);
    CHECK(w.all.find("secret") == std::string::npos);
    CHECK(w.all.find("The secret plans") == std::string::npos);
    // Inside the tunnel the client asked CAPABILITY again, logged in and read the message.
    CHECK(w.plain.find("A2 CAPABILITY\r\n") != std::string::npos);
    CHECK(w.plain.find("A3 LOGIN \"alice\" \"secret\"\r\n") != std::string::npos);
    CHECK(w.plain.find("The secret plans") != std::string::npos);
  }
}

TEST_CASE("Implicit TLS (RFC 8314): the first byte on the wire is a TLS handshake record",
          "[tls][imap][pop3]") {
  Fixture f;
  tls::Context ctx(2);
  Pop3Server s(f.server, "<1.2@mail.example.com>");
  Pop3Plan plan;
  plan.user = "alice";
  plan.pass = "secret";
  Pop3Client c(plan);
  SecureEnd se(s, tls::Role::Server, Security::Tls, &ctx);
  SecureEnd ce(c, tls::Role::Client, Security::Tls, &ctx);
  Wire w = talk(ce, se);
  REQUIRE_FALSE(w.units.empty());
  CHECK(w.units[0].wire.substr(0, 3) == std::string("\x16\x03\x01", 3));
  CHECK(w.units[0].plain == "");
  for (const auto& u : w.units) CHECK(u.tls);
  CHECK(w.all.find("+OK") == std::string::npos);
  CHECK(w.plain.rfind("+OK POP3 server ready", 0) == 0);
  CHECK(w.plain.find("PASS secret\r\n") != std::string::npos);
  CHECK(w.plain.find("The secret plans") != std::string::npos);
  CHECK(c.state_name() == "DONE");
}

TEST_CASE("POP3 client set to STARTTLS uses STLS, then CAPA again inside TLS", "[tls][pop3]") {
  Fixture f;
  tls::Context ctx(3);
  Pop3Server s(f.server, "<1.2@mail.example.com>", kRequired);
  Pop3Plan plan;
  plan.user = "alice";
  plan.pass = "secret";
  plan.starttls = true;
  Pop3Client c(plan);
  SecureEnd se(s, tls::Role::Server, Security::StartTls, &ctx);
  SecureEnd ce(c, tls::Role::Client, Security::StartTls, &ctx);
  Wire w = talk(ce, se, true);
  CHECK(w.all.find("STLS\r\n") != std::string::npos);
  CHECK(w.all.find("secret") == std::string::npos);
  CHECK(w.plain.find("STLS\r\n+OK Begin TLS negotiation now\r\n") != std::string::npos);
  const auto stls = w.plain.find("STLS\r\n+OK Begin");
  CHECK(w.plain.find("CAPA\r\n", stls) != std::string::npos);
  CHECK(c.state_name() == "DONE");
}

TEST_CASE("SMTP client set to STARTTLS says EHLO again inside TLS and submits there",
          "[tls][smtp]") {
  Fixture f;
  tls::Context ctx(4);
  SmtpServerConfig scfg;
  scfg.tls = kRequired;
  SmtpServer s(f.backend, scfg);
  SmtpClientConfig ccfg;
  ccfg.user = "alice";
  ccfg.password = "secret";
  ccfg.starttls = true;
  SmtpClient c(ccfg, {{"alice@mail.example.com", {"alice@mail.example.com"}, kMsg}});
  SecureEnd se(s, tls::Role::Server, Security::StartTls, &ctx);
  SecureEnd ce(c, tls::Role::Client, Security::StartTls, &ctx);
  Wire w = talk(ce, se);
  CHECK(c.sent_count() == 1);
  CHECK(w.all.find("AUTH") == std::string::npos);  // not even offered in clear
  CHECK(w.all.find("The secret plans") == std::string::npos);
  const auto tls_at = w.plain.find("220 2.0.0 Ready to start TLS\r\n");
  REQUIRE(tls_at != std::string::npos);
  CHECK(w.plain.find("EHLO client.example.com\r\n", tls_at) != std::string::npos);
  CHECK(w.plain.find("250 AUTH PLAIN LOGIN\r\n", tls_at) != std::string::npos);
}

TEST_CASE("A client set to STARTTLS does not log in when the server does not offer it",
          "[tls][imap][pop3][smtp]") {
  Fixture f;
  {
    ImapServer s(f.server);
    ImapClient c(alice_imap(true));
    SecureEnd se(s, tls::Role::Server, Security::None, nullptr);
    SecureEnd ce(c, tls::Role::Client, Security::StartTls, nullptr);
    Wire w = talk(ce, se);
    CHECK(w.all.find("LOGIN") == std::string::npos);
    CHECK(w.all.find("A1 LOGOUT\r\n") != std::string::npos);
  }
  {
    Pop3Server s(f.server, "<1.2@mail.example.com>");
    Pop3Plan plan;
    plan.user = "alice";
    plan.pass = "secret";
    plan.starttls = true;
    Pop3Client c(plan);
    SecureEnd se(s, tls::Role::Server, Security::None, nullptr);
    SecureEnd ce(c, tls::Role::Client, Security::StartTls, nullptr);
    Wire w = talk(ce, se);
    CHECK(w.all.find("USER alice") == std::string::npos);
    CHECK(w.all.find("QUIT\r\n") != std::string::npos);
  }
  {
    SmtpServer s(f.backend);
    SmtpClientConfig ccfg;
    ccfg.user = "alice";
    ccfg.password = "secret";
    ccfg.starttls = true;
    SmtpClient c(ccfg, {{"alice@mail.example.com", {"alice@mail.example.com"}, kMsg}});
    SecureEnd se(s, tls::Role::Server, Security::None, nullptr);
    SecureEnd ce(c, tls::Role::Client, Security::StartTls, nullptr);
    Wire w = talk(ce, se);
    // Offered in the EHLO reply, never used.
    const auto offered = w.all.find("250 AUTH PLAIN LOGIN\r\n");
    REQUIRE(offered != std::string::npos);
    CHECK(w.all.find("AUTH PLAIN", offered + 5) == std::string::npos);
    CHECK(c.sent_count() == 0);
  }
}

TEST_CASE("A TLS handshake against garbage fails with a clear error, not a crash", "[tls]") {
  Fixture f;
  tls::Context ctx(5);
  ImapServer s(f.server);
  SecureEnd se(s, tls::Role::Server, Security::Tls, &ctx);
  se.receive("a1 LOGIN alice secret\r\n");  // plaintext to an implicit-TLS port
  CHECK(se.failed());
  CHECK(se.error().rfind("TLS handshake failed (SSL error 1): ", 0) == 0);
  CHECK(se.error().find("wrong version number") != std::string::npos);
  // Nothing of the engine's reaches the wire: at most an alert record.
  for (const auto& u : se.take_units()) {
    CHECK(u.plain == "");
    CHECK(u.wire[0] == '\x15');
  }
}

TEST_CASE("Connection security names and standard ports", "[tls]") {
  Security s;
  CHECK((parse_security("starttls", s) && s == Security::StartTls));
  CHECK_FALSE(parse_security("ssl", s));
  CHECK(std::string(security_title(Security::Tls)) == "SSL/TLS");
  CHECK(standard_port(Service::Imap, Security::None) == 143);
  CHECK(standard_port(Service::Imap, Security::StartTls) == 143);
  CHECK(standard_port(Service::Imap, Security::Tls) == 993);
  CHECK(standard_port(Service::Pop3, Security::StartTls) == 110);
  CHECK(standard_port(Service::Pop3, Security::Tls) == 995);
  CHECK(standard_port(Service::Submission, Security::StartTls) == 587);
  CHECK(standard_port(Service::Submission, Security::Tls) == 465);
  CHECK(standard_port(Service::Relay, Security::StartTls) == 25);
}

TEST_CASE("A client ignores plaintext a server sends after its STARTTLS go-ahead",
          "[tls][imap][smtp]") {
  for (bool bytewise : {false, true}) {
    ImapClient c(alice_imap(true));
    CHECK(feed(c, "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n", bytewise) ==
          "A1 STARTTLS\r\n");
    // A man in the middle appends a forged response to the go-ahead.
    CHECK(feed(c, "A1 OK Begin TLS negotiation now\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n",
               bytewise) == "");
    CHECK(c.take_tls_request());
    c.tls_started();
    CHECK(out(c) == "A2 CAPABILITY\r\n");

    SmtpClientConfig cfg;
    cfg.user = "alice";
    cfg.password = "secret";
    cfg.starttls = true;
    SmtpClient s(cfg, {{"alice@mail.example.com", {"alice@mail.example.com"}, kMsg}});
    CHECK(feed(s, "220 mail.example.com ESMTP\r\n", bytewise) == "EHLO client.example.com\r\n");
    CHECK(feed(s, "250-mail.example.com\r\n250 STARTTLS\r\n", bytewise) == "STARTTLS\r\n");
    CHECK(feed(s, "220 2.0.0 Ready to start TLS\r\n250 forged\r\n", bytewise) == "");
    CHECK(s.take_tls_request());
    s.tls_started();
    CHECK(out(s) == "EHLO client.example.com\r\n");
  }
}
