// The course inside the app, headless: the lesson browser's course, progress kept between
// runs, the chooser's reasons row by row, the glossary behind the hover tips, and the
// sandbox's device names and undo.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "course.hpp"
#include "glossary.hpp"
#include "intents.hpp"
#include "lesson/chooser.hpp"
#include "lesson/table.hpp"
#include "settings.hpp"

using namespace ms;
namespace fs = std::filesystem;

namespace {

const std::string kLessons = std::string(MAILSCOPE_SOURCE_DIR) + "/lessons";

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

void copy_lesson(const fs::path& to, const std::string& id) {
  fs::copy_file(kLessons + "/" + id + ".json", to / (id + ".json"));
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

}  // namespace

SCENARIO("the course lists every lesson of the lessons directory once, each with a takeaway",
         "[course]") {
  const Course c = load_course(kLessons);
  CHECK(c.errors.empty());
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(kLessons))
    files += e.path().extension() == ".json" && e.path().filename() != "course.json";
  CHECK(c.size() == files);
  std::set<std::string> ids;
  for (const CourseGroup& g : c.groups)
    for (const CourseLesson& l : g.lessons) {
      CHECK(ids.insert(l.id).second);
      CHECK_FALSE(l.takeaway.empty());
      CHECK(l.takeaway.find('\n') == std::string::npos);
    }
  THEN("the next lesson of the last one is none, and every other has one") {
    std::string id = c.groups.front().lessons.front().id;
    std::size_t walked = 1;
    while (!c.next_after(id).empty()) id = c.next_after(id), ++walked;
    CHECK(walked == c.size());
  }
}

SCENARIO("course.json sets the groups and their order; unlisted lessons follow by row",
         "[course]") {
  const fs::path d = fresh_dir("mailscope-course-order");
  for (const char* id : {"mail-storage", "synchronisation", "sent-mail", "push-vs-polling"})
    copy_lesson(d, id);
  write(d / "course.json",
        R"({"groups": [{"row": "synchronisation", "lessons": ["push-vs-polling", "synchronisation"]},
                       {"row": "mail storage", "lessons": [{"id": "mail-storage", "takeaway": "Where mail lives."}]}]})");
  const Course c = load_course(d.string());
  CHECK(c.errors.empty());
  REQUIRE(c.groups.size() == 3);
  CHECK(c.groups[0].row == "synchronisation");
  CHECK(c.groups[0].lessons[0].id == "push-vs-polling");
  CHECK(c.groups[1].lessons[0].takeaway == "Where mail lives.");
  CHECK(c.groups[2].row == "sent mail");
  CHECK(c.next_after("push-vs-polling") == "synchronisation");
  CHECK(c.next_after("mail-storage") == "sent-mail");
  CHECK(c.next_after("sent-mail").empty());
  WHEN("course.json names a lesson that does not exist") {
    write(d / "course.json", R"({"groups": [{"row": "x", "lessons": ["no-such-lesson"]}]})");
    const Course bad = load_course(d.string());
    THEN("it says which entry, and every lesson is still listed") {
      REQUIRE(bad.errors.size() == 1);
      CHECK_THAT(bad.errors[0], Catch::Contains("groups.0: unknown lesson 'no-such-lesson'"));
      CHECK(bad.size() == 4);
    }
  }
}

SCENARIO("quiz answers and lessons seen are kept in the config directory", "[course]") {
  const fs::path d = fresh_dir("mailscope-progress-xdg");
  ::setenv("XDG_CONFIG_HOME", d.c_str(), 1);
  const std::string dir = config_dir();
  CHECK(dir == (d / "mailscope").string());
  Progress p;
  p.lessons["mail-storage"].seen = true;
  p.lessons["mail-storage"].answers = {1, -1};
  REQUIRE(save_progress(dir + "/progress.json", p));
  const Progress back = load_progress(dir + "/progress.json");
  REQUIRE(back.lessons.count("mail-storage") == 1);
  CHECK(back.lessons.at("mail-storage").seen);
  CHECK(back.lessons.at("mail-storage").answers == std::vector<int>{1, -1});
  CourseLesson l;
  l.id = "mail-storage";
  l.quiz_answers = {1, 0};
  CHECK(back.score(l) == std::pair<int, int>{1, 2});
  l.id = "never-opened";
  CHECK(back.score(l) == std::pair<int, int>{0, 2});
  WHEN("the file is damaged") {
    write(dir + "/progress.json", "{\"lessons\": [1, 2");
    CHECK(load_progress(dir + "/progress.json").lessons.empty());
  }
}

SCENARIO("the chooser gives one reason per table row, each with the lesson that proves it",
         "[course][chooser]") {
  ChooserAnswers a;
  a.devices = 1;
  a.connection = ChooserAnswers::Connection::Rare;
  a.offline_reading = true;
  a.server_storage_limited = true;
  const Recommendation r = recommend(a);
  CHECK(r.protocol == "POP3");
  REQUIRE(r.why.size() == table_row_names().size());
  CHECK(r.why.front().row == "access without Internet");
  CHECK(r.why.front().lesson == "offline-access");
  std::set<std::string> rows;
  for (const ChooserReason& x : r.why) {
    rows.insert(x.row);
    CHECK_FALSE(x.text.empty());
    CHECK(fs::exists(kLessons + "/" + x.lesson + ".json"));
  }
  CHECK(rows.size() == table_row_names().size());
  CHECK_THAT(format_recommendation(a, r),
             Catch::Contains("  - access without Internet: The connection is rare"));
}

