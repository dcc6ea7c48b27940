// The comparison table "with your mail app": each row's lesson run again with each mail app's
// defaults, and the setting each cell depends on found by runs with it flipped. These tests
// hold it to a reference (typed in here and nowhere in sim/) and check that a cell follows a
// setting that changes what happens.
#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "export/handout.hpp"
#include "lesson/table.hpp"
#include "run_cli.hpp"

namespace {
const std::string kLessons = std::string(MAILSCOPE_SOURCE_DIR) + "/lessons";

struct AppExpected {
  const char* row;
  const char* profile;
  const char* imap;
  const char* imap_condition;
  const char* pop3;
  const char* pop3_condition;
};

// What each app's defaults do in each row's lesson. Thunderbird, Thunderbird for Android, Apple
// Mail, Mail on iOS and Outlook all leave POP3 mail on the server and cache IMAP mail, so the textbook's POP3
// "resides on the computer", "disaster recovery: no" and IMAP "needs a connection" hold for
// none of them; the condition names the setting that would make them hold.
const AppExpected kAppReference[] = {
#define STORAGE(p)                                                                          \
  {"mail storage", p, "resides on the server", "",                                          \
   "downloaded to the computer; a copy stays on the server",                                \
   "depends on 'leave on server' (on in this app; off: resides on the computer)"}
    STORAGE("thunderbird"), STORAGE("thunderbird-android"), STORAGE("apple-mail"), STORAGE("ios-mail"),
    STORAGE("outlook"),
#undef STORAGE
#define SYNC(p)                                                                             \
  {"synchronisation", p, "yes, across all devices", "", "no",                               \
   "depends on 'leave on server' (on in this app; off: unclear: no other device held the "  \
   "message)"}
    SYNC("thunderbird"), SYNC("thunderbird-android"), SYNC("apple-mail"), SYNC("ios-mail"),
    SYNC("outlook"),
#undef SYNC
#define SENT(p)                                                                             \
  {"sent mail", p, "saved on the server",                                                   \
   "depends on 'place a copy in Sent on the server' (on in this app; off: saved on the "    \
   "computer)",                                                                             \
   "saved on the computer", ""}
    SENT("thunderbird"), SENT("apple-mail"), SENT("outlook"),
    // The phone apps keep no local Sent copy of their own when uploading is turned off.
    {"sent mail", "thunderbird-android", "saved on the server",
     "depends on 'place a copy in Sent on the server' (on in this app; off: unclear: no saved "
     "copy seen)", "saved on the computer", ""},
    {"sent mail", "ios-mail", "saved on the server",
     "depends on 'place a copy in Sent on the server' (on in this app; off: unclear: no saved "
     "copy seen)", "saved on the computer", ""},
#undef SENT
#define DELETED_IMAP                                                                        \
  "moved to Trash; emptying Trash frees server storage",                                    \
      "depends on 'move deleted messages to Trash' (on in this app; off: removed from the " \
      "computer and the server at once; server storage freed)"
#define DELETED_LEAVE                                                                       \
  "depends on 'leave on server' (on in this app; off: removed from the computer; the "      \
  "server had deleted its copy at download); and on 'delete on the server when deleted "    \
  "locally' "
    // Thunderbird deletes on the server at its next check; the others leave it there.
    {"deleted mail", "thunderbird", DELETED_IMAP,
     "removed from the computer, then from the server at the app's next check",
     DELETED_LEAVE "(on in this app; off: removed from the computer; server storage not freed)"},
#define DELETED(p)                                                                          \
  {"deleted mail", p, DELETED_IMAP, "removed from the computer; server storage not freed",  \
   DELETED_LEAVE "(off in this app; on: removed from the computer, then from the server at "\
                 "the app's next check)"}
    DELETED("thunderbird-android"), DELETED("ios-mail"), DELETED("apple-mail"), DELETED("outlook"),
    {"deleted mail", "webmail", DELETED_IMAP, "Webmail does not use POP3", ""},
#undef DELETED
#undef DELETED_LEAVE
#undef DELETED_IMAP
#define RECOVERY(p)                                                                         \
  {"disaster recovery", p, "yes", "", "yes",                                                \
   "depends on 'leave on server' (on in this app; off: no)"}
    RECOVERY("thunderbird"), RECOVERY("thunderbird-android"), RECOVERY("apple-mail"), RECOVERY("ios-mail"),
    RECOVERY("outlook"),
#undef RECOVERY
#define OFFLINE(p)                                                                          \
  {"access without Internet", p, "yes",                                                     \
   "depends on 'keep messages on this device (offline cache)' (on in this app; off, as in " \
   "webmail: no, needs a connection)",                                                      \
   "yes", "depends on 'leave on server' (on in this app; off: no, needs a connection)"}
    OFFLINE("thunderbird"), OFFLINE("thunderbird-android"), OFFLINE("apple-mail"), OFFLINE("ios-mail"),
    OFFLINE("outlook"),
#undef OFFLINE
    // A webmail is online only and speaks no POP3: its POP3 cells say so, and its IMAP cells
    // are the textbook's, "needs a connection" included.
    {"mail storage", "webmail", "resides on the server", "", "Webmail does not use POP3", ""},
    {"synchronisation", "webmail", "yes, across all devices", "", "Webmail does not use POP3", ""},
    {"sent mail", "webmail", "saved on the server",
     "depends on 'place a copy in Sent on the server' (on in this app; off: saved on the "
     "computer)", "Webmail does not use POP3", ""},
    {"disaster recovery", "webmail", "yes", "", "Webmail does not use POP3", ""},
    {"access without Internet", "webmail", "no, needs a connection",
     "depends on 'keep messages on this device (offline cache)' (off in this app; on: yes)",
     "Webmail does not use POP3", ""},
};

}  // namespace

