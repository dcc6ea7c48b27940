// The IMAP client engine resynchronising a mailbox against scripted server bytes: QRESYNC
// and CONDSTORE when offered (RFC 7162), the full listing otherwise, and the RFC 4549 rules
// for queued actions (UNCHANGEDSINCE with re-fetch on [MODIFIED], actions on vanished messages
// dropped with a reason). Each script runs twice, server bytes fed whole and one byte at a
// time, and both runs must send the same commands and report the same events.
#include <catch2/catch.hpp>

#include "proto/imap/imap_client.hpp"

using namespace ms;

namespace {

struct Step {
  std::string expect;  // what the client must have sent before this step's server bytes
  std::string server;
};

struct Result {
  std::vector<std::string> sent;  // one entry per step: what the client sent before it
  std::vector<EngineEvent> events;
};

Result run(const ImapPlan& plan, const std::vector<Step>& steps, bool bytewise) {
  ImapClient c(plan);
  Result r;
  auto take = [&] {
    std::string s;
    for (auto& u : c.take_output()) s += u;
    for (auto& e : c.take_events()) r.events.push_back(std::move(e));
    return s;
  };
  for (const auto& st : steps) {
    r.sent.push_back(take());
    if (bytewise) {
      for (char ch : st.server) c.receive(std::string_view(&ch, 1));
    } else {
      c.receive(st.server);
    }
  }
  r.sent.push_back(take());
  return r;
}

// Runs both ways and checks every step's expected client bytes.
Result script(const ImapPlan& plan, const std::vector<Step>& steps, const std::string& last) {
  Result whole = run(plan, steps, false), bytes = run(plan, steps, true);
  CHECK(whole.sent == bytes.sent);
  REQUIRE(whole.events.size() == bytes.events.size());
  for (std::size_t i = 0; i < steps.size(); ++i) {
    INFO("step " << i);
    CHECK(whole.sent[i] == steps[i].expect);
  }
  CHECK(whole.sent.back() == last);
  return whole;
}

ImapPlan plan_with(std::map<std::uint32_t, Flags> known, std::vector<ImapOp> ops,
                   std::uint64_t modseq) {
  ImapPlan p;
  p.user = "alice";
  p.pass = "secret";
  ImapMailboxPlan mb;
  mb.uidvalidity = 7;
  mb.highestmodseq = modseq;
  mb.known = std::move(known);
  mb.ops = std::move(ops);
  p.mailboxes.push_back(std::move(mb));
  return p;
}

ImapOp store(std::uint32_t uid, const char* flag) {
  ImapOp op;
  op.kind = ImapOp::Store;
  op.uid = uid;
  op.folder = "INBOX";
  op.item = "+FLAGS.SILENT";
  op.flags = flag;
  return op;
}

std::vector<std::string> texts(const Result& r, EngineEvent::Kind k) {
  std::vector<std::string> out;
  for (const auto& e : r.events)
    if (e.kind == k) out.push_back(e.text.empty() ? std::to_string(e.uid) : e.text);
  return out;
}

const EngineEvent* find(const Result& r, EngineEvent::Kind k, std::uint32_t uid) {
  for (const auto& e : r.events)
    if (e.kind == k && e.uid == uid) return &e;
  return nullptr;
}

const std::string kSelectOk =
    "* 3 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n* OK [HIGHESTMODSEQ 20] ok\r\n";

}  // namespace

