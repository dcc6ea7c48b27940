// IMAP server engine: RFC 7162 CONDSTORE and QRESYNC, RFC 5161 ENABLE and RFC 3501 \Recent,
// against scripted client bytes. As in imap_server_test.cpp, every scenario runs twice on a
// fresh mail server, client lines fed whole and one byte at a time, with identical answers.
#include <catch2/catch.hpp>

#include <functional>
#include <memory>

#include "model/account.hpp"
#include "imap_server_harness.hpp"
#include "proto/imap/imap_server.hpp"

using namespace ms;

namespace {

// alice/secret, INBOX (UIDVALIDITY 7): UID 1 \Seen (MODSEQ 2), UID 2 (3), UID 3 \Flagged (4);
// HIGHESTMODSEQ 4. No session has selected INBOX yet, so all three are \Recent.
struct Fixture {
  MailServer server;
  Account* alice;
  Fixture() {
    alice = &server.add_account("alice", "secret", 7);
    for (int i = 1; i <= 3; ++i)
      alice->store.append("INBOX", make_body("Subject: m" + std::to_string(i) + "\r\n\r\nx\r\n"),
                          flags_from_imap(i == 1 ? "\\Seen" : i == 3 ? "\\Flagged" : ""), 0);
  }
  Folder& inbox() { return *alice->store.folder("INBOX"); }
};

using test::collect;
using test::Feed;

std::vector<std::string> either_way(
    const std::function<std::vector<std::string>(Fixture&, const Feed&)>& scenario) {
  return test::either_way<Fixture>(scenario);
}

// One session: each input's answer, after logging in (its answer left out).
std::vector<std::string> session(const std::vector<std::string>& inputs) {
  return either_way([&](Fixture& fx, const Feed& feed) {
    ImapServer s(fx.server);
    collect(s);
    feed(s, "L LOGIN alice secret\r\n");
    std::vector<std::string> out;
    for (const auto& in : inputs) out.push_back(feed(s, in));
    return out;
  });
}

const std::string kSelectHead =
    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)\r\n"
    "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded \\*)] "
    "Flags permitted.\r\n";

}  // namespace

// ---------------------------------------------------------------------------------------------
// RFC 5161 ENABLE

TEST_CASE("an IMAP server enables CONDSTORE and QRESYNC and lists only what it newly enabled",
          "[imap][condstore]") {
  auto out = session({"e1 ENABLE CONDSTORE X-UNKNOWN\r\n", "e2 ENABLE condstore QRESYNC\r\n",
                      "e3 ENABLE QRESYNC\r\n", "e4 ENABLE\r\n", "e5 ENABLE \"QRESYNC\"\r\n"});
  CHECK(out[0] == "* ENABLED CONDSTORE\r\ne1 OK ENABLE completed\r\n");
  CHECK(out[1] == "* ENABLED QRESYNC\r\ne2 OK ENABLE completed\r\n");
  CHECK(out[2] == "* ENABLED\r\ne3 OK ENABLE completed\r\n");
  CHECK(out[3] == "e4 BAD ENABLE needs at least one capability\r\n");
  CHECK(out[4] == "e5 BAD ENABLE takes capability names\r\n");
}

TEST_CASE("an IMAP server refuses ENABLE before login", "[imap][condstore]") {
  auto out = either_way([](Fixture& fx, const Feed& feed) {
    ImapServer s(fx.server);
    collect(s);
    return std::vector<std::string>{feed(s, "e1 ENABLE QRESYNC\r\n")};
  });
  CHECK(out[0] == "e1 BAD ENABLE not allowed in the NOT AUTHENTICATED state\r\n");
}

// ---------------------------------------------------------------------------------------------
// RFC 7162 section 3.1: CONDSTORE

