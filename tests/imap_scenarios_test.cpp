// IMAP scenarios on whole worlds: what one device does reaches every other device through the
// server (RFC 3501 flags, RFC 6851 MOVE to \Trash, APPEND to \Sent, IDLE push).
#include <catch2/catch.hpp>

#include "world/device.hpp"

using namespace ms;

namespace {

// A device of alice's named and shaped after its kind ("phone", "desktop").
DeviceSpec alice_device(const char* name) {
  DeviceSpec d;
  d.name = name;
  parse_device_kind(name, d.kind);
  d.account = "alice";
  d.password = "secret";
  return d;
}

struct Imap {
  World w{"IMAP", Proto::IMAP, 1};
  Imap(bool idle = true) {
    w.add_account("alice", "secret");
    for (const char* n : {"phone", "desktop"}) {
      DeviceSpec d = alice_device(n);
      d.imap.idle = idle;
      w.add_device(d);
    }
    w.mail_arrives("alice", "Bob <bob@outside.example>", "Lunch", "Noon?");
    w.mail_arrives("alice", "Carol <carol@outside.example>", "Slides", "Attached.");
    w.run_until(5 * kSecond);
    phone().check_mail();
    desktop().check_mail();
    w.run_until(20 * kSecond);
  }
  Device& phone() { return *w.device("phone"); }
  Device& desktop() { return *w.device("desktop"); }
  const Folder& folder(Device& d, const char* f) { return *d.store().folder(f); }
  const Folder& server(const char* f) { return *w.server().find("alice")->store.folder(f); }
  void settle() { w.run_until(w.now() + 30 * kSecond); }
  std::size_t wire_lines(const std::string& actor, const std::string& text) {
    std::size_t n = 0;
    std::uint16_t a = w.trace().actor(actor);
    for (const auto& r : w.trace().records())
      if (r.kind == RecKind::Wire && r.actor == a && r.text.find(text) != std::string::npos) ++n;
    return n;
  }
};

}  // namespace

SCENARIO("reading on the phone shows as read on the desktop, and back") {
  Imap s;
  REQUIRE(s.folder(s.desktop(), "INBOX").entries.size() == 2);
  s.phone().read(1);
  s.settle();
  CHECK(s.server("INBOX").entries[0].flags.has(kSeen));
  CHECK(s.folder(s.desktop(), "INBOX").entries[0].flags.has(kSeen));
  // A QRESYNC client's change is conditional on the mailbox state it last synchronised
  // (HIGHESTMODSEQ 3 after two deliveries, RFC 7162 section 3.1.3).
  CHECK(s.wire_lines("phone", "UID STORE 1 (UNCHANGEDSINCE 3) +FLAGS.SILENT (\\Seen)") == 1);
  // Pushed: the idling desktop hears of it as an untagged FETCH (RFC 2177), with the new
  // MODSEQ since it enabled QRESYNC.
  CHECK(s.wire_lines("server", "* 1 FETCH (UID 1 FLAGS (\\Seen) MODSEQ (4))") >= 1);
  s.desktop().read(2);
  s.settle();
  CHECK(s.folder(s.phone(), "INBOX").entries[1].flags.has(kSeen));
}

SCENARIO("answered, forwarded and flagged marks propagate to every device") {
  Imap s;
  s.phone().send("bob@outside.example", "", "Yes, noon is fine.", 1);  // a reply to message 1
  s.desktop().forward(2, "dan@outside.example", "FYI");
  s.phone().flag(2, kFlagged, true);
  s.settle();
  for (Device* d : {&s.phone(), &s.desktop()}) {
    INFO(d->name());
    const Folder& inbox = s.folder(*d, "INBOX");
    CHECK(inbox.entries[0].flags.has(kAnswered));
    CHECK(inbox.entries[1].flags.has(kForwarded));
    CHECK(inbox.entries[1].flags.has(kFlagged));
  }
  CHECK(flags_to_imap(s.server("INBOX").entries[1].flags) == "\\Flagged $Forwarded");
}

