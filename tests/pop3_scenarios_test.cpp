// Whole-world POP3 scenarios: a server, devices with their POP3 policies, links and a
// schedule. Each asserts what every store holds afterwards and the transcript lines that
// explain it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <memory>

#include "lesson/lesson.hpp"
#include "world/device.hpp"
#include "world/world.hpp"

using namespace ms;

namespace {

std::vector<std::string> subjects(const Store& s, const std::string& folder) {
  std::vector<std::string> out;
  if (const Folder* f = s.folder(folder))
    for (const auto& e : f->entries) out.push_back(e.body ? e.body->subject : "");
  return out;
}

std::vector<std::string> server_subjects(World& w, const std::string& folder = "INBOX") {
  return subjects(w.server().find("alice")->store, folder);
}

std::vector<std::string> device_subjects(World& w, const std::string& device,
                                         const std::string& folder = "INBOX") {
  return subjects(w.device(device)->store(), folder);
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// Wire units sent by `actor` with protocol `proto`, in order.
std::vector<std::string> wire(World& w, const std::string& actor, Proto proto = Proto::POP3) {
  std::vector<std::string> out;
  std::uint16_t id = w.trace().actor(actor);
  for (const auto& r : w.trace().records())
    if (r.kind == RecKind::Wire && r.actor == id && r.proto == proto) out.push_back(r.text);
  return out;
}

std::size_t count(const std::vector<std::string>& units, const std::string& unit) {
  return static_cast<std::size_t>(std::count(units.begin(), units.end(), unit));
}

bool any_starts(const std::vector<std::string>& units, const std::string& prefix) {
  for (const auto& u : units)
    if (u.rfind(prefix, 0) == 0) return true;
  return false;
}

const Entry* inbox_entry(World& w, const std::string& device, const std::string& subject) {
  if (const Folder* f = w.device(device)->store().folder("INBOX"))
    for (const auto& e : f->entries)
      if (e.body && e.body->subject == subject) return &e;
  return nullptr;
}

DeviceSpec device(const std::string& name, DeviceKind kind, Pop3Policy policy) {
  DeviceSpec d;
  d.name = name;
  d.kind = kind;
  d.account = "alice";
  d.password = "secret";
  d.pop3 = policy;
  return d;
}

std::unique_ptr<World> world_with_three_messages() {
  auto w = std::make_unique<World>("pop3", Proto::POP3, 1);
  w->add_account("alice", "secret");
  World* p = w.get();
  w->sched().at(0,
                [p] { p->mail_arrives("alice", "Bob <bob@outside.example>", "Lunch", "Noon?"); });
  w->sched().at(1 * kSecond,
                [p] { p->mail_arrives("alice", "Carol <carol@outside.example>", "Slides", "."); });
  w->sched().at(2 * kSecond,
                [p] { p->mail_arrives("alice", "Dan <dan@outside.example>", "Invoice", "42"); });
  return w;
}

void at(World& w, Tick t, std::function<void()> fn) { w.sched().at(t, std::move(fn)); }

const std::vector<std::string> kAll = {"Invoice", "Lunch", "Slides"};  // sorted

}  // namespace

SCENARIO("POP3 set to delete after download moves the mail from the server to the phone",
         "[pop3]") {
  // Built from a lesson, as the GUI and the CLI build worlds.
  const std::string json = R"({
    "id": "t", "title": "t", "summary": "t", "worlds": ["pop3"], "seed": 1,
    "accounts": [{"name": "alice", "password": "secret"}],
    "devices": [{"name": "phone", "kind": "phone", "account": "alice",
                 "link": {"preset": "mobile"}, "pop3": {"leave_on_server": false}}],
    "script": [
      {"at": "0s", "do": "mail arrives", "from": "Bob <bob@outside.example>",
       "subject": "Lunch", "text": "Noon?"},
      {"at": "1s", "do": "mail arrives", "from": "Carol <carol@outside.example>",
       "subject": "Slides", "text": "Notes."},
      {"at": "2s", "do": "mail arrives", "from": "Dan <dan@outside.example>",
       "subject": "Invoice", "text": "42"},
      {"at": "10s", "device": "phone", "do": "check mail"}],
    "duration": "30s"})";
  Lesson lesson = parse_lesson(json, "inline.json");
  auto w = build_world(lesson, Proto::POP3, 1);
  w->run_until(30 * kSecond);
  THEN("the server holds nothing and the phone all three") {
    CHECK(server_subjects(*w).empty());
    CHECK(sorted(device_subjects(*w, "phone")) == kAll);
  }
  THEN("the phone retrieved and deleted each message, and QUIT applied the deletions") {
    auto phone = wire(*w, "phone");
    for (const char* n : {"1", "2", "3"}) {
      CHECK(count(phone, std::string("RETR ") + n + "\r\n") == 1);
      CHECK(count(phone, std::string("DELE ") + n + "\r\n") == 1);
    }
    CHECK(phone.back() == "QUIT\r\n");
    auto server = wire(*w, "server");
    CHECK(server.back() == "+OK mail.example.com POP3 server signing off (0 messages left)\r\n");
  }
}

