// POP3 client engine against scripted server bytes: the exact commands it sends for each
// policy and the events it reports. The whole server side of a session is fed at once (the
// client answers it step by step, as its replies only depend on what came before) and again
// one byte at a time; both must give the same commands and events.
#include <catch2/catch.hpp>

#include "proto/pop3/pop3_client.hpp"
#include "world/scheduler.hpp"

using namespace ms;

namespace {

const std::string kM1 = "Message-ID: <one@x>\r\nSubject: one\r\n\r\n.dot line\r\n";
const std::string kM2 = "Message-ID: <two@x>\r\nSubject: two\r\n\r\nhello\r\n";
// As a server sends them in a RETR reply: byte-stuffed, then the terminator.
const std::string kR1 =
    "+OK 47 octets\r\nMessage-ID: <one@x>\r\nSubject: one\r\n\r\n..dot line\r\n.\r\n";
const std::string kR2 = "+OK 44 octets\r\n" + kM2 + ".\r\n";

const std::string kGreeting = "+OK POP3 server ready <1.0@mail.example.com>\r\n";
const std::string kCapa = "+OK Capability list follows\r\nTOP\r\nUIDL\r\nUSER\r\n.\r\n";
const std::string kLogin = "+OK send PASS\r\n+OK maildrop has 2 messages (91 octets)\r\n";
const std::string kStat = "+OK 2 91\r\n";
const std::string kUidl = "+OK\r\n1 a1\r\n2 a2\r\n.\r\n";
const std::string kBye = "+OK bye\r\n";

struct Result {
  std::string commands;
  std::vector<EngineEvent> events;
  std::string state;
  bool closed = false;
};

Result drive(const Pop3Plan& plan, std::string_view server, bool bytewise) {
  Pop3Client c(plan);
  Result r;
  if (bytewise) {
    for (char ch : server) c.receive(std::string_view(&ch, 1));
  } else {
    c.receive(server);
  }
  for (auto& u : c.take_output()) r.commands += u;
  r.events = c.take_events();
  r.state = c.state_name();
  r.closed = c.wants_close();
  return r;
}

// Both ways; they must agree. Returns the whole-chunk result.
Result session(const Pop3Plan& plan, const std::string& server) {
  Result a = drive(plan, server, false), b = drive(plan, server, true);
  REQUIRE(a.commands == b.commands);
  REQUIRE(a.events.size() == b.events.size());
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    CHECK(a.events[i].kind == b.events[i].kind);
    CHECK(a.events[i].id == b.events[i].id);
    CHECK(a.events[i].data == b.events[i].data);
    CHECK(a.events[i].text == b.events[i].text);
  }
  return a;
}

Pop3Plan plan(bool delete_after = true) {
  Pop3Plan p;
  p.user = "alice";
  p.pass = "secret";
  p.delete_after_download = delete_after;
  return p;
}

std::vector<const EngineEvent*> of(const Result& r, EngineEvent::Kind k) {
  std::vector<const EngineEvent*> out;
  for (const auto& e : r.events)
    if (e.kind == k) out.push_back(&e);
  return out;
}

const std::string kPrefix = "CAPA\r\nUSER alice\r\nPASS secret\r\nSTAT\r\nUIDL\r\n";

}  // namespace

SCENARIO("a POP3 client set to delete after download retrieves and deletes each message",
         "[pop3]") {
  Result r = session(plan(true), kGreeting + kCapa + kLogin + kStat + kUidl + kR1 + "+OK\r\n" +
                                     kR2 + "+OK\r\n" + kBye);
  CHECK(r.commands == kPrefix + "RETR 1\r\nDELE 1\r\nRETR 2\r\nDELE 2\r\nQUIT\r\n");
  auto got = of(r, EngineEvent::MessageDownloaded);
  REQUIRE(got.size() == 2);
  CHECK(got[0]->id == "a1");
  CHECK(got[0]->data == kM1);  // unstuffed: ".dot line" again
  CHECK(got[1]->id == "a2");
  CHECK(got[1]->data == kM2);
  auto gone = of(r, EngineEvent::MessageDeleted);
  REQUIRE(gone.size() == 2);
  CHECK(gone[0]->id == "a1");
  CHECK(gone[1]->id == "a2");
  CHECK(of(r, EngineEvent::Finished).size() == 1);
  CHECK(r.closed);
  CHECK(r.state == "DONE");
}