TEST_CASE("an IMAP server sends HIGHESTMODSEQ on SELECT and accepts the CONDSTORE parameter",
          "[imap][condstore]") {
  auto out = session({"s1 SELECT INBOX (CONDSTORE)\r\n", "s2 STORE 2 +FLAGS (\\Seen)\r\n",
                      "s3 EXAMINE INBOX (condstore)\r\n"});
  CHECK(out[0] == kSelectHead +
                      "* 3 EXISTS\r\n* 3 RECENT\r\n* OK [UNSEEN 2] First unseen.\r\n"
                      "* OK [UIDVALIDITY 7] UIDs valid\r\n* OK [UIDNEXT 4] Predicted next UID\r\n"
                      "* OK [HIGHESTMODSEQ 4] Highest\r\ns1 OK [READ-WRITE] SELECT completed\r\n");
  // CONDSTORE is on: the STORE's FETCH carries the new MODSEQ (section 3.1.3).
  CHECK(out[1] == "* 2 FETCH (FLAGS (\\Seen \\Recent) MODSEQ (5))\r\ns2 OK STORE completed\r\n");
  CHECK(out[2] ==
        "* OK [CLOSED] Previous mailbox is now closed\r\n"
        "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)\r\n"
        "* OK [PERMANENTFLAGS ()] Flags permitted.\r\n* 3 EXISTS\r\n* 0 RECENT\r\n"
        "* OK [UNSEEN 3] First unseen.\r\n"
        "* OK [UIDVALIDITY 7] UIDs valid\r\n* OK [UIDNEXT 4] Predicted next UID\r\n"
        "* OK [HIGHESTMODSEQ 5] Highest\r\ns3 OK [READ-ONLY] EXAMINE completed\r\n");
}

TEST_CASE("an IMAP server answers a CONDSTORE-enabling command in the selected state with "
          "HIGHESTMODSEQ first",
          "[imap][condstore]") {
  auto out = session({"s1 SELECT INBOX\r\n", "f1 FETCH 1:* (UID) (CHANGEDSINCE 3)\r\n",
                      "f2 FETCH 2 (MODSEQ)\r\n"});
  // CHANGEDSINCE implies MODSEQ in each answer (section 3.1.4).
  CHECK(out[1] == "* OK [HIGHESTMODSEQ 4] Highest\r\n* 3 FETCH (UID 3 MODSEQ (4))\r\n"
                  "f1 OK FETCH completed\r\n");
  CHECK(out[2] == "* 2 FETCH (MODSEQ (3))\r\nf2 OK FETCH completed\r\n");
}

TEST_CASE("an IMAP server applies STORE UNCHANGEDSINCE only to unchanged messages and lists "
          "the others in MODIFIED",
          "[imap][condstore]") {
  auto out = session({"s1 SELECT INBOX\r\n",
                      "t1 STORE 1:3 (UNCHANGEDSINCE 2) +FLAGS.SILENT (\\Deleted)\r\n",
                      "t2 UID STORE 2,3 (UNCHANGEDSINCE 3) -FLAGS (\\Flagged)\r\n",
                      "t3 UID STORE 1 (UNCHANGEDSINCE 0) +FLAGS (\\Answered)\r\n",
                      "t4 STORE 1 (UNCHANGEDSINCE 5) +FLAGS.SILENT (\\Recent)\r\n",
                      "t5 STORE 1 (UNCHANGEDSINCE x) +FLAGS (\\Seen)\r\n"});
  // Message 1 (MODSEQ 2) passes and is reported with its MODSEQ even though .SILENT; 2 and 3
  // were changed after MODSEQ 2.
  CHECK(out[1] == "* OK [HIGHESTMODSEQ 4] Highest\r\n* 1 FETCH (MODSEQ (5))\r\n"
                  "t1 OK [MODIFIED 2:3] Conditional STORE failed\r\n");
  CHECK(out[2] == "* 2 FETCH (UID 2 FLAGS (\\Recent) MODSEQ (3))\r\n"
                  "t2 OK [MODIFIED 3] Conditional UID STORE failed\r\n");
  CHECK(out[3] == "t3 OK [MODIFIED 1] Conditional UID STORE failed\r\n");
  // \Recent cannot be stored: nothing changes, and the MODSEQ stays.
  CHECK(out[4] == "* 1 FETCH (MODSEQ (5))\r\nt4 OK STORE completed\r\n");
  CHECK(out[5].rfind("t5 BAD ", 0) == 0);
}

