// mailscope-cli quiz, task and results (issue 24): the course's questions as text or a Moodle
// XML question bank, a lesson's task checked with the learner's settings, and a class summary
// merged from learners' results files.
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lesson/assess.hpp"
#include "lesson/lesson.hpp"
#include "lesson/moodle.hpp"
#include "lesson/results.hpp"
#include "util/args.hpp"
#include "util/datadirs.hpp"

std::string cli_find_lesson(const std::string& id);  // main.cpp
bool cli_write_file(const std::string& path, const std::string& text);  // main.cpp: says "wrote PATH"

namespace {

const char* kQuizUsage =
    "usage: mailscope-cli quiz [LESSON...] [--format text|moodle-xml]\n"
    "Every quiz question and prediction of the lessons (default: all), with the right answer.\n"
    "A prediction's right answer is computed by running its lesson. --format moodle-xml writes a\n"
    "Moodle XML question bank: one category per lesson, each question multichoice with one\n"
    "100% answer and feedback on every choice.\n";
const char* kTaskUsage =
    "usage: mailscope-cli task LESSON [--set DEVICE.SETTING=VALUE]... [--do DEVICE:ACTION@TIME]...\n"
    "                              [--json]\n"
    "Shows the lesson's task (its goal and the settings you may change, with their values in\n"
    "the lesson, and the actions you may add), then re-runs the lesson with the --set changes\n"
    "and the --do actions (e.g. --do \"tablet:check mail@25s\") and decides each check from the\n"
    "run. Exit 0 when every check passes, 1 when one fails or a change is not allowed.\n"
    "--json prints the outcome as one JSON object (lesson, world, goal, pass, checks).\n"
    "  e.g. mailscope-cli task leave-on-server --set phone.delete_when_deleted_locally=true\n";
const char* kResultsUsage =
    "usage: mailscope-cli results merge FILE... [--csv OUT.csv] [--html OUT.html]\n"
    "Merges learners' results files (JSON, format version 1) into a class summary: a CSV row\n"
    "per learner and lesson (to standard output without --csv) and an HTML table of learners\n"
    "x lessons with scores and the predictions most often answered wrong.\n";

std::vector<ms::Lesson> load_lessons(const std::vector<std::string>& ids) {
  std::vector<ms::Lesson> out;
  if (ids.empty())
    for (const auto& f : ms::lesson_files(ms::locate_lessons_dir())) out.push_back(ms::load_lesson(f));
  else
    for (const auto& id : ids) out.push_back(ms::load_lesson(cli_find_lesson(id)));
  return out;
}

int quiz(const std::vector<std::string>& ids, const std::string& format) {
  try {
    const std::vector<ms::Lesson> lessons = load_lessons(ids);
    if (format == "moodle-xml") {
      std::cout << ms::moodle_question_bank(lessons);
      return 0;
    }
    for (const auto& L : lessons) {
      std::cout << L.id << ": " << L.title << "\n";
      for (std::size_t i = 0; i < L.quiz.size(); ++i) {
        const auto& q = L.quiz[i];
        std::cout << "  quiz " << i + 1 << ": " << q.question << "\n";
        for (std::size_t k = 0; k < q.choices.size(); ++k)
          std::cout << "    " << (static_cast<int>(k) == q.answer ? "* " : "  ") << q.choices[k] << "\n";
      }
      if (L.predictions.empty()) continue;
      const auto got = ms::decide_predictions(ms::run_lesson(L));
      for (std::size_t i = 0; i < L.predictions.size(); ++i) {
        const auto& p = L.predictions[i];
        std::cout << "  prediction " << i + 1 << " (step " << p.step + 1 << "): "
                  << ms::prediction_text(p) << "\n";
        for (std::size_t k = 0; k < p.choices.size(); ++k)
          std::cout << "    " << (static_cast<int>(k) == got[i].answer ? "* " : "  ")
                    << p.choices[k].text << "\n";
        std::cout << "    computed at " << ms::format_time(got[i].at) << ": " << got[i].observed << "\n";
      }
    }
    return 0;
  } catch (const ms::AssessError& e) {
    std::cerr << "mailscope-cli: " << e.what() << "\n";
    return 1;
  }
}

// The outcome for a program (the GUI's or an LMS package's tests): no text around it.
void print_task_json(const ms::Lesson& L, const ms::TaskOutcome& out) {
  nlohmann::ordered_json j;
  j["lesson"] = L.id;
  j["world"] = L.task->world == ms::Proto::POP3 ? "pop3" : "imap";
  j["goal"] = L.task->goal;
  j["pass"] = out.pass;
  j["checks"] = nlohmann::ordered_json::array();
  for (const auto& c : out.checks)
    j["checks"].push_back({{"pass", c.pass}, {"says", c.description}, {"observed", c.observed}});
  std::cout << j.dump() << "\n";
}

int task(const std::vector<std::string>& lesson, const std::vector<std::string>& sets,
         const std::vector<std::string>& dos, bool json) {
  const ms::Lesson L = ms::load_lesson(cli_find_lesson(lesson.at(0)));
  if (!L.task) {
    std::cerr << "mailscope-cli: lesson '" << L.id << "' has no task\n";
    return 1;
  }
  const ms::Task& t = *L.task;
  std::vector<ms::SettingChange> changes;
  for (const auto& s : sets) {
    auto c = ms::parse_setting_change(s);
    if (!c) {
      std::cerr << "mailscope-cli: --set needs DEVICE.SETTING=VALUE, not '" << s << "'\n";
      return 2;
    }
    changes.push_back(*c);
  }
  std::vector<ms::AddedAction> actions;
  for (const auto& d : dos) {
    auto a = ms::parse_added_action(d);
    if (!a) {
      std::cerr << "mailscope-cli: --do needs DEVICE:ACTION@TIME (e.g. \"phone:check mail@50s\"), not '" << d << "'\n";
      return 2;
    }
    actions.push_back(*a);
  }
  if (json) {
    try {
      print_task_json(L, ms::check_task(L, changes, actions));
      return 0;
    } catch (const ms::AssessError& e) {
      std::cerr << "mailscope-cli: " << e.what() << "\n";
      return 1;
    }
  }
  std::cout << "Task (" << (t.world == ms::Proto::POP3 ? "POP3" : "IMAP") << " world): " << t.goal << "\n";
  if (!t.hint.empty()) std::cout << "Hint: " << t.hint << "\n";
  std::cout << "You may change:\n";
  for (const auto& [dev, keys] : t.may_change)
    for (const auto& k : keys) {
      const ms::TaskSettingInfo* s = ms::task_setting(t.world, k);
      std::cout << "  " << dev << "." << k << " = " << ms::setting_value(L, dev, t.world, k)
                << "   (" << s->label << (s->source == "unverified" ? ", label unverified" : "")
                << ")\n";
    }
  for (const auto& [dev, acts] : t.may_do)
    for (const auto& a : acts) std::cout << "You may add: " << dev << ": " << a << " (at a time you choose)\n";
  try {
    const ms::TaskOutcome out = ms::check_task(L, changes, actions);
    std::cout << "Checks:\n";
    for (const auto& c : out.checks)
      std::cout << (c.pass ? "  PASS  " : "  FAIL  ") << c.description
                << (c.pass ? "" : " (observed " + c.observed + ")") << "\n";
    std::cout << (out.pass ? "Task passed\n" : "Task not passed\n");
    return out.pass ? 0 : 1;
  } catch (const ms::AssessError& e) {
    std::cerr << "mailscope-cli: " << e.what() << "\n";
    return 1;
  }
}

int results(const std::vector<std::string>& args, const std::string& csv, const std::string& html) {
  if (args.empty() || args[0] != "merge")
    throw ms::args::UsageError("results needs 'merge FILE...'", kResultsUsage);
  if (args.size() < 2) throw ms::args::UsageError("results merge needs at least one FILE", kResultsUsage);
  std::vector<ms::LearnerResults> learners;
  try {
    for (std::size_t i = 1; i < args.size(); ++i) learners.push_back(ms::load_results(args[i]));
  } catch (const ms::ResultsError& e) {
    std::cerr << "mailscope-cli: " << e.what() << "\n";
    return 1;
  }
  bool ok = true;
  if (!csv.empty()) ok &= cli_write_file(csv, ms::class_summary_csv(learners));
  if (!html.empty() && !csv.empty()) ok &= cli_write_file(html, ms::class_summary_html(learners));
  if (!html.empty() && csv.empty()) {
    // The CSV goes to standard output: nothing else may, so the page is written silently.
    std::ofstream f(html, std::ios::binary);
    f << ms::class_summary_html(learners);
    f.close();
    if (!f) std::cerr << "mailscope-cli: cannot write " << html << "\n";
    ok &= static_cast<bool>(f);
  }
  if (csv.empty()) std::cout << ms::class_summary_csv(learners);
  return ok ? 0 : 1;
}

}  // namespace

