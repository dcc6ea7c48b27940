// mailscope-cli: the headless front end. Runs lessons and prints their wire transcripts and
// expectation results; the GUI's no-display fallback prints the same report.
#include <cerrno>
#include <cstdio>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
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
#include "util/args.hpp"

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
    "         [--storage plenty|limited] [--provider other|gmail|microsoft] [--run]\n"
    "                                   recommend POP3 or IMAP for a customer, with reasons,\n"
    "                                   and play the lesson that shows why; with --provider\n"
    "                                   microsoft the usual answer is an Exchange account\n"
    "  clients [ID] [--format text|json]\n"
    "                                   the mail apps' default settings Mailscope models, each\n"
    "                                   with its source or \"unverified\"\n"
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
    "                                       (over TLS: the TLS records)\n"
    "                                     --tls-keylog F.txt  NSS key log: Wireshark decrypts\n"
    "                                     --sequence F.svg    sequence diagram\n"
    "                                     --mermaid F.mmd     the same as Mermaid\n"
    "                                     --html F.html       a standalone handout page\n"
    "                                       [--transcript-appendix]  with every wire line\n"
    "                                       as an appendix (long: left out by default)\n"
    "                                   without --world, both worlds go into each file\n"
    "  quiz [LESSON...] [--format text|moodle-xml]\n"
    "                                   every quiz question and prediction with its right\n"
    "                                   answer (a prediction's is computed from its run);\n"
    "                                   moodle-xml: a Moodle XML question bank\n"
    "  task LESSON [--set DEVICE.SETTING=VALUE]... [--do DEVICE:ACTION@TIME]... [--json]\n"
    "                                   check the lesson's task with your settings: re-run\n"
    "                                   it and decide each check; exit 0 when all pass\n"
    "  results merge FILE... [--csv OUT] [--html OUT]\n"
    "                                   merge learners' results files into a class summary\n"
    "  help                             this text\n"
    "\n"
    "LESSON is a file (lessons/mail-storage.json) or a lesson id (mail-storage).\n";

// A misuse found after the options are read (a missing lesson, an address that is not one):
// said as the reader says its own.
[[noreturn]] void usage_error(const std::string& msg) { throw ms::args::UsageError(msg, kUsage); }

int help() {
  std::cout << kUsage;
  return 0;
}

// Throws ms::DataDirError (reported by main) when no lessons folder is found.
std::string lessons_dir() { return ms::locate_lessons_dir(); }

// A lesson file needs no lessons folder; an id is looked up in it.
std::string find_lesson_arg(const std::string& id_or_path) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(id_or_path, ec)) return id_or_path;
  return ms::find_lesson(id_or_path, lessons_dir());
}

struct RunArgs {
  std::vector<std::string> lesson;
  std::optional<std::uint64_t> seed;
  bool json = false;
  std::string profile;
};

