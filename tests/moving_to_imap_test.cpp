// Moving from POP3 to IMAP (lessons/moving-to-imap.json, lessons/README.md "Actions for moving
// from POP3 to IMAP"): the APPEND exchanges of an upload and the quota refusal, byte for byte on
// both engines (server and client fed whole and one byte at a time), the actions "move to
// IMAP" and "upload folder" in both worlds (their errors in a lesson file are in
// everyday_actions_test.cpp).
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "imap_server_harness.hpp"
#include "lesson/lesson.hpp"
#include "model/account.hpp"
#include "proto/imap/imap_client.hpp"
#include "proto/imap/imap_server.hpp"
#include "view/world_scene.hpp"
#include "world/device.hpp"

using namespace ms;

namespace {

// 36 bytes each.
const std::string kOld = "Subject: old\r\n\r\nkept on the server\r\n";
const std::string kUp = "Subject: up\r\n\r\nfrom the POP3 past!\r\n";

// alice/secret, INBOX holding kOld, a quota of 100 bytes: two more 36-byte messages do not fit.
struct QuotaFixture {
  MailServer server;
  Account* alice;
  QuotaFixture() {
    alice = &server.add_account("alice", "secret", 7);
    alice->quota = 100;
    alice->store.append("INBOX", make_body(kOld), {}, 0);
  }
};

std::vector<std::string> quota_script(const std::vector<std::string>& inputs) {
  return test::either_way<QuotaFixture>([&](QuotaFixture& fx, const test::Feed& feed) {
    ImapServer s(fx.server);
    std::vector<std::string> out{test::collect(s)};
    for (const auto& in : inputs) out.push_back(feed(s, in));
    CHECK(fx.alice->store.folder("INBOX")->entries.size() == 2);
    return out;
  });
}

struct ClientRun {
  std::vector<std::string> sent;  // what the client sent before each server input, then after
  std::vector<EngineEvent> events;
};

ClientRun run_client(const ImapPlan& plan, const std::vector<std::string>& server, bool bytewise) {
  ImapClient c(plan);
  ClientRun r;
  auto take = [&] {
    std::string s;
    for (auto& u : c.take_output()) s += u;
    for (auto& e : c.take_events()) r.events.push_back(std::move(e));
    return s;
  };
  for (const auto& in : server) {
    r.sent.push_back(take());
    if (bytewise)
      for (char ch : in) c.receive(std::string_view(&ch, 1));
    else
      c.receive(in);
  }
  r.sent.push_back(take());
  return r;
}

ImapOp append_op(const std::string& data, const std::string& flags, const std::string& date) {
  ImapOp op;
  op.kind = ImapOp::Append;
  op.folder = "INBOX";
  op.flags = flags;
  op.date = date;
  op.data = data;
  return op;
}

std::size_t count(World& w, const std::string& where, const std::string& folder) {
  const Store& s = where == "server" ? w.server().find("alice")->store : w.device(where)->store();
  const Folder* f = s.folder(folder);
  return f ? f->entries.size() : 0;
}

std::size_t wire_with(const World& w, const std::string& text, Tick from = 0) {
  std::size_t n = 0;
  for (const Record& r : w.trace().records())
    if (r.kind == RecKind::Wire && r.t >= from && r.text.find(text) != std::string::npos) ++n;
  return n;
}

}  // namespace

SCENARIO("an IMAP server stores APPENDs within the quota and refuses the one over it with "
         "NO [OVERQUOTA]", "[imap][quota]") {
  auto out = quota_script({"L LOGIN alice secret\r\n",
                           "a1 APPEND INBOX (\\Seen) \"03-Mar-2014 09:00:00 +0000\" {36}\r\n",
                           kUp + "\r\n", "a2 APPEND INBOX {36}\r\n", kUp + "\r\n"});
  THEN("the first upload fits: 72 of 100 bytes") {
    CHECK(out[2] == "+ Ready for literal data\r\n");
    CHECK(out[3] == "a1 OK [APPENDUID 7 2] APPEND completed\r\n");
  }
  THEN("the second would make 108 bytes: RFC 5530's OVERQUOTA code, and nothing stored") {
    CHECK(out[4] == "+ Ready for literal data\r\n");
    CHECK(out[5] == "a2 NO [OVERQUOTA] Quota exceeded\r\n");
  }
}