SCENARIO("two POP3 devices leaving mail on the server each keep their own copy", "[pop3]") {
  GIVEN("a phone and a desktop, both set to leave messages on the server") {
    auto w = world_with_three_messages();
    Pop3Policy leave{.leave_on_server = true};
    w->add_device(device("phone", DeviceKind::Phone, leave));
    w->add_device(device("desktop", DeviceKind::Desktop, leave));
    at(*w, 10 * kSecond, [&] { w->device("phone")->check_mail(); });
    at(*w, 12 * kSecond, [&] { w->device("desktop")->check_mail(); });
    w->run_until(20 * kSecond);
    THEN("the server keeps three and each device has its own three") {
      CHECK(server_subjects(*w).size() == 3);
      CHECK(sorted(device_subjects(*w, "phone")) == kAll);
      CHECK(sorted(device_subjects(*w, "desktop")) == kAll);
      CHECK(count(wire(*w, "phone"), "DELE 1\r\n") == 0);
    }
    WHEN("the phone reads and deletes message 1 and both check again") {
      at(*w, 21 * kSecond, [&] { w->device("phone")->read(1); });
      at(*w, 22 * kSecond, [&] { w->device("phone")->remove(1); });
      at(*w, 30 * kSecond, [&] { w->device("phone")->check_mail(); });
      at(*w, 32 * kSecond, [&] { w->device("desktop")->check_mail(); });
      w->run_until(40 * kSecond);
      THEN("only the phone's copy is gone; the desktop's is still there and unread") {
        CHECK(sorted(device_subjects(*w, "phone")) ==
              std::vector<std::string>{"Invoice", "Slides"});
        CHECK(device_subjects(*w, "phone", "Trash") == std::vector<std::string>{"Lunch"});
        CHECK(sorted(device_subjects(*w, "desktop")) == kAll);
        const Entry* e = inbox_entry(*w, "desktop", "Lunch");
        REQUIRE(e);
        CHECK_FALSE(e->flags.has(kSeen));
        CHECK(server_subjects(*w).size() == 3);
      }
      THEN("the second sessions download nothing again (the UIDL seen-list)") {
        CHECK(count(wire(*w, "phone"), "UIDL\r\n") == 2);
        CHECK(count(wire(*w, "phone"), "RETR 1\r\n") == 1);
        CHECK(count(wire(*w, "desktop"), "RETR 1\r\n") == 1);
      }
    }
  }
}

SCENARIO("POP3 leaving mail on the server for 14 days deletes it at the first check after "
         "that, not before",
         "[pop3]") {
  auto w = world_with_three_messages();
  w->add_device(device("phone", DeviceKind::Phone,
                       {.leave_on_server = true, .delete_after_days = 14}));
  at(*w, 10 * kSecond, [&] { w->device("phone")->check_mail(); });
  at(*w, 13 * kDay, [&] { w->device("phone")->check_mail(); });
  w->run_until(13 * kDay + kMinute);
  THEN("a check on day 13 leaves the server copies") {
    CHECK(server_subjects(*w).size() == 3);
    CHECK(count(wire(*w, "phone"), "DELE 1\r\n") == 0);
  }
  WHEN("the phone checks again on day 15") {
    at(*w, 15 * kDay, [&] { w->device("phone")->check_mail(); });
    w->run_until(15 * kDay + kMinute);
    THEN("the server copies are deleted and the phone keeps its own") {
      CHECK(server_subjects(*w).empty());
      CHECK(sorted(device_subjects(*w, "phone")) == kAll);
      auto phone = wire(*w, "phone");
      CHECK(count(phone, "DELE 1\r\n") == 1);
      CHECK(count(phone, "DELE 3\r\n") == 1);
      CHECK(count(phone, "RETR 1\r\n") == 1);  // never downloaded again
    }
  }
}

