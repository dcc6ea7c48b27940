#include "lesson/results.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "lesson/lesson.hpp"  // json_syntax_error
#include "lesson/table.hpp"   // html_escape

namespace ms {

namespace {

using ojson = nlohmann::ordered_json;
using json = nlohmann::json;

// Reads one field, naming it by its dotted path when it is missing or of another type.
struct Fields {
  const std::string& file;
  [[noreturn]] void fail(const std::string& path, const std::string& msg) const {
    throw ResultsError(file + ": field '" + path + "': " + msg);
  }
  const json& need(const json& o, const std::string& path, const char* key) const {
    if (!o.is_object()) fail(path, "expected an object");
    if (!o.contains(key)) fail(path.empty() ? key : path + "." + key, "missing");
    return o.at(key);
  }
  std::string str(const json& o, const std::string& path, const char* key, bool required = true) const {
    if (!required && !o.contains(key)) return "";
    const json& v = need(o, path, key);
    if (!v.is_string()) fail(path.empty() ? key : path + "." + key, "expected a string");
    return v.get<std::string>();
  }
  int num(const json& o, const std::string& path, const char* key) const {
    const json& v = need(o, path, key);
    if (!v.is_number_integer()) fail(path + "." + key, "expected a whole number");
    const auto n = v.get<std::int64_t>();
    if (n < -1 || n > 1000000) fail(path + "." + key, "out of range");
    return static_cast<int>(n);
  }
  bool boolean(const json& o, const std::string& path, const char* key) const {
    const json& v = need(o, path, key);
    if (!v.is_boolean()) fail(path + "." + key, "expected true or false");
    return v.get<bool>();
  }
};

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string o = "\"";
  for (char c : s) o += c == '"' ? std::string("\"\"") : std::string(1, c);
  return o + "\"";
}

}  // namespace

void note_seen(LearnerResults& r, const std::string& lesson, const std::string& now) {
  for (const auto& l : r.lessons)
    if (l.id == lesson) return;
  r.lessons.push_back({lesson, now, {}});
}

void record_answer(LearnerResults& r, const std::string& lesson, ResultItem item) {
  note_seen(r, lesson, item.time);
  for (auto& l : r.lessons)
    if (l.id == lesson) l.items.push_back(std::move(item));
}

std::string results_to_json(const LearnerResults& r) {
  ojson j;
  j["mailscope_results"] = kResultsFormatVersion;
  j["learner"] = r.learner;
  j["lessons"] = ojson::array();
  for (const auto& l : r.lessons) {
    ojson lj;
    lj["id"] = l.id;
    lj["seen"] = l.seen;
    lj["items"] = ojson::array();
    for (const auto& it : l.items)
      lj["items"].push_back({{"kind", it.kind}, {"index", it.index}, {"question", it.question},
                             {"chosen", it.chosen}, {"correct", it.correct}, {"time", it.time}});
    j["lessons"].push_back(lj);
  }
  return j.dump(2) + "\n";
}

LearnerResults parse_results(const std::string& text, const std::string& file) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw ResultsError(json_syntax_error(text, file, e.byte, e.what()) +
                       " (a damaged results file)");
  } catch (const json::exception& e) {
    throw ResultsError(file + ": invalid JSON: " + e.what());
  }
  const Fields f{file};
  if (!j.is_object() || !j.contains("mailscope_results"))
    throw ResultsError(file + ": not a Mailscope results file (no 'mailscope_results' version)");
  const json& v = j["mailscope_results"];
  if (!v.is_number_integer() || v.get<std::int64_t>() != kResultsFormatVersion)
    throw ResultsError(file + ": results format version " + v.dump() + ", this Mailscope reads version " +
                       std::to_string(kResultsFormatVersion) + " (export the results again with this version)");
  LearnerResults r;
  r.learner = f.str(j, "", "learner", false);
  const json& ls = f.need(j, "", "lessons");
  if (!ls.is_array()) f.fail("lessons", "expected a list");
  for (std::size_t i = 0; i < ls.size(); ++i) {
    const std::string p = "lessons." + std::to_string(i);
    LessonResults l;
    l.id = f.str(ls[i], p, "id");
    l.seen = f.str(ls[i], p, "seen", false);
    const json& items = f.need(ls[i], p, "items");
    if (!items.is_array()) f.fail(p + ".items", "expected a list");
    for (std::size_t k = 0; k < items.size(); ++k) {
      const std::string ip = p + ".items." + std::to_string(k);
      ResultItem it;
      it.kind = f.str(items[k], ip, "kind");
      if (it.kind != "prediction" && it.kind != "quiz" && it.kind != "task")
        f.fail(ip + ".kind", "expected \"prediction\", \"quiz\" or \"task\"");
      it.index = f.num(items[k], ip, "index");
      it.question = f.str(items[k], ip, "question", false);
      it.chosen = items[k].contains("chosen") ? f.num(items[k], ip, "chosen") : -1;
      it.correct = f.boolean(items[k], ip, "correct");
      it.time = f.str(items[k], ip, "time");
      l.items.push_back(std::move(it));
    }
    r.lessons.push_back(std::move(l));
  }
  return r;
}

