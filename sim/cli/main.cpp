// mailscope-cli: the headless front end. Runs lessons and prints their wire transcripts and
// expectation results; the GUI's no-display fallback prints the same report.
#include <cerrno>
#include <cstdio>
#include <cctype>
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
#include "live/live_client.hpp"
#include "live/live_server.hpp"
#include "proto/imap/imap_client.hpp"
#include "proto/pop3/pop3_client.hpp"
#include "util/datadirs.hpp"
#include "util/text.hpp"
#include "cli/args.hpp"


namespace {

const char* kUsage =
    "usage: mailscope-cli [--lessons-dir DIR] <command> [options]\n"
    "       mailscope-cli --version\n"
    "\n"
    "Runs Mailscope's lessons without a window: the POP3 and IMAP worlds side by side, their\n"
    "wire transcripts, checks, comparison table and exports; serves the simulated mail\n"
    "server to real mail clients (live mode).\n"
    "\n"
    "options:\n"
    "  --lessons-dir DIR                where the lessons are; otherwise $MAILSCOPE_LESSONS_DIR,\n"
    "                                   then the source tree the program was built from, then\n"
    "                                   the install prefix (share/mailscope/lessons)\n"
    "  --version                        print the version and exit\n"
    "\n"
    "commands:\n"
    "  run LESSON [--seed N] [--json] [--profile ID]\n"
    "                                   run a lesson in its POP3 and IMAP worlds; print each\n"
    "                                   world's wire transcript and every expectation with\n"
    "                                   pass/fail; exit 0 only if all pass. --json prints the\n"
    "                                   traces as JSON Lines instead of the transcript.\n"
    "                                   --profile gives every device a mail app's defaults\n"
    "                                   (thunderbird, outlook, apple-mail, k9...)\n"
    "  lessons [--ids]                  list the lessons with their titles and rows (--ids:\n"
    "                                   only their ids, one a line)\n"
    "  serve [options]                  live mode: serve the simulated mail server to real\n"
    "                                   mail clients until SIGINT/SIGTERM\n"
    "      --imap-port N                IMAP port (default 1143; 0 picks a free port)\n"
    "      --pop3-port N                POP3 port (default 1110)\n"
    "      --smtp-port N                SMTP submission port (default 1587)\n"
    "      --account NAME:PASSWORD      add an account (repeatable; default alice:secret\n"
    "                                   unless a lesson gives accounts)\n"
    "      --lesson LESSON              set up the lesson's world and run its script in\n"
    "                                   real time\n"
    "      --world pop3|imap            which of the lesson's worlds (default imap)\n"
    "      --max-connections N          connections at once (default 256); more get the\n"
    "                                   protocol's \"too busy\" reply\n"
    "      --idle-timeout SECONDS       close idle sessions after this long (default: the\n"
    "                                   RFC minimums, IMAP 30 min, POP3 10, SMTP 5)\n"
    "      --save-trace FILE            write the trace as JSON Lines as it grows (only\n"
    "                                   the last records stay in memory)\n"
    "      --bind ADDR                  listen address (default 127.0.0.1); any other than\n"
    "                                   loopback also needs --i-know-this-is-not-loopback\n"
    "  fetch (--pop3|--imap) ADDR:PORT --user U --password P [--keep] [--save-trace F]\n"
    "                                   live mode, connect-out: the simulated POP3/IMAP client\n"
    "                                   engine runs one session against a real server (e.g.\n"
    "                                   Dovecot) and prints the transcript; exit 0 when the\n"
    "                                   session ended normally without an error reply.\n"
    "                                   --keep leaves POP3 mail on the server. Loopback only\n"
    "                                   unless --i-know-this-is-not-loopback.\n"
    "  save LESSON FILE [--seed N]      run a lesson and save the session (lesson, seed, traces)\n"
    "  load FILE                        load a saved session: re-run it, require byte-identical\n"
    "                                   traces, print its transcript and checks\n"
    "  choose [--devices N] [--connection always|limited|rare] [--offline yes|no]\n"
    "         [--storage plenty|limited] [--run]\n"
    "                                   recommend POP3 or IMAP for a customer, with reasons,\n"
    "                                   and play the lesson that shows why\n"
    "  table [--format md|html|json] [--explain] [--profile ID]\n"
    "                                   run the row lessons in both worlds and print the\n"
    "                                   IMAP/POP3 comparison table decided from the runs:\n"
    "                                   the textbook answer, then each mail app's answer\n"
    "                                   with the setting it depends on (--profile: only\n"
    "                                   that app); --explain adds what each cell was\n"
    "                                   decided from\n"
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

int help() {
  std::cout << kUsage;
  return 0;
}

constexpr std::uint64_t kMaxSeed = 9999999999999999999ull;  // any 19-digit number

// Throws ms::DataDirError (reported by main) when no lessons folder is found.
std::string lessons_dir() { return ms::locate_lessons_dir(); }

// A lesson file needs no lessons folder; an id is looked up in it.
std::string find_lesson_arg(const std::string& id_or_path) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(id_or_path, ec)) return id_or_path;
  return ms::find_lesson(id_or_path, lessons_dir());
}

