// IMAP server engine against scripted client bytes. Every scenario runs twice on a fresh
// mail server, once with each client line fed whole and once fed one byte at a time, and
// both runs must answer with the same bytes.
#include <catch2/catch.hpp>

#include <functional>
#include <memory>

#include "model/account.hpp"
#include "imap_server_harness.hpp"
#include "proto/imap/imap_server.hpp"

using namespace ms;

namespace {

const std::string kGreeting =
    "* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE UIDPLUS MOVE SPECIAL-USE "
    "UNSELECT NAMESPACE CHILDREN CONDSTORE QRESYNC AUTH=PLAIN] mail.example.com Mailscope "
    "IMAP4rev1 ready\r\n";
const std::string kLoggedIn =
    "OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE UIDPLUS MOVE SPECIAL-USE "
    "UNSELECT NAMESPACE CHILDREN CONDSTORE QRESYNC] Logged in\r\n";

constexpr Tick kDay = 86'400'000'000;

const std::string kMsg1 =
    "From: Bob <bob@example.org>\r\n"
    "To: alice@example.com\r\n"
    "Subject: Lunch today\r\n"
    "Date: Mon, 3 Mar 2014 09:00:00 +0000\r\n"
    "\r\n"
    "Shall we meet at noon?\r\n";
const std::string kMsg2 =
    "From: Carol <carol@example.net>\r\n"
    "To: alice@example.com\r\n"
    "Subject: Quarterly report\r\n"
    "Date: Tue, 4 Mar 2014 10:00:00 +0000\r\n"
    "\r\n"
    "The numbers are attached. Revenue is up, costs are down, and the board is happy.\r\n";
const std::string kMsg3 =
    "From: Bob <bob@example.org>\r\n"
    "To: alice@example.com\r\n"
    "Subject: Re: Lunch today\r\n"
    "Date: Wed, 5 Mar 2014 12:00:00 +0000\r\n"
    "\r\n"
    "Noon it is.\r\n";

// alice/secret with INBOX: 1 (\Seen, 3 Mar), 2 (unseen, 4 Mar), 3 (\Flagged, 5 Mar).
struct Fixture {
  MailServer server;
  Account* alice;
  Fixture() {
    alice = &server.add_account("alice", "secret", 7);
    alice->store.append("INBOX", make_body(kMsg1), flags_from_imap("\\Seen"), 0);
    alice->store.append("INBOX", make_body(kMsg2), {}, kDay + 3'600'000'000);
    alice->store.append("INBOX", make_body(kMsg3), flags_from_imap("\\Flagged"), 2 * kDay);
  }
  Folder& inbox() { return *alice->store.folder("INBOX"); }
};

using test::collect;
using test::feed_whole;
using test::Feed;

std::vector<std::string> either_way(
    const std::function<std::vector<std::string>(Fixture&, const Feed&)>& scenario) {
  return test::either_way<Fixture>(scenario);
}

// Each client input with its answer, in order, starting with the greeting.
std::vector<std::string> script(const std::vector<std::string>& inputs) {
  return either_way([&](Fixture& fx, const Feed& feed) {
    ImapServer s(fx.server);
    std::vector<std::string> out{collect(s)};
    for (const auto& in : inputs) out.push_back(feed(s, in));
    return out;
  });
}

// The same, after logging in and selecting INBOX (their answers are left out).
std::vector<std::string> selected(const std::vector<std::string>& inputs) {
  std::vector<std::string> all = {"L LOGIN alice secret\r\n", "S SELECT INBOX\r\n"};
  all.insert(all.end(), inputs.begin(), inputs.end());
  auto out = script(all);
  return {out.begin() + 3, out.end()};
}

const std::string kSelectInbox =
    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)\r\n"
    "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded \\*)] "
    "Flags permitted.\r\n"
    "* 3 EXISTS\r\n"
    "* 3 RECENT\r\n"
    "* OK [UNSEEN 2] First unseen.\r\n"
    "* OK [UIDVALIDITY 7] UIDs valid\r\n"
    "* OK [UIDNEXT 4] Predicted next UID\r\n"
    "* OK [HIGHESTMODSEQ 4] Highest\r\n";

}  // namespace

// ---------------------------------------------------------------------------------------------

TEST_CASE("an IMAP server greets with its capabilities and answers CAPABILITY", "[imap]") {
  auto out = script({"c1 CAPABILITY\r\n"});
  CHECK(out[0] == kGreeting);
  CHECK(out[1] ==
        "* CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE UIDPLUS MOVE SPECIAL-USE UNSELECT "
        "NAMESPACE CHILDREN CONDSTORE QRESYNC AUTH=PLAIN\r\nc1 OK CAPABILITY completed\r\n");
}

TEST_CASE("an IMAP server accepts LOGIN with the right password and refuses a wrong one",
          "[imap]") {
  auto out = script({"a1 LOGIN alice wrong\r\n", "a2 LOGIN \"alice\" {6+}\r\nsecret\r\n",
                     "a3 LOGIN alice secret\r\n"});
  CHECK(out[1] == "a1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n");
  CHECK(out[2] == "a2 " + kLoggedIn);
  CHECK(out[3] == "a3 BAD LOGIN not allowed in the AUTHENTICATED state\r\n");
}

TEST_CASE("an IMAP server accepts AUTHENTICATE PLAIN with an initial response", "[imap]") {
  // base64("\0alice\0secret") and base64("\0alice\0nope")
  auto out = script({"a1 AUTHENTICATE PLAIN AGFsaWNlAG5vcGU=\r\n",
                     "a2 AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==\r\n"});
  CHECK(out[1] == "a1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n");
  CHECK(out[2] == "a2 " + kLoggedIn);
}

TEST_CASE("an IMAP server asks for the PLAIN response with a continuation", "[imap]") {
  auto out = script({"a1 AUTHENTICATE PLAIN\r\n", "AGFsaWNlAHNlY3JldA==\r\n",
                     "a2 AUTHENTICATE PLAIN\r\n", "a3 AUTHENTICATE PLAIN\r\n", "*\r\n"});
  CHECK(out[1] == "+ \r\n");
  CHECK(out[2] == "a1 " + kLoggedIn);
  CHECK(out[3] == "a2 BAD AUTHENTICATE not allowed in the AUTHENTICATED state\r\n");
  auto cancel = script({"a1 AUTHENTICATE PLAIN\r\n", "*\r\n", "a2 NOOP\r\n"});
  CHECK(cancel[1] == "+ \r\n");
  CHECK(cancel[2] == "a1 BAD AUTHENTICATE cancelled\r\n");
  CHECK(cancel[3] == "a2 OK NOOP completed\r\n");
}

