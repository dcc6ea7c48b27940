// mailscope-cli save / load: saved sessions (sim/lesson/session.hpp).
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "lesson/report.hpp"
#include "lesson/session.hpp"
#include "cli/args.hpp"
#include "util/text.hpp"

std::string cli_find_lesson(const std::string& id);  // main.cpp

namespace {
const char* kSessionUsage =
    "usage: mailscope-cli save LESSON FILE.mailscope [--seed N]\n"
    "       mailscope-cli load FILE.mailscope\n";

bool slurp(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}
}  // namespace

int cli_save(const std::vector<std::string>& args) {
  std::vector<std::string> pos;
  std::optional<std::uint64_t> seed;
  for (cli::Args a(args, kSessionUsage); a.next();) {
    if (a.is("--seed")) seed = a.number("a whole number", 0, 9999999999999999999ull);
    else a.positional(pos, 2, "save", "a lesson and a file");
  }
  if (pos.size() != 2) throw cli::UsageError("save needs a lesson and a file", kSessionUsage);
  std::string path = cli_find_lesson(pos[0]), text;
  if (!slurp(path, text)) return std::cerr << "mailscope-cli: " << path << ": cannot open lesson file\n", 1;
  try {
    ms::Lesson L = ms::parse_lesson(text, path);
    std::uint64_t s = seed.value_or(L.seed);
    ms::LessonRun run = ms::run_lesson(L, s);
    std::ofstream out(pos[1], std::ios::binary);
    out << ms::save_session(text, path, s, run);
    if (!out) return std::cerr << "mailscope-cli: " << pos[1] << ": cannot write\n", 1;
  } catch (const ms::LessonError& e) {
    std::cerr << "mailscope-cli: " << e.what() << "\n";
    return 1;
  }
  std::cout << "saved " << pos[1] << "\n";
  return 0;
}

int cli_load(const std::vector<std::string>& args) {
  std::vector<std::string> file;
  for (cli::Args a(args, kSessionUsage); a.next();)
    a.positional(file, 1, "load", "one session file");
  if (file.empty()) throw cli::UsageError("load needs one session file", kSessionUsage);
  std::string text;
  if (!slurp(file[0], text)) return std::cerr << "mailscope-cli: " << file[0] << ": cannot open\n", 1;
  try {
    ms::LessonRun run = ms::load_session(text, file[0]);
    std::cout << "loaded " << file[0] << ": every trace re-ran byte-identical\n\n"
              << ms::format_transcript(run) << ms::format_checks(run);
    return run.all_pass() ? 0 : 1;
  } catch (const ms::SessionError& e) {
    std::cerr << "mailscope-cli: " << e.what() << "\n";
    return 1;
  }
}
