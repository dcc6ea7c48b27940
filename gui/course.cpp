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

std::pair<int, int> Progress::score(const CourseLesson& l) const {
  int right = 0;
  const int total = static_cast<int>(l.quiz_answers.size());
  auto it = lessons.find(l.id);
  if (it != lessons.end())
    for (int q = 0; q < total && q < static_cast<int>(it->second.answers.size()); ++q)
      right += it->second.answers[q] == l.quiz_answers[q];
  return {right, total};
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
    if (v.contains("answers") && v["answers"].is_array())
      for (const json& a : v["answers"])
        e.answers.push_back(a.is_number_integer() ? std::clamp(a.get<int>(), -1, 99) : -1);
    p.lessons[id] = std::move(e);
  }
  return p;
}

bool save_progress(const std::string& path, const Progress& p) {
  json j;
  j["lessons"] = json::object();
  for (const auto& [id, e] : p.lessons)
    j["lessons"][id] = {{"seen", e.seen}, {"answers", e.answers}};
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