int run_command(const RunArgs& a) {
  if (a.lesson.empty()) usage_error("run needs a lesson file or id");
  const auto& seed = a.seed;
  const bool json = a.json;
  ms::Lesson L = ms::load_lesson(find_lesson_arg(a.lesson[0]));
  if (!a.profile.empty() && !ms::apply_profile(L, a.profile))
    usage_error("unknown profile '" + a.profile + "'");
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

int lessons(bool ids) {  // ids: one a line, for shell completion
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

int table(const std::string& format, bool explain, const std::string& profile) {
  ms::Pop3Policy p;
  ms::ImapPolicy i;
  if (!profile.empty() && !ms::apply_client_preset(profile, p, i))
    usage_error("unknown profile '" + profile + "'");
  const std::string dir = lessons_dir();
  std::vector<ms::TableRow> rows = ms::compute_table(dir);
  std::vector<ms::AppTableRow> apps = profile.empty() ? ms::compute_app_table(dir, rows)
                                                      : ms::compute_app_table(dir, rows, {profile});
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

struct ExportArgs {
  std::vector<std::string> lesson;
  std::string world;
  std::optional<std::uint64_t> seed;
  std::string transcript, pcap, sequence, mermaid, html;
  bool transcript_appendix = false;  // --html: the transcript as an appendix
  std::string tls_keylog;            // NSS key log of the run's TLS sessions (issue 22)
};

int export_files(const ExportArgs& a) {
  if (a.lesson.empty()) usage_error("export needs a lesson file or id");
  const auto& [lesson, world, seed, transcript, pcap, sequence, mermaid, html, appendix,
               keylog] = a;
  if (transcript.empty() && pcap.empty() && sequence.empty() && mermaid.empty() && html.empty() &&
      keylog.empty())
    usage_error("export needs at least one of --transcript, --pcap, --sequence, --mermaid, --html, --tls-keylog");
  ms::Lesson L = ms::load_lesson(find_lesson_arg(lesson[0]));
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
  if (!keylog.empty()) ok &= write_file(keylog, ms::tls_keylog(worlds));
  if (!sequence.empty())
    ok &= write_file(sequence, ms::sequence_svg(diagram, "Sequence diagram: " + L.title));
  if (!mermaid.empty()) ok &= write_file(mermaid, ms::sequence_mermaid(diagram, L.title));
  if (!html.empty()) ok &= write_file(html, ms::lesson_handout_html(run, rows, {.transcript = appendix}));
  return ok ? 0 : 1;
}

// Records `serve` keeps in memory (between this and twice as many): a few hundred bytes each,
// so tens of megabytes at most however long it runs.
constexpr std::size_t kServeTraceWindow = 50000;

// Live mode: prints one "listening PROTO ADDR:PORT" line per listener, then serves.
struct ServeArgs {
  ms::LiveConfig cfg;
  std::vector<std::pair<std::string, std::string>> accounts;
  std::string lesson, trace_file;
  ms::Proto world = ms::Proto::IMAP;
  bool not_loopback_ok = false;
};

int serve(ServeArgs a) {
  auto& [cfg, accounts, lesson, trace_file, world, not_loopback_ok] = a;
  bool loopback = false;
  if (!ms::parse_bind_address(cfg.bind, loopback))
    usage_error("--bind needs an IP address, not '" + cfg.bind + "'");
  if (!loopback) {
    if (!not_loopback_ok)
      usage_error("--bind " + cfg.bind + " is not a loopback address; add --i-know-this-is-not-loopback");
    // The engines speak plain text: passwords and mail cross the network unencrypted.
    std::cerr << "mailscope-cli: warning: serving on " << cfg.bind
              << ", not loopback: anyone who can reach it can log in, and passwords and mail "
                 "travel unencrypted\n";
  }

  std::unique_ptr<ms::World> w;
  if (!lesson.empty()) {
    ms::Lesson L = ms::load_lesson(find_lesson_arg(lesson));
    w = ms::build_world(L, world, L.seed);
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
struct FetchArgs {
  ms::Proto proto = ms::Proto::None;
  std::string target, user, pass, trace_file;
  bool keep = false, not_loopback_ok = false;
};

int fetch(const FetchArgs& a) {
  const auto& [proto, target, user, pass, trace_file, keep, not_loopback_ok] = a;
  if (proto == ms::Proto::None) usage_error("fetch needs --pop3 or --imap ADDR:PORT");
  if (user.empty() || pass.empty()) usage_error("fetch needs --user and --password");
  auto colon = target.rfind(':');
  auto port = colon == std::string::npos ? std::nullopt
                                          : ms::parse_number(target.substr(colon + 1), 5);
  if (!port || *port == 0 || *port > 65535) usage_error("fetch needs ADDR:PORT, not '" + target + "'");
  std::string host = target.substr(0, colon);
  bool loopback = false;
  if (!ms::parse_bind_address(host, loopback)) usage_error("fetch needs an IP address, not '" + host + "'");
  if (!loopback && !not_loopback_ok)
    usage_error(host + " is not a loopback address; add --i-know-this-is-not-loopback");

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

// The subcommands. Each declares its options on its own Command and says what it runs once
// they are read; another subcommand is one more such function and one line in main().

void add_run(ms::args::Command& cli) {
  auto a = std::make_shared<RunArgs>();
  cli.command("run", kUsage)
      .seed("--seed", a->seed)
      .flag("--json", a->json)
      .text("--profile", "a mail app's profile id", a->profile)
      .positionals(a->lesson, 1, "one lesson")
      .runs([a] { return run_command(*a); });
}

void add_lessons(ms::args::Command& cli) {
  auto ids = std::make_shared<bool>(false);
  cli.command("lessons", kUsage).flag("--ids", *ids).runs([ids] { return lessons(*ids); });
}

void add_table(ms::args::Command& cli) {
  auto format = std::make_shared<std::string>("md");
  auto explain = std::make_shared<bool>(false);
  auto profile = std::make_shared<std::string>();
  cli.command("table", kUsage)
      .choice("--format", {"md", "html", "json"}, *format)
      .flag("--explain", *explain)
      .text("--profile", "a mail app's profile id", *profile)
      .runs([format, explain, profile] { return table(*format, *explain, *profile); });
}

void add_export(ms::args::Command& cli) {
  auto a = std::make_shared<ExportArgs>();
  ms::args::Command& c = cli.command("export", kUsage);
  const std::pair<const char*, std::string*> outputs[] = {
      {"--transcript", &a->transcript}, {"--pcap", &a->pcap}, {"--sequence", &a->sequence},
      {"--mermaid", &a->mermaid}, {"--html", &a->html}, {"--tls-keylog", &a->tls_keylog}};
  for (const auto& [name, dest] : outputs)
    c.text(name, "a file name", [&c, name = std::string(name), dest = dest](const std::string& v) {
      if (v.empty()) c.fail(name + " needs a file name");
      *dest = v;
    });
  c.flag("--transcript-appendix", a->transcript_appendix);
  c.choice("--world", {"pop3", "imap"}, a->world)
      .seed("--seed", a->seed)
      .positionals(a->lesson, 1, "one lesson")
      .runs([a] { return export_files(*a); });
}

void add_serve(ms::args::Command& cli) {
  auto a = std::make_shared<ServeArgs>();
  ms::args::Command& c = cli.command("serve", kUsage);
  for (auto [name, port] : {std::pair{"--imap-port", &a->cfg.imap_port},
                            std::pair{"--pop3-port", &a->cfg.pop3_port},
                            std::pair{"--smtp-port", &a->cfg.smtp_port}})
    c.number(name, "a port from 0 to 65535", 0, 65535, *port);
  c.text("--account", "NAME:PASSWORD",
         [&c, a](const std::string& v) {
           auto colon = v.find(':');
           if (colon == std::string::npos || colon == 0 || colon + 1 == v.size())
             c.fail("--account needs NAME:PASSWORD with a non-empty password, not '" + v + "'");
           a->accounts.emplace_back(v.substr(0, colon), v.substr(colon + 1));
         })
      .text("--lesson", "a lesson file or id", a->lesson)
      .choice("--world", {"pop3", "imap"},
              [a](const std::string& v) {
                a->world = v == "pop3" ? ms::Proto::POP3 : ms::Proto::IMAP;
              })
      .number("--max-connections", "a number from 1", 1, 100000, a->cfg.max_connections)
      .number("--idle-timeout", "a number of seconds from 1", 1, 9999999,
              [a](std::uint64_t s) {
                a->cfg.idle_imap = a->cfg.idle_pop3 = a->cfg.idle_smtp =
                    static_cast<ms::Tick>(s) * ms::kSecond;
              })
      .text("--save-trace", "a file name", a->trace_file)
      .text("--bind", "an address", a->cfg.bind)
      .flag("--i-know-this-is-not-loopback", a->not_loopback_ok)
      .runs([a] { return serve(*a); });
}

void add_fetch(ms::args::Command& cli) {
  auto a = std::make_shared<FetchArgs>();
  ms::args::Command& c = cli.command("fetch", kUsage);
  for (const auto& p : {std::pair{"--pop3", ms::Proto::POP3}, std::pair{"--imap", ms::Proto::IMAP}})
    c.text(p.first, "ADDR:PORT", [a, proto = p.second](const std::string& v) {
      a->proto = proto;
      a->target = v;
    });
  c.text("--user", "a name", a->user)
      .text("--password", "a password", a->pass)
      .text("--save-trace", "a file name", a->trace_file)
      .flag("--keep", a->keep)
      .flag("--i-know-this-is-not-loopback", a->not_loopback_ok)
      .runs([a] { return fetch(*a); });
}

}  // namespace

void add_choose(ms::args::Command& cli);  // choose.cpp
void add_clients(ms::args::Command& cli);  // clients.cpp
void add_save(ms::args::Command& cli);    // session_cmd.cpp
void add_load(ms::args::Command& cli);
void add_assess(ms::args::Command& cli);  // assess_cmd.cpp: quiz, task, results
std::string cli_find_lesson(const std::string& id) { return find_lesson_arg(id); }
bool cli_write_file(const std::string& path, const std::string& text) { return write_file(path, text); }
int cli_run_lesson(const std::string& id) { return run_command(RunArgs{{id}, std::nullopt, false}); }

int main(int argc, char** argv) {
#ifdef MAILSCOPE_LESSONS_DIR
  ms::set_builtin_lessons_dir(MAILSCOPE_LESSONS_DIR);  // the web build's lessons
#endif
  ms::args::Parser cli("mailscope-cli", kUsage);
  // Global options stand anywhere on the line, before or after the command.
  cli.everywhere([](ms::args::Command& c) {
    c.stop("-h,--help", [&c] {
       std::cout << c.usage();
       return 0;
     })
        .stop("--version",
              [] {
                std::cout << ms::version_line("mailscope-cli") << "\n";
                return 0;
              })
        .text("--lessons-dir", "a folder", [&c](const std::string& v) {
          if (v.empty()) c.fail("--lessons-dir needs a folder");
          ms::set_lessons_dir_flag(v);
        });
  });
  add_run(cli);
  add_lessons(cli);
  add_serve(cli);
  add_fetch(cli);
  add_choose(cli);
  add_clients(cli);
  add_save(cli);
  add_load(cli);
  add_table(cli);
  add_export(cli);
  add_assess(cli);
  cli.command("help", kUsage).runs(help);
  try {
    std::function<int()> action = cli.parse({argv + 1, argv + argc});
    if (!action) usage_error("no command given");
    return action();
  } catch (const ms::args::UsageError& e) {
    std::cerr << "mailscope-cli: " << e.what() << "\n\n" << e.usage;
    return 2;
  } catch (const ms::LessonError& e) {
    std::cerr << "mailscope-cli: " << e.what() << "\n";
    return 1;
  } catch (const ms::DataDirError& e) {
    std::cerr << "mailscope-cli: " << e.what() << "\n";
    return 1;
  }
}