TEST_CASE("an IMAP server answers SELECT and EXAMINE with the mailbox's state", "[imap]") {
  auto out = script({"L LOGIN alice secret\r\n", "s1 SELECT inbox\r\n", "s2 EXAMINE INBOX\r\n",
                     "s3 SELECT Nowhere\r\n", "s4 NOOP\r\n"});
  CHECK(out[2] == kSelectInbox + "s1 OK [READ-WRITE] SELECT completed\r\n");
  // Re-selecting closes the first mailbox, and says so even without QRESYNC (RFC 7162 3.2.11).
  CHECK(out[3] ==
        "* OK [CLOSED] Previous mailbox is now closed\r\n"
        "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)\r\n"
        "* OK [PERMANENTFLAGS ()] Flags permitted.\r\n"
        "* 3 EXISTS\r\n* 0 RECENT\r\n* OK [UNSEEN 2] First unseen.\r\n"
        "* OK [UIDVALIDITY 7] UIDs valid\r\n* OK [UIDNEXT 4] Predicted next UID\r\n"
        "* OK [HIGHESTMODSEQ 4] Highest\r\ns2 OK [READ-ONLY] EXAMINE completed\r\n");
  CHECK(out[4] == "* OK [CLOSED] Previous mailbox is now closed\r\n"
                  "s3 NO [NONEXISTENT] Mailbox doesn't exist: Nowhere\r\n");
  // The failed SELECT left the SELECTED state (RFC 3501 6.3.1).
  CHECK(out[5] == "s4 OK NOOP completed\r\n");
}

TEST_CASE("an IMAP server answers FETCH of the simple data items", "[imap]") {
  auto out = selected({"f1 FETCH 1 (FLAGS INTERNALDATE RFC822.SIZE UID)\r\n",
                       "f2 FETCH 1 ENVELOPE\r\n", "f3 FETCH 1 BODY\r\n",
                       "f4 UID FETCH 2 (INTERNALDATE)\r\n", "f5 FETCH 1 FAST\r\n"});
  CHECK(out[0] == "* 1 FETCH (INTERNALDATE \"03-Mar-2014 09:00:00 +0000\" RFC822.SIZE " +
                      std::to_string(kMsg1.size()) + " UID 1 FLAGS (\\Seen \\Recent))\r\n"
                      "f1 OK FETCH completed\r\n");
  CHECK(out[1] ==
        "* 1 FETCH (ENVELOPE (\"Mon, 3 Mar 2014 09:00:00 +0000\" \"Lunch today\" "
        "((\"Bob\" NIL \"bob\" \"example.org\")) ((\"Bob\" NIL \"bob\" \"example.org\")) "
        "((\"Bob\" NIL \"bob\" \"example.org\")) ((NIL NIL \"alice\" \"example.com\")) "
        "NIL NIL NIL NIL))\r\nf2 OK FETCH completed\r\n");
  CHECK(out[2] ==
        "* 1 FETCH (BODY (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 24 1))"
        "\r\nf3 OK FETCH completed\r\n");
  CHECK(out[3] == "* 2 FETCH (UID 2 INTERNALDATE \"04-Mar-2014 10:00:00 +0000\")\r\n"
                  "f4 OK UID FETCH completed\r\n");
  CHECK(out[4] == "* 1 FETCH (INTERNALDATE \"03-Mar-2014 09:00:00 +0000\" RFC822.SIZE " +
                      std::to_string(kMsg1.size()) + " FLAGS (\\Seen \\Recent))\r\nf5 OK FETCH completed\r\n");
}

TEST_CASE("an IMAP server answers FETCH of body sections and partial ranges", "[imap]") {
  auto out = selected({"f1 FETCH 1 BODY.PEEK[HEADER.FIELDS (SUBJECT)]\r\n",
                       "f2 FETCH 1 BODY.PEEK[]<0.10>\r\n", "f3 FETCH 1 BODY.PEEK[TEXT]\r\n",
                       "f4 FETCH 1 (RFC822.HEADER)\r\n", "f5 FETCH 1 BODY.PEEK[]<500.10>\r\n"});
  CHECK(out[0] == "* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {24}\r\nSubject: Lunch today\r\n\r\n)"
                  "\r\nf1 OK FETCH completed\r\n");
  CHECK(out[1] == "* 1 FETCH (BODY[]<0> {10}\r\nFrom: Bob )\r\nf2 OK FETCH completed\r\n");
  CHECK(out[2] ==
        "* 1 FETCH (BODY[TEXT] {24}\r\nShall we meet at noon?\r\n)\r\nf3 OK FETCH completed\r\n");
  std::string header = kMsg1.substr(0, kMsg1.find("\r\n\r\n") + 4);
  CHECK(out[3] == "* 1 FETCH (RFC822.HEADER {" + std::to_string(header.size()) + "}\r\n" +
                      header + ")\r\nf4 OK FETCH completed\r\n");
  CHECK(out[4] == "* 1 FETCH (BODY[]<500> {0}\r\n)\r\nf5 OK FETCH completed\r\n");
}

TEST_CASE("an IMAP server sets \\Seen on BODY[] but not on BODY.PEEK[]", "[imap]") {
  auto out = selected({"f1 FETCH 2 BODY.PEEK[TEXT]\r\n", "f2 FETCH 2 FLAGS\r\n",
                       "f3 FETCH 2 BODY[TEXT]\r\n", "f4 FETCH 2 RFC822.TEXT\r\n"});
  std::string text = kMsg2.substr(kMsg2.find("\r\n\r\n") + 4);
  std::string lit = "{" + std::to_string(text.size()) + "}\r\n" + text;
  CHECK(out[0] == "* 2 FETCH (BODY[TEXT] " + lit + ")\r\nf1 OK FETCH completed\r\n");
  CHECK(out[1] == "* 2 FETCH (FLAGS (\\Recent))\r\nf2 OK FETCH completed\r\n");
  CHECK(out[2] ==
        "* 2 FETCH (BODY[TEXT] " + lit + " FLAGS (\\Seen \\Recent))\r\nf3 OK FETCH completed\r\n");
  // Already \Seen: no FLAGS is added.
  CHECK(out[3] == "* 2 FETCH (RFC822.TEXT " + lit + ")\r\nf4 OK FETCH completed\r\n");
}

