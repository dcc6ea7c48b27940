// The comparison table is decided from simulation runs; these tests hold it to the reference
// table. The phrases below are the reference's, typed in again rather than taken from
// sim/lesson/table.cpp, so that changing a cell's wording takes a change here too.
#include "lesson/table.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "run_cli.hpp"

namespace {
const std::string kLessons = std::string(MAILSCOPE_SOURCE_DIR) + "/lessons";

struct Expected {
  const char* row;
  const char* imap;
  const char* pop3;
};
const Expected kReference[] = {
    {"mail storage", "resides on the server", "resides on the computer"},
    {"synchronisation", "yes, across all devices", "no"},
    {"sent mail", "saved on the server", "saved on the computer"},
    {"deleted mail", "moved to Trash; emptying Trash frees server storage",
     "removed from the computer; server storage not freed"},
    {"disaster recovery", "yes", "no"},
    {"access without Internet", "no, needs a connection", "yes"},
};
}  // namespace

SCENARIO("every cell of the comparison table, decided from the runs, matches the reference",
         "[table]") {
  std::vector<ms::TableRow> rows = ms::compute_table(kLessons);
  REQUIRE(rows.size() == std::size(kReference));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    INFO("row " << kReference[i].row << "; IMAP evidence: " << rows[i].imap.evidence
                << "; POP3 evidence: " << rows[i].pop3.evidence);
    CHECK(rows[i].row == kReference[i].row);
    CHECK(rows[i].imap.phrase == kReference[i].imap);
    CHECK(rows[i].pop3.phrase == kReference[i].pop3);
    CHECK_FALSE(rows[i].imap.evidence.empty());
    CHECK_FALSE(rows[i].pop3.evidence.empty());
  }
}

SCENARIO("a table cell follows the observed outcome, not the lesson's name", "[table]") {
  GIVEN("the mail-storage lesson with the POP3 phone checking while the mail is still arriving") {
    ms::Lesson L = ms::load_lesson(kLessons + "/mail-storage.json");
    L.script.back().at = 1;
    ms::LessonRun run = ms::run_lesson(L);
    auto row = ms::decide_row("mail storage", run);
    REQUIRE(row);
    THEN("the POP3 cell describes what was seen: the server kept two, the phone took one") {
      CHECK(row->pop3.phrase == "unclear: server 2 of 3, device 1");
    }
  }
  GIVEN("the deleted-mail lesson with the IMAP desktop removing messages immediately") {
    ms::Lesson L = ms::load_lesson(kLessons + "/deleted-mail.json");
    L.devices[0].imap.on_delete = ms::ImapPolicy::OnDelete::RemoveImmediately;
    auto row = ms::decide_row("deleted mail", ms::run_lesson(L));
    REQUIRE(row);
    THEN("the IMAP cell no longer says the message went to Trash, but that it went at once") {
      CHECK(row->imap.phrase ==
            "removed from the computer and the server at once; server storage freed");
    }
  }
  GIVEN("the sent-mail lesson with the IMAP phone not placing a copy in Sent") {
    ms::Lesson L = ms::load_lesson(kLessons + "/sent-mail.json");
    L.devices[0].imap.save_sent_on_server = false;
    auto row = ms::decide_row("sent mail", ms::run_lesson(L));
    REQUIRE(row);
    THEN("the IMAP cell no longer says the server keeps it") {
      CHECK(row->imap.phrase != "saved on the server");
      CHECK_THAT(row->imap.evidence, Catch::Contains("the server's Sent did not hold a copy"));
    }
  }
  GIVEN("the disaster-recovery lesson with the POP3 laptop leaving mail on the server") {
    ms::Lesson L = ms::load_lesson(kLessons + "/disaster-recovery.json");
    L.devices[0].pop3.leave_on_server = true;
    L.script.back().new_device.pop3.leave_on_server = true;
    auto row = ms::decide_row("disaster recovery", ms::run_lesson(L));
    REQUIRE(row);
    THEN("the new POP3 tablet gets the mail back, and the POP3 cell says so") {
      CHECK(row->pop3.phrase == "yes");
    }
  }
  GIVEN("the offline lesson with the IMAP tablet caching mail too") {
    ms::Lesson L = ms::load_lesson(kLessons + "/offline-access.json");
    for (auto& d : L.devices) d.imap.offline_cache = true;
    auto row = ms::decide_row("access without Internet", ms::run_lesson(L));
    REQUIRE(row);
    THEN("every IMAP client could read offline, so the IMAP cell says yes") {
      CHECK(row->imap.phrase == "yes");
    }
  }
}