TEST_CASE("an IMAP server ends a SEARCH with MODSEQ with the highest MODSEQ found",
          "[imap][condstore]") {
  auto out = session({"s1 SELECT INBOX\r\n", "q1 SEARCH MODSEQ 3\r\n", "q2 UID SEARCH MODSEQ 9\r\n",
                      "q3 SEARCH OR MODSEQ 4 SEEN\r\n", "q4 SEARCH UNSEEN\r\n"});
  CHECK(out[1] == "* OK [HIGHESTMODSEQ 4] Highest\r\n* SEARCH 2 3 (MODSEQ 4)\r\n"
                  "q1 OK SEARCH completed\r\n");
  CHECK(out[2] == "* SEARCH\r\nq2 OK UID SEARCH completed\r\n");
  CHECK(out[3] == "* SEARCH 1 3 (MODSEQ 4)\r\nq3 OK SEARCH completed\r\n");
  CHECK(out[4] == "* SEARCH 2 3\r\nq4 OK SEARCH completed\r\n");
}

TEST_CASE("an IMAP server reports HIGHESTMODSEQ and RECENT in STATUS", "[imap][condstore]") {
  auto out = either_way([](Fixture& fx, const Feed& feed) {
    ImapServer a(fx.server), b(fx.server);
    collect(a);
    collect(b);
    feed(a, "a1 LOGIN alice secret\r\n");
    feed(b, "b1 LOGIN alice secret\r\n");
    std::vector<std::string> r{feed(a, "a2 STATUS INBOX (MESSAGES RECENT HIGHESTMODSEQ)\r\n")};
    feed(b, "b2 SELECT INBOX\r\n");
    r.push_back(feed(a, "a3 STATUS INBOX (RECENT UNSEEN)\r\n"));
    feed(a, "a4 APPEND INBOX {1+}\r\nx\r\n");
    r.push_back(feed(a, "a5 STATUS INBOX (RECENT HIGHESTMODSEQ)\r\n"));
    // b is told of it in the answer to its own next command, and claims it.
    r.push_back(feed(b, "b3 NOOP\r\n"));
    r.push_back(feed(a, "a6 STATUS INBOX (RECENT)\r\n"));
    return r;
  });
  CHECK(out[0] == "* STATUS \"INBOX\" (MESSAGES 3 RECENT 3 HIGHESTMODSEQ 4)\r\n"
                  "a2 OK STATUS completed\r\n");
  // b's SELECT claimed the three.
  CHECK(out[1] == "* STATUS \"INBOX\" (RECENT 0 UNSEEN 2)\r\na3 OK STATUS completed\r\n");
  CHECK(out[2] == "* STATUS \"INBOX\" (RECENT 1 HIGHESTMODSEQ 5)\r\na5 OK STATUS completed\r\n");
  CHECK(out[3] == "* 4 EXISTS\r\n* 4 RECENT\r\nb3 OK NOOP completed\r\n");
  CHECK(out[4] == "* STATUS \"INBOX\" (RECENT 0)\r\na6 OK STATUS completed\r\n");
}

TEST_CASE("an IMAP server adds MODSEQ to other sessions' flag changes once CONDSTORE is on",
          "[imap][condstore]") {
  auto out = either_way([](Fixture& fx, const Feed& feed) {
    ImapServer a(fx.server), b(fx.server);
    collect(a);
    collect(b);
    feed(a, "a1 LOGIN alice secret\r\na2 SELECT INBOX\r\n");
    feed(b, "b1 LOGIN alice secret\r\nb2 ENABLE CONDSTORE\r\nb3 SELECT INBOX\r\n");
    feed(a, "a3 STORE 2 +FLAGS.SILENT (\\Answered)\r\n");
    return std::vector<std::string>{feed(b, "b4 NOOP\r\n")};
  });
  CHECK(out[0] == "* 2 FETCH (UID 2 FLAGS (\\Answered) MODSEQ (5))\r\nb4 OK NOOP completed\r\n");
}

// ---------------------------------------------------------------------------------------------
// RFC 7162 section 3.2: QRESYNC

