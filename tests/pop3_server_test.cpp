// Transcript tests for the POP3 server engine (RFC 1939, RFC 2449, RFC 5034): exact bytes for
// every command and response form. Every conversation runs twice, once fed as one chunk and
// once one byte at a time, and both must answer identically.
#include <catch2/catch.hpp>

#include <functional>
#include <memory>

#include "model/account.hpp"
#include "proto/pop3/pop3_server.hpp"
#include "util/text.hpp"
#include "world/scheduler.hpp"

using namespace ms;

namespace {

// RFC 1939 section 7's example timestamp, so that its APOP example digest applies.
const std::string kToken = "<1896.697170952@dbc.mtview.ca.us>";
const std::string kGreeting = "+OK POP3 server ready " + kToken + "\r\n";

// 32 octets; its body has a line starting with "." (byte-stuffed on the wire).
const std::string kM1 = "Subject: one\r\n\r\n.hidden\r\nline2\r\n";
// 22 octets.
const std::string kM2 = "Subject: two\r\n\r\nbody\r\n";
// Stored with bare LF (21 bytes); on the wire and in every size it is 24 CRLF octets.
const std::string kM3 = "Subject: three\n\nbare\n";

struct Run {
  std::unique_ptr<MailServer> server;
  std::unique_ptr<Pop3Server> pop;
  std::vector<std::string> units;
  std::string out;  // every unit after the greeting, concatenated
  std::vector<EngineEvent> events;

  Account& alice() { return *server->find("alice"); }
  std::size_t inbox() { return alice().store.folder("INBOX")->entries.size(); }
};

using Setup = std::function<void(MailServer&)>;

void three_messages(MailServer& s) {
  Account& a = s.add_account("alice", "secret", 1001);
  for (const auto& m : {kM1, kM2, kM3}) a.store.append("INBOX", make_body(m), {}, 0);
}

Run start(const Setup& setup) {
  Run r;
  r.server = std::make_unique<MailServer>();
  setup(*r.server);
  r.pop = std::make_unique<Pop3Server>(*r.server, kToken);
  auto g = r.pop->take_output();
  REQUIRE(g.size() == 1);
  CHECK(g[0] == kGreeting);
  return r;
}

void feed(Run& r, std::string_view input, bool bytewise) {
  if (bytewise) {
    for (char c : input) r.pop->receive(std::string_view(&c, 1));
  } else {
    r.pop->receive(input);
  }
  for (auto& u : r.pop->take_output()) {
    r.out += u;
    r.units.push_back(std::move(u));
  }
  for (auto& e : r.pop->take_events()) r.events.push_back(std::move(e));
}

// Runs `input` whole and byte by byte; both must give the same units and leave the store the
// same. Returns the whole-chunk run.
Run talk(std::string_view input, const Setup& setup = three_messages) {
  Run whole = start(setup), bytes = start(setup);
  feed(whole, input, false);
  feed(bytes, input, true);
  REQUIRE(whole.units == bytes.units);
  CHECK(whole.pop->state() == bytes.pop->state());
  if (whole.server->find("alice")) CHECK(whole.inbox() == bytes.inbox());
  return whole;
}

const std::string kLogin = "USER alice\r\nPASS secret\r\n";
const std::string kLoggedIn = "+OK send PASS\r\n+OK maildrop has 3 messages (78 octets)\r\n";

}  // namespace

