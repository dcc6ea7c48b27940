// The scenario actions added for the everyday-questions lessons (lessons/README.md, "Actions
// for everyday questions" and "Actions for moving from POP3 to IMAP"): server files, open
// folder, link drops; the fields of move to IMAP and upload folder (their runs:
// moving_to_imap_test.cpp).
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "lesson/lesson.hpp"
#include "lesson_errors.hpp"
#include "world/device.hpp"

using namespace ms;

namespace {
std::string lesson_with(const std::string& script) {
  return R"({"id": "t", "title": "T",
    "accounts": [{"name": "alice", "password": "secret"}],
    "devices": [{"name": "phone", "kind": "phone", "pop3": {"leave_on_server": true}}],
    "script": [)" + script + "]}";
}
using ms_test::error_of;
std::size_t count(World& w, const std::string& where, const std::string& folder) {
  const Store& s = where == "server" ? w.server().find("alice")->store : w.device(where)->store();
  const Folder* f = s.folder(folder);
  return f ? f->entries.size() : 0;
}
const char* kJunkScript = R"(
  {"at": "0s", "do": "mail arrives", "subject": "Lunch"},
  {"at": "1s", "do": "mail arrives", "subject": "Parcel"},
  {"at": "3s", "do": "server files", "message": 2, "folder": "Junk"},
  {"at": "5s", "device": "phone", "do": "check mail"},
  {"at": "20s", "device": "phone", "do": "open folder", "folder": "Junk"})";
}  // namespace

SCENARIO("a server rule files a message into Junk without a byte on the wire") {
  Lesson L = parse_lesson(lesson_with(kJunkScript), "t.json");
  REQUIRE(L.script[2].what == "server files");
  CHECK(L.script[2].text == "Junk");
  CHECK(L.script[2].to == "alice");
  CHECK(L.script[2].describe() == "server files message 2 into Junk");
  for (Proto p : {Proto::POP3, Proto::IMAP}) {
    auto w = build_world(L, p, 1);
    w->run_until(3 * kSecond - 1);
    std::size_t before = w->trace().records().size();
    w->run_until(3 * kSecond);
    THEN("message 2 leaves INBOX for Junk on the server, and the trace holds no wire record") {
      CHECK(count(*w, "server", "INBOX") == 1);
      CHECK(count(*w, "server", "Junk") == 1);
      const auto& recs = w->trace().records();
      CHECK(recs.size() > before);
      for (std::size_t i = before; i < recs.size(); ++i) CHECK(recs[i].kind != RecKind::Wire);
    }
  }
}

SCENARIO("opening Junk shows the filed message with IMAP and nothing with POP3") {
  Lesson L = parse_lesson(lesson_with(kJunkScript), "t.json");
  auto pop3 = build_world(L, Proto::POP3, 1);
  auto imap = build_world(L, Proto::IMAP, 1);
  pop3->run_until(kMinute);
  imap->run_until(kMinute);
  CHECK(count(*pop3, "phone", "INBOX") == 1);
  CHECK(count(*imap, "phone", "INBOX") == 1);
  THEN("the IMAP phone SELECTed Junk and holds message 2 there") {
    CHECK(count(*imap, "phone", "Junk") == 1);
    bool selected = false;
    for (const Record& r : imap->trace().records()) {
      selected |= r.kind == RecKind::Wire && r.text.find("SELECT \"Junk\"") != std::string::npos;
    }
    CHECK(selected);
  }
  THEN("the POP3 phone has only an empty local Junk folder and the server keeps message 2") {
    CHECK(count(*pop3, "phone", "Junk") == 0);
    CHECK(count(*pop3, "server", "Junk") == 1);
  }
}

SCENARIO("a POP3 link that drops before QUIT leaves every DELE undone (RFC 1939 section 6)") {
  // A large second message keeps the session busy long enough for the drop to land between
  // the first DELE and the QUIT.
  Lesson L = parse_lesson(R"({"id": "t", "title": "T",
    "accounts": [{"name": "alice", "password": "secret"}],
    "devices": [{"name": "phone", "kind": "phone", "link": {"preset": "mobile"}}],
    "script": [
      {"at": "0s", "do": "mail arrives", "subject": "Small"},
      {"at": "1s", "do": "mail arrives", "subject": "Big", "attachment_kb": 600},
      {"at": "10s", "device": "phone", "do": "check mail"},
      {"at": "11500ms", "device": "phone", "do": "link drops"}]})", "t.json");
  auto w = build_world(L, Proto::POP3, 1);
  w->run_until(kMinute);
  bool dele = false, quit = false;
  for (const Record& r : w->trace().records()) {
    if (r.kind != RecKind::Wire || r.proto != Proto::POP3) continue;
    dele |= r.text.rfind("DELE 1", 0) == 0;
    quit |= r.text.rfind("QUIT", 0) == 0;
  }
  CHECK(dele);
  CHECK_FALSE(quit);
  THEN("the server still holds both messages and the phone is back online") {
    CHECK(count(*w, "server", "INBOX") == 2);
    CHECK(w->device("phone")->online());
  }
}