SCENARIO("delete on the desktop moves to Trash on every device; storage drops only when Trash is emptied") {
  Imap s;
  std::size_t before = s.w.server().find("alice")->store.bytes();
  s.desktop().remove(2);
  s.settle();
  CHECK(s.server("INBOX").entries.size() == 1);
  CHECK(s.server("Trash").entries.size() == 1);
  CHECK(s.w.server().find("alice")->store.bytes() == before);  // moved, not freed
  s.phone().check_mail();  // IDLE watches INBOX only: Trash is seen at the next sync
  s.settle();
  CHECK(s.folder(s.phone(), "INBOX").entries.size() == 1);
  CHECK(s.folder(s.phone(), "Trash").entries.size() == 1);
  CHECK(s.wire_lines("desktop", "UID MOVE 2 \"Trash\"") == 1);
  s.desktop().empty_trash();
  s.settle();
  CHECK(s.server("Trash").entries.empty());
  CHECK(s.w.server().find("alice")->store.bytes() < before);
  CHECK(s.wire_lines("desktop", "UID EXPUNGE") + s.wire_lines("desktop", " EXPUNGE") >= 1);
}

SCENARIO("sent mail appears in Sent on every device") {
  Imap s;
  s.phone().send("bob@outside.example", "Hello", "Hi Bob");
  s.settle();
  s.desktop().check_mail();
  s.settle();
  CHECK(s.server("Sent").entries.size() == 1);
  CHECK(s.folder(s.phone(), "Sent").entries.size() == 1);
  CHECK(s.folder(s.desktop(), "Sent").entries.size() == 1);
  CHECK(s.wire_lines("phone", "APPEND \"Sent\" (\\Seen) {") == 1);
}

SCENARIO("a new device restores everything from the server") {
  Imap s;
  s.phone().read(1);
  s.settle();
  s.phone().lose();
  DeviceSpec t;
  t.name = "tablet";
  t.kind = DeviceKind::Tablet;
  t.account = "alice";
  t.password = "secret";
  s.w.add_device(t).check_mail();
  s.settle();
  const Folder& inbox = s.folder(*s.w.device("tablet"), "INBOX");
  REQUIRE(inbox.entries.size() == 2);
  CHECK(inbox.entries[0].flags.has(kSeen));
  CHECK(s.phone().store().count() == 0);
}

SCENARIO("an online-only client reads nothing offline; a caching one reads its cache and replays on reconnect") {
  World w("IMAP", Proto::IMAP, 1);
  w.add_account("alice", "secret");
  for (bool cache : {true, false}) {
    DeviceSpec d;
    d.name = cache ? "phone" : "tablet";
    d.account = "alice";
    d.password = "secret";
    d.imap.offline_cache = cache;
    w.add_device(d);
  }
  w.mail_arrives("alice", "Bob <bob@outside.example>", "Tickets", "42A");
  w.run_until(5 * kSecond);
  w.device("phone")->check_mail();
  w.device("tablet")->check_mail();
  w.run_until(20 * kSecond);
  w.device("phone")->go_offline();
  w.device("tablet")->go_offline();
  w.device("phone")->read(1);
  w.device("tablet")->read(1);
  CHECK(w.device("phone")->store().folder("INBOX")->entries.at(0).flags.has(kSeen));
  CHECK(w.device("tablet")->store().folder("INBOX")->entries.empty());
  CHECK_FALSE(w.server().find("alice")->store.folder("INBOX")->entries[0].flags.has(kSeen));
  w.run_until(40 * kSecond);
  w.device("phone")->go_online();
  w.run_until(70 * kSecond);
  CHECK(w.server().find("alice")->store.folder("INBOX")->entries[0].flags.has(kSeen));
}