TEST_CASE("an IMAP server applies the STORE forms", "[imap]") {
  auto out = selected({"t1 STORE 2 +FLAGS (\\Answered $Label)\r\n",
                       "t2 STORE 2 -FLAGS \\Answered\r\n", "t3 STORE 1:2 FLAGS (\\Draft)\r\n",
                       "t4 STORE 3 +FLAGS.SILENT (\\Deleted)\r\n",
                       "t5 UID STORE 3 -FLAGS.SILENT (\\Deleted)\r\n", "t6 FETCH 3 FLAGS\r\n",
                       "t7 STORE 2 BOGUS (\\Seen)\r\n"});
  // \Recent belongs to this session (it selected the mailbox first); STORE cannot change it.
  CHECK(out[0] == "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded $Label)\r\n"
                  "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded "
                  "$Label \\*)] Flags permitted.\r\n"
                  "* 2 FETCH (FLAGS (\\Answered $Label \\Recent))\r\nt1 OK STORE completed\r\n");
  CHECK(out[1] == "* 2 FETCH (FLAGS ($Label \\Recent))\r\nt2 OK STORE completed\r\n");
  CHECK(out[2] == "* 1 FETCH (FLAGS (\\Draft \\Recent))\r\n* 2 FETCH (FLAGS (\\Draft \\Recent))\r\n"
                  "t3 OK STORE completed\r\n");
  CHECK(out[3] == "t4 OK STORE completed\r\n");
  CHECK(out[4] == "t5 OK UID STORE completed\r\n");
  CHECK(out[5] == "* 3 FETCH (FLAGS (\\Flagged \\Recent))\r\nt6 OK FETCH completed\r\n");
  CHECK(out[6] == "t7 BAD unknown store item\r\n");
}

TEST_CASE("an IMAP server evaluates SEARCH keys over the selected mailbox", "[imap]") {
  auto out = selected({
      "q1 SEARCH UNSEEN\r\n",
      "q2 SEARCH FROM bob\r\n",
      "q3 SEARCH SUBJECT \"lunch TODAY\"\r\n",
      "q4 SEARCH SINCE 4-Mar-2014\r\n",
      "q5 SEARCH OR FLAGGED SEEN\r\n",
      "q6 SEARCH NOT FROM BOB\r\n",
      "q7 SEARCH UID 2:*\r\n",
      "q8 SEARCH LARGER 150\r\n",
      "q9 SEARCH 2:3 UNFLAGGED\r\n",
      "q10 UID SEARCH BODY noon\r\n",
      "q11 SEARCH HEADER Date \"Tue, 4\"\r\n",
      "q12 SEARCH SENTBEFORE 5-Mar-2014 BEFORE 4-Mar-2014\r\n",
      "q13 SEARCH CHARSET KOI8-R ALL\r\n",
      "q14 SEARCH FROZEN\r\n",
  });
  CHECK(out[0] == "* SEARCH 2 3\r\nq1 OK SEARCH completed\r\n");
  CHECK(out[1] == "* SEARCH 1 3\r\nq2 OK SEARCH completed\r\n");
  CHECK(out[2] == "* SEARCH 1 3\r\nq3 OK SEARCH completed\r\n");
  CHECK(out[3] == "* SEARCH 2 3\r\nq4 OK SEARCH completed\r\n");
  CHECK(out[4] == "* SEARCH 1 3\r\nq5 OK SEARCH completed\r\n");
  CHECK(out[5] == "* SEARCH 2\r\nq6 OK SEARCH completed\r\n");
  CHECK(out[6] == "* SEARCH 2 3\r\nq7 OK SEARCH completed\r\n");
  CHECK(kMsg2.size() > 150);
  CHECK(kMsg1.size() <= 150);
  CHECK(kMsg3.size() <= 150);
  CHECK(out[7] == "* SEARCH 2\r\nq8 OK SEARCH completed\r\n");
  CHECK(out[8] == "* SEARCH 2\r\nq9 OK SEARCH completed\r\n");
  CHECK(out[9] == "* SEARCH 1 3\r\nq10 OK UID SEARCH completed\r\n");
  CHECK(out[10] == "* SEARCH 2\r\nq11 OK SEARCH completed\r\n");
  CHECK(out[11] == "* SEARCH 1\r\nq12 OK SEARCH completed\r\n");
  CHECK(out[12] == "q13 NO [BADCHARSET (US-ASCII UTF-8)] Unsupported charset\r\n");
  CHECK(out[13].rfind("q14 BAD ", 0) == 0);
}

TEST_CASE("an IMAP server copies and moves messages and reports COPYUID", "[imap]") {
  auto out = selected({"m1 COPY 1:2 Trash\r\n", "m2 UID COPY 3 Trash\r\n",
                       "m3 UID MOVE 1 Sent\r\n", "m4 MOVE 2 Nowhere\r\n", "m5 STATUS Sent (MESSAGES UIDNEXT)\r\n"});
  CHECK(out[0] == "m1 OK [COPYUID 11 1,2 1,2] COPY completed\r\n");
  CHECK(out[1] == "m2 OK [COPYUID 11 3 3] UID COPY completed\r\n");
  CHECK(out[2] == "* OK [COPYUID 9 1 1] Moved UIDs.\r\n* 1 EXPUNGE\r\nm3 OK UID MOVE completed\r\n");
  CHECK(out[3] == "m4 NO [TRYCREATE] Mailbox doesn't exist: Nowhere\r\n");
  CHECK(out[4] == "* STATUS \"Sent\" (MESSAGES 1 UIDNEXT 2)\r\nm5 OK STATUS completed\r\n");
}

TEST_CASE("an IMAP server sends EXPUNGE responses highest sequence number first", "[imap]") {
  auto out = selected({"e1 STORE 1:3 +FLAGS.SILENT (\\Deleted)\r\n", "e2 EXPUNGE\r\n",
                       "e3 FETCH 1 FLAGS\r\n"});
  CHECK(out[0] == "e1 OK STORE completed\r\n");
  CHECK(out[1] == "* 3 EXPUNGE\r\n* 2 EXPUNGE\r\n* 1 EXPUNGE\r\ne2 OK EXPUNGE completed\r\n");
  CHECK(out[2] == "e3 BAD invalid sequence set\r\n");
}

TEST_CASE("an IMAP server appends with a synchronising literal and with LITERAL+", "[imap]") {
  const std::string msg = "Subject: hi\r\n\r\nhello\r\n";  // 22 octets
  REQUIRE(msg.size() == 22);
  auto out = script({"L LOGIN alice secret\r\n", "p1 APPEND Drafts (\\Draft) {22}\r\n",
                     msg + "\r\n", "p2 APPEND Drafts \"05-Mar-2014 10:00:00 +0100\" {22+}\r\n" +
                     msg + "\r\n", "p3 APPEND Nowhere {22+}\r\n" + msg + "\r\n",
                     "p4 STATUS Drafts (MESSAGES UNSEEN UIDVALIDITY)\r\n"});
  CHECK(out[2] == "+ Ready for literal data\r\n");
  CHECK(out[3] == "p1 OK [APPENDUID 8 1] APPEND completed\r\n");
  CHECK(out[4] == "p2 OK [APPENDUID 8 2] APPEND completed\r\n");
  CHECK(out[5] == "p3 NO [TRYCREATE] Mailbox doesn't exist: Nowhere\r\n");
  CHECK(out[6] == "* STATUS \"Drafts\" (MESSAGES 2 UNSEEN 2 UIDVALIDITY 8)\r\n"
                  "p4 OK STATUS completed\r\n");
}