TEST_CASE("an IMAP server refuses SELECT with QRESYNC before ENABLE QRESYNC and bad parameters",
          "[imap][qresync]") {
  auto out = session({"s1 SELECT INBOX (QRESYNC (7 1))\r\n", "e1 ENABLE QRESYNC\r\n",
                      "s2 SELECT INBOX (QRESYNC (0 1))\r\n", "s3 SELECT INBOX (QRESYNC (7))\r\n",
                      "s4 SELECT INBOX (QRESYNC (7 0))\r\n",
                      "s5 SELECT INBOX (QRESYNC (7 1 1:*))\r\n",
                      "s6 SELECT INBOX (QRESYNC (7 1 1:3 (1:2)))\r\n",
                      "s7 SELECT INBOX (FOO)\r\n", "s8 SELECT INBOX ()\r\n",
                      "s9 SELECT INBOX (QRESYNC)\r\n", "s10 SELECT INBOX CONDSTORE\r\n",
                      "s11 SELECT INBOX (QRESYNC (7 1 \"1:2\"))\r\n",
                      "s12 SELECT INBOX (QRESYNC (7 1 1:2 1:2))\r\n"});
  CHECK(out[0] == "s1 BAD QRESYNC is not enabled (use ENABLE QRESYNC)\r\n");
  CHECK(out[2] == "s2 BAD QRESYNC needs (uidvalidity modseq [known-uids [seq-match]])\r\n");
  CHECK(out[3] == "s3 BAD QRESYNC needs (uidvalidity modseq [known-uids [seq-match]])\r\n");
  CHECK(out[4] == "s4 BAD QRESYNC needs (uidvalidity modseq [known-uids [seq-match]])\r\n");
  CHECK(out[5] == "s5 BAD \"*\" is not allowed in QRESYNC sets\r\n");
  CHECK(out[6] == "s6 BAD seq-match-data needs two sets\r\n");
  CHECK(out[7] == "s7 BAD unknown select parameter\r\n");
  CHECK(out[8] == "s8 BAD empty select parameter list\r\n");
  CHECK(out[9] == "s9 BAD unknown select parameter\r\n");
  CHECK(out[10] == "s10 BAD SELECT needs one mailbox name\r\n");
  CHECK(out[11] == "s11 BAD QRESYNC known-uids must be a UID set\r\n");
  CHECK(out[12] == "s12 BAD seq-match-data needs two sets\r\n");
}

TEST_CASE("an IMAP server answers SELECT QRESYNC with VANISHED (EARLIER) and the changed "
          "messages only",
          "[imap][qresync]") {
  auto out = either_way([](Fixture& fx, const Feed& feed) {
    ImapServer a(fx.server), b(fx.server);
    collect(a);
    collect(b);
    // The client last saw HIGHESTMODSEQ 4; then b expunges UID 2 (MODSEQ 5 and 6) and flags
    // UID 3 as read (7).
    feed(b, "b1 LOGIN alice secret\r\nb2 SELECT INBOX\r\n");
    feed(b, "b3 STORE 2 +FLAGS.SILENT (\\Deleted)\r\nb4 EXPUNGE\r\nb5 UID STORE 3 +FLAGS (\\Seen)\r\n");
    feed(a, "a1 LOGIN alice secret\r\na2 ENABLE QRESYNC\r\n");
    return std::vector<std::string>{
        feed(a, "a3 SELECT INBOX (QRESYNC (7 4 1:3))\r\n"),
        feed(a, "a4 EXAMINE INBOX (QRESYNC (7 6 1:3 (1:2 1:2)))\r\n"),
        feed(a, "a5 SELECT INBOX (QRESYNC (8 4 1:3))\r\n"),
        feed(a, "a6 SELECT INBOX (QRESYNC (7 1))\r\n")};
  });
  const std::string tail = "* OK [UIDVALIDITY 7] UIDs valid\r\n* OK [UIDNEXT 4] Predicted next "
                           "UID\r\n* OK [HIGHESTMODSEQ 7] Highest\r\n";
  CHECK(out[0] == kSelectHead + "* 2 EXISTS\r\n* 0 RECENT\r\n" + tail +
                      "* VANISHED (EARLIER) 2\r\n"
                      "* 2 FETCH (UID 3 FLAGS (\\Seen \\Flagged) MODSEQ (7))\r\n"
                      "a3 OK [READ-WRITE] SELECT completed\r\n");
  // Since MODSEQ 6 the expunge is known (it was at 6) and only UID 3 changed.
  CHECK(out[1] ==
        "* OK [CLOSED] Previous mailbox is now closed\r\n"
        "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)\r\n"
        "* OK [PERMANENTFLAGS ()] Flags permitted.\r\n* 2 EXISTS\r\n* 0 RECENT\r\n" + tail +
        "* 2 FETCH (UID 3 FLAGS (\\Seen \\Flagged) MODSEQ (7))\r\n"
        "a4 OK [READ-ONLY] EXAMINE completed\r\n");
  // Another UIDVALIDITY: the client's cache is of another mailbox, nothing incremental.
  CHECK(out[2] == "* OK [CLOSED] Previous mailbox is now closed\r\n" + kSelectHead +
                      "* 2 EXISTS\r\n* 0 RECENT\r\n" + tail +
                      "a5 OK [READ-WRITE] SELECT completed\r\n");
  // Without known UIDs, every UID below UIDNEXT is meant; everything changed since 1.
  CHECK(out[3] == "* OK [CLOSED] Previous mailbox is now closed\r\n" + kSelectHead +
                      "* 2 EXISTS\r\n* 0 RECENT\r\n" + tail + "* VANISHED (EARLIER) 2\r\n"
                      "* 1 FETCH (UID 1 FLAGS (\\Seen) MODSEQ (2))\r\n"
                      "* 2 FETCH (UID 3 FLAGS (\\Seen \\Flagged) MODSEQ (7))\r\n"
                      "a6 OK [READ-WRITE] SELECT completed\r\n");
}

