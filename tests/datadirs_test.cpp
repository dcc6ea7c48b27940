// Where the programs find their lessons: the order the README and --help promise, and errors
// that name every place looked in.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "util/datadirs.hpp"

namespace fs = std::filesystem;

// [native]: about where a program built on this machine is; the web build's node suite, whose
// program has no path of its own, leaves them out.

namespace {

// Sets an environment variable for one test and restores it after.
struct EnvVar {
  EnvVar(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old, had_ = true;
    if (value) setenv(name, value, 1);
    else unsetenv(name);
  }
  ~EnvVar() {
    if (had_) setenv(name_, old_.c_str(), 1);
    else unsetenv(name_);
  }
  const char* name_;
  std::string old_;
  bool had_ = false;
};

fs::path scratch_dir(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("mailscope-datadirs-" + name);
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

}  // namespace

TEST_CASE("lesson folders are looked for in the documented order", "[datadirs][native]") {
  EnvVar env("MAILSCOPE_LESSONS_DIR", "/env/lessons");
  const auto c = ms::lessons_dir_candidates("/flag/lessons");
  REQUIRE(c.size() >= 4);
  CHECK(c[0].path == "/flag/lessons");
  CHECK(c[0].why == "--lessons-dir");
  CHECK(c[1].path == "/env/lessons");
  CHECK(c[1].why == "$MAILSCOPE_LESSONS_DIR");
  // The test binary runs from the build tree, so the source tree comes next...
  CHECK(c[2].path == std::string(MAILSCOPE_SOURCE_DIR) + "/lessons");
  CHECK(c[2].why == "source tree");
  // ...and the install prefix last.
  CHECK(c.back().why == "install prefix");
  CHECK(c.back().path.size() > std::string("/share/mailscope/lessons").size());
}

TEST_CASE("the lessons-dir flag wins over the environment and the source tree", "[datadirs]") {
  const fs::path flag = scratch_dir("flag"), env_dir = scratch_dir("env");
  EnvVar env("MAILSCOPE_LESSONS_DIR", env_dir.c_str());
  CHECK(ms::locate_lessons_dir(flag.string()) == flag.string());
  CHECK(ms::locate_lessons_dir("") == env_dir.string());
}

TEST_CASE("without flag or environment, a build-tree program uses its source tree's lessons",
          "[datadirs][native]") {
  EnvVar env("MAILSCOPE_LESSONS_DIR", nullptr);
  ms::set_lessons_dir_flag("");
  CHECK(ms::locate_lessons_dir() == std::string(MAILSCOPE_SOURCE_DIR) + "/lessons");
}

TEST_CASE("a lessons folder the user names but that does not exist is an error, not skipped",
          "[datadirs]") {
  EnvVar env("MAILSCOPE_LESSONS_DIR", nullptr);
  try {
    ms::locate_lessons_dir("/no/such/lessons");
    FAIL("no error");
  } catch (const ms::DataDirError& e) {
    CHECK(std::string(e.what()) == "no lessons folder at /no/such/lessons, given by --lessons-dir");
  }
  EnvVar env2("MAILSCOPE_LESSONS_DIR", "/no/env/lessons");
  CHECK_THROWS_WITH(ms::locate_lessons_dir(),
                    "no lessons folder at /no/env/lessons, given by $MAILSCOPE_LESSONS_DIR");
}

TEST_CASE("the flag given once is used by later lookups that are not handed it", "[datadirs]") {
  const fs::path flag = scratch_dir("later");
  EnvVar env("MAILSCOPE_LESSONS_DIR", nullptr);
  ms::set_lessons_dir_flag(flag.string());
  CHECK(ms::locate_lessons_dir() == flag.string());
  ms::set_lessons_dir_flag("");
}

TEST_CASE("assets are found file by file, the environment's folder first", "[datadirs][native]") {
  const fs::path dir = scratch_dir("assets");
  { std::FILE* f = std::fopen((dir / "glossary.json").c_str(), "w"); std::fclose(f); }
  EnvVar env("MAILSCOPE_ASSETS_DIR", dir.c_str());
  CHECK(ms::find_asset("glossary.json") == (dir / "glossary.json").string());
  // A file the environment's folder lacks is looked for further on (the source tree's SVG).
  CHECK(ms::find_asset("icons/mailscope.svg") ==
        std::string(MAILSCOPE_SOURCE_DIR) + "/assets/icons/mailscope.svg");
  CHECK(ms::find_asset("no-such-asset.txt").empty());
}

TEST_CASE("the version line names the program and the project version", "[datadirs]") {
  const std::string v = ms::version();
  CHECK(v.find('.') != std::string::npos);
  const std::string line = ms::version_line("mailscope-cli");
  CHECK(line.rfind("mailscope-cli " + v, 0) == 0);
}