namespace {

// Two devices on one account; the phone goes offline, the desktop reads, flags and deletes
// while new mail arrives, and the offline phone queues its own changes (one on a message the
// desktop deletes, one a delete of a message the desktop also deletes). Then the phone comes
// back. `condstore` is the phone's use_condstore setting.
struct Resync {
  World w{"IMAP", Proto::IMAP, 1};
  Tick back = 0;  // when the phone came back online
  explicit Resync(bool condstore) {
    w.add_account("alice", "secret");
    for (const char* n : {"phone", "desktop"}) {
      DeviceSpec d = alice_device(n);
      d.imap.use_condstore = condstore || std::string(n) == "desktop";
      w.add_device(d);
    }
    for (int i = 1; i <= 30; ++i)
      w.mail_arrives("alice", "Bob <bob@outside.example>", "Note " + std::to_string(i), "Text.");
    w.run_until(5 * kSecond);
    phone().check_mail();
    desktop().check_mail();
    w.run_until(30 * kSecond);
    phone().go_offline();
    phone().read(5);             // queued
    phone().read(3);             // queued; the desktop deletes 3 meanwhile
    phone().remove(4);           // queued move to Trash; the desktop moves it first
    desktop().read(1);
    desktop().flag(2, kFlagged, true);
    desktop().remove(3);
    desktop().remove(4);
    w.mail_arrives("alice", "Carol <carol@outside.example>", "Later", "New.");
    w.run_until(60 * kSecond);
    back = w.now();
    phone().go_online();
    w.run_until(120 * kSecond);
  }
  Device& phone() { return *w.device("phone"); }
  Device& desktop() { return *w.device("desktop"); }
  // Every folder of a store as "folder uid flags size" lines.
  static std::string dump(const Store& s) {
    std::string out;
    for (const auto& [name, f] : s.folders())
      for (const auto& e : f.entries)
        out += name + " " + std::to_string(e.uid) + " (" + flags_to_imap(e.flags) + ") " +
               std::to_string(e.size()) + "\n";
    return out;
  }
  std::size_t bytes_to_phone_since_back() {
    std::size_t n = 0;
    std::uint16_t server = w.trace().actor("server"), ph = w.trace().actor("phone");
    for (const auto& r : w.trace().records())
      if (r.kind == RecKind::Wire && r.actor == server && r.peer == ph && r.t >= back)
        n += r.text.size();
    return n;
  }
  std::size_t phone_sent_since_back(const std::string& text) {
    std::size_t n = 0;
    std::uint16_t ph = w.trace().actor("phone");
    for (const auto& r : w.trace().records())
      if (r.kind == RecKind::Wire && r.actor == ph && r.t >= back &&
          r.text.find(text) != std::string::npos)
        ++n;
    return n;
  }
  bool noted(const std::string& text) {
    for (const auto& r : w.trace().records())
      if (r.kind == RecKind::Event && r.text.find(text) != std::string::npos) return true;
    return false;
  }
};

}  // namespace

SCENARIO("a device back online resynchronises with QRESYNC to the same store as a full "
         "resynchronisation, with fewer bytes") {
  Resync q(true), full(false);
  // The same end state on the server and on the phone, whichever way the phone resynced.
  CHECK(Resync::dump(q.phone().store()) == Resync::dump(full.phone().store()));
  CHECK(Resync::dump(q.w.server().find("alice")->store) ==
        Resync::dump(full.w.server().find("alice")->store));
  CHECK(Resync::dump(q.phone().store()) == Resync::dump(q.desktop().store()));
  const Folder& inbox = *q.phone().store().folder("INBOX");
  REQUIRE(inbox.entries.size() == 29);  // 30 - 2 moved to Trash + 1 new
  CHECK(inbox.entries[0].flags.has(kSeen));
  CHECK(inbox.entries[1].flags.has(kFlagged));
  CHECK(inbox.entries[2].uid == 5);
  CHECK(inbox.entries[2].flags.has(kSeen));  // the phone's queued read reached the server
  CHECK(q.w.server().find("alice")->store.folder("Trash")->entries.size() == 2);
  // QRESYNC: the phone names what it holds; the server answers with the difference only.
  CHECK(q.phone_sent_since_back("SELECT \"INBOX\" (QRESYNC (") == 1);
  CHECK(q.phone_sent_since_back("UID FETCH 1:* (FLAGS)\r\n") == 0);
  CHECK(full.phone_sent_since_back("UID FETCH 1:* (FLAGS)\r\n") >= 1);
  CHECK(q.bytes_to_phone_since_back() < full.bytes_to_phone_since_back());
  // RFC 4549: the queued actions on messages the desktop removed are dropped, saying why.
  CHECK(q.noted("queued flag change on UID 3 in INBOX dropped: the message was expunged on the "
                "server (by another device) while this device was offline"));
  CHECK(q.noted("queued move on UID 4 in INBOX dropped: the message was expunged"));
  CHECK(q.phone_sent_since_back("UID MOVE 4") == 0);
  CHECK(full.noted("queued flag change on UID 3 in INBOX dropped: the message had been expunged"));
  CHECK(full.noted("UID 4 was no longer in INBOX on the server (another device moved or deleted "
                   "it): the queued move did nothing and is dropped"));
  // The desktop's own moves moved something: nothing to note there.
  CHECK_FALSE(full.noted("UID 3 was no longer in INBOX"));
  CHECK_FALSE(q.noted("UID 3 was no longer in INBOX"));
}