TEST_CASE("an IMAP server keeps an appended message's date-time as its INTERNALDATE",
          "[imap]") {
  auto out = script({"L LOGIN alice secret\r\n",
                     "p1 APPEND Drafts \"05-Mar-2014 10:00:00 +0100\" {5+}\r\nhello\r\n",
                     "s EXAMINE Drafts\r\n", "f FETCH 1 INTERNALDATE\r\n"});
  CHECK(out[4] == "* 1 FETCH (INTERNALDATE \"05-Mar-2014 09:00:00 +0000\")\r\n"
                  "f OK FETCH completed\r\n");
}

TEST_CASE("an IMAP server creates, renames, lists and deletes mailboxes", "[imap]") {
  auto out = script({"L LOGIN alice secret\r\n", "c1 CREATE Work/\r\n", "c2 CREATE Work\r\n",
                     "c3 CREATE Work/Old\r\n", "c4 RENAME Work Projects\r\n",
                     "c5 LIST \"\" *\r\n", "c6 LIST \"\" %\r\n", "c7 DELETE Projects/Old\r\n",
                     "c8 DELETE INBOX\r\n", "c9 DELETE Nowhere\r\n", "c10 LIST \"\" \"\"\r\n",
                     "c11 STATUS Projects (UIDVALIDITY)\r\n"});
  CHECK(out[2] == "c1 OK CREATE completed\r\n");
  CHECK(out[3] == "c2 NO [ALREADYEXISTS] Mailbox already exists\r\n");
  CHECK(out[4] == "c3 OK CREATE completed\r\n");
  CHECK(out[5] == "c4 OK RENAME completed\r\n");
  CHECK(out[6] == "* LIST (\\HasNoChildren \\Drafts) \"/\" \"Drafts\"\r\n"
                  "* LIST (\\HasNoChildren) \"/\" \"INBOX\"\r\n"
                  "* LIST (\\HasNoChildren \\Junk) \"/\" \"Junk\"\r\n"
                  "* LIST (\\HasChildren) \"/\" \"Projects\"\r\n"
                  "* LIST (\\HasNoChildren) \"/\" \"Projects/Old\"\r\n"
                  "* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent\"\r\n"
                  "* LIST (\\HasNoChildren \\Trash) \"/\" \"Trash\"\r\n"
                  "c5 OK LIST completed\r\n");
  CHECK(out[7] == "* LIST (\\HasNoChildren \\Drafts) \"/\" \"Drafts\"\r\n"
                  "* LIST (\\HasNoChildren) \"/\" \"INBOX\"\r\n"
                  "* LIST (\\HasNoChildren \\Junk) \"/\" \"Junk\"\r\n"
                  "* LIST (\\HasChildren) \"/\" \"Projects\"\r\n"
                  "* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent\"\r\n"
                  "* LIST (\\HasNoChildren \\Trash) \"/\" \"Trash\"\r\n"
                  "c6 OK LIST completed\r\n");
  CHECK(out[8] == "c7 OK DELETE completed\r\n");
  CHECK(out[9] == "c8 NO [CANNOT] INBOX cannot be deleted\r\n");
  CHECK(out[10] == "c9 NO [NONEXISTENT] Mailbox doesn't exist: Nowhere\r\n");
  CHECK(out[11] == "* LIST (\\Noselect) \"/\" \"\"\r\nc10 OK LIST completed\r\n");
  // Work was created after Trash (UIDVALIDITY 11) and kept its UIDVALIDITY when renamed.
  CHECK(out[12] == "* STATUS \"Projects\" (UIDVALIDITY 12)\r\nc11 OK STATUS completed\r\n");
}

TEST_CASE("an IMAP server reports subscriptions, NAMESPACE, ID and ENABLE", "[imap]") {
  auto out = script({"L LOGIN alice secret\r\n", "u1 UNSUBSCRIBE Junk\r\n",
                     "u2 LSUB \"\" J*\r\n", "u3 SUBSCRIBE Junk\r\n", "u4 LSUB \"\" J*\r\n",
                     "n1 NAMESPACE\r\n", "i1 ID (\"name\" \"test\")\r\n",
                     "e1 ENABLE CONDSTORE\r\n"});
  CHECK(out[2] == "u1 OK UNSUBSCRIBE completed\r\n");
  CHECK(out[3] == "u2 OK LSUB completed\r\n");
  CHECK(out[5] == "* LSUB (\\Junk) \"/\" \"Junk\"\r\nu4 OK LSUB completed\r\n");
  CHECK(out[6] == "* NAMESPACE ((\"\" \"/\")) NIL NIL\r\nn1 OK NAMESPACE completed\r\n");
  CHECK(out[7] == "* ID (\"name\" \"Mailscope\" \"version\" \"" MAILSCOPE_PROJECT_VERSION
                  "\")\r\ni1 OK ID completed\r\n");
  CHECK(out[8] == "* ENABLED CONDSTORE\r\ne1 OK ENABLE completed\r\n");
}

TEST_CASE("an IMAP server in IDLE reports a message another session appends", "[imap]") {
  auto out = either_way([](Fixture& fx, const Feed& feed) {
    ImapServer a(fx.server), b(fx.server);
    collect(a);
    collect(b);
    feed(a, "a1 LOGIN alice secret\r\na2 SELECT INBOX\r\n");
    feed(b, "b1 LOGIN alice secret\r\n");
    std::vector<std::string> r;
    r.push_back(feed(a, "a3 IDLE\r\n"));
    r.push_back(feed(b, "b2 APPEND INBOX {5+}\r\nhello\r\n"));
    r.push_back(collect(a));
    r.push_back(feed(a, "DONE\r\n"));
    return r;
  });
  CHECK(out[0] == "+ idling\r\n");
  CHECK(out[1] == "b2 OK [APPENDUID 7 4] APPEND completed\r\n");
  // The idling session is the first told of message 4: it now holds four \Recent messages.
  CHECK(out[2] == "* 4 EXISTS\r\n* 4 RECENT\r\n");
  CHECK(out[3] == "a3 OK IDLE terminated\r\n");
}

