// Lesson text -> ms::parse_lesson. LessonError is the expected answer to bad input; any other
// exception escapes and libFuzzer reports it.
#include "fuzz_util.hpp"
#include "lesson/lesson.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)ms::parse_lesson(text, "fuzz.json");
  } catch (const ms::LessonError&) {
  }
  return 0;
}
