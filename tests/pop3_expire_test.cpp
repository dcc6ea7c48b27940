#include <catch2/catch.hpp>

#include "world/device.hpp"

using namespace ms;

SCENARIO("a server announcing EXPIRE 3 removes a message three days after it was retrieved") {
  World w("POP3", Proto::POP3, 1);
  w.server().settings.retention_days = 3;
  w.add_account("alice", "secret");
  DeviceSpec d;
  d.name = "desktop";
  d.account = "alice";
  d.password = "secret";
  d.pop3.leave_on_server = true;
  Device& desk = w.add_device(d);
  w.mail_arrives("alice", "Bob <bob@outside.example>", "Old", "x");
  w.run_until(10 * kSecond);
  desk.check_mail();
  w.run_until(kMinute);
  const Folder& inbox = *w.server().find("alice")->store.folder("INBOX");
  REQUIRE(inbox.entries.size() == 1);
  w.mail_arrives("alice", "Carol <carol@outside.example>", "New", "y");  // never retrieved
  w.run_until(2 * kDay);
  desk.check_mail();
  w.run_until(2 * kDay + kMinute);
  CHECK(inbox.entries.size() == 2);  // retrieved 2 days ago: kept
  w.run_until(3 * kDay + kMinute);
  desk.check_mail();
  w.run_until(3 * kDay + 2 * kMinute);
  REQUIRE(inbox.entries.size() == 1);
  CHECK(inbox.entries[0].body->subject == "New");
  CHECK(desk.store().folder("INBOX")->entries.size() == 2);  // the desktop keeps its copies
  bool capa = false, noted = false;
  for (const auto& r : w.trace().records()) {
    capa |= r.kind == RecKind::Wire && r.text.find("EXPIRE 3\r\n") != std::string::npos;
    noted |= r.kind == RecKind::Event && r.text.find("EXPIRE 3: removed 1 message(s)") == 0;
  }
  CHECK(capa);
  CHECK(noted);
}