TEST_CASE("an IMAP server shows one session's STORE to another after its next NOOP", "[imap]") {
  auto out = either_way([](Fixture& fx, const Feed& feed) {
    ImapServer a(fx.server), b(fx.server);
    collect(a);
    collect(b);
    feed(a, "a1 LOGIN alice secret\r\na2 SELECT INBOX\r\n");
    feed(b, "b1 LOGIN alice secret\r\nb2 SELECT INBOX\r\n");
    std::vector<std::string> r;
    r.push_back(feed(a, "a3 STORE 2 +FLAGS (\\Seen)\r\n"));
    r.push_back(collect(b));
    r.push_back(feed(b, "b3 NOOP\r\n"));
    r.push_back(feed(a, "a4 STORE 1 +FLAGS.SILENT (\\Deleted)\r\na5 EXPUNGE\r\n"));
    r.push_back(feed(b, "b4 FETCH 1 FLAGS\r\n"));
    r.push_back(feed(b, "b5 NOOP\r\n"));
    return r;
  });
  // a selected first, so it holds the \Recent claims; b sees the messages without \Recent.
  CHECK(out[0] == "* 2 FETCH (FLAGS (\\Seen \\Recent))\r\na3 OK STORE completed\r\n");
  CHECK(out[1].empty());
  CHECK(out[2] == "* 2 FETCH (UID 2 FLAGS (\\Seen))\r\nb3 OK NOOP completed\r\n");
  CHECK(out[3] == "a4 OK STORE completed\r\n* 1 EXPUNGE\r\na5 OK EXPUNGE completed\r\n");
  // No EXPUNGE during FETCH (RFC 3501 7.4.1): the expunged message is silently skipped.
  CHECK(out[4] == "b4 OK FETCH completed\r\n");
  CHECK(out[5] == "* 1 EXPUNGE\r\nb5 OK NOOP completed\r\n");
}

TEST_CASE("an IMAP server answers malformed and misplaced commands with BAD", "[imap]") {
  auto out = script({"x1 FROB\r\n", "x2 SELECT INBOX\r\n", "L LOGIN alice secret\r\n",
                     "x3 FETCH 1 FLAGS\r\n", "S SELECT INBOX\r\n", "x4 FETCH 0 FLAGS\r\n",
                     "x5 FETCH x FLAGS\r\n", "x6 FETCH 9 FLAGS\r\n", "x7 FETCH 1 (FLAGS\r\n",
                     "x8 FETCH 1 BODY[FOO]\r\n", "\r\n", "x9 LOGIN\r\n", "x10 UID FROB 1\r\n"});
  CHECK(out[1] == "x1 BAD unknown command\r\n");
  CHECK(out[2] == "x2 BAD SELECT not allowed in the NOT AUTHENTICATED state\r\n");
  CHECK(out[4] == "x3 BAD FETCH not allowed in the AUTHENTICATED state\r\n");
  CHECK(out[6] == "x4 BAD invalid sequence set\r\n");
  CHECK(out[7] == "x5 BAD invalid sequence set\r\n");
  CHECK(out[8] == "x6 BAD invalid sequence set\r\n");
  CHECK(out[9] == "x7 BAD missing ')'\r\n");
  CHECK(out[10].rfind("x8 BAD ", 0) == 0);
  CHECK(out[11] == "* BAD empty command line\r\n");
  CHECK(out[12] == "x9 BAD LOGIN not allowed in the SELECTED state\r\n");
  CHECK(out[13] == "x10 BAD unknown command\r\n");
}

TEST_CASE("an IMAP server refuses an oversized literal without reading it", "[imap]") {
  auto out = script({"L LOGIN alice secret\r\n", "p1 APPEND INBOX {999999999999}\r\n",
                     "p2 NOOP\r\n"});
  CHECK(out[2] == "p1 NO [TOOBIG] literal too big\r\n");
  CHECK(out[3] == "p2 OK NOOP completed\r\n");
}

TEST_CASE("an IMAP server's command table names a valid state and an RFC for every command",
          "[imap]") {
  for (const auto& c : ImapServer::commands()) {
    INFO(c.name);
    CHECK(c.states != 0);
    CHECK(std::string(c.rfc).rfind("RFC ", 0) == 0);
  }
}

TEST_CASE("an IMAP server ends IDLE with BAD when the client sends something else", "[imap]") {
  auto out = selected({"i1 IDLE\r\n", "i2 NOOP\r\n", "i3 NOOP\r\n"});
  CHECK(out[0] == "+ idling\r\n");
  CHECK(out[1] == "i1 BAD expected DONE\r\n");
  CHECK(out[2] == "i3 OK NOOP completed\r\n");
}

TEST_CASE("an IMAP server answers an overlong line with BAD and carries on", "[imap]") {
  auto out = script({"a1 NOOP " + std::string(70000, 'x') + "\r\n", "a2 NOOP\r\n"});
  CHECK(out[1] == "a1 BAD line too long\r\n");
  CHECK(out[2] == "a2 OK NOOP completed\r\n");
}

TEST_CASE("an IMAP server says BYE when another session deletes its selected mailbox",
          "[imap]") {
  // Dovecot's behaviour: IMAP has no response that moves a client out of the selected state.
  auto out = either_way([](Fixture& fx, const Feed& feed) {
    ImapServer a(fx.server), b(fx.server);
    collect(a);
    collect(b);
    feed(a, "a1 LOGIN alice secret\r\na2 CREATE Work\r\nax SELECT INBOX\r\na3 COPY 1 Work\r\n");
    feed(a, "a4 SELECT Work\r\n");
    feed(b, "b1 LOGIN alice secret\r\nb2 DELETE Work\r\n");
    std::vector<std::string> r{collect(a), feed(a, "a5 COPY 1 INBOX\r\n"),
                               feed(a, "a6 FETCH 1 FLAGS\r\n")};
    r.push_back(a.wants_close() ? "closes" : "stays");
    r.push_back(a.state_name());
    return r;
  });
  CHECK(out[0].empty());  // not idling: the news waits for the next command
  CHECK(out[1] == "* BYE Selected mailbox was deleted, have to disconnect.\r\n");
  CHECK(out[2].empty());
  CHECK(out[3] == "closes");
  CHECK(out[4] == "LOGOUT");
}

TEST_CASE("an IMAP server answers BODYSTRUCTURE, RFC822 and the ALL and FULL macros", "[imap]") {
  auto out = selected({"f1 FETCH 1 BODYSTRUCTURE\r\n", "f2 FETCH 1 RFC822\r\n",
                       "f3 FETCH 3 ALL\r\n", "f4 FETCH 3 FULL\r\n"});
  const std::string body = "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 24 1";
  CHECK(out[0] == "* 1 FETCH (BODYSTRUCTURE " + body + " NIL NIL NIL NIL))\r\n"
                  "f1 OK FETCH completed\r\n");
  CHECK(out[1] == "* 1 FETCH (RFC822 {" + std::to_string(kMsg1.size()) + "}\r\n" + kMsg1 +
                      ")\r\nf2 OK FETCH completed\r\n");
  const std::string envelope =
      "(\"Wed, 5 Mar 2014 12:00:00 +0000\" \"Re: Lunch today\" "
      "((\"Bob\" NIL \"bob\" \"example.org\")) ((\"Bob\" NIL \"bob\" \"example.org\")) "
      "((\"Bob\" NIL \"bob\" \"example.org\")) ((NIL NIL \"alice\" \"example.com\")) "
      "NIL NIL NIL NIL)";
  const std::string common = "* 3 FETCH (INTERNALDATE \"05-Mar-2014 09:00:00 +0000\" "
                             "RFC822.SIZE " + std::to_string(kMsg3.size()) + " ENVELOPE " +
                             envelope;
  CHECK(out[2] == common + " FLAGS (\\Flagged \\Recent))\r\nf3 OK FETCH completed\r\n");
  CHECK(out[3] == common +
                      " BODY (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 13 1)"
                      " FLAGS (\\Flagged \\Recent))\r\nf4 OK FETCH completed\r\n");
}

