// mailscope-cli save / load: saved sessions (sim/lesson/session.hpp).
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "lesson/report.hpp"
#include "lesson/session.hpp"
#include "util/text.hpp"

std::string cli_lessons_dir();  // main.cpp

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
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--seed" && i + 1 < args.size()) {
      seed = ms::parse_number(args[++i], 19);
      if (!seed) return std::cerr << "mailscope-cli: --seed needs a whole number\n" << kSessionUsage, 2;
    } else if (!args[i].empty() && args[i][0] == '-') {
      return std::cerr << "mailscope-cli: unknown option '" << args[i] << "'\n" << kSessionUsage, 2;
    } else {
      pos.push_back(args[i]);
    }
  }
  if (pos.size() != 2) return std::cerr << "mailscope-cli: save needs a lesson and a file\n" << kSessionUsage, 2;
  std::string path = ms::find_lesson(pos[0], cli_lessons_dir()), text;
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
  if (args.size() != 1 || args[0].empty() || args[0][0] == '-')
    return std::cerr << "mailscope-cli: load needs one session file\n" << kSessionUsage, 2;
  std::string text;
  if (!slurp(args[0], text)) return std::cerr << "mailscope-cli: " << args[0] << ": cannot open\n", 1;
  try {
    ms::LessonRun run = ms::load_session(text, args[0]);
    std::cout << "loaded " << args[0] << ": every trace re-ran byte-identical\n\n"
              << ms::format_transcript(run) << ms::format_checks(run);
    return run.all_pass() ? 0 : 1;
  } catch (const ms::SessionError& e) {
    std::cerr << "mailscope-cli: " << e.what() << "\n";
    return 1;
  }
}