TEST_CASE("an IMAP server reports every missing known UID when its expunge memory is too short",
          "[imap][qresync]") {
  auto out = either_way([](Fixture& fx, const Feed& feed) {
    fx.alice->store.remove("INBOX", 2);  // MODSEQ 5
    // As if older expunges had been forgotten up to MODSEQ 5 (record_expunge trims so).
    fx.inbox().vanished.clear();
    fx.inbox().vanished_floor = 5;
    ImapServer a(fx.server);
    collect(a);
    feed(a, "a1 LOGIN alice secret\r\na2 ENABLE QRESYNC\r\n");
    std::vector<std::string> r{feed(a, "a3 EXAMINE INBOX (QRESYNC (7 3 1:9))\r\n"),
                               feed(a, "a4 EXAMINE INBOX (QRESYNC (7 5 1:9))\r\n")};
    return r;
  });
  CHECK(out[0].find("* VANISHED (EARLIER) 2\r\n* 2 FETCH (UID 3 FLAGS (\\Flagged \\Recent) "
                    "MODSEQ (4))\r\n") != std::string::npos);
  CHECK(out[1].find("VANISHED") == std::string::npos);
}

TEST_CASE("a folder keeps expunges as merged runs and forgets the oldest past its limit",
          "[imap][qresync]") {
  Folder f;
  f.record_expunge(5, 10);
  f.record_expunge(6, 11);
  f.record_expunge(4, 12);
  f.record_expunge(9, 13);
  REQUIRE(f.vanished.size() == 2);
  CHECK(f.vanished[0].first == 4);
  CHECK(f.vanished[0].last == 6);
  CHECK(f.vanished[0].modseq == 12);
  CHECK(f.vanished[1].first == 9);
  CHECK(f.vanished_floor == 0);
  for (std::uint32_t i = 0; i < Folder::kMaxTombstones; ++i) f.record_expunge(100 + 2 * i, 20 + i);
  CHECK(f.vanished.size() <= Folder::kMaxTombstones);
  CHECK(f.vanished_floor > 0);
  CHECK(f.vanished.front().modseq > f.vanished_floor);
}

TEST_CASE("an IMAP server reports expunges as VANISHED once QRESYNC is enabled",
          "[imap][qresync]") {
  auto out = either_way([](Fixture& fx, const Feed& feed) {
    ImapServer a(fx.server), b(fx.server);
    collect(a);
    collect(b);
    feed(a, "a1 LOGIN alice secret\r\na2 ENABLE QRESYNC\r\na3 SELECT INBOX\r\n");
    feed(b, "b1 LOGIN alice secret\r\nb2 SELECT INBOX\r\n");
    std::vector<std::string> r{
        feed(a, "a4 STORE 1:2 +FLAGS.SILENT (\\Deleted)\r\na5 EXPUNGE\r\n"),
        feed(b, "b3 NOOP\r\n"),
        feed(a, "a6 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 4 VANISHED)\r\n"),
        feed(b, "b4 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 4 VANISHED)\r\n"),
        feed(a, "a7 UID FETCH 2:9 (UID) (CHANGEDSINCE 6 VANISHED)\r\n")};
    return r;
  });
  CHECK(out[0] == "* 1 FETCH (MODSEQ (5))\r\n* 2 FETCH (MODSEQ (6))\r\na4 OK STORE completed\r\n"
                  "* VANISHED 1:2\r\na5 OK EXPUNGE completed\r\n");
  // b has not enabled QRESYNC: classic EXPUNGE responses.
  CHECK(out[1] == "* 2 EXPUNGE\r\n* 1 EXPUNGE\r\nb3 OK NOOP completed\r\n");
  CHECK(out[2] == "* VANISHED (EARLIER) 1:2\r\na6 OK UID FETCH completed\r\n");
  CHECK(out[3] == "b4 BAD VANISHED needs QRESYNC enabled (use ENABLE QRESYNC)\r\n");
  // UID 1 was expunged at MODSEQ 7, UID 2 at 8 (one merged record at 8); only 2 is asked for.
  CHECK(out[4] == "* VANISHED (EARLIER) 2\r\na7 OK UID FETCH completed\r\n");
}

