// Regression tests for what the fuzz targets (tests/fuzz, docs/fuzzing.md) found. Each feeds
// the minimised hostile input whole and one byte at a time and checks the exact reply, so that
// the normal (and the sanitizer) test run keeps the fix.
#include <catch2/catch.hpp>

#include <list>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "lesson/lesson.hpp"
#include "mime/mime.hpp"
#include "model/account.hpp"
#include "proto/imap/imap_client.hpp"
#include "proto/imap/imap_server.hpp"
#include "proto/pop3/pop3_client.hpp"
#include "world/scheduler.hpp"

using namespace ms;

namespace {

struct Run {
  std::string out;  // every unit the engine sent, concatenated
  std::vector<EngineEvent> events;
};

// Feeds each input to a fresh engine, whole per call and then one byte at a time; both runs
// must give the same output and events, which are returned.
Run feed(const std::function<std::unique_ptr<Engine>()>& make,
         const std::vector<std::string>& inputs) {
  Run runs[2];
  for (int bytewise = 0; bytewise < 2; ++bytewise) {
    auto e = make();
    Run& r = runs[bytewise];
    auto drain = [&] {
      for (auto& u : e->take_output()) r.out += u;
      for (auto& ev : e->take_events()) r.events.push_back(ev);
    };
    drain();
    for (const auto& in : inputs) {
      if (bytewise) {
        for (char c : in) {
          e->receive(std::string_view(&c, 1));
          drain();
        }
      } else {
        e->receive(in);
        drain();
      }
    }
  }
  CHECK(runs[0].out == runs[1].out);
  CHECK(runs[0].events.size() == runs[1].events.size());
  return runs[0];
}

ImapPlan inbox_plan() {
  ImapPlan p;
  p.user = "alice";
  p.pass = "secret";
  p.mailboxes.push_back(ImapMailboxPlan{});
  return p;
}

const std::vector<std::string> kImapToFlags = {
    "* OK ready\r\n", "A1 OK logged in\r\n", "* OK [UIDVALIDITY 7] ok\r\nA2 OK [READ-WRITE] done\r\n"};

}  // namespace

TEST_CASE("an IMAP client given a FETCH whose FLAGS list never closes still finishes the sync",
          "[imap][fuzz]") {
  // Found by fuzz-imap-response: the parser searched for ")" from the start of FLAGS, got npos
  // and restarted at position 0, looping forever. The client now parses responses with the
  // codec's ResponseReader, which rejects the malformed FETCH as a whole: the sync goes on.
  auto inputs = kImapToFlags;
  inputs.push_back("* 1 FETCH (UID 5 FLAGS (\\Seen\r\nA3 OK done\r\n");
  Run r = feed([] { return std::make_unique<ImapClient>(inbox_plan()); }, inputs);
  CHECK(r.out ==
        "A1 LOGIN \"alice\" \"secret\"\r\n"
        "A2 SELECT \"INBOX\"\r\n"
        "A3 UID FETCH 1:* (FLAGS)\r\n"
        "A4 LOGOUT\r\n");
}

TEST_CASE("an IMAP client given a BODY[] literal header cut short ignores it instead of throwing",
          "[imap][fuzz]") {
  // Found by fuzz-imap-response: "{3}" followed by a bare LF made the client read past the end
  // of the response (std::out_of_range escaped from receive()).
  auto inputs = kImapToFlags;
  inputs.push_back("* 1 FETCH (UID 5 BODY[] {3}\n");
  inputs.push_back("* 2 FETCH (UID 6 BODY[] {9}\r\nab)\r\n");
  Run r;
  REQUIRE_NOTHROW(r = feed([] { return std::make_unique<ImapClient>(inbox_plan()); }, inputs));
  for (const auto& e : r.events) CHECK(e.kind != EngineEvent::MessageDownloaded);
}

TEST_CASE("a POP3 client keeps the unique-ids of a UIDL listing and fetches only the new message",
          "[pop3][fuzz]") {
  // Found by fuzz-pop3-client (AddressSanitizer, stack-use-after-scope): each UIDL line was
  // split into views of a temporary that was already destroyed when the views were read.
  Pop3Plan plan;
  plan.user = "alice";
  plan.pass = "secret";
  plan.seen = {"an-identifier-longer-than-the-small-string-buffer-1"};
  plan.delete_after_download = false;
  Run r = feed([&] { return std::make_unique<Pop3Client>(plan); },
               {"+OK ready\r\n", "-ERR no CAPA\r\n", "+OK\r\n", "+OK\r\n", "+OK 2 20\r\n",
                "+OK\r\n1 an-identifier-longer-than-the-small-string-buffer-1\r\n"
                "2 an-identifier-longer-than-the-small-string-buffer-2\r\n.\r\n",
                "+OK\r\nSubject: new\r\n\r\n.\r\n", "+OK bye\r\n"});
  CHECK(r.out == "CAPA\r\nUSER alice\r\nPASS secret\r\nSTAT\r\nUIDL\r\nRETR 2\r\nQUIT\r\n");
  int downloads = 0;
  for (const auto& e : r.events)
    if (e.kind == EngineEvent::MessageDownloaded) {
      ++downloads;
      CHECK(e.id == "an-identifier-longer-than-the-small-string-buffer-2");
    }
  CHECK(downloads == 1);
}