SCENARIO("every protocol term the app shows has a hover tip in assets/glossary.json",
         "[course][glossary]") {
  const Glossary g = load_glossary(std::string(MAILSCOPE_SOURCE_DIR) + "/assets/glossary.json");
  REQUIRE(g.error.empty());
  for (const char* t : {"UIDL", "IDLE", "EXPUNGE", "\\Seen", "maildrop", "[IN-USE]", "CONDSTORE",
                        "QRESYNC", "C:", "S:", "RETR", "DELE", "TOP", "UID"}) {
    INFO(t);
    const GlossaryTerm* e = g.lookup(t);
    REQUIRE(e);
    CHECK(e->text.size() > 20);
  }
  THEN("a term is found in running text as a whole word only") {
    auto names = [&](const std::string& text) {
      std::vector<std::string> out;
      for (const GlossaryTerm* t : g.terms_in(text)) out.push_back(t->term);
      return out;
    };
    CHECK(names("the phone sends UIDL, then RETR 1") == std::vector<std::string>{"UIDL", "RETR"});
    CHECK(names("S: * 3 EXISTS") == std::vector<std::string>{"S:", "EXISTS"});
    CHECK(names("the maildrop is locked") == std::vector<std::string>{"maildrop"});
    CHECK(names("UIDVALIDITY").size() == 1);  // not also UID
    CHECK(names("a retry").empty());
  }
  THEN("every protocol word in a lesson's texts (COMMANDS, \\Flags, [CODES]) has a tip") {
    // Plain English written in capitals is not jargon.
    const std::set<std::string> plain = {"FROM", "TO"};
    const std::regex word(R"(\\[A-Za-z]+|\[[A-Z-]+\]|\b[A-Z][A-Z0-9-]{2,}\b)");
    int used = 0;
    for (const auto& e : fs::directory_iterator(kLessons)) {
      if (e.path().extension() != ".json" || e.path().filename() == "course.json") continue;
      const Lesson L = load_lesson(e.path().string());
      std::vector<std::string> texts = {L.title, L.summary, L.takeaway};
      for (const Step& s : L.steps) texts.push_back(s.title + " " + s.text);
      for (const Expectation& x : L.expect) texts.push_back(x.says);
      for (const QuizQuestion& q : L.quiz) {
        texts.push_back(q.question + " " + q.explain);
        for (const std::string& c : q.choices) texts.push_back(c);
        for (const std::string& f : q.feedback) texts.push_back(f);
      }
      for (const std::string& t : texts)
        for (std::sregex_iterator it(t.begin(), t.end(), word), end; it != end; ++it) {
          const std::string w = it->str();
          if (plain.count(w)) continue;
          INFO(L.id << ": \"" << w << "\" in: " << t);
          CHECK(g.lookup(w) != nullptr);
          ++used;
        }
    }
    CHECK(used > 50);
  }
}

SCENARIO("a device added in the sandbox is named after its kind", "[course][sandbox]") {
  CHECK(new_device_name({"phone", "desktop"}, "laptop") == "laptop");
  CHECK(new_device_name({"phone", "laptop"}, "laptop") == "laptop 2");
  CHECK(new_device_name({"laptop", "laptop 2"}, "laptop") == "laptop 3");
}

SCENARIO("undo takes back the last sandbox action only", "[course][sandbox]") {
  Sandbox s;
  s.base = load_lesson(find_lesson("synchronisation", kLessons));
  for (const char* text : {"desktop read 2 at 45", "phone go offline at 50"}) {
    s.pending.push_back(*parse_intent(text));
    REQUIRE(rerun_sandbox(s));
  }
  REQUIRE(s.applied.size() == 2);
  const unsigned gen = s.generation;
  s.undo = true;
  auto run = rerun_sandbox(s);
  REQUIRE(run);
  REQUIRE(s.applied.size() == 1);
  CHECK(s.applied[0].action.what == "read");
  CHECK(s.generation == gen + 1);
  CHECK_FALSE(s.undo);
  THEN("undoing the last one gives the lesson as written, and nothing more to undo") {
    s.undo = true;
    REQUIRE(rerun_sandbox(s));
    CHECK_FALSE(s.active());
    s.undo = true;
    CHECK_FALSE(rerun_sandbox(s));
    CHECK_FALSE(s.undo);
  }
}

SCENARIO("exports go to ~/Documents/Mailscope, or the start directory, as full paths",
         "[course][export]") {
  const fs::path home = fresh_dir("mailscope-export-home");
  const fs::path start = fresh_dir("mailscope-export-start");
  CHECK(default_export_dir(home.string(), start.string()) == start.string());
  fs::create_directories(home / "Documents");
  const std::string dir = default_export_dir(home.string(), start.string());
  CHECK(dir == (home / "Documents" / "Mailscope").string());
  std::string error;
  const std::string written = write_export(dir + "/a/handout.html", "<p>hi</p>", &error);
  CHECK(error.empty());
  CHECK(written == (home / "Documents" / "Mailscope" / "a" / "handout.html").string());
  std::ifstream in(written);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text == "<p>hi</p>");
  WHEN("the path cannot be written") {
    write(home / "file", "x");
    CHECK(write_export((home / "file" / "x.html").string(), "x", &error).empty());
    CHECK_THAT(error, Catch::Contains("cannot write"));
  }
}