// ---------------------------------------------------------------------------------------------
// RFC 3501 section 2.3.2: \Recent

TEST_CASE("an IMAP server gives \\Recent to the first session that selects or is told of a "
          "message",
          "[imap][recent]") {
  auto out = either_way([](Fixture& fx, const Feed& feed) {
    ImapServer a(fx.server), b(fx.server), c(fx.server);
    collect(a);
    collect(b);
    collect(c);
    feed(c, "c1 LOGIN alice secret\r\n");
    feed(a, "a1 LOGIN alice secret\r\n");
    feed(b, "b1 LOGIN alice secret\r\n");
    std::vector<std::string> r;
    // EXAMINE shows them as recent without claiming them.
    r.push_back(feed(c, "c2 EXAMINE INBOX\r\n"));
    r.push_back(feed(a, "a2 SELECT INBOX\r\n"));
    r.push_back(feed(b, "b2 SELECT INBOX\r\n"));
    r.push_back(feed(a, "a3 SEARCH RECENT\r\na4 SEARCH NEW\r\na5 FETCH 1 FLAGS\r\n"));
    r.push_back(feed(b, "b3 SEARCH RECENT\r\nb4 SEARCH OLD\r\nb5 STORE 1 +FLAGS (\\Recent)\r\n"));
    // A new message: b hears of it first (its NOOP), so it is b's.
    feed(c, "c3 APPEND INBOX {1+}\r\nx\r\n");
    r.push_back(feed(b, "b6 NOOP\r\n"));
    r.push_back(feed(a, "a6 NOOP\r\na7 SEARCH RECENT\r\n"));
    return r;
  });
  CHECK(out[0].find("* 3 EXISTS\r\n* 3 RECENT\r\n") != std::string::npos);
  CHECK(out[1].find("* 3 EXISTS\r\n* 3 RECENT\r\n") != std::string::npos);
  CHECK(out[2].find("* 3 EXISTS\r\n* 0 RECENT\r\n") != std::string::npos);
  CHECK(out[3] == "* SEARCH 1 2 3\r\na3 OK SEARCH completed\r\n"
                  "* SEARCH 2 3\r\na4 OK SEARCH completed\r\n"
                  "* 1 FETCH (FLAGS (\\Seen \\Recent))\r\na5 OK FETCH completed\r\n");
  CHECK(out[4] == "* SEARCH\r\nb3 OK SEARCH completed\r\n"
                  "* SEARCH 1 2 3\r\nb4 OK SEARCH completed\r\n"
                  "* 1 FETCH (FLAGS (\\Seen))\r\nb5 OK STORE completed\r\n");
  CHECK(out[5] == "* 4 EXISTS\r\n* 1 RECENT\r\nb6 OK NOOP completed\r\n");
  CHECK(out[6] == "* 4 EXISTS\r\n* 3 RECENT\r\na6 OK NOOP completed\r\n"
                  "* SEARCH 1 2 3\r\na7 OK SEARCH completed\r\n");
}

// ---------------------------------------------------------------------------------------------
// The selected mailbox deleted or renamed by another session

