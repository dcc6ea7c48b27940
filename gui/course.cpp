#include "course.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "lesson/lesson.hpp"
#include "lesson/table.hpp"

namespace ms {

namespace {

using json = nlohmann::json;

// The one-line takeaway: the lesson's own when it has one, else its summary's first sentence.
std::string takeaway_of(const Lesson& L) {
  if (!L.takeaway.empty()) return L.takeaway;
  const std::string& s = L.summary;
  const auto dot = s.find(". ");
  return dot == std::string::npos ? s : s.substr(0, dot + 1);
}

}  // namespace

std::size_t Course::size() const {
  std::size_t n = 0;
  for (const CourseGroup& g : groups) n += g.lessons.size();
  return n;
}

const CourseLesson* Course::find(const std::string& id) const {
  for (const CourseGroup& g : groups)
    for (const CourseLesson& l : g.lessons)
      if (l.id == id) return &l;
  return nullptr;
}

std::string Course::next_after(const std::string& id) const {
  bool found = false;
  for (const CourseGroup& g : groups)
    for (const CourseLesson& l : g.lessons) {
      if (found) return l.id;
      found = l.id == id;
    }
  return "";
}

Course load_course(const std::string& dir) {
  namespace fs = std::filesystem;
  Course c;
  std::error_code ec;
  std::vector<std::string> files;
  try {
    files = lesson_files(dir);
  } catch (const std::exception& e) {
    c.errors.push_back(e.what());
  }
  std::map<std::string, CourseLesson> all;
  std::vector<std::string> by_file;
  for (const std::string& f : files) {
    try {
      Lesson L = load_lesson(f);
      CourseLesson cl;
      cl.id = L.id;
      cl.title = L.title.empty() ? L.id : L.title;
      cl.file = f;
      cl.rows = L.rows;
      cl.steps = static_cast<int>(L.steps.size());
      for (const QuizQuestion& q : L.quiz) cl.quiz_answers.push_back(q.answer);
      cl.takeaway = takeaway_of(L);
      by_file.push_back(cl.id);
      all.emplace(cl.id, std::move(cl));
    } catch (const std::exception& e) {
      c.errors.push_back(e.what());
    }
  }
  std::set<std::string> placed;
  auto group = [&](const std::string& row) -> CourseGroup& {
    for (CourseGroup& g : c.groups)
      if (g.row == row) return g;
    c.groups.push_back({row, {}});
    return c.groups.back();
  };
  const fs::path course_file = fs::path(dir) / "course.json";
  if (fs::exists(course_file, ec)) {
    std::ifstream in(course_file);
    json j = json::parse(in, nullptr, false);
    if (!j.is_object() || !j.contains("groups") || !j["groups"].is_array()) {
      c.errors.push_back(course_file.string() + ": expected {\"groups\": [{\"row\", \"lessons\"}]}");
    } else {
      for (std::size_t i = 0; i < j["groups"].size(); ++i) {
        const json& g = j["groups"][i];
        const std::string where = course_file.string() + ": groups." + std::to_string(i);
        if (!g.is_object() || !g.contains("row") || !g["row"].is_string() ||
            !g.contains("lessons") || !g["lessons"].is_array()) {
          c.errors.push_back(where + ": needs \"row\" (text) and \"lessons\" (a list)");
          continue;
        }
        CourseGroup& cg = group(g["row"].get<std::string>());
        for (const json& x : g["lessons"]) {
          // An entry is a lesson id, or {"id": ..., "takeaway": ...}.
          std::string id = x.is_string() ? x.get<std::string>()
                           : x.is_object() && x.contains("id") && x["id"].is_string()
                               ? x["id"].get<std::string>()
                               : std::string();
          auto it = all.find(id);
          if (it == all.end()) {
            c.errors.push_back(where + ": unknown lesson '" + id + "'");
            continue;
          }
          if (!placed.insert(id).second) continue;
          CourseLesson cl = it->second;
          if (x.is_object() && x.contains("takeaway") && x["takeaway"].is_string())
            cl.takeaway = x["takeaway"].get<std::string>();
          cg.lessons.push_back(std::move(cl));
        }
      }
    }
  }
  // Lessons course.json does not list: under their first row, rows in the table's order.
  std::vector<std::string> rows = table_row_names();
  for (const std::string& id : by_file) {
    const CourseLesson& l = all.at(id);
    if (!l.rows.empty() && std::find(rows.begin(), rows.end(), l.rows[0]) == rows.end())
      rows.push_back(l.rows[0]);
  }
  rows.push_back("More lessons");
  for (const std::string& row : rows)
    for (const std::string& id : by_file) {
      const CourseLesson& l = all.at(id);
      const std::string& first = l.rows.empty() ? std::string("More lessons") : l.rows[0];
      if (first != row || placed.count(id)) continue;
      placed.insert(id);
      group(row).lessons.push_back(l);
    }
  std::erase_if(c.groups, [](const CourseGroup& g) { return g.lessons.empty(); });
  return c;
}

int Progress::Entry::first_answer(std::size_t q) const {
  if (q < first.size() && first[q] >= 0) return first[q];
  return q < answers.size() ? answers[q] : -1;
}

std::pair<int, int> Progress::score(const CourseLesson& l) const {
  int right = 0;
  const int total = static_cast<int>(l.quiz_answers.size());
  auto it = lessons.find(l.id);
  if (it != lessons.end())
    for (int q = 0; q < total; ++q)
      right += it->second.first_answer(q) == l.quiz_answers[q];
  return {right, total};
}

int Progress::right_on_retry(const CourseLesson& l) const {
  int n = 0;
  auto it = lessons.find(l.id);
  if (it == lessons.end()) return 0;
  const Entry& e = it->second;
  for (std::size_t q = 0; q < l.quiz_answers.size() && q < e.answers.size(); ++q)
    n += e.first_answer(q) != l.quiz_answers[q] && e.answers[q] == l.quiz_answers[q];
  return n;
}

void record_answer(Progress::Entry& e, std::size_t q, int choice, std::size_t questions) {
  if (q >= questions) return;
  e.answers.resize(questions, -1);
  // An old file's answers count as first answers before anything new is recorded.
  std::vector<int> first(questions, -1);
  for (std::size_t i = 0; i < questions; ++i) first[i] = e.first_answer(i);
  e.first = std::move(first);
  if (e.first[q] < 0) e.first[q] = choice;
  e.answers[q] = choice;
}

std::string quiz_feedback(bool right, const std::string& why) {
  // The lessons' own feedback often opens with a verdict; it is said once, in our words.
  static const char* const kVerdicts[] = {"Right: ", "Right. ", "Right, ", "Correct: ",
                                          "Yes: ",   "No: ",    "No. ",    "No, ",
                                          "Wrong: ", "Not quite: ", "Not quite. "};
  std::string text = why;
  for (const char* v : kVerdicts)
    if (text.rfind(v, 0) == 0) {
      text.erase(0, std::string(v).size());
      break;
    }
  return std::string(right ? "Right: " : "Not quite: ") + text;
}

namespace {
bool seen(const Progress& p, const std::string& id) {
  const auto it = p.lessons.find(id);
  return it != p.lessons.end() && it->second.seen;
}
}  // namespace

std::string continue_lesson(const Course& c, const Progress& p) {
  for (const CourseGroup& g : c.groups)
    for (const CourseLesson& l : g.lessons)
      if (!seen(p, l.id)) return l.id;
  return "";
}

std::string progress_summary(const Course& c, const Progress& p) {
  int lessons = 0, seen_n = 0, right = 0, questions = 0;
  for (const CourseGroup& g : c.groups)
    for (const CourseLesson& l : g.lessons) {
      ++lessons;
      seen_n += seen(p, l.id);
      const auto [r, t] = p.score(l);
      right += r;
      questions += t;
    }
  return std::to_string(seen_n) + " of " + std::to_string(lessons) + " lessons seen, " +
         std::to_string(right) + " of " + std::to_string(questions) + " quiz answers right";
}

Progress load_progress(const std::string& path) {
  Progress p;
  std::ifstream in(path);
  if (!in) return p;
  json j = json::parse(in, nullptr, false);
  if (!j.is_object() || !j.contains("lessons") || !j["lessons"].is_object()) return p;
  for (const auto& [id, v] : j["lessons"].items()) {
    if (!v.is_object()) continue;
    Progress::Entry e;
    if (v.contains("seen") && v["seen"].is_boolean()) e.seen = v["seen"].get<bool>();
    // The lesson's object by name: a lambda may not capture a structured binding before C++20's
    // P1091 (clang 14, which the web build's emscripten uses, refuses it).
    const json& lesson = v;
    auto read = [&](const char* key, std::vector<int>& out) {
      if (lesson.contains(key) && lesson[key].is_array())
        for (const json& a : lesson[key])
          out.push_back(a.is_number_integer() ? std::clamp(a.get<int>(), -1, 99) : -1);
    };
    read("answers", e.answers);
    read("first", e.first);
    p.lessons[id] = std::move(e);
  }
  return p;
}

bool save_progress(const std::string& path, const Progress& p) {
  json j;
  j["lessons"] = json::object();
  for (const auto& [id, e] : p.lessons)
    j["lessons"][id] = {{"seen", e.seen}, {"answers", e.answers}, {"first", e.first}};
  std::ofstream out(path, std::ios::trunc);
  out << j.dump(2) << "\n";
  return static_cast<bool>(out);
}

std::string default_export_dir(const std::string& home, const std::string& start_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!home.empty() && fs::is_directory(fs::path(home) / "Documents", ec))
    return (fs::path(home) / "Documents" / "Mailscope").string();
  return fs::absolute(start_dir.empty() ? "." : start_dir, ec).lexically_normal().string();
}

std::string write_export(const std::string& path, const std::string& content, std::string* error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path full = fs::absolute(path, ec).lexically_normal();
  if (path.empty() || ec || full.filename().empty()) {
    if (error) *error = "'" + path + "' is not a file name";
    return "";
  }
  fs::create_directories(full.parent_path(), ec);
  std::ofstream out(full, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) {
    if (error) *error = "cannot write " + full.string();
    return "";
  }
  return full.string();
}

}  // namespace ms
