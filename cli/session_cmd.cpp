// mailscope-cli save / load: saved sessions (sim/lesson/session.hpp).
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "lesson/report.hpp"
#include "lesson/session.hpp"
#include "util/args.hpp"
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

struct SaveArgs {
  std::vector<std::string> pos;
  std::optional<std::uint64_t> seed;
};

int save(const SaveArgs& a) {
  const auto& [pos, seed] = a;
  if (pos.size() != 2) throw ms::args::UsageError("save needs a lesson and a file", kSessionUsage);
  std::string path = cli_find_lesson(pos[0]), text;
  if (!slurp(path, text)) return std::cerr << "mailscope-cli: " << path << ": cannot open lesson file\n", 1;
  ms::Lesson L = ms::parse_lesson(text, path);
  std::uint64_t s = seed.value_or(L.seed);
  ms::LessonRun run = ms::run_lesson(L, s);
  std::ofstream out(pos[1], std::ios::binary);
  out << ms::save_session(text, path, s, run);
  if (!out) return std::cerr << "mailscope-cli: " << pos[1] << ": cannot write\n", 1;
  std::cout << "saved " << pos[1] << "\n";
  return 0;
}

int load(const std::vector<std::string>& file) {
  if (file.empty()) throw ms::args::UsageError("load needs one session file", kSessionUsage);
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

}  // namespace

void add_save(ms::args::Command& cli) {
  auto a = std::make_shared<SaveArgs>();
  cli.command("save", kSessionUsage)
      .seed("--seed", a->seed)
      .positionals(a->pos, 2, "a lesson and a file")
      .runs([a] { return save(*a); });
}

void add_load(ms::args::Command& cli) {
  auto file = std::make_shared<std::vector<std::string>>();
  cli.command("load", kSessionUsage)
      .positionals(*file, 1, "one session file")
      .runs([file] { return load(*file); });
}