SCENARIO("the evidence for a cell states what was observed", "[table]") {
  ms::LessonRun run = ms::run_lesson(ms::load_lesson(kLessons + "/mail-storage.json"));
  auto row = ms::decide_row("mail storage", run);
  REQUIRE(row);
  CHECK_THAT(row->pop3.evidence,
             Catch::StartsWith("after the phone downloaded, the server held 0 of 3 messages"));
  CHECK_THAT(row->imap.evidence,
             Catch::StartsWith("after the phone downloaded, the server held 3 of 3 messages"));
}

SCENARIO("mailscope-cli table prints the Markdown table, JSON and HTML", "[table][process]") {
  auto md = ms_test::run_cli("table");
  CHECK(md.code == 0);
  // The textbook table comes first, labelled as such (the per-app part: app_table_test.cpp).
  CHECK_THAT(md.out, Catch::StartsWith("## The textbook answer\n\nThe table the course is built "
                                       "on: each row decided from its lesson as written.\n\n"
                                       "| | IMAP | POP3 |\n|---|---|---|\n"
                                       "| mail storage | resides on the server | resides on the "
                                       "computer |\n"));
  CHECK_THAT(md.out, Catch::Contains("| access without Internet | no, needs a connection | yes |"));

  auto ex = ms_test::run_cli("table --explain");
  CHECK(ex.code == 0);
  CHECK_THAT(ex.out,
             Catch::Contains("after the phone downloaded, the server held 0 of 3 messages"));

  auto js = ms_test::run_cli("table --format json", false);
  REQUIRE(js.code == 0);
  nlohmann::json j = nlohmann::json::parse(js.out);
  REQUIRE(j.is_array());
  REQUIRE(j.size() == std::size(kReference));
  for (std::size_t i = 0; i < j.size(); ++i) {
    CHECK(j[i]["row"] == kReference[i].row);
    CHECK(j[i]["imap"] == kReference[i].imap);
    CHECK(j[i]["pop3"] == kReference[i].pop3);
    CHECK(j[i]["evidence"]["imap"].is_string());
    CHECK(j[i]["evidence"]["pop3"].is_string());
  }

  auto html = ms_test::run_cli("table --format html --explain", false);
  CHECK(html.code == 0);
  CHECK_THAT(html.out, Catch::StartsWith("<!DOCTYPE html>\n<html lang=\"en\">"));
  CHECK_THAT(html.out, Catch::Contains("<th scope=\"row\">deleted mail</th>"));
  CHECK_THAT(html.out, Catch::Contains("<th scope=\"col\">IMAP</th>"));
}

SCENARIO("mailscope-cli table rejects bad arguments", "[table][process]") {
  CHECK(ms_test::run_cli("table --format pdf").code == 2);
  CHECK(ms_test::run_cli("table --format").code == 2);
  CHECK(ms_test::run_cli("table extra").code == 2);
  CHECK(ms_test::run_cli("table --help").code == 0);
}

SCENARIO("a table cell names the lesson step from whose end on the run shows its answer",
         "[table]") {
  const std::vector<ms::TableRow> rows = ms::compute_table(kLessons);
  REQUIRE(rows.size() == std::size(kReference));
  // Step numbers as the lessons title them; each is where a learner sees the answer happen.
  const std::pair<const char*, int> kDeciding[] = {
      {"mail storage", 2},             // "The phone checks for mail"
      {"synchronisation", 3},          // "The phone reads message 1"
      {"sent mail", 1},                // "The phone sends a message"
      {"deleted mail", 5},             // "The desktop empties Trash"
      {"disaster recovery", 4},        // "A new tablet is set up"
      {"access without Internet", 4},  // "Reading offline"
  };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    INFO("row " << rows[i].row << " from lesson " << rows[i].lesson);
    CHECK(rows[i].row == kDeciding[i].first);
    CHECK(rows[i].pop3.step == kDeciding[i].second);
    CHECK(rows[i].imap.step == kDeciding[i].second);
  }
}

SCENARIO("a cell decided only by the end of the run names the lesson's last step", "[table]") {
  GIVEN("the mail-storage lesson without its last check for mail") {
    ms::Lesson L = ms::load_lesson(kLessons + "/mail-storage.json");
    // The phone now checks in the last step, so nothing earlier can show where mail resides.
    for (auto& a : L.script)
      if (a.what == "check mail") a.at = L.steps.back().at + 1 * ms::kSecond;
    const auto row = ms::decide_row("mail storage", ms::run_lesson(L));
    REQUIRE(row);
    CHECK(row->imap.phrase == "resides on the server");
    CHECK(row->imap.step == static_cast<int>(L.steps.size()));
    CHECK(row->pop3.step == static_cast<int>(L.steps.size()));
  }
}
