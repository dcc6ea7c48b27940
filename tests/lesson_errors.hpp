#pragma once
// What a malformed lesson text is refused with, for the tests of the lesson file's reader.
#include <string>

#include "lesson/lesson.hpp"

namespace ms_test {

// The LessonError message parse_lesson gives `text` (read as "bad.json"); empty when accepted.
inline std::string error_of(const std::string& text) {
  try {
    ms::parse_lesson(text, "bad.json");
  } catch (const ms::LessonError& e) {
    return e.what();
  }
  return "";
}

}  // namespace ms_test