SCENARIO("every app's cell of every row, run with the app's defaults, matches the reference",
         "[table][apps]") {
  const std::vector<ms::TableRow> textbook = ms::compute_table(kLessons);
  const std::vector<ms::AppTableRow> apps = ms::compute_app_table(kLessons, textbook);
  REQUIRE(apps.size() == textbook.size());
  std::size_t held = 0;
  for (std::size_t i = 0; i < apps.size(); ++i) {
    const ms::AppTableRow& r = apps[i];
    CHECK(r.row == textbook[i].row);
    CHECK(r.lesson == textbook[i].lesson);
    for (const ms::AppAnswer& a : r.apps) {
      INFO("row " << r.row << ", app " << a.profile << "; IMAP: " << a.imap.cell.evidence
                  << "; POP3: " << a.pop3.cell.evidence);
      const auto it = std::find_if(std::begin(kAppReference), std::end(kAppReference),
                                   [&](const AppExpected& x) {
                                     return r.row == x.row && a.profile == x.profile;
                                   });
      // A profile added to the table must be added to the reference too.
      REQUIRE(it != std::end(kAppReference));
      ++held;
      CHECK(a.imap.cell.phrase == it->imap);
      CHECK(a.imap.condition == it->imap_condition);
      CHECK(a.pop3.cell.phrase == it->pop3);
      CHECK(a.pop3.condition == it->pop3_condition);
      // A cell the app has a run for says what the run showed; one for a protocol the app
      // does not speak has no run, and says only that.
      CHECK(a.imap.cell.evidence.empty() == !a.imap.used);
      CHECK(a.pop3.cell.evidence.empty() == !a.pop3.used);
      CHECK(a.pop3.used == (a.profile != "webmail"));
    }
  }
  // Every reference entry was met: no profile or row silently dropped out of the table.
  CHECK(held == std::size(kAppReference));
}

SCENARIO("the per-app rows say how the apps agree", "[table][apps]") {
  const std::vector<std::string> four = {"thunderbird", "k9", "apple-mail", "outlook"};
  const std::vector<ms::AppTableRow> apps =
      ms::compute_app_table(kLessons, ms::compute_table(kLessons), four);
  REQUIRE(apps.size() == 6);
  CHECK(apps[0].pop3_summary ==
        "downloaded to the computer; a copy stays on the server with every app");
  CHECK(apps[3].pop3_summary ==
        "removed from the computer, then from the server at the app's next check with "
        "Thunderbird; removed from the computer; server storage not freed with Thunderbird for "
        "Android, Apple Mail, Outlook");
  CHECK(apps[5].imap_summary == "yes with every app");
  GIVEN("a profile list with an id that no preset has (yet)") {
    ms::Lesson L = ms::load_lesson(kLessons + "/offline-access.json");
    const auto row = ms::decide_app_row("access without Internet", L, {"thunderbird", "nosuch"});
    REQUIRE(row);
    THEN("that id is skipped") {
      REQUIRE(row->apps.size() == 1);
      CHECK(row->apps[0].title == "Thunderbird");
    }
  }
}