TEST_CASE("an IMAP client resynchronises with QRESYNC: VANISHED (EARLIER) and changed flags "
          "only",
          "[imap][qresync]") {
  Flags seen{kSeen, {}};
  // The device holds UIDs 1-3 as of MODSEQ 10; offline it marked 2 and 3 as read.
  ImapPlan p = plan_with({{1, seen}, {2, seen}, {3, seen}}, {store(3, "\\Seen"), store(2, "\\Seen")},
                         10);
  Result r = script(
      p,
      {{"", "* OK [CAPABILITY IMAP4rev1 IDLE CONDSTORE QRESYNC] hi\r\n"},
       {"A1 LOGIN \"alice\" \"secret\"\r\n", "A1 OK logged in\r\n"},
       {"A2 ENABLE QRESYNC\r\n", "* ENABLED QRESYNC\r\nA2 OK enabled\r\n"},
       {"A3 SELECT \"INBOX\" (QRESYNC (7 10 1:3))\r\n",
        kSelectOk + "* VANISHED (EARLIER) 3\r\n* 1 FETCH (UID 2 FLAGS (\\Flagged) MODSEQ (15))\r\n"
                    "A3 OK [READ-WRITE] selected\r\n"},
       // UID 3 is gone: its queued change is dropped. UID 2 changed at 15, which the client now
       // knows: its change is conditional on that.
       {"A4 UID STORE 2 (UNCHANGEDSINCE 15) +FLAGS.SILENT (\\Seen)\r\n",
        "* 1 FETCH (UID 2 MODSEQ (21))\r\nA4 OK stored\r\n"},
       {"A5 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 20)\r\n",
        "* 1 FETCH (UID 2 FLAGS (\\Seen \\Flagged) MODSEQ (21))\r\nA5 OK done\r\n"}},
      "A6 LOGOUT\r\n");
  const EngineEvent* f2 = find(r, EngineEvent::FlagsSeen, 2);
  REQUIRE(f2);
  CHECK(f2->flags == flags_from_imap("\\Seen \\Flagged"));
  CHECK(find(r, EngineEvent::MessageExpunged, 3));
  CHECK_FALSE(find(r, EngineEvent::MessageExpunged, 1));
  const EngineEvent* synced = find(r, EngineEvent::MailboxSynced, 0);
  REQUIRE(synced);
  CHECK(synced->aux == 20);
  CHECK(synced->folder == "INBOX");
  auto notes = texts(r, EngineEvent::Note);
  CHECK(std::count(notes.begin(), notes.end(),
                   "queued flag change on UID 3 in INBOX dropped: the message was expunged on the "
                   "server (by another device) while this device was offline") == 1);
}

TEST_CASE("an IMAP client with CONDSTORE only asks for changed flags and for the UIDs still "
          "there, and re-applies a conflicting flag change",
          "[imap][condstore]") {
  Flags seen{kSeen, {}};
  ImapPlan p = plan_with({{1, seen}, {2, seen}, {3, {}}}, {store(2, "\\Seen")}, 10);
  const std::string body = "Subject: new\r\n\r\nhi\r\n";
  Result r = script(
      p,
      {{"", "* OK [CAPABILITY IMAP4rev1 CONDSTORE] hi\r\n"},
       {"A1 LOGIN \"alice\" \"secret\"\r\n", "A1 OK logged in\r\n"},
       {"A2 SELECT \"INBOX\" (CONDSTORE)\r\n", kSelectOk + "A2 OK [READ-WRITE] selected\r\n"},
       {"A3 UID STORE 2 (UNCHANGEDSINCE 10) +FLAGS.SILENT (\\Seen)\r\n",
        "A3 OK [MODIFIED 2] Conditional STORE failed\r\n"},
       // RFC 4549: fetch the message's state again, then re-apply on top of it.
       {"A4 UID FETCH 2 (FLAGS MODSEQ)\r\n",
        "* 2 FETCH (UID 2 FLAGS (\\Flagged) MODSEQ (15))\r\nA4 OK done\r\n"},
       {"A5 UID STORE 2 (UNCHANGEDSINCE 15) +FLAGS.SILENT (\\Seen)\r\n",
        "* 2 FETCH (UID 2 MODSEQ (21))\r\nA5 OK stored\r\n"},
       {"A6 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 10)\r\n",
        "* 2 FETCH (UID 2 FLAGS (\\Seen \\Flagged) MODSEQ (21))\r\n"
        "* 3 FETCH (UID 5 FLAGS () MODSEQ (18))\r\nA6 OK done\r\n"},
       // CONDSTORE does not tell of expunges: which of the known UIDs are still there?
       {"A7 UID SEARCH UID 1:3\r\n", "* SEARCH 1 2\r\nA7 OK done\r\n"},
       {"A8 UID FETCH 5 (FLAGS BODY.PEEK[])\r\n",
        "* 3 FETCH (UID 5 FLAGS () BODY[] {" + std::to_string(body.size()) + "}\r\n" + body +
            ")\r\nA8 OK done\r\n"}},
      "A9 LOGOUT\r\n");
  const EngineEvent* f2 = find(r, EngineEvent::FlagsSeen, 2);
  REQUIRE(f2);
  CHECK(f2->flags == flags_from_imap("\\Seen \\Flagged"));
  CHECK(find(r, EngineEvent::MessageExpunged, 3));
  CHECK(find(r, EngineEvent::MessageDownloaded, 5));
  REQUIRE(find(r, EngineEvent::MailboxSynced, 0));
  CHECK(find(r, EngineEvent::MailboxSynced, 0)->aux == 20);
  auto notes = texts(r, EngineEvent::Note);
  CHECK(std::any_of(notes.begin(), notes.end(), [](const std::string& n) {
    return n.rfind("UID 2 was changed on the server since this device last synchronised "
                   "([MODIFIED])", 0) == 0;
  }));
}