LearnerResults load_results(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ResultsError(path + ": cannot open results file");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_results(ss.str(), path);
}

LessonScore score(const LessonResults& l) {
  LessonScore s;
  std::set<std::pair<std::string, int>> answered;
  for (const auto& it : l.items) {
    if (it.kind == "task") {
      s.task = std::max(s.task, it.correct ? 1 : 0);
      continue;
    }
    if (!answered.insert({it.kind, it.index}).second) continue;  // first answers only
    (it.kind == "prediction" ? s.predictions : s.quiz) += 1;
    (it.kind == "prediction" ? s.predictions_right : s.quiz_right) += it.correct;
  }
  s.total = s.predictions + s.quiz + (s.task >= 0);
  s.right = s.predictions_right + s.quiz_right + (s.task == 1);
  return s;
}

std::string class_summary_csv(const std::vector<LearnerResults>& learners) {
  std::string out = "learner,lesson,seen,predictions_right,predictions,quiz_right,quiz,task,score,total\n";
  for (const auto& r : learners)
    for (const auto& l : r.lessons) {
      const LessonScore s = score(l);
      out += csv_field(r.learner) + "," + csv_field(l.id) + "," + csv_field(l.seen) + "," +
             std::to_string(s.predictions_right) + "," + std::to_string(s.predictions) + "," +
             std::to_string(s.quiz_right) + "," + std::to_string(s.quiz) + "," +
             (s.task < 0 ? "" : s.task ? "pass" : "fail") + "," + std::to_string(s.right) + "," +
             std::to_string(s.total) + "\n";
    }
  return out;
}

std::string class_summary_html(const std::vector<LearnerResults>& learners) {
  std::vector<std::string> lessons;  // in order of first appearance
  for (const auto& r : learners)
    for (const auto& l : r.lessons)
      if (std::find(lessons.begin(), lessons.end(), l.id) == lessons.end()) lessons.push_back(l.id);
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Mailscope class "
      "summary</title>\n<style>table{border-collapse:collapse}th,td{border:1px solid #999;"
      "padding:4px 8px;text-align:left}</style></head>\n<body>\n<h1>Mailscope class summary</h1>\n"
      "<table>\n<caption>Score per learner and lesson: right answers out of answered (first "
      "answers to predictions and quiz questions; the task counts once it passed)</caption>\n"
      "<tr><th scope=\"col\">Learner</th>";
  for (const auto& id : lessons) h += "<th scope=\"col\">" + html_escape(id) + "</th>";
  h += "<th scope=\"col\">Total</th></tr>\n";
  // (lesson, prediction index) -> question, wrong first answers, first answers
  std::map<std::pair<std::string, int>, std::tuple<std::string, int, int>> preds;
  for (std::size_t n = 0; n < learners.size(); ++n) {
    const auto& r = learners[n];
    const std::string name = r.learner.empty() ? "learner " + std::to_string(n + 1) : r.learner;
    h += "<tr><th scope=\"row\">" + html_escape(name) + "</th>";
    int right = 0, total = 0;
    for (const auto& id : lessons) {
      auto it = std::find_if(r.lessons.begin(), r.lessons.end(), [&](const auto& l) { return l.id == id; });
      if (it == r.lessons.end()) {
        h += "<td>not seen</td>";
        continue;
      }
      const LessonScore s = score(*it);
      right += s.right, total += s.total;
      std::string cell = std::to_string(s.right) + "/" + std::to_string(s.total);
      if (s.task >= 0) cell += s.task ? " (task passed)" : " (task not passed)";
      h += "<td>" + cell + "</td>";
      std::set<int> seen;
      for (const auto& item : it->items)
        if (item.kind == "prediction" && seen.insert(item.index).second) {
          auto& [q, wrong, answered] = preds[{id, item.index}];
          if (q.empty()) q = item.question;
          wrong += !item.correct;
          ++answered;
        }
    }
    h += "<td>" + std::to_string(right) + "/" + std::to_string(total) + "</td></tr>\n";
  }
  h += "</table>\n<h2>Predictions most often wrong</h2>\n";
  std::vector<std::pair<std::pair<std::string, int>, std::tuple<std::string, int, int>>> list(
      preds.begin(), preds.end());
  list.erase(std::remove_if(list.begin(), list.end(), [](const auto& e) { return std::get<1>(e.second) == 0; }),
             list.end());
  std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
    return std::get<1>(a.second) > std::get<1>(b.second);
  });
  if (list.empty()) {
    h += "<p>No prediction was answered wrong.</p>\n";
  } else {
    h += "<table>\n<tr><th scope=\"col\">Lesson</th><th scope=\"col\">Prediction</th><th "
         "scope=\"col\">Wrong first time</th></tr>\n";
    for (const auto& [key, v] : list)
      h += "<tr><td>" + html_escape(key.first) + "</td><td>" + std::to_string(key.second) + ". " +
           html_escape(std::get<0>(v)) + "</td><td>" + std::to_string(std::get<1>(v)) + " of " +
           std::to_string(std::get<2>(v)) + "</td></tr>\n";
    h += "</table>\n";
  }
  return h + "</body>\n</html>\n";
}

}  // namespace ms