SCENARIO("a per-app cell follows the app's setting when it changes what happens", "[table][apps]") {
  GIVEN("the mail-storage lesson with Thunderbird's defaults") {
    ms::Lesson L = ms::load_lesson(kLessons + "/mail-storage.json");
    REQUIRE(ms::apply_profile(L, "thunderbird"));
    const auto row = ms::decide_row("mail storage", ms::run_lesson(L));
    REQUIRE(row);
    CHECK(row->pop3.phrase == "downloaded to the computer; a copy stays on the server");
    WHEN("a copy of the profile has 'leave on server' turned off") {
      for (auto& d : L.devices) d.pop3.leave_on_server = false;
      const auto off = ms::decide_row("mail storage", ms::run_lesson(L));
      REQUIRE(off);
      THEN("the POP3 cell says the mail resides on the computer, the textbook's answer") {
        CHECK(off->pop3.phrase == "resides on the computer");
        CHECK(off->imap.phrase == row->imap.phrase);
      }
    }
  }
  GIVEN("the offline lesson with Thunderbird's defaults") {
    ms::Lesson L = ms::load_lesson(kLessons + "/offline-access.json");
    REQUIRE(ms::apply_profile(L, "thunderbird"));
    const auto row = ms::decide_row("access without Internet", ms::run_lesson(L));
    REQUIRE(row);
    CHECK(row->imap.phrase == "yes");
    WHEN("the profile's IMAP client is made online-only, as webmail is") {
      for (auto& d : L.devices) d.imap.offline_cache = false;
      const auto off = ms::decide_row("access without Internet", ms::run_lesson(L));
      REQUIRE(off);
      THEN("the IMAP cell says it needs a connection") {
        CHECK(off->imap.phrase == "no, needs a connection");
      }
    }
  }
  GIVEN("the deleted-mail lesson with Thunderbird's defaults") {
    ms::Lesson L = ms::load_lesson(kLessons + "/deleted-mail.json");
    REQUIRE(ms::apply_profile(L, "thunderbird"));
    const auto row = ms::decide_row("deleted mail", ms::run_lesson(L));
    REQUIRE(row);
    CHECK(row->pop3.phrase ==
          "removed from the computer, then from the server at the app's next check");
    WHEN("'delete on the server when deleted locally' is turned off") {
      for (auto& d : L.devices) d.pop3.delete_when_deleted_locally = false;
      const auto off = ms::decide_row("deleted mail", ms::run_lesson(L));
      REQUIRE(off);
      THEN("the POP3 cell says server storage is not freed") {
        CHECK(off->pop3.phrase == "removed from the computer; server storage not freed");
      }
    }
  }
}

SCENARIO("a profile is applied to every client device of a lesson", "[table][apps]") {
  ms::Lesson L = ms::load_lesson(kLessons + "/disaster-recovery.json");
  const ms::Lesson before = L;
  GIVEN("an unknown profile") {
    THEN("it is refused and the lesson is unchanged") {
      CHECK_FALSE(ms::apply_profile(L, "nosuch"));
      CHECK(L.devices[0].pop3.leave_on_server == before.devices[0].pop3.leave_on_server);
      CHECK(L.duration == before.duration);
    }
  }
  GIVEN("Thunderbird's profile") {
    REQUIRE(ms::apply_profile(L, "thunderbird"));
    THEN("the devices set up and the device the script adds all get its settings") {
      CHECK(L.devices[0].pop3.leave_on_server);
      CHECK(L.devices[0].pop3.delete_after_days == 14);
      CHECK(L.devices[0].client == "Thunderbird");
      const auto added = std::find_if(L.script.begin(), L.script.end(),
                                      [](const auto& a) { return a.what == "add device"; });
      REQUIRE(added != L.script.end());
      CHECK(added->new_device.pop3.leave_on_server);
      CHECK(added->new_device.client == "Thunderbird");
    }
    THEN("the run lasts until the app checked mail on its own every-10-minutes schedule") {
      CHECK(L.duration == 2 * ms::kMinute + 11 * ms::kMinute);
    }
  }
}

SCENARIO("the table's profile list names the apps of the profiles file", "[table][apps]") {
  const auto& ids = ms::table_profile_ids();
  CHECK(ids == std::vector<std::string>{"thunderbird", "thunderbird-android", "apple-mail",
                                        "ios-mail", "outlook", "webmail"});
  // An alias would repeat an app; Gmail's POP server modes are a server's, not an app's.
  CHECK(std::find(ids.begin(), ids.end(), "k9") == ids.end());
  CHECK(std::find(ids.begin(), ids.end(), "gmail-pop") == ids.end());
}