SCENARIO("POP3 set to delete from the server when deleted locally deletes at the next check",
         "[pop3]") {
  auto w = world_with_three_messages();
  w->add_device(device("phone", DeviceKind::Phone,
                       {.leave_on_server = true, .delete_when_deleted_locally = true}));
  at(*w, 10 * kSecond, [&] { w->device("phone")->check_mail(); });
  at(*w, 20 * kSecond, [&] { w->device("phone")->remove(2); });
  w->run_until(25 * kSecond);
  THEN("until the next check the server still has it") {
    CHECK(server_subjects(*w).size() == 3);
  }
  WHEN("the phone checks again") {
    at(*w, 30 * kSecond, [&] { w->device("phone")->check_mail(); });
    w->run_until(40 * kSecond);
    THEN("the server loses just that message") {
      CHECK(sorted(server_subjects(*w)) == std::vector<std::string>{"Invoice", "Lunch"});
      CHECK(sorted(device_subjects(*w, "phone")) == std::vector<std::string>{"Invoice", "Lunch"});
      CHECK(device_subjects(*w, "phone", "Trash") == std::vector<std::string>{"Slides"});
      auto phone = wire(*w, "phone");
      CHECK(count(phone, "DELE 2\r\n") == 1);
      CHECK(count(phone, "DELE 1\r\n") == 0);
    }
  }
}

SCENARIO("two POP3 devices polling at the same moment meet the maildrop lock", "[pop3]") {
  auto w = world_with_three_messages();
  w->add_device(device("phone", DeviceKind::Phone, {}));
  w->add_device(device("desktop", DeviceKind::Desktop, {}));
  at(*w, 10 * kSecond, [&] {
    w->device("phone")->check_mail();
    w->device("desktop")->check_mail();
  });
  w->run_until(20 * kSecond);
  THEN("one of them is told [IN-USE]") {
    const std::string in_use = "-ERR [IN-USE] maildrop already locked by another session\r\n";
    CHECK(count(wire(*w, "server"), in_use) == 1);
  }
  THEN("nothing is lost: every message is on exactly one device") {
    CHECK(server_subjects(*w).empty());
    auto all = device_subjects(*w, "phone");
    for (const auto& s : device_subjects(*w, "desktop")) all.push_back(s);
    CHECK(sorted(all) == kAll);
  }
  WHEN("the refused device checks again later") {
    at(*w, 30 * kSecond, [&] {
      w->device("phone")->check_mail();
      w->device("desktop")->check_mail();
    });
    w->run_until(31 * kSecond);
    THEN("the lock was released and nothing is duplicated") {
      CHECK_FALSE(w->server().find("alice")->pop3_locked);
      auto all = device_subjects(*w, "phone");
      for (const auto& s : device_subjects(*w, "desktop")) all.push_back(s);
      CHECK(sorted(all) == kAll);
    }
  }
}