TEST_CASE("an IMAP client drops a queued flag change whose message vanished before its re-fetch",
          "[imap][condstore]") {
  ImapPlan p = plan_with({{2, {kSeen, {}}}}, {store(2, "\\Seen")}, 10);
  Result r = script(
      p,
      {{"", "* OK [CAPABILITY IMAP4rev1 CONDSTORE] hi\r\n"},
       {"A1 LOGIN \"alice\" \"secret\"\r\n", "A1 OK logged in\r\n"},
       {"A2 SELECT \"INBOX\" (CONDSTORE)\r\n", kSelectOk + "A2 OK [READ-WRITE] selected\r\n"},
       {"A3 UID STORE 2 (UNCHANGEDSINCE 10) +FLAGS.SILENT (\\Seen)\r\n",
        "A3 OK [MODIFIED 2] Conditional STORE failed\r\n"},
       {"A4 UID FETCH 2 (FLAGS MODSEQ)\r\n", "A4 OK done\r\n"},
       {"A5 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 10)\r\n", "A5 OK done\r\n"},
       {"A6 UID SEARCH UID 1:2\r\n", "* SEARCH\r\nA6 OK done\r\n"}},
      "A7 LOGOUT\r\n");
  auto notes = texts(r, EngineEvent::Note);
  CHECK(std::count(notes.begin(), notes.end(),
                   "queued flag change on UID 2 in INBOX dropped: it was expunged on the server "
                   "meanwhile") == 1);
  CHECK(find(r, EngineEvent::MessageExpunged, 2));
}

TEST_CASE("an IMAP client with use_condstore off lists every UID as before", "[imap][condstore]") {
  ImapPlan p = plan_with({{1, {}}}, {store(1, "\\Seen")}, 10);
  p.use_condstore = false;
  Result r = script(
      p,
      {{"", "* OK [CAPABILITY IMAP4rev1 CONDSTORE QRESYNC] hi\r\n"},
       {"A1 LOGIN \"alice\" \"secret\"\r\n", "A1 OK logged in\r\n"},
       {"A2 SELECT \"INBOX\"\r\n", kSelectOk + "A2 OK [READ-WRITE] selected\r\n"},
       {"A3 UID STORE 1 +FLAGS.SILENT (\\Seen)\r\n", "A3 OK stored\r\n"},
       {"A4 UID FETCH 1:* (FLAGS)\r\n", "A4 OK done\r\n"}},
      "A5 LOGOUT\r\n");
  // Listed nothing: the message is gone, and the trace says the flag change found nothing.
  CHECK(find(r, EngineEvent::MessageExpunged, 1));
  CHECK_FALSE(find(r, EngineEvent::MailboxSynced, 0));
  auto notes = texts(r, EngineEvent::Note);
  CHECK(std::count(notes.begin(), notes.end(),
                   "queued flag change on UID 1 in INBOX dropped: the message had been expunged "
                   "on the server (by another device)") == 1);
}