TEST_CASE("an IMAP server reading a command that ends in a lone closing brace treats it as text",
          "[imap][fuzz]") {
  // Found by fuzz-imap-command (UBSan, pointer overflow): a line ending in "}" with no "{"
  // formed a pointer one before the line while looking for a literal's size.
  MailServer server;
  server.add_account("alice", "secret", 7);
  Run r = feed([&] { return std::make_unique<ImapServer>(server); },
               {"a1 NOOP}\r\n", "a2 LOGIN alice secret\r\n"});
  // The greeting and capability lists belong to the IMAP server's own tests; here only the
  // answers to the two commands matter: a BAD for the malformed one, then a normal login.
  CHECK(r.out.find("\r\na1 BAD unknown command\r\na2 OK ") != std::string::npos);
}

TEST_CASE("a lesson time made of points or too large to hold is an error, not an exception",
          "[lesson][fuzz]") {
  // Found by fuzz-lesson: "at": "." reached std::stod, whose std::invalid_argument escaped
  // parse_lesson (only LessonError is expected); a huge count of days overflowed Tick.
  CHECK_FALSE(parse_duration("."));
  CHECK_FALSE(parse_duration("1.2.3s"));
  CHECK_FALSE(parse_duration("999999999999d"));
  CHECK_FALSE(parse_duration("36525d1s"));
  CHECK(parse_duration("1.5s") == 1500 * kMs);
  CHECK(parse_duration("36525d") == 36525 * kDay);
  std::string lesson = R"({"id": "x", "title": "x", "accounts": [{"name": "a", "password": "p"}],
    "devices": [], "script": [{"at": ".", "do": "check mail"}]})";
  CHECK_THROWS_AS(parse_lesson(lesson, "x.json"), LessonError);
  // Found by the second fuzz-lesson campaign: a number too large for a double made the JSON
  // parser throw out_of_range (not parse_error), which escaped parse_lesson.
  CHECK_THROWS_AS(parse_lesson(R"({"id": "x", "seed": 5e2222222222222222})", "x.json"),
                  LessonError);
}

TEST_CASE("a BODY[HEADER.FIELDS] section with a parenthesis inside its list is malformed",
          "[mime][fuzz]") {
  // Found by fuzz-mime (out of memory): a "(" where a field name should be was taken as an
  // empty name without consuming anything, and the loop added empty names until memory ran out.
  const std::string raw = "Subject: x\r\nFrom: a@example.com\r\n\r\nbody\r\n";
  CHECK_FALSE(imap_body_section(raw, "HEADER.FIELDS (SUBJECT (FROM)"));
  CHECK_FALSE(imap_body_section(raw, "HEADER.FIELDS ((SUBJECT)"));
  CHECK(imap_body_section(raw, "HEADER.FIELDS (SUBJECT)") == "Subject: x\r\n\r\n");
}

TEST_CASE("an IMAP server answers BAD to a FETCH item list with a double space or a stray paren",
          "[imap][fuzz]") {
  // Found by fuzz-imap-command (out of memory): an empty item (after a second space, or at a
  // ")") did not advance the argument reader, and FETCH collected empty items until memory ran
  // out: one short command could take the server down.
  MailServer server;
  Account& a = server.add_account("alice", "secret", 7);
  a.store.append("INBOX", make_body("Subject: x\r\n\r\nx\r\n"), {}, 0);
  // Each run starts before any session has seen the message (SELECT claims \Recent).
  Run r = feed(
      [&] {
        a.store.folder("INBOX")->recent_from = 1;
        return std::make_unique<ImapServer>(server);
      },
               {"a1 LOGIN alice secret\r\na2 SELECT INBOX\r\n", "a3 FETCH 1 (FLAGS  UID)\r\n",
                "a4 FETCH 1 (FLAGS ) UID)\r\n", "a5 FETCH 1 (UID)\r\n"});
  CHECK(r.out.find("a3 BAD ") != std::string::npos);
  CHECK(r.out.find("a4 BAD ") != std::string::npos);
  CHECK(r.out.find("* 1 FETCH (UID 1)\r\na5 OK ") != std::string::npos);
}

TEST_CASE("an IMAP server accepts a 70 KB APPEND however the literal's bytes are split",
          "[imap][fuzz]") {
  // Reported by the fuzzing work against the first server: a literal ending exactly at a
  // receive() boundary made the whole command count as one over-long line.
  std::list<MailServer> servers;  // a fresh mailbox per run, so both get the same UIDs
  std::string msg = "Subject: big\r\n\r\n" + std::string(70000, 'x') + "\r\n";
  Run r = feed([&] {
                 servers.emplace_back().add_account("alice", "secret", 7);
                 return std::make_unique<ImapServer>(servers.back());
               },
               {"a1 LOGIN alice secret\r\n",
                "a2 APPEND INBOX {" + std::to_string(msg.size()) + "+}\r\n", msg, "\r\n"});
  CHECK(r.out.find("a2 OK [APPENDUID") != std::string::npos);
  CHECK(r.out.find("BAD") == std::string::npos);
}
