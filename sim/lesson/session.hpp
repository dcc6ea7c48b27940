#pragma once
// Saved sessions: a lesson run stored in one file (the lesson's own text, the seed and both
// worlds' traces) that loads back exactly. Loading re-runs the stored lesson with the stored
// seed and requires the regenerated traces to be byte-identical to the stored ones, so a
// loaded session is the same run, not an approximation; a truncated, corrupt or mismatching
// file is rejected whole with an error that says what is wrong.
#include <optional>
#include <string>

#include "lesson/lesson.hpp"

namespace ms {

struct SessionError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The file's text (JSON). `lesson_text` is the lesson file as loaded.
std::string save_session(const std::string& lesson_text, const std::string& lesson_name,
                         std::uint64_t seed, const LessonRun& run);
// Parses and verifies a saved session; throws SessionError (never returns a partial run).
LessonRun load_session(const std::string& text, const std::string& file);

}  // namespace ms