SCENARIO("mailscope-cli table shows the textbook answer, then each app's", "[table][apps][process]") {
  auto md = ms_test::run_cli("table", false);
  REQUIRE(md.code == 0);
  CHECK_THAT(md.out, Catch::StartsWith("## The textbook answer\n\n"));
  CHECK_THAT(md.out, Catch::Contains("| mail storage | resides on the server | resides on the "
                                     "computer |\n"));
  CHECK_THAT(md.out, Catch::Contains("\n## With your mail app\n"));
  CHECK_THAT(md.out, Catch::Contains(
                         "| Thunderbird | resides on the server | downloaded to the computer; a "
                         "copy stays on the server; depends on 'leave on server' (on in this "
                         "app; off: resides on the computer) |\n"));

  auto ex = ms_test::run_cli("table --explain --profile k9", false);
  REQUIRE(ex.code == 0);
  CHECK_THAT(ex.out, Catch::Contains("- Thunderbird for Android (`mailscope-cli run mail-storage --profile k9`)"));
  CHECK_THAT(ex.out, Catch::Contains("| all apps |"));
  CHECK(ex.out.find("| Thunderbird |") == std::string::npos);

  auto js = ms_test::run_cli("table --format json", false);
  REQUIRE(js.code == 0);
  const nlohmann::json j = nlohmann::json::parse(js.out);
  REQUIRE(j.size() == 6);
  // One entry per profile the table runs that this build's presets know.
  std::size_t known = 0;
  for (const std::string& id : ms::table_profile_ids()) {
    ms::Pop3Policy p;
    ms::ImapPolicy i;
    known += ms::apply_client_preset(id, p, i);
  }
  REQUIRE(j[0]["apps"].size() == known);
  CHECK(j[0]["apps"][0]["profile"] == "thunderbird");
  CHECK(j[0]["apps"][0]["pop3"]["phrase"] ==
        "downloaded to the computer; a copy stays on the server");
  CHECK(j[0]["apps"][0]["pop3"]["condition"] ==
        "depends on 'leave on server' (on in this app; off: resides on the computer)");
  CHECK(j[5]["summary"]["imap"].is_string());

  auto html = ms_test::run_cli("table --format html", false);
  REQUIRE(html.code == 0);
  CHECK_THAT(html.out, Catch::Contains("<h2>The textbook answer</h2>"));
  CHECK_THAT(html.out, Catch::Contains("<h2>With your mail app</h2>"));
  CHECK_THAT(html.out, Catch::Contains("<th scope=\"row\">Outlook</th>"));

  CHECK(ms_test::run_cli("table --profile nosuch").code == 2);
  CHECK(ms_test::run_cli("table --profile").code == 2);
}

SCENARIO("mailscope-cli run --profile runs a lesson with a mail app's defaults",
         "[table][apps][process]") {
  auto plain = ms_test::run_cli("run mail-storage", false);
  auto tb = ms_test::run_cli("run mail-storage --profile thunderbird", false);
  // The lesson's own POP3 phone deletes after download; Thunderbird leaves mail on the server.
  CHECK_THAT(plain.out, Catch::Contains("DELE 1"));
  CHECK_THAT(tb.out, !Catch::Contains("DELE 1"));
  CHECK_THAT(tb.out, Catch::Contains("UIDL"));
  // ...so the lesson's own claim about the POP3 server fails with it, and the run says so.
  CHECK(plain.code == 0);
  CHECK(tb.code == 1);
  CHECK_THAT(tb.out, Catch::Contains("FAIL  [POP3] step 3 at 00:00:15.000: after the phone "
                                     "downloaded, the POP3 server holds no mail"));
  auto bad = ms_test::run_cli("run mail-storage --profile nosuch");
  CHECK(bad.code == 2);
  CHECK_THAT(bad.out, Catch::Contains("unknown profile 'nosuch'"));
}

SCENARIO("a lesson's handout shows its row's textbook answer and each app's", "[table][apps]") {
  const ms::LessonRun run = ms::run_lesson(ms::load_lesson(kLessons + "/mail-storage.json"));
  const std::string h = ms::lesson_handout_html(run, ms::decide_rows(run));
  CHECK_THAT(h, Catch::Contains("<h3>The textbook answer</h3>"));
  CHECK_THAT(h, Catch::Contains("<td>resides on the computer"));
  CHECK_THAT(h, Catch::Contains("<h3>With your mail app</h3>"));
  CHECK_THAT(h, Catch::Contains(
                    "<tr><th scope=\"row\">Thunderbird</th><td>resides on the server</td><td>"
                    "downloaded to the computer; a copy stays on the server<br><em>depends on "
                    "&#39;leave on server&#39; (on in this app; off: resides on the computer)"
                    "</em></td></tr>"));
}
