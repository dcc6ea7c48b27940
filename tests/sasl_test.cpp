// SASL PLAIN (RFC 4616) as the three servers read it: one decoder (proto/sasl.hpp), so the same
// credentials get the same answer, and the same mistake the same kind of refusal, whether they
// come by POP3 AUTH (RFC 5034), IMAP AUTHENTICATE (RFC 3501 section 6.2.2) or SMTP AUTH
// (RFC 4954). Every exchange is fed whole and one byte at a time, with identical bytes.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "model/account.hpp"
#include "proto/imap/imap_server.hpp"
#include "proto/pop3/pop3_server.hpp"
#include "proto/sasl.hpp"
#include "proto/smtp/smtp_backend.hpp"
#include "proto/smtp/smtp_server.hpp"
#include "util/text.hpp"

using namespace ms;

namespace {

const std::string kLong(255, 'p');  // the longest password RFC 4616 makes servers accept

void accounts(MailServer& s) {
  s.add_account("alice", "secret", 7);
  s.add_account("long", kLong, 8);
}

std::string drain(Engine& e) {
  std::string out;
  for (auto& u : e.take_output()) out += u;
  return out;
}

// Feeds `input` whole or one byte at a time and returns what the engine answered.
std::string feed(Engine& e, std::string_view input, bool bytewise) {
  if (!bytewise) e.receive(input);
  else
    for (char c : input) e.receive(std::string_view(&c, 1));
  return drain(e);
}

enum class Server { Imap, Pop3, Smtp };

// One protocol's answer to `lines`, after its greeting (and for SMTP after EHLO).
std::string talk(Server p, const std::string& lines, bool bytewise) {
  MailServer server;
  accounts(server);
  MailServerSmtpBackend backend(server);
  std::unique_ptr<Engine> s;
  if (p == Server::Imap) s = std::make_unique<ImapServer>(server);
  else if (p == Server::Pop3) s = std::make_unique<Pop3Server>(server, "<1.2@example.com>");
  else s = std::make_unique<SmtpServer>(backend, SmtpServerConfig{});
  drain(*s);
  if (p == Server::Smtp) feed(*s, "EHLO c\r\n", false);
  return feed(*s, lines, bytewise);
}

// The same, fed whole and one byte at a time: both must give the same bytes.
std::string both_ways(Server p, const std::string& lines) {
  std::string whole = talk(p, lines, false), bytes = talk(p, lines, true);
  CHECK(whole == bytes);
  return whole;
}

std::string b64(std::string_view message) { return base64_encode(message); }

// The three protocols' answers to one PLAIN response, sent on the command line and after the
// server's empty challenge.
struct Answers {
  std::string imap, pop3, smtp;
  bool operator==(const Answers&) const = default;
};

Answers initial(const std::string& response) {
  return {both_ways(Server::Imap, "a AUTHENTICATE PLAIN " + response + "\r\n"),
          both_ways(Server::Pop3, "AUTH PLAIN " + response + "\r\n"),
          both_ways(Server::Smtp, "AUTH PLAIN " + response + "\r\n")};
}

Answers after_challenge(const std::string& response) {
  return {both_ways(Server::Imap, "a AUTHENTICATE PLAIN\r\n" + response + "\r\n"),
          both_ways(Server::Pop3, "AUTH PLAIN\r\n" + response + "\r\n"),
          both_ways(Server::Smtp, "AUTH PLAIN\r\n" + response + "\r\n")};
}

// What each protocol says for each kind of outcome, exactly.
Answers accepted(const std::string& user) {
  return {both_ways(Server::Imap, "a LOGIN " + user + " " + (user == "long" ? kLong : "secret") + "\r\n"),
          "+OK maildrop has 0 messages (0 octets)\r\n", "235 2.7.0 Authentication successful\r\n"};
}
const Answers kRefused = {"a NO [AUTHENTICATIONFAILED] Authentication failed.\r\n",
                          "-ERR [AUTH] invalid user name or password\r\n",
                          "535 5.7.8 Authentication credentials invalid\r\n"};
const Answers kNotBase64 = {"a BAD invalid base64 in AUTHENTICATE response\r\n",
                            "-ERR invalid base64 in AUTH response\r\n",
                            "501 5.5.2 Cannot decode response\r\n"};
const Answers kCancelled = {"a BAD AUTHENTICATE cancelled\r\n", "-ERR AUTH cancelled\r\n",
                            "501 5.7.0 Authentication aborted\r\n"};

// The challenge each protocol sends before the response: "+ " twice, SMTP's 334 (RFC 4954).
Answers challenged(const Answers& a) {
  return {"+ \r\n" + a.imap, "+ \r\n" + a.pop3, "334 \r\n" + a.smtp};
}

using namespace std::string_literals;

}  // namespace