TEST_CASE("an IMAP client falls back to a full listing when the UIDVALIDITY changed",
          "[imap][qresync]") {
  ImapPlan p = plan_with({{1, {}}}, {}, 10);
  Result r = script(
      p,
      {{"", "* OK [CAPABILITY IMAP4rev1 QRESYNC] hi\r\n"},
       {"A1 LOGIN \"alice\" \"secret\"\r\n", "A1 OK logged in\r\n"},
       {"A2 ENABLE QRESYNC\r\n", "* ENABLED QRESYNC\r\nA2 OK enabled\r\n"},
       {"A3 SELECT \"INBOX\" (QRESYNC (7 10 1))\r\n",
        "* 1 EXISTS\r\n* OK [UIDVALIDITY 8] ok\r\n* OK [HIGHESTMODSEQ 3] ok\r\nA3 OK selected\r\n"},
       {"A4 UID FETCH 1:* (FLAGS)\r\n", "* 1 FETCH (UID 1 FLAGS ())\r\nA4 OK done\r\n"},
       {"A5 UID FETCH 1 (FLAGS BODY.PEEK[])\r\n", "A5 OK done\r\n"}},
      "A6 LOGOUT\r\n");
  const EngineEvent* sel = find(r, EngineEvent::MailboxSelected, 8);
  REQUIRE(sel);
  CHECK(sel->aux == 1);
  REQUIRE(find(r, EngineEvent::MailboxSynced, 0));
  CHECK(find(r, EngineEvent::MailboxSynced, 0)->aux == 3);
}

TEST_CASE("an IMAP client notes that a queued move found nothing when another device moved "
          "the message first",
          "[imap]") {
  ImapOp mv;
  mv.kind = ImapOp::Move;
  mv.uid = 4;
  mv.folder = "INBOX";
  mv.item = "Trash";
  ImapPlan p = plan_with({}, {mv}, 0);
  ImapOp mv5 = mv;
  mv5.uid = 5;
  p.mailboxes[0].ops.push_back(mv5);
  Result r = script(
      p,
      {{"", "* OK [CAPABILITY IMAP4rev1 MOVE UIDPLUS] hi\r\n"},
       {"A1 LOGIN \"alice\" \"secret\"\r\n", "A1 OK logged in\r\n"},
       {"A2 SELECT \"INBOX\"\r\n", kSelectOk + "A2 OK [READ-WRITE] selected\r\n"},
       {"A3 UID MOVE 4 \"Trash\"\r\n", "A3 OK No messages moved\r\n"},
       // A move that did move: COPYUID comes untagged, before the expunge (RFC 6851 4.3).
       {"A4 UID MOVE 5 \"Trash\"\r\n",
        "* OK [COPYUID 9 5 1] Moved UIDs.\r\n* 3 EXPUNGE\r\nA4 OK UID MOVE completed\r\n"},
       {"A5 UID FETCH 1:* (FLAGS)\r\n", "A5 OK done\r\n"}},
      "A6 LOGOUT\r\n");
  auto notes = texts(r, EngineEvent::Note);
  CHECK(std::count(notes.begin(), notes.end(),
                   "UID 4 was no longer in INBOX on the server (another device moved or deleted "
                   "it): the queued move did nothing and is dropped") == 1);
  CHECK(std::none_of(notes.begin(), notes.end(),
                     [](const std::string& n) { return n.rfind("UID 5 ", 0) == 0; }));
}