SCENARIO("a POP3 client reports deletions only once the server confirmed QUIT", "[pop3]") {
  GIVEN("a session that loses its connection after DELE") {
    Pop3Client c(plan(true));
    c.receive(kGreeting + kCapa + kLogin + kStat + kUidl + kR1 + "+OK\r\n");
    c.peer_closed();
    auto ev = c.take_events();
    bool deleted = false, finished = false;
    for (const auto& e : ev) {
      deleted |= e.kind == EngineEvent::MessageDeleted;
      finished |= e.kind == EngineEvent::Finished;
    }
    THEN("no MessageDeleted is reported, the session just ends") {
      CHECK_FALSE(deleted);
      CHECK(finished);
    }
  }
}

SCENARIO("a POP3 client leaving mail on the server retrieves only unique-ids it has not seen",
         "[pop3]") {
  Pop3Plan p = plan(false);
  p.seen = {"a1"};
  Result r = session(p, kGreeting + kCapa + kLogin + kStat + kUidl + kR2 + kBye);
  CHECK(r.commands == kPrefix + "RETR 2\r\nQUIT\r\n");
  auto got = of(r, EngineEvent::MessageDownloaded);
  REQUIRE(got.size() == 1);
  CHECK(got[0]->id == "a2");
  CHECK(of(r, EngineEvent::MessageDeleted).empty());
}

SCENARIO("a POP3 client deletes on the server the unique-ids its plan names", "[pop3]") {
  Pop3Plan p = plan(false);
  p.seen = {"a1", "a2"};
  p.to_delete = {"a2"};
  Result r = session(p, kGreeting + kCapa + kLogin + kStat + kUidl + "+OK\r\n" + kBye);
  CHECK(r.commands == kPrefix + "DELE 2\r\nQUIT\r\n");
  auto gone = of(r, EngineEvent::MessageDeleted);
  REQUIRE(gone.size() == 1);
  CHECK(gone[0]->id == "a2");
}

SCENARIO("a POP3 client set to delete after download deletes a message it downloaded in a "
         "session that never reached QUIT",
         "[pop3]") {
  Pop3Plan p = plan(true);
  p.seen = {"a1"};
  Result r =
      session(p, kGreeting + kCapa + kLogin + kStat + kUidl + "+OK\r\n" + kR2 + "+OK\r\n" + kBye);
  CHECK(r.commands == kPrefix + "DELE 1\r\nRETR 2\r\nDELE 2\r\nQUIT\r\n");
  CHECK(of(r, EngineEvent::MessageDownloaded).size() == 1);
  CHECK(of(r, EngineEvent::MessageDeleted).size() == 2);
}

SCENARIO("a POP3 client fetching headers only uses TOP n 0", "[pop3]") {
  Pop3Plan p = plan(false);
  p.headers_only = true;
  const std::string top1 = "+OK\r\nMessage-ID: <one@x>\r\nSubject: one\r\n\r\n.\r\n";
  const std::string top2 = "+OK\r\nMessage-ID: <two@x>\r\nSubject: two\r\n\r\n.\r\n";
  WHEN("nothing was seen before") {
    Result r = session(p, kGreeting + kCapa + kLogin + kStat + kUidl + top1 + top2 + kBye);
    THEN("it asks for both headers and no body") {
      CHECK(r.commands == kPrefix + "TOP 1 0\r\nTOP 2 0\r\nQUIT\r\n");
      auto got = of(r, EngineEvent::HeadersDownloaded);
      REQUIRE(got.size() == 2);
      CHECK(got[0]->id == "a1");
      CHECK(got[0]->data == "Message-ID: <one@x>\r\nSubject: one\r\n\r\n");
      CHECK(of(r, EngineEvent::MessageDownloaded).empty());
    }
  }
  WHEN("the body of a seen message is now wanted") {
    p.seen = {"a1", "a2"};
    p.want_body = {"a1"};
    Result r = session(p, kGreeting + kCapa + kLogin + kStat + kUidl + kR1 + kBye);
    THEN("it retrieves just that one in full") {
      CHECK(r.commands == kPrefix + "RETR 1\r\nQUIT\r\n");
      CHECK(of(r, EngineEvent::MessageDownloaded).size() == 1);
    }
  }
}