TEST_CASE("an IMAP server says BYE at once to an idling session whose mailbox is renamed away",
          "[imap]") {
  auto out = either_way([](Fixture& fx, const Feed& feed) {
    ImapServer a(fx.server), b(fx.server);
    collect(a);
    collect(b);
    feed(a, "a1 LOGIN alice secret\r\na2 CREATE Work\r\na3 SELECT Work\r\na4 IDLE\r\n");
    std::vector<std::string> r{feed(b, "b1 LOGIN alice secret\r\nb2 RENAME Work Play\r\n")};
    r.push_back(collect(a));
    r.push_back(a.wants_close() ? "closes" : "stays");
    return r;
  });
  CHECK(out[0] == "b1 OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE UIDPLUS MOVE "
                  "SPECIAL-USE UNSELECT NAMESPACE CHILDREN CONDSTORE QRESYNC] Logged in\r\n"
                  "b2 OK RENAME completed\r\n");
  CHECK(out[1] == "* BYE Selected mailbox was deleted, have to disconnect.\r\n");
  CHECK(out[2] == "closes");
}

TEST_CASE("an IMAP server tells a QRESYNC session of expunges during UID commands but not "
          "during FETCH",
          "[imap][qresync]") {
  auto out = either_way([](Fixture& fx, const Feed& feed) {
    ImapServer a(fx.server), b(fx.server);
    collect(a);
    collect(b);
    feed(a, "a1 LOGIN alice secret\r\na2 ENABLE QRESYNC\r\na3 SELECT INBOX\r\n");
    feed(b, "b1 LOGIN alice secret\r\nb2 SELECT INBOX\r\n");
    feed(b, "b3 UID STORE 2 +FLAGS.SILENT (\\Deleted)\r\nb4 EXPUNGE\r\n");
    return std::vector<std::string>{feed(a, "a4 FETCH 1:* (UID)\r\n"),
                                    feed(a, "a5 UID FETCH 1:* (UID)\r\n")};
  });
  // RFC 3501 7.4.1: no expunge during FETCH (sequence numbers would shift under the client).
  CHECK(out[0] == "* 1 FETCH (UID 1)\r\n* 3 FETCH (UID 3)\r\na4 OK FETCH completed\r\n");
  CHECK(out[1] == "* VANISHED 2\r\n* 1 FETCH (UID 1)\r\n* 2 FETCH (UID 3)\r\n"
                  "a5 OK UID FETCH completed\r\n");
}

TEST_CASE("an IMAP server holding back an expunge during FETCH tells a QRESYNC client a "
          "HIGHESTMODSEQ below it",
          "[imap][qresync]") {
  // RFC 5162 erratum 1810, in RFC 7162: MODSEQs sent while an expunge waits must not let a
  // client that reconnects from the highest one it saw miss that expunge.
  auto out = either_way([](Fixture& fx, const Feed& feed) {
    ImapServer a(fx.server), b(fx.server);
    collect(a);
    collect(b);
    feed(a, "a1 LOGIN alice secret\r\na2 ENABLE QRESYNC\r\na3 SELECT INBOX\r\n");
    // UID 2 goes (expunged at MODSEQ 6), then UID 3 is read (MODSEQ 7).
    feed(b, "b1 LOGIN alice secret\r\nb2 SELECT INBOX\r\n");
    feed(b, "b3 UID STORE 2 +FLAGS.SILENT (\\Deleted)\r\nb4 EXPUNGE\r\n"
            "b5 UID STORE 3 +FLAGS.SILENT (\\Seen)\r\n");
    return std::vector<std::string>{feed(a, "a4 FETCH 3 (FLAGS)\r\n"),
                                    feed(a, "a5 FETCH 1 (FLAGS)\r\n"),
                                    feed(a, "a6 NOOP\r\n")};
  });
  CHECK(out[0] == "* 3 FETCH (UID 3 FLAGS (\\Seen \\Flagged \\Recent) MODSEQ (7))\r\n"
                  "* 3 FETCH (FLAGS (\\Seen \\Flagged \\Recent))\r\n"
                  "* OK [HIGHESTMODSEQ 5] Highest\r\n"
                  "a4 OK FETCH completed\r\n");
  // Nothing with a MODSEQ was sent: no need to say it again.
  CHECK(out[1] == "* 1 FETCH (FLAGS (\\Seen \\Recent))\r\na5 OK FETCH completed\r\n");
  CHECK(out[2] == "* VANISHED 2\r\na6 OK NOOP completed\r\n");
}