SCENARIO("a POP3 session dropped before QUIT leaves every message on the server", "[pop3]") {
  Pop3Policy del{};  // delete after download
  auto make = [&] {
    auto w = world_with_three_messages();
    DeviceSpec d = device("phone", DeviceKind::Phone, del);
    d.link = {150 * kMs, 56'000};  // dial-up
    w->add_device(d);
    at(*w, 10 * kSecond, [p = w.get()] { p->device("phone")->check_mail(); });
    return w;
  };
  // A first run finds when the server received the first DELE; the second run takes the
  // phone offline just after it, in the middle of the TRANSACTION state.
  Tick first_dele = 0;
  {
    auto probe = make();
    probe->run_until(60 * kSecond);
    std::uint16_t phone = probe->trace().actor("phone");
    for (const auto& r : probe->trace().records())
      if (r.kind == RecKind::Wire && r.actor == phone && r.text == "DELE 1\r\n") {
        first_dele = r.t_end;
        break;
      }
  }
  REQUIRE(first_dele > 10 * kSecond);
  auto w = make();
  at(*w, first_dele + kMs, [&] { w->device("phone")->go_offline(); });
  w->run_until(60 * kSecond);
  THEN("the server saw DELE but never QUIT, so it removed nothing and released the lock") {
    auto phone = wire(*w, "phone");
    CHECK(count(phone, "DELE 1\r\n") == 1);
    CHECK(count(phone, "QUIT\r\n") == 0);
    CHECK(server_subjects(*w).size() == 3);
    CHECK_FALSE(w->server().find("alice")->pop3_locked);
    CHECK_FALSE(device_subjects(*w, "phone").empty());
  }
  WHEN("the phone comes back and checks again") {
    at(*w, 70 * kSecond, [&] { w->device("phone")->go_online(); });
    at(*w, 71 * kSecond, [&] { w->device("phone")->check_mail(); });
    w->run_until(120 * kSecond);
    THEN("what it already has is deleted without a second download, the rest is fetched") {
      CHECK(server_subjects(*w).empty());
      CHECK(sorted(device_subjects(*w, "phone")) == kAll);
      CHECK(count(wire(*w, "phone"), "RETR 1\r\n") == 1);
    }
  }
}

SCENARIO("a POP3 device sends over SMTP and keeps the sent copy only locally", "[pop3]") {
  World w("pop3", Proto::POP3, 1);
  w.add_account("alice", "secret");
  w.add_device(device("phone", DeviceKind::Phone, {}));
  at(w, 5 * kSecond,
     [&] { w.device("phone")->send("bob@outside.example", "Hello Bob", "See you."); });
  w.run_until(20 * kSecond);
  THEN("the phone's Sent has it and the server's Sent stays empty") {
    CHECK(device_subjects(w, "phone", "Sent") == std::vector<std::string>{"Hello Bob"});
    CHECK(server_subjects(w, "Sent").empty());
    CHECK(server_subjects(w, "INBOX").empty());
  }
  THEN("the SMTP transcript shows authentication, the envelope and the data accepted") {
    auto phone = wire(w, "phone", Proto::SMTP);
    CHECK(any_starts(phone, "AUTH PLAIN "));
    // SIZE (RFC 1870) announces the message's exact octet count.
    const Folder* sent = w.device("phone")->store().folder("Sent");
    REQUIRE(sent->entries.size() == 1);
    CHECK(count(phone, "MAIL FROM:<alice@mail.example.com> SIZE=" +
                           std::to_string(sent->entries[0].size()) + "\r\n") == 1);
    CHECK(count(phone, "RCPT TO:<bob@outside.example>\r\n") == 1);
    CHECK(count(phone, "DATA\r\n") == 1);
    auto server = wire(w, "server", Proto::SMTP);
    CHECK(any_starts(server, "235"));
    CHECK(any_starts(server, "354"));
    // The reply to the message data is the 250 that follows 354.
    auto it = std::find_if(server.begin(), server.end(),
                           [](const std::string& u) { return u.rfind("354", 0) == 0; });
    REQUIRE(it != server.end());
    REQUIRE(it + 1 != server.end());
    CHECK((it + 1)->rfind("250", 0) == 0);
  }
}

SCENARIO("a POP3 device set to check every 5 minutes polls on its own", "[pop3]") {
  auto w = world_with_three_messages();
  w->add_device(device("phone", DeviceKind::Phone,
                       {.leave_on_server = true, .check_every_minutes = 5}));
  w->run_until(16 * kMinute);
  THEN("it ran three sessions (at 5, 10 and 15 minutes) and downloaded each message once") {
    auto phone = wire(*w, "phone");
    CHECK(count(phone, "USER alice\r\n") == 3);
    CHECK(count(phone, "QUIT\r\n") == 3);
    CHECK(count(phone, "RETR 1\r\n") == 1);
    CHECK(sorted(device_subjects(*w, "phone")) == kAll);
    CHECK(server_subjects(*w).size() == 3);
  }
}

SCENARIO("a POP3 world run twice gives a byte-identical trace", "[pop3]") {
  auto run = [] {
    auto w = world_with_three_messages();
    w->add_device(device("phone", DeviceKind::Phone,
                         {.leave_on_server = true, .delete_when_deleted_locally = true,
                          .check_every_minutes = 1}));
    w->add_device(device("desktop", DeviceKind::Desktop, {}));
    World* p = w.get();
    at(*w, 10 * kSecond, [p] {
      p->device("phone")->check_mail();
      p->device("desktop")->check_mail();
    });
    at(*w, 20 * kSecond, [p] { p->device("phone")->remove(1); });
    at(*w, 30 * kSecond, [p] { p->device("phone")->send("bob@outside.example", "Hi", "x"); });
    w->run_until(3 * kMinute);
    return w->trace().to_jsonl();
  };
  std::string a = run(), b = run();
  CHECK(a.size() > 1000);
  CHECK(a == b);
}

SCENARIO("a POP3 device fetching headers first downloads a body when the message is read",
         "[pop3]") {
  auto w = world_with_three_messages();
  w->add_device(device("phone", DeviceKind::Phone, {.headers_first = true}));
  at(*w, 10 * kSecond, [&] { w->device("phone")->check_mail(); });
  w->run_until(20 * kSecond);
  THEN("the phone lists all three from their headers and the server keeps them") {
    CHECK(sorted(device_subjects(*w, "phone")) == kAll);
    CHECK(server_subjects(*w).size() == 3);
    auto phone = wire(*w, "phone");
    CHECK(count(phone, "TOP 1 0\r\n") == 1);
    CHECK(count(phone, "RETR 1\r\n") == 0);
    const Entry* e = inbox_entry(*w, "phone", "Lunch");
    REQUIRE(e);
    CHECK(e->body->raw.find("Noon?") == std::string::npos);
  }
  WHEN("the user opens message 1") {
    at(*w, 30 * kSecond, [&] { w->device("phone")->read(1); });
    w->run_until(40 * kSecond);
    THEN("its body is retrieved (and, delete after download, removed from the server)") {
      auto phone = wire(*w, "phone");
      CHECK(count(phone, "RETR 1\r\n") == 1);
      CHECK(count(phone, "DELE 1\r\n") == 1);
      CHECK(count(phone, "RETR 2\r\n") == 0);
      CHECK(sorted(server_subjects(*w)) == std::vector<std::string>{"Invoice", "Slides"});
      CHECK(sorted(device_subjects(*w, "phone")) == kAll);
      const Entry* e = inbox_entry(*w, "phone", "Lunch");
      REQUIRE(e);
      CHECK(e->body->raw.find("Noon?") != std::string::npos);
      CHECK(e->flags.has(kSeen));
    }
  }
}

SCENARIO("a POP3 device forgets unique-ids another device removed from the server", "[pop3]") {
  auto w = world_with_three_messages();
  w->add_device(device("phone", DeviceKind::Phone,
                       {.leave_on_server = true, .delete_when_deleted_locally = true}));
  w->add_device(device("desktop", DeviceKind::Desktop, {}));  // delete after download
  at(*w, 10 * kSecond, [&] { w->device("phone")->check_mail(); });
  at(*w, 20 * kSecond, [&] { w->device("desktop")->check_mail(); });
  at(*w, 30 * kSecond, [&] { w->device("phone")->remove(1); });
  at(*w, 40 * kSecond, [&] { w->device("phone")->check_mail(); });
  w->run_until(50 * kSecond);
  THEN("the phone's next session tries no DELE and remembers nothing") {
    CHECK(server_subjects(*w).empty());
    CHECK(count(wire(*w, "phone"), "DELE 1\r\n") == 0);
    CHECK(w->device("phone")->app().state() ==
          "POP3: 0 unique-id(s) seen, 0 deletion(s) pending on the server");
  }
}