SCENARIO("the IMAP client uploads with the date and flags, and reports an OVERQUOTA refusal",
         "[imap][quota]") {
  ImapPlan plan;
  plan.user = "alice";
  plan.pass = "secret";
  plan.appends = {append_op(kUp, "\\Seen", "\"03-Mar-2014 09:00:00 +0000\""),
                  append_op(kUp, "", "")};
  const std::vector<std::string> server = {
      "* OK IMAP4rev1 ready\r\n",
      "A1 OK Logged in\r\n",
      "+ Ready for literal data\r\n",
      "A2 OK [APPENDUID 7 2] APPEND completed\r\n",
      "+ Ready for literal data\r\n",
      "A3 NO [OVERQUOTA] Quota exceeded\r\n",
      "* BYE Logging out\r\nA4 OK LOGOUT completed\r\n"};
  ClientRun whole = run_client(plan, server, false), bytes = run_client(plan, server, true);
  CHECK(whole.sent == bytes.sent);
  REQUIRE(whole.sent.size() == server.size() + 1);
  THEN("each message goes as a synchronising literal after the server's \"+\"") {
    CHECK(whole.sent[1] == "A1 LOGIN \"alice\" \"secret\"\r\n");
    CHECK(whole.sent[2] == "A2 APPEND \"INBOX\" (\\Seen) \"03-Mar-2014 09:00:00 +0000\" {36}\r\n");
    CHECK(whole.sent[3] == kUp + "\r\n");
    CHECK(whole.sent[4] == "A3 APPEND \"INBOX\" {36}\r\n");
    CHECK(whole.sent[5] == kUp + "\r\n");
    CHECK(whole.sent[6] == "A4 LOGOUT\r\n");
    CHECK(whole.sent[7].empty());
  }
  THEN("the first is reported stored under its new UID, the second refused with the code") {
    std::vector<const EngineEvent*> appends;
    for (const auto& e : whole.events)
      if (e.kind == EngineEvent::MessageAppended || e.kind == EngineEvent::Error)
        appends.push_back(&e);
    REQUIRE(appends.size() == 2);
    CHECK(appends[0]->kind == EngineEvent::MessageAppended);
    CHECK(appends[0]->uid == 2);
    CHECK(appends[1]->kind == EngineEvent::Error);
    CHECK(appends[1]->text == "APPEND refused: [OVERQUOTA] Quota exceeded");
  }
}

SCENARIO("the client's upload bytes are accepted by the server engine until the quota is full",
         "[imap][quota]") {
  QuotaFixture fx;
  ImapServer s(fx.server);
  ImapPlan plan;
  plan.user = "alice";
  plan.pass = "secret";
  plan.appends = {append_op(kUp, "\\Seen", "\"03-Mar-2014 09:00:00 +0000\""),
                  append_op(kUp, "", "")};
  ImapClient c(plan);
  std::string transcript;
  for (int round = 0; round < 50; ++round) {
    bool moved = false;
    for (auto& u : s.take_output()) c.receive(u), transcript += "S: " + u, moved = true;
    for (auto& u : c.take_output()) s.receive(u), transcript += "C: " + u, moved = true;
    if (!moved) break;
  }
  INFO(transcript);
  const Folder& inbox = *fx.alice->store.folder("INBOX");
  REQUIRE(inbox.entries.size() == 2);
  CHECK(inbox.entries[1].body->raw == kUp);
  CHECK(inbox.entries[1].flags == flags_from_imap("\\Seen"));
  // 03-Mar-2014 09:00:00 UTC is the simulation's epoch: internal date 0.
  CHECK(inbox.entries[1].internal_date == 0);
  CHECK(transcript.find("S: A4 NO [OVERQUOTA] Quota exceeded\r\n") != std::string::npos);
  CHECK(transcript.find("\r\nA5 OK LOGOUT completed\r\n") != std::string::npos);
}

