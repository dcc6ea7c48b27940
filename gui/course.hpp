#pragma once
// The course: every lesson, grouped by the comparison-table row it shows, in the suggested
// order of lessons/course.json ({"groups": [{"row": "...", "lessons": ["id", ...]}]}), each
// with its one-line takeaway. Without course.json, or for lessons it does not list, lessons
// are grouped by their first row, by file name. No ImGui in here (tested headless).
#include <map>
#include <string>
#include <vector>

namespace ms {

struct CourseLesson {
  std::string id, title, takeaway, file;
  std::vector<std::string> rows;
  std::vector<int> quiz_answers;  // the right choice per quiz question
  int steps = 0;
};

struct CourseGroup {
  std::string row;  // "mail storage", ..., or "More lessons"
  std::vector<CourseLesson> lessons;
};

struct Course {
  std::vector<CourseGroup> groups;
  std::vector<std::string> errors;  // lessons or course.json entries that could not be used
  // The lesson after `id` in the suggested order ("" at the end or when unknown).
  std::string next_after(const std::string& id) const;
  const CourseLesson* find(const std::string& id) const;
  std::size_t size() const;
};

// Reads every lesson in `dir` and dir/course.json if present. Never throws: malformed files
// are listed in `errors` (with the loader's message, which names file, line and field).
Course load_course(const std::string& dir);

// Quiz answers and lessons seen, kept in the config directory (progress.json) between runs.
struct Progress {
  struct Entry {
    bool seen = false;
    std::vector<int> answers;  // per question, -1 unanswered
  };
  std::map<std::string, Entry> lessons;
  // Right answers and questions, from the lesson's answer key.
  std::pair<int, int> score(const CourseLesson& l) const;
};
// Missing or malformed files give an empty progress (the file is advisory).
Progress load_progress(const std::string& path);
bool save_progress(const std::string& path, const Progress& p);

// Where File -> Export writes by default: ~/Documents/Mailscope when ~/Documents exists, else
// `start_dir` (the directory the app was started in); always an absolute path.
std::string default_export_dir(const std::string& home, const std::string& start_dir);
// Writes `content` to `path`, creating its directory. Returns the absolute path written, or ""
// with *error saying why.
std::string write_export(const std::string& path, const std::string& content, std::string* error);

}  // namespace ms
