#include "util/datadirs.hpp"

#include <cstdlib>
#include <filesystem>
#include <system_error>

// Written at build time by cmake/version.cmake; absent in builds that do not generate it
// (the web build passes MAILSCOPE_VERSION itself).
#if __has_include("mailscope_version.h")
#include "mailscope_version.h"
#endif
#ifndef MAILSCOPE_VERSION
#define MAILSCOPE_VERSION "unknown"
#endif
#ifndef MAILSCOPE_GIT_DESCRIBE
#define MAILSCOPE_GIT_DESCRIBE ""
#endif

namespace fs = std::filesystem;

namespace ms {
namespace {

fs::path exe_path() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe;
}

// <exe>/../share/mailscope: where an install puts the data, wherever the prefix ended up.
std::string exe_share_dir() {
  const fs::path exe = exe_path();
  if (exe.empty()) return "";
  return (exe.parent_path().parent_path() / "share" / "mailscope").string();
}

// The source tree is looked in only by programs run from the build tree they were made in:
// the same binary, installed or packaged, must find the installed lessons, not those of the
// checkout it happened to be built from (which may be newer, or gone).
bool in_build_tree() {
#ifdef MAILSCOPE_BUILD_DIR
  const std::string exe = exe_path().string();
  const std::string dir = std::string(MAILSCOPE_BUILD_DIR) + "/";
  return exe.compare(0, dir.size(), dir) == 0;
#else
  return false;
#endif
}

bool is_dir(const std::string& p) {
  std::error_code ec;
  return !p.empty() && fs::is_directory(p, ec);
}

std::string& lessons_flag() {
  static std::string flag;
  return flag;
}

std::string& builtin_lessons() {
  static std::string dir;
  return dir;
}

std::string& builtin_assets() {
  static std::string dir;
  return dir;
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

}  // namespace

std::vector<DataCandidate> lessons_dir_candidates(const std::string& flag) {
  std::vector<DataCandidate> c;
  if (!flag.empty()) c.push_back({flag, "--lessons-dir", true});
  if (const std::string e = env("MAILSCOPE_LESSONS_DIR"); !e.empty())
    c.push_back({e, "$MAILSCOPE_LESSONS_DIR", true});
  if (!builtin_lessons().empty()) c.push_back({builtin_lessons(), "built in"});
#ifdef MAILSCOPE_SOURCE_DIR
  if (in_build_tree()) c.push_back({std::string(MAILSCOPE_SOURCE_DIR) + "/lessons", "source tree"});
#endif
  if (const std::string s = exe_share_dir(); !s.empty())
    c.push_back({s + "/lessons", "next to the program"});
#ifdef MAILSCOPE_DATA_DIR
  c.push_back({std::string(MAILSCOPE_DATA_DIR) + "/lessons", "install prefix"});
#endif
  return c;
}

void set_lessons_dir_flag(const std::string& flag) { lessons_flag() = flag; }
void set_builtin_lessons_dir(const std::string& dir) { builtin_lessons() = dir; }
void set_builtin_assets_dir(const std::string& dir) { builtin_assets() = dir; }

std::string locate_lessons_dir(const std::string& flag) {
  const auto cands = lessons_dir_candidates(flag.empty() ? lessons_flag() : flag);
  std::string looked;
  for (const auto& c : cands) {
    looked += "\n  " + c.path + " (" + c.why + ")";
    if (is_dir(c.path)) return c.path;
    if (c.named)
      throw DataDirError("no lessons folder at " + c.path + ", given by " + c.why);
  }
  throw DataDirError("no lessons folder found; looked in:" + looked +
                     "\nname one with --lessons-dir DIR or $MAILSCOPE_LESSONS_DIR");
}

std::string find_asset(const std::string& rel) {
  std::vector<std::string> c;
  if (const std::string e = env("MAILSCOPE_ASSETS_DIR"); !e.empty()) c.push_back(e);
  if (!builtin_assets().empty()) c.push_back(builtin_assets());
#if defined(MAILSCOPE_BUILD_ASSETS_DIR) && defined(MAILSCOPE_SOURCE_DIR)
  if (in_build_tree()) {
    c.push_back(MAILSCOPE_BUILD_ASSETS_DIR);
    c.push_back(std::string(MAILSCOPE_SOURCE_DIR) + "/assets");
  }
#endif
  if (const std::string s = exe_share_dir(); !s.empty()) c.push_back(s + "/assets");
#ifdef MAILSCOPE_DATA_DIR
  c.push_back(std::string(MAILSCOPE_DATA_DIR) + "/assets");
#endif
  std::error_code ec;
  for (const auto& p : c)
    if (fs::is_regular_file(fs::path(p) / rel, ec)) return (fs::path(p) / rel).string();
  return "";
}

const char* version() { return MAILSCOPE_VERSION; }
const char* git_describe() { return MAILSCOPE_GIT_DESCRIBE; }

std::string version_line(const std::string& program) {
  std::string s = program + " " + version();
  if (*git_describe()) s += std::string(" (git ") + git_describe() + ")";
  return s;
}

}  // namespace ms