int cmd_run(const std::vector<std::string>& args) {
  std::vector<std::string> lesson;
  std::optional<std::uint64_t> seed;
  bool json = false;
  std::string profile;
  for (cli::Args a(args, kUsage); a.next();) {
    if (a.is("--seed")) seed = a.number("a whole number", 0, kMaxSeed);
    else if (a.is("--json")) json = true;
    else if (a.is("--profile")) profile = a.value("a mail app's profile id");
    else if (a.help()) return help();
    else a.positional(lesson, 1, "run", "one lesson");
  }
  if (lesson.empty()) return usage_error("run needs a lesson file or id");
  ms::Lesson L;
  try {
    L = ms::load_lesson(find_lesson_arg(lesson[0]));
  } catch (const ms::LessonError& e) {
    std::cerr << "mailscope-cli: " << e.what() << "\n";
    return 1;
  }
  if (!profile.empty() && !ms::apply_profile(L, profile))
    return usage_error("unknown profile '" + profile + "'");
  ms::LessonRun run = ms::run_lesson(L, seed);
  if (json) {
    for (const auto& wr : run.worlds) {
      nlohmann::ordered_json head;
      head["world"] = wr.world->label();
      head["lesson"] = L.id;
      head["seed"] = seed.value_or(L.seed);
      // Each expectation with the step it belongs to (1-based, as the lesson names it; 0 for
      // none) and the sim time in microseconds it was decided at.
      nlohmann::ordered_json checks = nlohmann::ordered_json::array();
      for (const auto& c : wr.checks)
        checks.push_back({{"step", c.step + 1}, {"t", c.at}, {"time", ms::format_time(c.at)},
                          {"pass", c.pass}, {"says", c.description}, {"observed", c.observed}});
      head["checks"] = checks;
      std::cout << head.dump() << "\n" << wr.world->trace().to_jsonl();
    }
  } else {
    std::cout << ms::format_transcript(run) << ms::format_checks(run);
  }
  return run.all_pass() ? 0 : 1;
}