SCENARIO("a POP3 client falls back to downloading everything when the server has no UIDL",
         "[pop3]") {
  Pop3Plan p = plan(false);
  p.seen = {"a1"};
  WHEN("the server has no CAPA and refuses UIDL") {
    Result r = session(p, kGreeting + "-ERR unknown command\r\n" + kLogin + kStat +
                              "-ERR unknown command\r\n" + kR1 + kR2 + kBye);
    THEN("it retrieves every message, naming each by its Message-ID") {
      CHECK(r.commands == kPrefix + "RETR 1\r\nRETR 2\r\nQUIT\r\n");
      auto got = of(r, EngineEvent::MessageDownloaded);
      REQUIRE(got.size() == 2);
      CHECK(got[0]->id == "<one@x>");
      CHECK(got[1]->id == "<two@x>");
    }
  }
  WHEN("the server's CAPA does not list UIDL") {
    Result r = session(p, kGreeting + "+OK\r\nTOP\r\nUSER\r\n.\r\n" + kLogin + kStat + kR1 + kR2 +
                              kBye);
    THEN("it does not even ask for UIDL") {
      CHECK(r.commands == "CAPA\r\nUSER alice\r\nPASS secret\r\nSTAT\r\nRETR 1\r\nRETR 2\r\n"
                          "QUIT\r\n");
    }
  }
}

SCENARIO("a POP3 client refused with [IN-USE] reports it and quits", "[pop3]") {
  Result r = session(plan(true), kGreeting + kCapa + "+OK send PASS\r\n" +
                                     "-ERR [IN-USE] maildrop already locked\r\n" + kBye);
  CHECK(r.commands == "CAPA\r\nUSER alice\r\nPASS secret\r\nQUIT\r\n");
  auto err = of(r, EngineEvent::Error);
  REQUIRE(err.size() == 1);
  CHECK(err[0]->id == "IN-USE");
  CHECK(err[0]->text == "mailbox in use by another device: [IN-USE] maildrop already locked");
  CHECK(of(r, EngineEvent::Finished).size() == 1);
  CHECK(of(r, EngineEvent::LoggedIn).empty());
}

SCENARIO("a POP3 client refused with [AUTH] reports a login failure", "[pop3]") {
  Result r = session(plan(true), kGreeting + kCapa + "+OK send PASS\r\n" +
                                     "-ERR [AUTH] invalid user name or password\r\n" + kBye);
  CHECK(r.commands == "CAPA\r\nUSER alice\r\nPASS secret\r\nQUIT\r\n");
  auto err = of(r, EngineEvent::Error);
  REQUIRE(err.size() == 1);
  CHECK(err[0]->id == "AUTH");
}

SCENARIO("a POP3 client with an empty maildrop just quits", "[pop3]") {
  Result r = session(plan(true), kGreeting + kCapa + kLogin + "+OK 0 0\r\n" + kBye);
  CHECK(r.commands == "CAPA\r\nUSER alice\r\nPASS secret\r\nSTAT\r\nQUIT\r\n");
}

SCENARIO("a POP3 client gives up on a server that sends an endless line", "[pop3]") {
  Pop3Client c(plan(true));
  c.receive(kGreeting);
  c.receive(std::string(2 << 20, 'x'));
  CHECK(c.wants_close());
  CHECK(c.state_name() == "DONE");
}