TEST_CASE("an IMAP server sets \\Seen on BODY[] and reports FLAGS after the body", "[imap]") {
  auto out = selected({"f1 UID FETCH 2 (FLAGS BODY.PEEK[])\r\n", "f2 FETCH 2 BODY[]\r\n",
                       "f3 SEARCH UNSEEN\r\n"});
  const std::string lit = "{" + std::to_string(kMsg2.size()) + "}\r\n" + kMsg2;
  // The client engine and the lessons read "UID n BODY[] {..}" first, flags last.
  CHECK(out[0] == "* 2 FETCH (UID 2 BODY[] " + lit +
                      " FLAGS (\\Recent))\r\nf1 OK UID FETCH completed\r\n");
  CHECK(out[1] == "* 2 FETCH (BODY[] " + lit + " FLAGS (\\Seen \\Recent))\r\nf2 OK FETCH completed\r\n");
  CHECK(out[2] == "* SEARCH 3\r\nf3 OK SEARCH completed\r\n");
}

TEST_CASE("an IMAP server leaves a mailbox with CLOSE, UNSELECT and expunges by UID",
          "[imap]") {
  auto out = selected({"d1 STORE 1:2 +FLAGS.SILENT (\\Deleted)\r\n", "d2 UID EXPUNGE 2:3\r\n",
                       "d3 CHECK\r\n", "d4 UNSELECT\r\n", "d5 FETCH 1 FLAGS\r\n",
                       "d6 SELECT INBOX\r\n", "d7 CLOSE\r\n", "d8 STATUS INBOX (MESSAGES)\r\n"});
  CHECK(out[1] == "* 2 EXPUNGE\r\nd2 OK UID EXPUNGE completed\r\n");
  CHECK(out[2] == "d3 OK CHECK completed\r\n");
  CHECK(out[3] == "d4 OK UNSELECT completed\r\n");
  CHECK(out[4] == "d5 BAD FETCH not allowed in the AUTHENTICATED state\r\n");
  CHECK(out[6] == "d7 OK CLOSE completed\r\n");
  CHECK(out[7] == "* STATUS \"INBOX\" (MESSAGES 1)\r\nd8 OK STATUS completed\r\n");
}

TEST_CASE("an IMAP server renames INBOX by moving its messages to the new mailbox", "[imap]") {
  auto out = script({"L LOGIN alice secret\r\n", "r1 RENAME INBOX Old\r\n",
                     "r2 STATUS INBOX (MESSAGES UIDNEXT)\r\n", "r3 STATUS Old (MESSAGES)\r\n",
                     "r4 RENAME Nowhere Else\r\n", "r5 RENAME Old Sent\r\n"});
  CHECK(out[2] == "r1 OK RENAME completed\r\n");
  CHECK(out[3] == "* STATUS \"INBOX\" (MESSAGES 0 UIDNEXT 4)\r\nr2 OK STATUS completed\r\n");
  CHECK(out[4] == "* STATUS \"Old\" (MESSAGES 3)\r\nr3 OK STATUS completed\r\n");
  CHECK(out[5] == "r4 NO [NONEXISTENT] Mailbox doesn't exist: Nowhere\r\n");
  CHECK(out[6] == "r5 NO [ALREADYEXISTS] Mailbox already exists\r\n");
}

TEST_CASE("an IMAP server keeps mailbox names in UTF-8 and writes them in modified UTF-7",
          "[imap]") {
  Fixture fx;
  ImapServer s(fx.server);
  collect(s);
  auto out = script({"L LOGIN alice secret\r\n", "u1 CREATE Entw&APw-rfe\r\n",
                     "u2 LIST \"\" Entw*\r\n", "u3 CREATE &Jjo\r\n"});
  CHECK(out[2] == "u1 OK CREATE completed\r\n");
  CHECK(out[3] == "* LIST (\\HasNoChildren) \"/\" \"Entw&APw-rfe\"\r\nu2 OK LIST completed\r\n");
  // A valid atom that is not valid modified UTF-7 names nothing: NO, not BAD (RFC 3501
  // section 5.1.3; Dovecot answers the same).
  CHECK(out[4] == "u3 NO mailbox name: unterminated & in name\r\n");
  feed_whole(s, "L LOGIN alice secret\r\nu1 CREATE Entw&APw-rfe\r\n");
  CHECK(fx.alice->store.folder("Entw\xC3\xBCrfe") != nullptr);
}

TEST_CASE("an IMAP server answers SELECT of a name that is not modified UTF-7 with NO and "
          "leaves the selected mailbox",
          "[imap]") {
  auto out = script({"L LOGIN alice secret\r\n", "s1 SELECT INBOX\r\n", "s2 SELECT &Jjo\r\n",
                     "s3 EXAMINE A&-&AOk\r\n", "s4 STATUS &AGE- (MESSAGES)\r\n", "s5 CLOSE\r\n"});
  CHECK(out[3] == "* OK [CLOSED] Previous mailbox is now closed\r\n"
                  "s2 NO mailbox name: unterminated & in name\r\n");
  CHECK(out[4] == "s3 NO mailbox name: unterminated & in name\r\n");
  CHECK(out[5] == "s4 NO mailbox name: printable ASCII must not be encoded\r\n");
  CHECK(out[6] == "s5 BAD CLOSE not allowed in the AUTHENTICATED state\r\n");
}