TEST_CASE("base64 follows the RFC 4648 test vectors and rejects malformed input", "[sasl]") {
  const std::vector<std::pair<std::string, std::string>> v = {
      {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, enc] : v) {
    CHECK(base64_encode(plain) == enc);
    CHECK(base64_decode(enc) == plain);
  }
  CHECK_FALSE(base64_decode("Zm9"));
  CHECK_FALSE(base64_decode("Zm9v!A=="));
  CHECK_FALSE(base64_decode("Z==="));
  CHECK_FALSE(base64_decode("Zg==Zm9v"));
  CHECK_FALSE(base64_decode("Zg=v"));
}

TEST_CASE("a PLAIN message splits at exactly two NULs into non-empty UTF-8 parts of 255 octets "
          "at most",
          "[sasl]") {
  sasl::Plain p;
  std::string why;
  REQUIRE(sasl::parse_message("bob\0alice\0pw"s, p, why));
  CHECK(p.authzid == "bob");
  CHECK(p.authcid == "alice");
  CHECK(p.passwd == "pw");
  REQUIRE(sasl::parse_message("\0J\xc3\xb6rg\0"s + kLong, p, why));
  CHECK(p.authzid.empty());
  CHECK(p.passwd == kLong);

  auto refused = [&](const std::string& m) {
    why.clear();
    bool ok = sasl::parse_message(m, p, why);
    CHECK_FALSE(ok);
    return why;
  };
  CHECK(refused("alice") == "fewer than two NULs");
  CHECK(refused("\0alice\0secret\0"s) == "a NUL inside a part");
  CHECK(refused("\0alice\0sec\0ret"s) == "a NUL inside a part");
  CHECK(refused("\0\0secret"s) == "empty user name");
  CHECK(refused("\0alice\0"s) == "empty password");
  CHECK(refused("\0alice\0"s + kLong + "p") == "password longer than 255 octets");
  CHECK(refused(std::string(256, 'z') + "\0alice\0pw"s) ==
        "authorization identity longer than 255 octets");
  CHECK(refused("\0al\xc0\xafice\0pw"s) == "user name not UTF-8");  // an overlong "/"
  CHECK(refused("\0alice\0pw\xed\xa0\x80"s) == "password not UTF-8");  // a surrogate
  CHECK(sasl::client_response("alice", "secret") == "AGFsaWNlAHNlY3JldA==");
}

SCENARIO("POP3, IMAP and SMTP give the same PLAIN credentials the same answer", "[sasl]") {
  GIVEN("the account alice with the password secret") {
    WHEN("the credentials are right, with or without alice as the authorization identity") {
      THEN("all three log alice in, on the command line or after the challenge") {
        CHECK(initial(b64("\0alice\0secret"s)) == accepted("alice"));
        CHECK(initial(b64("alice\0alice\0secret"s)) == accepted("alice"));
        CHECK(after_challenge(b64("\0alice\0secret"s)) == challenged(accepted("alice")));
        CHECK(initial(b64("\0long\0"s + kLong)) == accepted("long"));
      }
    }
    WHEN("the password is wrong, or the message breaks RFC 4616's grammar") {
      THEN("all three refuse it as a failed authentication, in the same words as a wrong "
           "password") {
        for (const std::string& m :
             {"\0alice\0wrong"s, "\0alice\0secret\0"s, "\0alice\0sec\0ret"s, "alice"s,
              "\0\0secret"s, "\0alice\0"s, "\0alice\0secret\xff"s,
              "\0long\0"s + kLong + "p"}) {
          CAPTURE(printable(m));
          CHECK(initial(b64(m)) == kRefused);
          CHECK(after_challenge(b64(m)) == challenged(kRefused));
        }
        // RFC 4959, RFC 5034 and RFC 4954: "=" is the empty initial response.
        CHECK(initial("=") == kRefused);
      }
    }
    WHEN("bob's credentials ask to act as alice") {
      THEN("all three refuse it as a failed authentication") {
        CHECK(initial(b64("alice\0bob\0secret"s)) == kRefused);
        CHECK(initial(b64("bob\0alice\0secret"s)) == kRefused);
      }
    }
    WHEN("the response is not base64") {
      THEN("all three fail the exchange itself") {
        CHECK(initial("!!!!") == kNotBase64);
        CHECK(initial("AGFsaWNlAHNlY3JldA=") == kNotBase64);
        CHECK(after_challenge("=") == challenged(kNotBase64));
      }
    }
    WHEN("the client answers the challenge with \"*\"") {
      THEN("all three cancel the exchange") {
        CHECK(after_challenge("*") == challenged(kCancelled));
      }
    }
  }
}