SCENARIO("a POP3 client reports remembered unique-ids the server no longer lists", "[pop3]") {
  Pop3Plan p = plan(false);
  p.seen = {"a1", "gone1"};
  p.to_delete = {"gone2"};
  WHEN("UIDL lists a1 and a2") {
    Result r = session(p, kGreeting + kCapa + kLogin + kStat + kUidl + kR2 + kBye);
    THEN("gone1 and gone2 are reported as vanished, a1 is not") {
      auto gone = of(r, EngineEvent::MessageExpunged);
      REQUIRE(gone.size() == 2);
      CHECK(gone[0]->id == "gone1");
      CHECK(gone[1]->id == "gone2");
    }
  }
  WHEN("the maildrop is empty") {
    Result r = session(p, kGreeting + kCapa + kLogin + "+OK 0 0\r\n" + kBye);
    THEN("every remembered id is reported") {
      CHECK(of(r, EngineEvent::MessageExpunged).size() == 3);
    }
  }
  WHEN("the server has no UIDL") {
    Result r = session(p, kGreeting + "-ERR no\r\n" + kLogin + kStat + "-ERR no\r\n" + kR1 + kR2 +
                              kBye);
    THEN("it cannot tell, and reports nothing") {
      CHECK(of(r, EngineEvent::MessageExpunged).empty());
    }
  }
}

SCENARIO("a POP3 client ignores UIDL lines for messages STAT did not announce", "[pop3]") {
  Pop3Plan p = plan(false);
  Result r = session(p, kGreeting + kCapa + kLogin + kStat +
                            "+OK\r\n1 a1\r\n2 a2\r\n7 a7\r\nbogus\r\n.\r\n" + kR1 + kR2 + kBye);
  CHECK(r.commands == kPrefix + "RETR 1\r\nRETR 2\r\nQUIT\r\n");
}

SCENARIO("a POP3 client gives up on a server announcing an absurd number of messages",
         "[pop3]") {
  Result r = session(plan(true), kGreeting + kCapa + kLogin + "+OK 4000000000 0\r\n" + kBye);
  CHECK(r.commands == "CAPA\r\nUSER alice\r\nPASS secret\r\nSTAT\r\nQUIT\r\n");
  CHECK(of(r, EngineEvent::Error).size() == 1);
}

SCENARIO("a POP3 client reports unexpected reply lines without losing its place", "[pop3]") {
  Result r = session(plan(true), kGreeting + kCapa + "garbage\r\n" + "+OK send PASS\r\n" +
                                     "+OK\r\n" + "+OK 0 0\r\n" + kBye);
  CHECK(r.commands == "CAPA\r\nUSER alice\r\nPASS secret\r\nSTAT\r\nQUIT\r\n");
  auto err = of(r, EngineEvent::Error);
  REQUIRE(err.size() == 1);
  CHECK(err[0]->text == "unexpected reply: garbage");
}

SCENARIO("a POP3 client fed random server replies never crashes and acts the same however "
         "the bytes are split",
         "[pop3]") {
  const std::vector<std::string> replies = {
      kGreeting, kCapa, "+OK\r\n", "-ERR no\r\n", "-ERR [IN-USE] locked\r\n", kStat,
      "+OK 3 100\r\n", "+OK x y\r\n", kUidl, "+OK\r\n1 a1\r\n1 a1\r\n0 z\r\n.\r\n", kR1, kR2,
      "+OK\r\n..\r\n.\r\n", "+ \r\n", "junk\r\n", ".\r\n", "+OK bye\n", "\r\n", "+OK"};
  Rng rng(7);
  for (int round = 0; round < 200; ++round) {
    Pop3Plan p = plan(rng.below(2) == 0);
    p.headers_only = rng.below(3) == 0;
    if (rng.below(2)) p.seen = {"a1"};
    if (rng.below(2)) p.to_delete = {"a2"};
    std::string server;
    int n = 1 + static_cast<int>(rng.below(15));
    for (int i = 0; i < n; ++i) server += replies[rng.below(replies.size())];
    Result r = session(p, server);  // REQUIREs identical commands and events
    // Whatever it heard, it only ever sends well-formed POP3 commands.
    for (std::size_t pos = 0; pos < r.commands.size();) {
      std::size_t eol = r.commands.find("\r\n", pos);
      REQUIRE(eol != std::string::npos);
      std::string cmd = r.commands.substr(pos, eol - pos);
      CHECK(!cmd.empty());
      CHECK(cmd.find('\n') == std::string::npos);
      pos = eol + 2;
    }
  }
}