TEST_CASE("an IMAP server answers hostile input with a tagged response and stays usable",
          "[imap]") {
  std::string deep_not = "h1 SEARCH";
  for (int i = 0; i < 200; ++i) deep_not += " NOT";
  deep_not += " ALL\r\n";
  std::string many_literals = "h2 APPEND INBOX";
  for (int i = 0; i < 1100; ++i) many_literals += " {0+}\r\n";
  many_literals += "\r\n";
  const std::vector<std::string> hostile = {
      deep_not,
      many_literals,
      "h3 FETCH 1:4294967295 (FLAGS)\r\n",
      "h4 UID FETCH 1:* BODY.PEEK[1.2.3.4.5.MIME]<4294967295.4294967295>\r\n",
      std::string("h5 LOGIN a\0b c\r\n", 16),
      "h6 LIST \"\" \"*%*%*%*%*%*%*%*%*%*%\"\r\n",
      "h7 STORE 1 FLAGS (\\Seen\r\n",
      "h8 SEARCH LARGER 99999999999999999999\r\n",
      "h9 SELECT {3}\r\n",  // the client never sends the literal's octets...
      "h10 NOOP\r\n",      // ...so this line is them (plus the rest of the command)
  };
  std::vector<std::string> inputs = {"L LOGIN alice secret\r\n", "S SELECT INBOX\r\n"};
  inputs.insert(inputs.end(), hostile.begin(), hostile.end());
  inputs.push_back("z NOOP\r\n");
  auto out = script(inputs);
  CHECK(out[3].rfind("h1 BAD ", 0) == 0);
  CHECK(out[4].find("h2 NO [TOOBIG] too many literals\r\n") != std::string::npos);
  CHECK(out[5] == "h3 BAD invalid sequence set\r\n");
  CHECK(out[6].rfind("* 1 FETCH (UID 1 BODY[1.2.3.4.5.MIME]<4294967295> {0}\r\n)", 0) == 0);
  CHECK(out[7].rfind("h5 BAD ", 0) == 0);
  CHECK(out[8].find("h6 OK LIST completed\r\n") != std::string::npos);
  CHECK(out[9] == "h7 BAD missing ')'\r\n");
  CHECK(out[10].rfind("h8 BAD ", 0) == 0);
  CHECK(out[11] == "+ Ready for literal data\r\n");
  CHECK(out[12].rfind("h9 ", 0) == 0);
  CHECK(out.back() == "z OK NOOP completed\r\n");
}

TEST_CASE("an IMAP server in IDLE reports other sessions' flag changes and expunges at once",
          "[imap]") {
  auto out = either_way([](Fixture& fx, const Feed& feed) {
    ImapServer a(fx.server), b(fx.server);
    collect(a);
    collect(b);
    feed(a, "a1 LOGIN alice secret\r\na2 SELECT INBOX\r\na3 IDLE\r\n");
    feed(b, "b1 LOGIN alice secret\r\nb2 SELECT INBOX\r\n");
    std::vector<std::string> r;
    feed(b, "b3 STORE 2 +FLAGS (\\Answered)\r\n");
    r.push_back(collect(a));
    feed(b, "b4 STORE 1 +FLAGS (\\Deleted)\r\nb5 EXPUNGE\r\n");
    r.push_back(collect(a));
    r.push_back(feed(a, "done\r\n"));
    return r;
  });
  CHECK(out[0] == "* 2 FETCH (UID 2 FLAGS (\\Answered \\Recent))\r\n");
  CHECK(out[1] == "* 1 FETCH (UID 1 FLAGS (\\Seen \\Deleted \\Recent))\r\n* 1 EXPUNGE\r\n");
  CHECK(out[2] == "a3 OK IDLE terminated\r\n");
}

// ---- Keywords, atoms, UIDVALIDITY, LSUB -----------------------------------------------------

namespace {
const std::string kSystemFlags = "\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded";
// The untagged FLAGS and PERMANENTFLAGS of a read-write mailbox holding `keywords`.
std::string flags_update(const std::string& keywords) {
  return "* FLAGS (" + kSystemFlags + keywords + ")\r\n* OK [PERMANENTFLAGS (" + kSystemFlags +
         keywords + " \\*)] Flags permitted.\r\n";
}
}  // namespace

TEST_CASE("an IMAP server announces a new keyword to every session before a FETCH shows it",
          "[imap][keywords]") {
  auto out = either_way([](Fixture& fx, const Feed& feed) {
    ImapServer a(fx.server), b(fx.server);
    collect(a);
    collect(b);
    feed(a, "a1 LOGIN alice secret\r\na2 SELECT INBOX\r\n");
    feed(b, "b1 LOGIN alice secret\r\nb2 SELECT INBOX\r\n");
    std::vector<std::string> r;
    r.push_back(feed(a, "a3 STORE 1 +FLAGS ($kw1)\r\n"));
    r.push_back(feed(b, "b3 NOOP\r\n"));
    r.push_back(feed(a, "a4 STORE 2 +FLAGS.SILENT ($kw1)\r\n"));  // nothing new to announce
    r.push_back(feed(b, "b4 APPEND INBOX (Old \\Seen) {5+}\r\nhello\r\n"));
    r.push_back(feed(a, "a5 NOOP\r\n"));
    ImapServer c(fx.server);
    collect(c);
    feed(c, "c1 LOGIN alice secret\r\n");
    r.push_back(feed(c, "c2 EXAMINE INBOX\r\n"));
    return r;
  });
  CHECK(out[0] == flags_update(" $kw1") + "* 1 FETCH (FLAGS (\\Seen $kw1 \\Recent))\r\n"
                  "a3 OK STORE completed\r\n");
  CHECK(out[1] == flags_update(" $kw1") + "* 1 FETCH (UID 1 FLAGS (\\Seen $kw1))\r\n"
                  "b3 OK NOOP completed\r\n");
  CHECK(out[2] == "a4 OK STORE completed\r\n");
  // The appending session has INBOX selected too: FLAGS first, then the new message.
  CHECK(out[3] == "* 2 FETCH (UID 2 FLAGS ($kw1))\r\n" + flags_update(" $kw1 Old") +
                      "* 4 EXISTS\r\n* 1 RECENT\r\nb4 OK [APPENDUID 7 4] APPEND completed\r\n");
  CHECK(out[4] ==
        flags_update(" $kw1 Old") + "* 4 EXISTS\r\n* 3 RECENT\r\na5 OK NOOP completed\r\n");
  // A new session is told of every keyword in use; read-only, it may store none.
  CHECK(out[5] == "* FLAGS (" + kSystemFlags + " $kw1 Old)\r\n* OK [PERMANENTFLAGS ()] Flags "
                  "permitted.\r\n* 4 EXISTS\r\n* 0 RECENT\r\n* OK [UNSEEN 2] First unseen.\r\n"
                  "* OK [UIDVALIDITY 7] UIDs valid\r\n* OK [UIDNEXT 5] Predicted next UID\r\n"
                  "* OK [HIGHESTMODSEQ 7] Highest\r\nc2 OK [READ-ONLY] EXAMINE completed\r\n");
}