SCENARIO("moving to IMAP: the desktop's POP3 past, the copy up, duplicates and the quota",
         "[lesson][quota]") {
  Lesson L = load_lesson(std::string(MAILSCOPE_SOURCE_DIR) + "/lessons/moving-to-imap.json");
  const Tick move = 15 * kDay + 5 * kMinute, upload = move + kMinute;
  auto pop3 = build_world(L, Proto::POP3, 1);
  auto imap = build_world(L, Proto::IMAP, 1);
  pop3->run_until(move - 1);
  imap->run_until(move - 1);
  WHEN("the move is about to happen") {
    THEN("both worlds hold the same POP3 past: four on the desktop, 3 and 4 on the server") {
      for (World* w : {pop3.get(), imap.get()}) {
        CHECK(count(*w, "desktop", "INBOX") == 4);
        CHECK(count(*w, "server", "INBOX") == 2);
        CHECK(wire_with(*w, "DELE 1\r\n") == 1);
        CHECK(wire_with(*w, "APPEND") == 0);
      }
      CHECK(imap->device("desktop")->proto() == Proto::POP3);
    }
  }
  pop3->run_until(L.duration);
  imap->run_until(L.duration);
  WHEN("the IMAP world's desktop moved and copied its POP3 Inbox up") {
    THEN("it speaks IMAP from the move on, POP3 no more") {
      CHECK(imap->device("desktop")->proto() == Proto::IMAP);
      std::size_t pop3_after = 0, imap_after = 0;
      for (const Record& r : imap->trace().records())
        if (r.kind == RecKind::Wire && r.t >= move && r.actor == imap->trace().actor("desktop"))
          (r.proto == Proto::POP3 ? pop3_after : imap_after) += 1;
      CHECK(pop3_after == 0);
      CHECK(imap_after > 0);
    }
    THEN("four APPENDs went out with dates; three were stored, the fourth refused over quota") {
      CHECK(wire_with(*imap, "APPEND \"INBOX\" \"", upload) == 4);
      CHECK(wire_with(*imap, "NO [OVERQUOTA] Quota exceeded\r\n", upload) == 1);
      CHECK(wire_with(*imap, "OK [APPENDUID ", upload) == 3);
      CHECK(count(*imap, "server", "INBOX") == 5);
      CHECK(count(*imap, "desktop", "POP3 Inbox") == 4);
      CHECK(count(*imap, "desktop", "INBOX") == 5);
      CHECK(count(*imap, "phone", "INBOX") == 5);
    }
    THEN("message 3 is on the server twice, message 4 once") {
      std::map<std::string, int> copies;
      for (const auto& e : imap->server().find("alice")->store.folder("INBOX")->entries)
        ++copies[e.body->message_id];
      const auto& msgs = imap->scenario_messages();
      CHECK(copies[msgs[0]->message_id] == 1);
      CHECK(copies[msgs[1]->message_id] == 1);
      CHECK(copies[msgs[2]->message_id] == 2);
      CHECK(copies[msgs[3]->message_id] == 1);
    }
  }
  WHEN("the POP3 world's desktop stays on POP3") {
    THEN("nothing is uploaded: POP3 has no command for it, and the new phone gets 3 and 4") {
      CHECK(pop3->device("desktop")->proto() == Proto::POP3);
      CHECK(wire_with(*pop3, "APPEND") == 0);
      CHECK(count(*pop3, "server", "INBOX") == 2);
      CHECK(count(*pop3, "desktop", "INBOX") == 4);
      CHECK(count(*pop3, "phone", "INBOX") == 2);
      CHECK(pop3->device("desktop")->store().folder("POP3 Inbox") == nullptr);
    }
  }
}

SCENARIO("the worlds view shows the moving desktop's POP3 settings until it speaks IMAP",
         "[lesson][view]") {
  Lesson L = load_lesson(std::string(MAILSCOPE_SOURCE_DIR) + "/lessons/moving-to-imap.json");
  auto imap = build_world(L, Proto::IMAP, 1);
  imap->run_until(L.duration);
  const Trace& tr = imap->trace();
  view::TraceIndex ix(view::scenario_ids(*imap));
  ix.extend(tr);
  auto desktop_at = [&](Tick t) {
    WorldView v = Replay(tr).at(tr.index_after(t));
    v.t = t;
    const view::Scene sc = view::build_scene(tr, ix, v, {});
    for (const auto& b : sc.devices)
      if (b.name == "desktop") return b;
    FAIL("no desktop box");
    return sc.devices.front();
  };
  THEN("before its first session and between sessions it is a POP3 app: leave on server") {
    CHECK(desktop_at(30 * kSecond).info == std::vector<std::string>{"leave on server 14 days"});
    CHECK(desktop_at(15 * kDay + 4 * kMinute).info ==
          std::vector<std::string>{"leave on server 14 days"});
    CHECK(desktop_at(15 * kDay + 4 * kMinute).status == "checks mail when asked");
  }
  THEN("after the move it is an IMAP app: caching, idling") {
    CHECK(desktop_at(15 * kDay + 8 * kMinute).info == std::vector<std::string>{"caching"});
    CHECK(desktop_at(15 * kDay + 8 * kMinute).status == "IDLE \xe2\x80\x94 push");
  }
  THEN("a device that only ever spoke IMAP is shown as the IMAP world's") {
    const std::uint16_t phone = imap->trace().actor("phone");
    CHECK(view::device_proto(ix, phone, tr.size(), Proto::IMAP) == Proto::IMAP);
    CHECK(view::device_proto(ix, phone, 0, Proto::IMAP) == Proto::IMAP);
    const std::uint16_t desktop = imap->trace().actor("desktop");
    CHECK(view::device_proto(ix, desktop, 0, Proto::IMAP) == Proto::POP3);
    CHECK(view::device_proto(ix, desktop, tr.size(), Proto::IMAP) == Proto::IMAP);
  }
}