void add_assess(ms::args::Command& cli) {
  {
    auto ids = std::make_shared<std::vector<std::string>>();
    auto format = std::make_shared<std::string>("text");
    cli.command("quiz", kQuizUsage)
        .choice("--format", {"text", "moodle-xml"}, *format)
        .positionals(*ids, 1000, "lessons")
        .runs([ids, format] { return quiz(*ids, *format); });
  }
  {
    auto lesson = std::make_shared<std::vector<std::string>>();
    auto sets = std::make_shared<std::vector<std::string>>();
    auto dos = std::make_shared<std::vector<std::string>>();
    auto json = std::make_shared<bool>(false);
    ms::args::Command& c = cli.command("task", kTaskUsage);
    c.text("--set", "DEVICE.SETTING=VALUE", [sets](const std::string& v) { sets->push_back(v); })
        .text("--do", "DEVICE:ACTION@TIME", [dos](const std::string& v) { dos->push_back(v); })
        .flag("--json", *json)
        .positionals(*lesson, 1, "one lesson")
        .runs([lesson, sets, dos, json, &c] {
          if (lesson->empty()) c.fail("task needs a lesson file or id");
          return task(*lesson, *sets, *dos, *json);
        });
  }
  {
    auto args = std::make_shared<std::vector<std::string>>();
    auto csv = std::make_shared<std::string>();
    auto html = std::make_shared<std::string>();
    cli.command("results", kResultsUsage)
        .text("--csv", "a file name", *csv)
        .text("--html", "a file name", *html)
        .positionals(*args, 100000, "merge and results files")
        .runs([args, csv, html] { return results(*args, *csv, *html); });
  }
}