TEST_CASE("an IMAP server reads [ and ] in atoms and NIL as an atom, per RFC 3501 section 9",
          "[imap][atoms]") {
  auto out = selected({"m1 SELECT a[b}\r\n", "m2 LIST \"\" a[b}%*\r\n", "m3 LIST \"\" NIL\r\n",
                       "m4 CREATE [x]y\r\n", "m5 LIST \"\" [x]*\r\n", "m6 SELECT INBOX\r\n",
                       "m7 STORE 1 +FLAGS NIL\r\n", "m8 FETCH 1 FLAGS\r\n",
                       "m9 SEARCH SUBJECT NIL\r\n", "m10 SEARCH KEYWORD NIL\r\n",
                       "m11 STORE 2 FLAGS ($a[b)\r\n",
                       "m12 FETCH 3 BODY.PEEK[HEADER.FIELDS (SUBJECT)]\r\n"});
  CHECK(out[0] == "* OK [CLOSED] Previous mailbox is now closed\r\n"
                  "m1 NO [NONEXISTENT] Mailbox doesn't exist: a[b}\r\n");
  CHECK(out[1] == "m2 OK LIST completed\r\n");
  CHECK(out[2] == "m3 OK LIST completed\r\n");
  CHECK(out[3] == "m4 OK CREATE completed\r\n");
  CHECK(out[4] == "* LIST (\\HasNoChildren) \"/\" \"[x]y\"\r\nm5 OK LIST completed\r\n");
  CHECK(out[6] == flags_update(" NIL") + "* 1 FETCH (FLAGS (\\Seen NIL))\r\nm7 OK STORE "
                  "completed\r\n");
  CHECK(out[7] == "* 1 FETCH (FLAGS (\\Seen NIL))\r\nm8 OK FETCH completed\r\n");
  CHECK(out[8] == "* SEARCH\r\nm9 OK SEARCH completed\r\n");
  CHECK(out[9] == "* SEARCH 1\r\nm10 OK SEARCH completed\r\n");
  CHECK(out[10] == flags_update(" NIL $a[b") +
                       "* 2 FETCH (FLAGS ($a[b))\r\nm11 OK STORE completed\r\n");
  CHECK(out[11] == "* 3 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {28}\r\nSubject: Re: Lunch today"
                   "\r\n\r\n)\r\nm12 OK FETCH completed\r\n");
}

TEST_CASE("an IMAP server never gives a mailbox name a UIDVALIDITY it had before",
          "[imap][uidvalidity]") {
  // The account's mailboxes hold UIDVALIDITY 7 to 11; Tmp is the highest when deleted.
  auto out = script({"L LOGIN alice secret\r\n", "v1 CREATE Tmp\r\n",
                     "v2 STATUS Tmp (UIDVALIDITY)\r\n", "v3 DELETE Tmp\r\n", "v4 CREATE Tmp\r\n",
                     "v5 STATUS Tmp (UIDVALIDITY)\r\n", "v6 DELETE Tmp\r\n", "v7 CREATE Other\r\n",
                     "v8 RENAME Other Tmp\r\n", "v9 SELECT Tmp\r\n"});
  CHECK(out[3] == "* STATUS \"Tmp\" (UIDVALIDITY 12)\r\nv2 OK STATUS completed\r\n");
  CHECK(out[6] == "* STATUS \"Tmp\" (UIDVALIDITY 13)\r\nv5 OK STATUS completed\r\n");
  CHECK(out[9] == "v8 OK RENAME completed\r\n");
  CHECK_THAT(out[10], Catch::Contains("* OK [UIDVALIDITY 14] UIDs valid\r\n"));
}

TEST_CASE("an IMAP server answers LSUB per RFC 3501 section 6.3.9", "[imap][lsub]") {
  auto out = script({"L LOGIN alice secret\r\n", "l1 CREATE a/b/c\r\n", "l2 CREATE a/b\r\n",
                     "l3 SUBSCRIBE a/b/c\r\n", "l4 LSUB \"\" a/%\r\n", "l5 LSUB \"\" a/*\r\n",
                     "l6 LSUB \"\" %\r\n", "l7 LIST \"\" a/*\r\n", "l8 SUBSCRIBE a/b\r\n",
                     "l9 LSUB \"\" a/%\r\n"});
  // "%" stops at a/b, which is not subscribed: it is listed, but cannot be selected.
  CHECK(out[5] == "* LSUB (\\Noselect) \"/\" \"a/b\"\r\nl4 OK LSUB completed\r\n");
  CHECK(out[6] == "* LSUB () \"/\" \"a/b/c\"\r\nl5 OK LSUB completed\r\n");
  CHECK(out[7] == "* LSUB (\\Drafts) \"/\" \"Drafts\"\r\n* LSUB () \"/\" \"INBOX\"\r\n"
                  "* LSUB (\\Junk) \"/\" \"Junk\"\r\n* LSUB (\\Sent) \"/\" \"Sent\"\r\n"
                  "* LSUB (\\Trash) \"/\" \"Trash\"\r\n* LSUB (\\Noselect) \"/\" \"a\"\r\n"
                  "l6 OK LSUB completed\r\n");
  // LIST keeps the CHILDREN attributes (RFC 3348, advertised).
  CHECK(out[8] == "* LIST (\\HasChildren) \"/\" \"a/b\"\r\n"
                  "* LIST (\\HasNoChildren) \"/\" \"a/b/c\"\r\nl7 OK LIST completed\r\n");
  CHECK(out[10] == "* LSUB () \"/\" \"a/b\"\r\nl9 OK LSUB completed\r\n");
}

TEST_CASE("an IMAP server keeps a subscription when its mailbox is deleted or renamed",
          "[imap][lsub]") {
  auto out = script({"L LOGIN alice secret\r\n", "w1 CREATE Work\r\n", "w2 SUBSCRIBE Work\r\n",
                     "w3 DELETE Work\r\n", "w4 LSUB \"\" W*\r\n", "w5 CREATE Work\r\n",
                     "w6 RENAME Work Play\r\n", "w7 LSUB \"\" *a*\r\n", "w8 UNSUBSCRIBE Work\r\n",
                     "w9 UNSUBSCRIBE Work\r\n", "w10 LSUB \"\" W*\r\n"});
  // RFC 3501 6.3.6: the name stays subscribed; a mailbox created under it is subscribed again.
  CHECK(out[4] == "w3 OK DELETE completed\r\n");
  CHECK(out[5] == "* LSUB () \"/\" \"Work\"\r\nw4 OK LSUB completed\r\n");
  // Renamed away, the old name keeps the subscription and the new one has none.
  CHECK(out[7] == "w6 OK RENAME completed\r\n");
  CHECK(out[8] == "* LSUB (\\Drafts) \"/\" \"Drafts\"\r\n* LSUB (\\Trash) \"/\" \"Trash\"\r\n"
                  "w7 OK LSUB completed\r\n");
  CHECK(out[9] == "w8 OK UNSUBSCRIBE completed\r\n");
  CHECK(out[10] == "w9 NO [NONEXISTENT] Mailbox doesn't exist: Work\r\n");
  CHECK(out[11] == "w10 OK LSUB completed\r\n");
}