SCENARIO("the new actions' fields are checked, with the field named") {
  CHECK(error_of(lesson_with(R"({"at": "1s", "do": "server files", "message": 1, "folder": "Spam"})"))
            .find("field 'script.0.folder': the server has no folder 'Spam'") != std::string::npos);
  CHECK(error_of(lesson_with(R"({"at": "1s", "do": "server files", "folder": "Junk"})"))
            .find("script.0") != std::string::npos);
  CHECK(error_of(lesson_with(R"({"at": "1s", "do": "open folder", "device": "phone", "folder": "INBOX"})"))
            .find("field 'script.0.folder': name a folder other than INBOX") != std::string::npos);
  CHECK(error_of(lesson_with(R"({"at": "1s", "do": "link drops"})"))
            .find("'link drops' needs a 'device'") != std::string::npos);
  CHECK(error_of(lesson_with(R"({"at": "1s", "do": "link drops", "device": "tablet"})"))
            .find("unknown device 'tablet'") != std::string::npos);
}

SCENARIO("a lesson's move to IMAP and upload folder are checked where they are written") {
  CHECK(error_of(lesson_with(R"({"at": "1s", "device": "phone", "do": "upload folder"})")) ==
        "bad.json:4:16: field 'script.0': missing required field 'from'");
  CHECK(error_of(lesson_with(R"({"at": "1s", "device": "phone", "do": "upload folder",
      "from": "POP3 Inbox", "folder": "Archive"})")) ==
        "bad.json:5:39: field 'script.0.folder': the server has no folder 'Archive' (INBOX, "
        "Drafts, Sent, Junk, Trash)");
  CHECK(error_of(lesson_with(R"({"at": "1s", "device": "phone", "do": "move to IMAP"},
      {"at": "2s", "device": "phone", "do": "move to IMAP"})")) ==
        "bad.json:5:30: field 'script.1.device': 'phone' already moves to IMAP earlier");
  CHECK(error_of(lesson_with(R"({"at": "1s", "do": "add device", "new": {"name": "laptop",
      "kind": "laptop"}}, {"at": "2s", "device": "laptop", "do": "move to IMAP"})")) ==
        "bad.json:5:50: field 'script.1.device': 'laptop' is added during the run; only a device "
        "listed under 'devices' can move to IMAP");
  Lesson L = parse_lesson(lesson_with(R"({"at": "1s", "device": "phone", "do": "upload folder",
      "from": "POP3 Inbox"})"), "t.json");
  CHECK(L.script[0].from == "POP3 Inbox");
  CHECK(L.script[0].text == "INBOX");
  CHECK(L.script[0].describe() == "phone: upload folder POP3 Inbox into INBOX");
}

SCENARIO("push-on-phones states the connections and bytes its trace counts") {
  // The lesson's last step quotes these numbers; a change to the engines that changes them
  // must change the lesson's text too.
  LessonRun run = run_lesson(load_lesson(std::string(MAILSCOPE_SOURCE_DIR) +
                                         "/lessons/push-on-phones.json"));
  REQUIRE(run.all_pass());
  struct Cost {
    std::set<std::uint32_t> conns;
    std::size_t bytes = 0;
  };
  auto cost = [](World& w, const std::string& device) {
    Cost c;
    const std::uint16_t id = w.trace().actor(device);
    for (const Record& r : w.trace().records())
      if (r.kind == RecKind::Wire && r.t < 24 * kMinute && (r.actor == id || r.peer == id) &&
          (r.proto == Proto::POP3 || r.proto == Proto::IMAP)) {
        c.conns.insert(r.conn);
        c.bytes += r.text.size();
      }
    return c;
  };
  World& pop3 = *run.worlds[0].world;
  World& imap = *run.worlds[1].world;
  CHECK(cost(imap, "phone").conns.size() == 1);
  CHECK(cost(imap, "phone").bytes == 6803);
  CHECK(cost(imap, "tablet").conns.size() == 2);
  CHECK(cost(imap, "tablet").bytes == 4603);
  CHECK(cost(pop3, "phone").conns.size() == 2);
  CHECK(cost(pop3, "phone").bytes == 1318);
  CHECK(cost(pop3, "tablet").conns.size() == 2);
  CHECK(cost(pop3, "tablet").bytes == 1303);
}
