// mailscope-cli: the headless front end. Runs lessons and prints their wire transcripts and
// expectation results; the GUI's no-display fallback prints the same report.
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "lesson/lesson.hpp"
#include "lesson/report.hpp"
#include "lesson/table.hpp"
#include "export/handout.hpp"
#include "export/pcap.hpp"
#include "export/sequence.hpp"
#include "util/text.hpp"

#ifndef MAILSCOPE_LESSONS_DIR
#define MAILSCOPE_LESSONS_DIR "lessons"
#endif

namespace {

const char* kUsage =
    "usage: mailscope-cli <command> [options]\n"
    "\n"
    "commands:\n"
    "  run LESSON [--seed N] [--json]   run a lesson in its POP3 and IMAP worlds; print each\n"
    "                                   world's wire transcript and every expectation with\n"
    "                                   pass/fail; exit 0 only if all pass. --json prints the\n"
    "                                   traces as JSON Lines instead of the transcript.\n"
    "  lessons                          list the lessons with their titles and rows\n"
    "  choose [--devices N] [--connection always|limited|rare] [--offline yes|no]\n"
    "         [--storage plenty|limited] [--run]\n"
    "                                   recommend POP3 or IMAP for a customer, with reasons,\n"
    "                                   and play the lesson that shows why\n"
    "  table [--format md|html|json] [--explain]\n"
    "                                   run the row lessons in both worlds and print the\n"
    "                                   IMAP/POP3 comparison table decided from the runs;\n"
    "                                   --explain adds what each cell was decided from\n"
    "  export LESSON [--world pop3|imap] [--seed N] OUTPUTS...\n"
    "                                   run a lesson and write files; OUTPUTS (at least one):\n"
    "                                     --transcript F.txt  the wire transcript (as run)\n"
    "                                     --pcap F.pcap       TCP/IP capture for Wireshark\n"
    "                                     --sequence F.svg    sequence diagram\n"
    "                                     --mermaid F.mmd     the same as Mermaid\n"
    "                                     --html F.html       a standalone handout page\n"
    "                                   without --world, both worlds go into each file\n"
    "  help                             this text\n"
    "\n"
    "LESSON is a file (lessons/mail-storage.json) or a lesson id (mail-storage).\n";

int usage_error(const std::string& msg) {
  std::cerr << "mailscope-cli: " << msg << "\n\n" << kUsage;
  return 2;
}

std::string lessons_dir() {
  if (std::filesystem::is_directory("lessons")) return "lessons";
  return MAILSCOPE_LESSONS_DIR;
}

int cmd_run(const std::vector<std::string>& args) {
  std::string lesson;
  std::optional<std::uint64_t> seed;
  bool json = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--seed") {
      if (i + 1 >= args.size()) return usage_error("--seed needs a number");
      auto n = ms::parse_number(args[++i], 19);
      if (!n) return usage_error("--seed needs a whole number, not '" + args[i] + "'");
      seed = *n;
    } else if (a == "--json") {
      json = true;
    } else if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (!a.empty() && a[0] == '-') {
      return usage_error("unknown option '" + a + "'");
    } else if (lesson.empty()) {
      lesson = a;
    } else {
      return usage_error("run takes one lesson, got '" + lesson + "' and '" + a + "'");
    }
  }
  if (lesson.empty()) return usage_error("run needs a lesson file or id");
  ms::Lesson L;
  try {
    L = ms::load_lesson(ms::find_lesson(lesson, lessons_dir()));
  } catch (const ms::LessonError& e) {
    std::cerr << "mailscope-cli: " << e.what() << "\n";
    return 1;
  }
  ms::LessonRun run = ms::run_lesson(L, seed);
  if (json) {
    for (const auto& wr : run.worlds) {
      nlohmann::ordered_json head;
      head["world"] = wr.world->label();
      head["lesson"] = L.id;
      head["seed"] = seed.value_or(L.seed);
      std::cout << head.dump() << "\n" << wr.world->trace().to_jsonl();
    }
  } else {
    std::cout << ms::format_transcript(run) << ms::format_checks(run);
  }
  return run.all_pass() ? 0 : 1;
}

int cmd_lessons() {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(lessons_dir()))
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  int bad = 0;
  for (const auto& f : files) {
    try {
      ms::Lesson L = ms::load_lesson(f);
      std::string rows;
      for (const auto& r : L.rows) rows += (rows.empty() ? "" : ", ") + r;
      std::printf("%-22s %-48s %10s  %s\n", L.id.c_str(), L.title.c_str(),
                  ms::format_time(L.duration).c_str(), rows.c_str());
    } catch (const ms::LessonError& e) {
      std::cerr << "mailscope-cli: " << e.what() << "\n";
      ++bad;
    }
  }
  return bad ? 1 : 0;
}

