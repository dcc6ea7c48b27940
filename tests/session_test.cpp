#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "lesson/session.hpp"

using namespace ms;

namespace {
std::string read(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
std::string error_of(const std::string& text) {
  try {
    load_session(text, "s.mailscope");
  } catch (const SessionError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

SCENARIO("a saved session loads back with byte-identical traces") {
  std::string path = std::string(MAILSCOPE_SOURCE_DIR) + "/lessons/synchronisation.json";
  std::string text = read(path);
  LessonRun run = run_lesson(parse_lesson(text, path), 5);
  std::string saved = save_session(text, "synchronisation.json", 5, run);
  LessonRun back = load_session(saved, "s.mailscope");
  REQUIRE(back.worlds.size() == run.worlds.size());
  for (std::size_t i = 0; i < run.worlds.size(); ++i)
    CHECK(back.worlds[i].world->trace().to_jsonl() == run.worlds[i].world->trace().to_jsonl());
  CHECK(save_session(text, "synchronisation.json", 5, back) == saved);

  WHEN("the file is truncated") {
    THEN("loading fails with a clear error") {
      CHECK_THAT(error_of(saved.substr(0, saved.size() / 2)),
                 Catch::StartsWith("s.mailscope: not a readable session file (truncated or corrupt)"));
    }
  }
  WHEN("one byte of a trace is changed") {
    std::string bad = saved;
    bad[bad.find("\\\"kind\\\":\\\"wire\\\"") + 12] = 'X';
    THEN("the digest catches it") {
      CHECK_THAT(error_of(bad), Catch::Contains("trace is damaged"));
    }
  }
  WHEN("the file is something else") {
    CHECK_THAT(error_of("{\"format\": \"zip\"}"), Catch::Contains("not a Mailscope session file"));
    CHECK_THAT(error_of("[]"), Catch::Contains("field 'format' is missing"));
  }
}