TEST_CASE("md5_hex matches the RFC 1321 test suite and the RFC 1939 APOP example", "[pop3]") {
  CHECK(md5_hex("") == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(md5_hex("a") == "0cc175b9c0f1b6a831c399e269772661");
  CHECK(md5_hex("abc") == "900150983cd24fb0d6963f7d28e17f72");
  CHECK(md5_hex("message digest") == "f96b697d7cb7938d525a2f31aaf161d0");
  CHECK(md5_hex("abcdefghijklmnopqrstuvwxyz") == "c3fcd3d76192e4007dfb496cca67e13b");
  CHECK(md5_hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") ==
        "d174ab98d277d9f5a5611c2c9f419d9f");
  CHECK(md5_hex("1234567890123456789012345678901234567890123456789012345678901234567890123456"
                "7890") == "57edf4a22be3c955ac49da2e2107b67a");
  CHECK(md5_hex("<1896.697170952@dbc.mtview.ca.us>tanstaaf") ==
        "c4c9334bac560ecc979e58001b3e22fb");
}

SCENARIO("a POP3 server greets with an APOP timestamp and logs in with USER and PASS",
         "[pop3]") {
  GIVEN("a maildrop of three messages") {
    WHEN("the client sends USER and PASS with the right password") {
      Run r = talk(kLogin);
      THEN("it enters TRANSACTION and locks the maildrop") {
        CHECK(r.out == kLoggedIn);
        CHECK(r.pop->state() == Pop3Server::State::Transaction);
        CHECK(r.alice().pop3_locked);
      }
    }
    WHEN("the password is wrong or the user unknown") {
      Run r = talk("USER alice\r\nPASS wrong\r\nUSER nobody\r\nPASS secret\r\nPASS secret\r\n");
      THEN("each PASS is refused with [AUTH] and PASS without USER is refused") {
        CHECK(r.out ==
              "+OK send PASS\r\n-ERR [AUTH] invalid user name or password\r\n"
              "+OK send PASS\r\n-ERR [AUTH] invalid user name or password\r\n"
              "-ERR send USER first\r\n");
        CHECK(r.pop->state() == Pop3Server::State::Authorization);
        CHECK_FALSE(r.alice().pop3_locked);
      }
    }
    WHEN("PASS comes before any USER") {
      Run r = talk("PASS secret\r\n");
      THEN("it is refused") { CHECK(r.out == "-ERR send USER first\r\n"); }
    }
    WHEN("USER has no argument") {
      Run r = talk("USER\r\n");
      THEN("it is refused") { CHECK(r.out == "-ERR USER needs a mailbox name\r\n"); }
    }
  }
}

SCENARIO("a POP3 server accepts APOP with the MD5 of its timestamp and the password",
         "[pop3]") {
  std::string digest = md5_hex(kToken + "secret");
  WHEN("the digest is right") {
    Run r = talk("APOP alice " + digest + "\r\n");
    THEN("the maildrop opens") {
      CHECK(r.out == "+OK maildrop has 3 messages (78 octets)\r\n");
      CHECK(r.pop->state() == Pop3Server::State::Transaction);
    }
  }
  WHEN("the digest is wrong, malformed or for an unknown user") {
    Run r = talk("APOP alice " + md5_hex(kToken + "wrong") + "\r\nAPOP alice 1234\r\nAPOP " +
                 "nobody " + digest + "\r\n");
    THEN("each is refused") {
      CHECK(r.out ==
            "-ERR [AUTH] invalid user name or digest\r\n-ERR APOP needs name and digest\r\n"
            "-ERR [AUTH] invalid user name or digest\r\n");
      CHECK(r.pop->state() == Pop3Server::State::Authorization);
    }
  }
}

SCENARIO("a POP3 server authenticates with AUTH PLAIN (RFC 5034)", "[pop3]") {
  // base64("\0alice\0secret")
  const std::string creds = "AGFsaWNlAHNlY3JldA==";
  const std::string opened = "+OK maildrop has 3 messages (78 octets)\r\n";
  WHEN("the credentials come as an initial response") {
    Run r = talk("AUTH PLAIN " + creds + "\r\n");
    THEN("the maildrop opens") {
      CHECK(r.out == opened);
      CHECK(r.pop->state() == Pop3Server::State::Transaction);
    }
  }
  WHEN("the credentials follow a \"+ \" continuation") {
    Run r = talk("AUTH PLAIN\r\n" + creds + "\r\n");
    THEN("the server sends \"+ \" then opens the maildrop") { CHECK(r.out == "+ \r\n" + opened); }
  }
  WHEN("the client cancels with \"*\"") {
    Run r = talk("AUTH PLAIN\r\n*\r\nNOOP\r\n");
    THEN("the exchange fails and the session stays in AUTHORIZATION") {
      CHECK(r.out ==
            "+ \r\n-ERR AUTH cancelled\r\n-ERR NOOP not valid in the AUTHORIZATION state\r\n");
      CHECK(r.pop->state() == Pop3Server::State::Authorization);
    }
  }
  WHEN("the response is not base64, or lacks the NULs, or has a wrong password") {
    Run r = talk("AUTH PLAIN !!!!\r\nAUTH PLAIN\r\nYWxpY2U=\r\nAUTH PLAIN AGFsaWNlAHdyb25n\r\n");
    THEN("bad base64 fails the exchange and the others are refused with [AUTH]") {
      CHECK(r.out ==
            "-ERR invalid base64 in AUTH response\r\n+ \r\n"
            "-ERR [AUTH] invalid user name or password\r\n"
            "-ERR [AUTH] invalid user name or password\r\n");
    }
  }
  WHEN("the authorization identity differs from the user") {
    // base64("bob\0alice\0secret")
    Run r = talk("AUTH PLAIN Ym9iAGFsaWNlAHNlY3JldA==\r\n");
    THEN("it is refused as a failed authentication") {
      CHECK(r.out == "-ERR [AUTH] invalid user name or password\r\n");
      CHECK(r.pop->state() == Pop3Server::State::Authorization);
    }
  }
  WHEN("AUTH has no argument or names another mechanism") {
    Run r = talk("AUTH\r\nAUTH CRAM-MD5\r\n");
    THEN("the bare AUTH lists the mechanisms and the other one is refused") {
      CHECK(r.out == "+OK\r\nPLAIN\r\n.\r\n-ERR unsupported authentication mechanism\r\n");
    }
  }
}

SCENARIO("a POP3 server lists its capabilities (RFC 2449)", "[pop3]") {
  Run r = talk("CAPA\r\n");
  CHECK(r.out ==
        "+OK Capability list follows\r\nTOP\r\nUIDL\r\nUSER\r\nSASL PLAIN\r\nRESP-CODES\r\n"
        "AUTH-RESP-CODE\r\nPIPELINING\r\nEXPIRE NEVER\r\nLOGIN-DELAY 0\r\n"
        "IMPLEMENTATION Mailscope\r\n.\r\n");
}

SCENARIO("a POP3 server reports exact CRLF octet counts in STAT and LIST", "[pop3]") {
  Run r = talk(kLogin + "STAT\r\nLIST\r\nLIST 2\r\nLIST 3\r\nstat\r\nSTAT 1\r\n");
  CHECK(r.out == kLoggedIn +
                     "+OK 3 78\r\n"
                     "+OK 3 messages (78 octets)\r\n1 32\r\n2 22\r\n3 24\r\n.\r\n"
                     "+OK 2 22\r\n+OK 3 24\r\n+OK 3 78\r\n-ERR STAT takes no arguments\r\n");
}

SCENARIO("a POP3 server byte-stuffs RETR and TOP output", "[pop3]") {
  WHEN("a message with a body line starting with \".\" is retrieved") {
    Run r = talk(kLogin + "RETR 1\r\nRETR 3\r\n");
    THEN("that line goes out as \"..\" and the bare-LF message as CRLF") {
      CHECK(r.out == kLoggedIn +
                         "+OK 32 octets\r\nSubject: one\r\n\r\n..hidden\r\nline2\r\n.\r\n"
                         "+OK 24 octets\r\nSubject: three\r\n\r\nbare\r\n.\r\n");
    }
  }
  WHEN("TOP asks for 0, 1 and more lines than the body has") {
    Run r = talk(kLogin + "TOP 1 0\r\nTOP 1 1\r\nTOP 1 9\r\nTOP 1\r\nTOP 1 x\r\nTOP 9 0\r\n");
    THEN("the header, the blank line and at most that many body lines are sent, counted") {
      CHECK(r.out == kLoggedIn +
                         "+OK 16 octets\r\nSubject: one\r\n\r\n.\r\n"
                         "+OK 25 octets\r\nSubject: one\r\n\r\n..hidden\r\n.\r\n"
                         "+OK 32 octets\r\nSubject: one\r\n\r\n..hidden\r\n"
                         "line2\r\n.\r\n"
                         "-ERR TOP needs a message number and a line count\r\n"
                         "-ERR invalid line count\r\n-ERR no such message\r\n");
    }
  }
}

SCENARIO("a POP3 server marks a message on DELE, forgets marks on RSET and answers NOOP",
         "[pop3]") {
  Run r = talk(kLogin +
               "DELE 1\r\nRETR 1\r\nDELE 1\r\nLIST 1\r\nSTAT\r\nLIST\r\nUIDL\r\nNOOP\r\n"
               "RSET\r\nSTAT\r\nNOOP x\r\n");
  CHECK(r.out == kLoggedIn +
                     "+OK message 1 deleted\r\n-ERR message 1 already deleted\r\n"
                     "-ERR message 1 already deleted\r\n-ERR message 1 already deleted\r\n"
                     "+OK 2 46\r\n+OK 2 messages (46 octets)\r\n2 22\r\n3 24\r\n.\r\n"
                     "+OK\r\n2 1001.2\r\n3 1001.3\r\n.\r\n+OK\r\n"
                     "+OK maildrop has 3 messages (78 octets)\r\n+OK 3 78\r\n"
                     "-ERR NOOP takes no arguments\r\n");
  CHECK(r.inbox() == 3);
}

SCENARIO("a POP3 server gives each message a unique-id with UIDL", "[pop3]") {
  Run r = talk(kLogin + "UIDL\r\nUIDL 2\r\nUIDL 02\r\nUIDL 4\r\n");
  CHECK(r.out == kLoggedIn + "+OK\r\n1 1001.1\r\n2 1001.2\r\n3 1001.3\r\n.\r\n" +
                     "+OK 2 1001.2\r\n+OK 2 1001.2\r\n-ERR no such message\r\n");
}

SCENARIO("a POP3 server ends the session on QUIT and updates only after TRANSACTION",
         "[pop3]") {
  WHEN("QUIT comes in AUTHORIZATION") {
    Run r = talk("QUIT\r\nNOOP\r\n");
    THEN("it signs off, ignores the rest and removes nothing") {
      CHECK(r.out == "+OK mail.example.com POP3 server signing off\r\n");
      CHECK(r.pop->state() == Pop3Server::State::Closed);
      CHECK(r.pop->wants_close());
      CHECK(r.inbox() == 3);
    }
  }
  WHEN("QUIT comes in TRANSACTION after DELE 2") {
    Run r = talk(kLogin + "DELE 2\r\nQUIT\r\n");
    THEN("UPDATE removes only message 2 and releases the lock") {
      CHECK(r.out == kLoggedIn +
                         "+OK message 2 deleted\r\n"
                         "+OK mail.example.com POP3 server signing off (2 messages left)\r\n");
      CHECK(r.pop->state() == Pop3Server::State::Closed);
      const Folder* inbox = r.alice().store.folder("INBOX");
      REQUIRE(inbox->entries.size() == 2);
      CHECK(inbox->entries[0].uid == 1);
      CHECK(inbox->entries[1].uid == 3);
      CHECK_FALSE(r.alice().pop3_locked);
    }
  }
}

SCENARIO("a POP3 server refuses bad message numbers, wrong states and unknown commands",
         "[pop3]") {
  WHEN("message numbers are 0, too big or not numbers") {
    Run r = talk(kLogin + "RETR 0\r\nRETR 4\r\nRETR x\r\nDELE -1\r\nLIST 99999999999\r\n"
                          "RETR\r\nUIDL 1 2\r\n");
    THEN("each gets -ERR no such message") {
      std::string e = "-ERR no such message\r\n";
      CHECK(r.out == kLoggedIn + e + e + e + e + e + e + e);
    }
  }
  WHEN("transaction commands come before login and login commands after") {
    Run r = talk("STAT\r\nRETR 1\r\n" + kLogin + "USER alice\r\nAPOP a b\r\nAUTH PLAIN\r\n");
    THEN("each names the state it is not valid in") {
      CHECK(r.out == "-ERR STAT not valid in the AUTHORIZATION state\r\n"
                     "-ERR RETR not valid in the AUTHORIZATION state\r\n" +
                         kLoggedIn +
                         "-ERR USER not valid in the TRANSACTION state\r\n"
                         "-ERR APOP not valid in the TRANSACTION state\r\n"
                         "-ERR AUTH not valid in the TRANSACTION state\r\n");
    }
  }
  WHEN("a command is unknown or the line empty") {
    Run r = talk("XYZZY\r\n\r\n");
    THEN("it is refused") { CHECK(r.out == "-ERR unknown command\r\n-ERR unknown command\r\n"); }
  }
}

SCENARIO("a POP3 server rejects an over-long line once and carries on", "[pop3]") {
  const std::size_t max = Pop3Server::kMaxLine;
  WHEN("a line far longer than the limit is sent, followed by commands") {
    Run r = talk("NOOP " + std::string(3000, 'x') + "\r\nQUIT\r\n");
    THEN("one -ERR answers it and the next command still works") {
      CHECK(r.out == "-ERR line too long\r\n+OK mail.example.com POP3 server signing off\r\n");
    }
  }
  WHEN("lines just at and just over the limit are sent") {
    Run r = talk("X" + std::string(max - 1, 'y') + "\r\nX" + std::string(max, 'y') + "\r\nX" +
                 std::string(max + 1, 'y') + "\r\n" + "X" + std::string(max + 2, 'y') + "\n");
    THEN("the line of exactly the limit is read, the longer ones are refused") {
      CHECK(r.out == "-ERR unknown command\r\n-ERR line too long\r\n-ERR line too long\r\n"
                     "-ERR line too long\r\n");
    }
  }
}

SCENARIO("a POP3 server answers pipelined commands in one chunk in order", "[pop3]") {
  Run r = talk("CAPA\r\nUSER alice\r\nPASS secret\r\nSTAT\r\nUIDL 1\r\nLIST 2\r\nQUIT\r\n");
  CHECK(r.units.size() == 7);
  CHECK(r.units[0].rfind("+OK Capability list follows\r\n", 0) == 0);
  CHECK(r.units[1] == "+OK send PASS\r\n");
  CHECK(r.units[2] == "+OK maildrop has 3 messages (78 octets)\r\n");
  CHECK(r.units[3] == "+OK 3 78\r\n");
  CHECK(r.units[4] == "+OK 1 1001.1\r\n");
  CHECK(r.units[5] == "+OK 2 22\r\n");
  CHECK(r.units[6] == "+OK mail.example.com POP3 server signing off (3 messages left)\r\n");
}

SCENARIO("a second POP3 session on a locked maildrop gets [IN-USE]", "[pop3]") {
  Run first = start(three_messages);
  feed(first, kLogin, false);
  REQUIRE(first.alice().pop3_locked);
  Pop3Server second(*first.server, kToken);
  second.take_output();
  second.receive(kLogin);
  auto out = second.take_output();
  REQUIRE(out.size() == 2);
  CHECK(out[1] == "-ERR [IN-USE] maildrop already locked by another session\r\n");
  CHECK(second.state() == Pop3Server::State::Authorization);
  WHEN("the first session quits") {
    feed(first, "QUIT\r\n", false);
    THEN("the second can log in") {
      second.receive(kLogin);
      auto again = second.take_output();
      REQUIRE(again.size() == 2);
      CHECK(again[1] == "+OK maildrop has 3 messages (78 octets)\r\n");
    }
  }
}

SCENARIO("a POP3 connection that drops before QUIT deletes nothing and releases the lock",
         "[pop3]") {
  Run r = start(three_messages);
  feed(r, kLogin + "DELE 1\r\nDELE 2\r\n", false);
  r.pop->peer_closed();
  CHECK(r.pop->state() == Pop3Server::State::Closed);
  CHECK(r.inbox() == 3);
  CHECK_FALSE(r.alice().pop3_locked);
  bool noted = false;
  for (const auto& e : r.pop->take_events())
    noted |= e.text.find("2 message(s) marked for deletion stay") != std::string::npos;
  CHECK(noted);
}

SCENARIO("POP3 unique-ids stay the same across sessions and after another message is deleted",
         "[pop3]") {
  MailServer server;
  three_messages(server);
  auto session = [&](const std::string& cmds) {
    Pop3Server s(server, kToken);
    s.receive(kLogin + cmds);
    std::string out;
    for (auto& u : s.take_output()) out += u;
    return out;
  };
  std::string uidl = "+OK\r\n1 1001.1\r\n2 1001.2\r\n3 1001.3\r\n.\r\n";
  CHECK(session("UIDL\r\nQUIT\r\n").find(uidl) != std::string::npos);
  CHECK(session("UIDL\r\nQUIT\r\n").find(uidl) != std::string::npos);
  session("DELE 1\r\nQUIT\r\n");
  // Message numbers shift down; the unique-ids do not.
  CHECK(session("UIDL\r\nQUIT\r\n").find("+OK\r\n1 1001.2\r\n2 1001.3\r\n.\r\n") !=
        std::string::npos);
}

SCENARIO("an over-long line during AUTH PLAIN ends the SASL exchange", "[pop3]") {
  Run r = talk("AUTH PLAIN\r\n" + std::string(600, 'A') + "\r\nNOOP\r\n");
  CHECK(r.out == "+ \r\n-ERR line too long\r\n-ERR NOOP not valid in the AUTHORIZATION state\r\n");
}

SCENARIO("a POP3 server fed random command soup never crashes and answers the same however "
         "the bytes are split",
         "[pop3]") {
  // A fixed seed: the same soup every run. Words are real commands, arguments and junk.
  const std::vector<std::string> words = {
      "USER alice", "PASS secret", "PASS x", "APOP alice 0123456789abcdef0123456789abcdef",
      "AUTH PLAIN", "AUTH PLAIN AGFsaWNlAHNlY3JldA==", "AUTH", "*", "AGFsaWNlAHNlY3JldA==",
      "CAPA", "STAT", "LIST", "LIST 1", "LIST 0", "RETR 1", "RETR 2", "RETR 99", "TOP 1 0",
      "TOP 3 2", "TOP 1 -1", "DELE 1", "DELE 3", "NOOP", "RSET", "UIDL", "UIDL 2", "QUIT",
      "retr 1", "", " ", "\t", "\x01\x02", std::string(700, 'z'), "LIST 1 2 3"};
  Rng rng(42);
  for (int round = 0; round < 200; ++round) {
    std::string input;
    int n = 1 + static_cast<int>(rng.below(12));
    for (int i = 0; i < n; ++i) {
      input += words[rng.below(words.size())];
      // Mostly CRLF, sometimes a bare LF or no line end at all.
      auto k = rng.below(10);
      input += k < 8 ? "\r\n" : k == 8 ? "\n" : "";
    }
    Run r = talk(input);  // REQUIREs identical units whole and byte by byte
    for (const auto& u : r.units) {
      CHECK((u.rfind("+OK", 0) == 0 || u.rfind("-ERR ", 0) == 0 || u == "+ \r\n"));
      CHECK(u.size() >= 2);
      CHECK(u.compare(u.size() - 2, 2, "\r\n") == 0);
    }
    // The lock is held exactly while the session is in TRANSACTION.
    CHECK(r.alice().pop3_locked == (r.pop->state() == Pop3Server::State::Transaction));
  }
}