int cmd_table(const std::vector<std::string>& args) {
  std::string format = "md";
  bool explain = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--format") {
      if (i + 1 >= args.size()) return usage_error("--format needs md, html or json");
      format = args[++i];
      if (format != "md" && format != "html" && format != "json")
        return usage_error("--format takes md, html or json, not '" + format + "'");
    } else if (a == "--explain") {
      explain = true;
    } else if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else {
      return usage_error("table takes no argument '" + a + "'");
    }
  }
  std::vector<ms::TableRow> rows;
  try {
    rows = ms::compute_table(lessons_dir());
  } catch (const ms::LessonError& e) {
    std::cerr << "mailscope-cli: " << e.what() << "\n";
    return 1;
  }
  if (format == "json") std::cout << ms::format_table_json(rows);
  else if (format == "html") std::cout << ms::format_table_html(rows, explain);
  else std::cout << ms::format_table_md(rows, explain);
  return 0;
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  f.close();
  if (!f) {
    std::cerr << "mailscope-cli: cannot write " << path << "\n";
    return false;
  }
  std::cout << "wrote " << path << "\n";
  return true;
}

int cmd_export(const std::vector<std::string>& args) {
  std::string lesson, world;
  std::optional<std::uint64_t> seed;
  std::string transcript, pcap, sequence, mermaid, html;
  const std::pair<const char*, std::string*> outputs[] = {
      {"--transcript", &transcript}, {"--pcap", &pcap}, {"--sequence", &sequence},
      {"--mermaid", &mermaid}, {"--html", &html}};
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string* out = nullptr;
    for (const auto& [name, dest] : outputs)
      if (a == name) out = dest;
    if (out) {
      if (i + 1 >= args.size() || args[i + 1].empty())
        return usage_error(a + " needs a file name");
      *out = args[++i];
    } else if (a == "--world") {
      if (i + 1 >= args.size()) return usage_error("--world needs pop3 or imap");
      world = args[++i];
      if (world != "pop3" && world != "imap")
        return usage_error("--world takes pop3 or imap, not '" + world + "'");
    } else if (a == "--seed") {
      if (i + 1 >= args.size()) return usage_error("--seed needs a number");
      auto n = ms::parse_number(args[++i], 19);
      if (!n) return usage_error("--seed needs a whole number, not '" + args[i] + "'");
      seed = *n;
    } else if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (!a.empty() && a[0] == '-') {
      return usage_error("unknown option '" + a + "'");
    } else if (lesson.empty()) {
      lesson = a;
    } else {
      return usage_error("export takes one lesson, got '" + lesson + "' and '" + a + "'");
    }
  }
  if (lesson.empty()) return usage_error("export needs a lesson file or id");
  if (transcript.empty() && pcap.empty() && sequence.empty() && mermaid.empty() && html.empty())
    return usage_error(
        "export needs at least one of --transcript, --pcap, --sequence, --mermaid, --html");
  ms::Lesson L;
  try {
    L = ms::load_lesson(ms::find_lesson(lesson, lessons_dir()));
  } catch (const ms::LessonError& e) {
    std::cerr << "mailscope-cli: " << e.what() << "\n";
    return 1;
  }
  ms::LessonRun run = ms::run_lesson(L, seed);
  // The comparison rows need both worlds, so they are decided before --world narrows the run.
  std::vector<ms::TableRow> rows = ms::decide_rows(run);
  if (!world.empty()) {
    ms::Proto want = world == "imap" ? ms::Proto::IMAP : ms::Proto::POP3;
    std::erase_if(run.worlds, [&](const ms::WorldRun& wr) { return wr.world->proto() != want; });
    if (run.worlds.empty()) {
      std::cerr << "mailscope-cli: lesson '" << L.id << "' has no " << world << " world\n";
      return 1;
    }
  }
  std::vector<const ms::World*> worlds;
  std::vector<ms::DiagramWorld> diagram;
  for (const auto& wr : run.worlds) {
    worlds.push_back(wr.world.get());
    diagram.push_back({wr.world.get(), wr.world->label() + " world: " + L.title});
  }
  bool ok = true;
  if (!transcript.empty()) ok &= write_file(transcript, ms::format_transcript(run));
  if (!pcap.empty()) {
    auto frames = ms::pcap_frames(worlds);
    std::string err = ms::write_pcap(frames, pcap);
    if (!err.empty()) {
      std::cerr << "mailscope-cli: " << err << "\n";
      ok = false;
    } else {
      std::cout << "wrote " << pcap << " (" << frames.size() << " frames)\n";
    }
  }
  if (!sequence.empty())
    ok &= write_file(sequence, ms::sequence_svg(diagram, "Sequence diagram: " + L.title));
  if (!mermaid.empty()) ok &= write_file(mermaid, ms::sequence_mermaid(diagram, L.title));
  if (!html.empty()) ok &= write_file(html, ms::lesson_handout_html(run, rows));
  return ok ? 0 : 1;
}

}  // namespace

int cli_choose(const std::vector<std::string>& args);  // choose.cpp
int cli_run_lesson(const std::string& id) { return cmd_run({id}); }

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return usage_error("no command given");
  std::string cmd = args[0];
  args.erase(args.begin());
  if (cmd == "help" || cmd == "--help" || cmd == "-h") {
    std::cout << kUsage;
    return 0;
  }
  if (cmd == "run") return cmd_run(args);
  if (cmd == "lessons") return cmd_lessons();
  if (cmd == "choose") return cli_choose(args);
  if (cmd == "table") return cmd_table(args);
  if (cmd == "export") return cmd_export(args);
  return usage_error("unknown command '" + cmd + "'");
}