int cmd_lessons(const std::vector<std::string>& args) {
  bool ids = false;  // one id a line, for shell completion
  std::vector<std::string> none;
  for (cli::Args a(args, kUsage); a.next();) {
    if (a.is("--ids")) ids = true;
    else if (a.help()) return help();
    else a.positional(none, 0, "lessons", "nothing");
  }
  std::vector<std::string> files = ms::lesson_files(lessons_dir());
  int bad = 0;
  for (const auto& f : files) {
    try {
      ms::Lesson L = ms::load_lesson(f);
      if (ids) {
        std::printf("%s\n", L.id.c_str());
        continue;
      }
      std::string rows;
      for (const auto& r : L.rows) rows += (rows.empty() ? "" : ", ") + r;
      if (rows.empty()) rows = "(no table row)";
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
  std::string profile;
  std::vector<std::string> none;
  for (cli::Args a(args, kUsage); a.next();) {
    if (a.is("--format")) format = a.choice({"md", "html", "json"});
    else if (a.is("--explain")) explain = true;
    else if (a.is("--profile")) profile = a.value("a mail app's profile id");
    else if (a.help()) return help();
    else a.positional(none, 0, "table", "");
  }
  ms::Pop3Policy p;
  ms::ImapPolicy i;
  if (!profile.empty() && !ms::apply_client_preset(profile, p, i))
    return usage_error("unknown profile '" + profile + "'");
  std::vector<ms::TableRow> rows;
  std::vector<ms::AppTableRow> apps;
  try {
    const std::string dir = lessons_dir();
    rows = ms::compute_table(dir);
    apps = profile.empty() ? ms::compute_app_table(dir, rows)
                           : ms::compute_app_table(dir, rows, {profile});
  } catch (const ms::LessonError& e) {
    std::cerr << "mailscope-cli: " << e.what() << "\n";
    return 1;
  }
  if (format == "json") std::cout << ms::format_table_json(rows, apps);
  else if (format == "html") std::cout << ms::format_table_html(rows, apps, explain);
  else std::cout << ms::format_table_md(rows, apps, explain);
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
  std::vector<std::string> lesson;
  std::string world;
  std::optional<std::uint64_t> seed;
  std::string transcript, pcap, sequence, mermaid, html;
  const std::pair<const char*, std::string*> outputs[] = {
      {"--transcript", &transcript}, {"--pcap", &pcap}, {"--sequence", &sequence},
      {"--mermaid", &mermaid}, {"--html", &html}};
  for (cli::Args a(args, kUsage); a.next();) {
    std::string* out = nullptr;
    for (const auto& [name, dest] : outputs)
      if (a.is(name)) out = dest;
    if (out) {
      const std::string opt = a.arg();
      *out = a.value("a file name");
      if (out->empty()) a.fail(opt + " needs a file name");
    } else if (a.is("--world")) {
      world = a.choice({"pop3", "imap"});
    } else if (a.is("--seed")) {
      seed = a.number("a whole number", 0, kMaxSeed);
    } else if (a.help()) {
      return help();
    } else {
      a.positional(lesson, 1, "export", "one lesson");
    }
  }
  if (lesson.empty()) return usage_error("export needs a lesson file or id");
  if (transcript.empty() && pcap.empty() && sequence.empty() && mermaid.empty() && html.empty())
    return usage_error(
        "export needs at least one of --transcript, --pcap, --sequence, --mermaid, --html");
  ms::Lesson L;
  try {
    L = ms::load_lesson(find_lesson_arg(lesson[0]));
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

// Records `serve` keeps in memory (between this and twice as many): a few hundred bytes each,
// so tens of megabytes at most however long it runs.
constexpr std::size_t kServeTraceWindow = 50000;

// Live mode: prints one "listening PROTO ADDR:PORT" line per listener, then serves.
int cmd_serve(const std::vector<std::string>& args) {
  ms::LiveConfig cfg;
  std::vector<std::pair<std::string, std::string>> accounts;
  std::string lesson, trace_file;
  ms::Proto world = ms::Proto::IMAP;
  bool not_loopback_ok = false;
  for (cli::Args a(args, kUsage); a.next();) {
    auto port = [&] { return static_cast<int>(a.number("a port from 0 to 65535", 0, 65535)); };
    if (a.is("--imap-port")) {
      cfg.imap_port = port();
    } else if (a.is("--pop3-port")) {
      cfg.pop3_port = port();
    } else if (a.is("--smtp-port")) {
      cfg.smtp_port = port();
    } else if (a.is("--account")) {
      const std::string& v = a.value("NAME:PASSWORD");
      auto colon = v.find(':');
      if (colon == std::string::npos || colon == 0 || colon + 1 == v.size())
        a.fail("--account needs NAME:PASSWORD with a non-empty password, not '" + v + "'");
      accounts.emplace_back(v.substr(0, colon), v.substr(colon + 1));
    } else if (a.is("--lesson")) {
      lesson = a.value("a lesson file or id");
    } else if (a.is("--world")) {
      world = a.choice({"pop3", "imap"}) == "pop3" ? ms::Proto::POP3 : ms::Proto::IMAP;
    } else if (a.is("--max-connections")) {
      cfg.max_connections = a.number("a number from 1", 1, 100000);
    } else if (a.is("--idle-timeout")) {
      auto s = static_cast<ms::Tick>(a.number("a number of seconds from 1", 1, 9999999));
      cfg.idle_imap = cfg.idle_pop3 = cfg.idle_smtp = s * ms::kSecond;
    } else if (a.is("--save-trace")) {
      trace_file = a.value("a file name");
    } else if (a.is("--bind")) {
      cfg.bind = a.value("an address");
    } else if (a.is("--i-know-this-is-not-loopback")) {
      not_loopback_ok = true;
    } else if (a.help()) {
      return help();
    } else {
      a.fail("unknown serve option '" + a.arg() + "'");
    }
  }
  bool loopback = false;
  if (!ms::parse_bind_address(cfg.bind, loopback))
    return usage_error("--bind needs an IP address, not '" + cfg.bind + "'");
  if (!loopback) {
    if (!not_loopback_ok)
      return usage_error("--bind " + cfg.bind +
                         " is not a loopback address; add --i-know-this-is-not-loopback");
    // The engines speak plain text: passwords and mail cross the network unencrypted.
    std::cerr << "mailscope-cli: warning: serving on " << cfg.bind
              << ", not loopback: anyone who can reach it can log in, and passwords and mail "
                 "travel unencrypted\n";
  }

  std::unique_ptr<ms::World> w;
  if (!lesson.empty()) {
    try {
      ms::Lesson L = ms::load_lesson(find_lesson_arg(lesson));
      w = ms::build_world(L, world, L.seed);
    } catch (const ms::LessonError& e) {
      std::cerr << "mailscope-cli: " << e.what() << "\n";
      return 1;
    }
  } else {
    w = std::make_unique<ms::World>("live", world, 1);
    if (accounts.empty()) accounts.emplace_back("alice", "secret");
  }
  for (const auto& [name, pw] : accounts) {
    if (ms::Account* acc = w->server().find(name)) acc->password = pw;
    else w->add_account(name, pw);
  }

  // However long it serves, memory stays bounded: records stream to the file as they are made
  // (a crash loses none) and only a window of recent ones stays in memory.
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> trace_out(nullptr, &std::fclose);
  if (!trace_file.empty()) {
    trace_out.reset(std::fopen(trace_file.c_str(), "wb"));
    if (!trace_out) {
      std::cerr << "mailscope-cli: cannot write " << trace_file << ": " << std::strerror(errno)
                << "\n";
      return 1;
    }
    w->trace().stream_to(trace_out.get());
  }
  w->trace().keep_last(kServeTraceWindow);
  // Declared after the file and before the server: the server's goodbyes are still written
  // when it is destroyed, and nothing is written once the file is closed.
  struct StopStreaming {
    ms::Trace& trace;
    ~StopStreaming() { trace.stream_to(nullptr); }
  } stop_streaming{w->trace()};

  ms::LiveServer server(*w, cfg);
  try {
    for (const auto& l : server.listen()) {
      std::string p = ms::proto_name(l.proto);
      for (auto& ch : p) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      std::cout << "listening " << p << " " << l.address << ":" << l.port << "\n";
    }
  } catch (const ms::LiveError& e) {
    std::cerr << "mailscope-cli: " << e.what() << "\n";
    return 1;
  }
  std::cout.flush();
  server.run();
  if (!w->trace().stream_error().empty()) {
    std::cerr << "mailscope-cli: " << trace_file << ": " << w->trace().stream_error() << "\n";
    return 1;
  }
  return 0;
}

// Connect-out: one client engine session against a real server.
int cmd_fetch(const std::vector<std::string>& args) {
  ms::Proto proto = ms::Proto::None;
  std::string target, user, pass, trace_file;
  bool keep = false, not_loopback_ok = false;
  for (cli::Args a(args, kUsage); a.next();) {
    if (a.is("--pop3") || a.is("--imap")) {
      proto = a.is("--pop3") ? ms::Proto::POP3 : ms::Proto::IMAP;
      target = a.value("ADDR:PORT");
    } else if (a.is("--user")) {
      user = a.value("a name");
    } else if (a.is("--password")) {
      pass = a.value("a password");
    } else if (a.is("--save-trace")) {
      trace_file = a.value("a file name");
    } else if (a.is("--keep")) {
      keep = true;
    } else if (a.is("--i-know-this-is-not-loopback")) {
      not_loopback_ok = true;
    } else if (a.help()) {
      return help();
    } else {
      a.fail("unknown fetch option '" + a.arg() + "'");
    }
  }
  if (proto == ms::Proto::None) return usage_error("fetch needs --pop3 or --imap ADDR:PORT");
  if (user.empty() || pass.empty()) return usage_error("fetch needs --user and --password");
  auto colon = target.rfind(':');
  auto port = colon == std::string::npos ? std::nullopt
                                          : ms::parse_number(target.substr(colon + 1), 5);
  if (!port || *port == 0 || *port > 65535)
    return usage_error("fetch needs ADDR:PORT, not '" + target + "'");
  std::string host = target.substr(0, colon);
  bool loopback = false;
  if (!ms::parse_bind_address(host, loopback))
    return usage_error("fetch needs an IP address, not '" + host + "'");
  if (!loopback && !not_loopback_ok)
    return usage_error(host + " is not a loopback address; add --i-know-this-is-not-loopback");

  ms::World w("live", proto, 1);
  std::unique_ptr<ms::Engine> client;
  if (proto == ms::Proto::POP3) {
    ms::Pop3Plan plan;
    plan.user = user;
    plan.pass = pass;
    plan.delete_after_download = !keep;
    client = std::make_unique<ms::Pop3Client>(plan);
  } else {
    ms::ImapPlan plan;
    plan.user = user;
    plan.pass = pass;
    plan.mailboxes.push_back({});
    client = std::make_unique<ms::ImapClient>(plan);
  }
  ms::LiveClientResult r = ms::run_live_client(w, "mailscope", proto, host,
                                               static_cast<int>(*port), std::move(client));
  std::cout << ms::format_world_transcript(w);
  int got = 0;
  bool refused = false;  // a -ERR / NO / BAD the session did not expect (wrong password...)
  for (const auto& e : r.events) {
    got += e.kind == ms::EngineEvent::MessageDownloaded;
    refused = refused || e.kind == ms::EngineEvent::Error;
  }
  std::cout << "downloaded " << got << " message(s)\n";
  if (!trace_file.empty()) {
    std::ofstream f(trace_file, std::ios::binary);
    f << w.trace().to_jsonl();
  }
  if (!r.error.empty()) std::cerr << "mailscope-cli: " << r.error << "\n";
  return r.connected && r.finished && r.error.empty() && !refused ? 0 : 1;
}

}  // namespace

int cli_choose(const std::vector<std::string>& args);  // choose.cpp
int cli_save(const std::vector<std::string>& args);    // session_cmd.cpp
int cli_load(const std::vector<std::string>& args);
std::string cli_find_lesson(const std::string& id) { return find_lesson_arg(id); }
int cli_run_lesson(const std::string& id) { return cmd_run({id}); }

int dispatch(const std::string& cmd, const std::vector<std::string>& args) {
  if (cmd == "help" || cmd == "--help" || cmd == "-h") return help();
  if (cmd == "run") return cmd_run(args);
  if (cmd == "lessons") return cmd_lessons(args);
  if (cmd == "serve") return cmd_serve(args);
  if (cmd == "fetch") return cmd_fetch(args);
  if (cmd == "choose") return cli_choose(args);
  if (cmd == "save") return cli_save(args);
  if (cmd == "load") return cli_load(args);
  if (cmd == "table") return cmd_table(args);
  if (cmd == "export") return cmd_export(args);
  return usage_error("unknown command '" + cmd + "'");
}

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
#ifdef MAILSCOPE_LESSONS_DIR
  ms::set_builtin_lessons_dir(MAILSCOPE_LESSONS_DIR);  // the web build's lessons
#endif
  // Global options, taken out wherever they stand so that no subcommand has to know them.
  for (std::size_t i = 0; i < args.size();) {
    if (args[i] == "--version") {
      std::cout << ms::version_line("mailscope-cli") << "\n";
      return 0;
    }
    if (args[i] == "--lessons-dir") {
      if (i + 1 >= args.size() || args[i + 1].empty())
        return usage_error("--lessons-dir needs a folder");
      ms::set_lessons_dir_flag(args[i + 1]);
      args.erase(args.begin() + static_cast<std::ptrdiff_t>(i),
                 args.begin() + static_cast<std::ptrdiff_t>(i) + 2);
      continue;
    }
    ++i;
  }
  if (args.empty()) return usage_error("no command given");
  std::string cmd = args[0];
  args.erase(args.begin());
  try {
    return dispatch(cmd, args);
  } catch (const cli::UsageError& e) {
    std::cerr << "mailscope-cli: " << e.what() << "\n\n" << e.usage;
    return 2;
  } catch (const ms::DataDirError& e) {
    std::cerr << "mailscope-cli: " << e.what() << "\n";
    return 1;
  }
}
