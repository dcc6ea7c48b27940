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
   "depends on 'leave on server' (on in this app; off: nothing to share: no device but the " \
   "phone held message 1 and the server kept no copy)"}
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
     "depends on 'place a copy in Sent on the server' (on in this app; off: not saved: neither "
     "the server's Sent nor the phone's held a copy)", "saved on the computer", ""},
    {"sent mail", "ios-mail", "saved on the server",
     "depends on 'place a copy in Sent on the server' (on in this app; off: not saved: neither "
     "the server's Sent nor the phone's held a copy)", "saved on the computer", ""},
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
// A POP3 app reads offline whatever it downloaded whole, whatever its leave-on-server
// setting (RFC 1939: RETR hands the client the whole message; nothing later needs the
// server); what it holds as headers only (TOP, RFC 1939 section 7) needs a connection. So does
// an IMAP message whose body a caching app fetches only when it is read (RFC 3501 6.4.5,
// BODY.PEEK[HEADER] first). Thunderbird's offline_download (mailnews.js) keeps bodies.
#define OFFLINE(p)                                                                          \
  {"access without Internet", p, "yes",                                                     \
   "depends on 'keep messages on this device (offline cache)' (on in this app; off, as in " \
   "webmail: no, needs a connection); and on 'download bodies only when read' (off in "     \
   "this app; on: no, needs a connection)",                                                 \
   "yes", "depends on 'download headers only' (off in this app; on: no, needs a connection)"}
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
    // Turning the cache on alone does not help a webmail that fetches bodies only when read.
    {"access without Internet", "webmail", "no, needs a connection", "",
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
  // Each cell of an app links to the lesson run with that app's defaults at the deciding step
  // (step 2 of mail-storage, "Where is the mail now?"), as the GUI's cell opens it.
  const std::string link =
      "<br><a href=\"index.html?lesson=mail-storage&amp;profile=thunderbird&amp;step=2\" "
      "title=\"mailscope --lesson mail-storage --profile thunderbird --step 2\">Open mail-storage "
      "with Thunderbird, step 2</a>";
  CHECK_THAT(h, Catch::Contains(
                    "<tr><th scope=\"row\">Thunderbird</th><td>resides on the server" + link +
                    "</td><td>downloaded to the computer; a copy stays on the server<br><em>"
                    "depends on &#39;leave on server&#39; (on in this app; off: resides on the "
                    "computer)</em>" + link + "</td></tr>"));
  // An app without the world's protocol has no run to link to.
  CHECK_THAT(h, Catch::Contains("<td>Webmail does not use POP3</td></tr>"));
}

SCENARIO("every per-app cell of the HTML table links to its lesson with the app at the "
         "deciding step", "[table][apps]") {
  const std::vector<ms::TableRow> textbook = ms::compute_table(kLessons);
  const std::vector<ms::AppTableRow> apps = ms::compute_app_table(kLessons, textbook);
  const std::string html = ms::format_table_html(textbook, apps, false);
  std::size_t links = 0;
  for (const ms::AppTableRow& r : apps)
    for (const ms::AppAnswer& a : r.apps)
      for (const ms::AppCell* c : {&a.imap, &a.pop3}) {
        if (!c->used) continue;
        INFO(r.row << ", " << a.profile);
        REQUIRE(c->cell.step > 0);
        const std::string href = "<a href=\"index.html?lesson=" + r.lesson + "&amp;profile=" +
                                 a.profile + "&amp;step=" + std::to_string(c->cell.step) + "\"";
        CHECK_THAT(html, Catch::Contains(href));
        ++links;
      }
  // Six rows, six apps, two worlds, less the six POP3 cells of the webmail.
  CHECK(links == 6 * 6 * 2 - 6);
  // The per-app table's own links, not the textbook table's (which has none).
  std::size_t found = 0;
  for (std::size_t at = html.find("<a href=\"index.html?"); at != std::string::npos;
       at = html.find("<a href=\"index.html?", at + 1))
    ++found;
  CHECK(found == links);
}

SCENARIO("a POP3 app reads offline what it downloaded whole, whatever its leave-on-server "
         "setting", "[table][apps]") {
  ms::Lesson L = ms::load_lesson(kLessons + "/offline-access.json");
  REQUIRE(ms::apply_profile(L, "thunderbird"));
  GIVEN("'leave on server' off: the phone's download removes the mail before the tablet checks") {
    for (auto& d : L.devices) d.pop3.leave_on_server = false;
    const auto row = ms::decide_row("access without Internet", ms::run_lesson(L));
    REQUIRE(row);
    THEN("the phone reads offline, and the tablet's read of mail it never got is not counted") {
      CHECK(row->pop3.phrase == "yes");
      CHECK_THAT(row->pop3.evidence, Catch::Contains("offline, the phone held 2 messages and "
                                                     "read message 1"));
      CHECK_THAT(row->pop3.evidence,
                 Catch::Contains("offline, the tablet held 0 messages and could not read "
                                 "message 1, which it never had: the server no longer held it, "
                                 "so a connection would not have helped (not counted)"));
    }
  }
  GIVEN("'download headers only' on: the devices hold headers, the bodies stay on the server") {
    for (auto& d : L.devices) d.pop3.headers_first = true;
    const auto row = ms::decide_row("access without Internet", ms::run_lesson(L));
    REQUIRE(row);
    THEN("a message marked read offline was not readable: its text needs a connection") {
      CHECK(row->pop3.phrase == "no, needs a connection");
      CHECK_THAT(row->pop3.evidence, Catch::Contains("could not read message 1 (it held only "
                                                     "its headers)"));
    }
  }
}
