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
// A quiz is scored on each question's first answer: changing a wrong answer after reading
// the feedback is a retry, recorded separately (right_on_retry), never a higher score.
struct Progress {
  struct Entry {
    bool seen = false;
    std::vector<int> answers;  // per question, the latest answer (-1 unanswered)
    std::vector<int> first;    // per question, the first answer (-1 unanswered)
    // The first answer to question q (a file written before first answers were kept: the
    // answer it has).
    int first_answer(std::size_t q) const;
  };
  std::map<std::string, Entry> lessons;
  // First answers right, and questions, from the lesson's answer key.
  std::pair<int, int> score(const CourseLesson& l) const;
  // Questions whose first answer was wrong and whose latest is right.
  int right_on_retry(const CourseLesson& l) const;
};
// Records `choice` as the answer to question q of a lesson with `questions` questions: the
// latest answer always, the first answer only once.
void record_answer(Progress::Entry& e, std::size_t q, int choice, std::size_t questions);
// The feedback line under an answer: the verdict once ("Right: ...", "Not quite: ..."), even
// when the lesson's own feedback starts with one ("Right: ...", "No: ...").
std::string quiz_feedback(bool right, const std::string& why);
// "Continue": the first lesson of the suggested order not yet seen ("" when all are).
std::string continue_lesson(const Course& c, const Progress& p);
// The whole course at a glance: "5 of 17 lessons seen, 21 of 39 quiz answers right" (first
// answers, as Progress::score counts them).
std::string progress_summary(const Course& c, const Progress& p);
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
