#include "options.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "util/datadirs.hpp"

namespace ms {

const char* const kUsage =
    "usage: mailscope [--lesson ID_OR_PATH [--profile ID]] [--seed N] [--screenshot FILE.png --frames N]\n"
    "                 [--start chooser|table|apps] [--answers \"DEVICES CONNECTION OFFLINE STORAGE\"]\n"
    "                 [--quiz-answers A,B,C]\n"
    "                 [--time SECONDS | --step K] [--select N] [--bottom transcript|sequence|table]\n"
    "                 [--presenter] [--high-contrast] [--colour-blind-safe] [--text-size X]\n"
    "                 [--intent \"DEVICE ACTION [N] at SECONDS\"]... [--width W --height H]\n"
    "       mailscope --live [--imap-port N] [--pop3-port N] [--smtp-port N]\n"
    "                 [--live-lesson-world] [--connect-out \"PROTO ADDR:PORT USER PASS\"]\n"
    "                 [--screenshot FILE.png [--shot-after-sessions K [--shot-at-unit TEXT]]\n"
    "                 [--frames N]]\n"
    "       mailscope --benchmark [--frames N] [--messages M] [--json]\n"
    "       mailscope --version\n"
    "Mailscope shows, side by side, why POP3 and IMAP behave differently: a simulated mail\n"
    "server and devices speak real POP3, IMAP and SMTP, and every command, copy and device\n"
    "state is drawn.\n"
    "       mailscope --frame-cost [--lesson L] [--step K | --time S] [--width W --height H]\n"
    "       mailscope [--lesson L] [--step K] [--width W --height H] [--presenter]\n"
    "                 --layout-audit FILE.json\n"
    "       mailscope --layout-audit-sweep FILE.json\n"
    "  --lesson      lesson id (from the lessons directory) or path to a lesson file\n"
    "                (without it the app opens on the start screen: the course, the chooser\n"
    "                and the comparison table; File > Lessons (Ctrl+O) reopens it)\n"
    "  --lessons-dir DIR  where the lessons are; otherwise $MAILSCOPE_LESSONS_DIR, then the\n"
    "                source tree the program was built from, then the install prefix\n"
    "                (share/mailscope/lessons)\n"
    "  --version     print the version and exit\n"
    "  --start       open on the start screen with the chooser or the whole comparison table\n"
    "                (apps: the table's \"with your mail app\" view)\n"
    "  --answers     fill the chooser's form, e.g. \"2 limited yes plenty\" (devices,\n"
    "                connection always|limited|rare, offline yes|no, storage plenty|limited)\n"
    "  --quiz-answers  answer the lesson's quiz (choices from 0, -1 unanswered), Quiz tab shown\n"
    "  --profile     run the lesson with a mail app's defaults on every device\n"
    "                (thunderbird, outlook, apple-mail, k9...), as a table cell opens it\n"
    "  --seed        seed for the run (default: the lesson's seed)\n"
    "  --screenshot  render --frames frames (default 60) and save the last one as PNG\n"
    "  --time        put the time cursor at this many simulated seconds\n"
    "  --step        put the time cursor at the start of the lesson's step K (1-based)\n"
    "  --select      select scenario message N: its copies light up with their sync badges\n"
    "  --bottom      bottom panel: transcript (default), sequence (the sequence diagram) or\n"
    "                table (the comparison table)\n"
    "  --intent      a sandbox action, e.g. \"phone read 1 at 30\": the lesson re-runs with it\n"
    "  --sandbox-menu DEVICE  open that device's sandbox menu (POP3 world; for screenshots)\n"
    "  --open export|add-device  open File > Export or the toolbar's Add device menu at start\n"
    "  --hover OWNER[~TEXT]  with --screenshot: rest the pointer on the first drawn item whose\n"
    "                layout audit owner starts with OWNER (and whose text contains TEXT), e.g.\n"
    "                \"transcript/IMAP/line:~IDLE\", so that its hover tip shows; prints the\n"
    "                glossary terms the tip explains\n"
    "  --settings    show the sandbox Settings tab instead of the Inspector\n"
    "  --presenter, --high-contrast, --colour-blind-safe  start with that view option on\n"
    "  --text-size X  text size, 0.8 to 3 (of presenter mode with --presenter)\n"
    "  --width/--height  window size (default 1600x900)\n"
    "  --live        live mode: serve the simulated mail server to real mail clients on\n"
    "                127.0.0.1 (as `mailscope-cli serve`) and show their sessions; prints one\n"
    "                line per listener, \"listening imap 127.0.0.1:PORT\", before accepting\n"
    "  --imap-port, --pop3-port, --smtp-port N  the live listeners' ports (default 1143,\n"
    "                1110, 1587; 0 picks a free port)\n"
    "  --live-lesson-world  serve the lesson's IMAP world (its accounts, devices and script)\n"
    "                instead of a default world with the account alice, password secret\n"
    "  --shot-after-sessions K  with --live --screenshot: take the screenshot once K live\n"
    "                sessions have ended and the display has caught up with them; --frames\n"
    "                (default 3000) is then a limit, reaching it fails the run\n"
    "  --connect-out \"PROTO ADDR:PORT USER PASSWORD\"  at start-up, connect the simulated\n"
    "                client engine (imap or pop3) to a real server, as the Live panel's form\n"
    "                does; loopback only; PORT \"live\" is this GUI's own listener\n"
    "  --shot-at-unit TEXT  with --shot-after-sessions: then put the time cursor on the last\n"
    "                unit whose first line contains TEXT (e.g. STORE), crossing its link\n"
    "  --benchmark   build a synthetic run in code (both worlds, 4 devices each, a server\n"
    "                mailbox of --messages M messages (default 10000), >= 100,000 trace\n"
    "                records per world), render --frames N frames (default 300) of the app\n"
    "                with the cursor moving across the run and N frames of Dear ImGui's demo\n"
    "                window, and print CPU ms per frame (median, p95), the app/demo ratio,\n"
    "                the scaling over 100..100,000 messages and the time to the first frame;\n"
    "                --json prints the same as JSON; --no-scaling measures only M messages.\n"
    "                Run it under xvfb-run.\n"
    "  --frame-cost  play the lesson (or, with --step/--time, hold that moment) for 700 frames,\n"
    "                then show Dear ImGui's demo window for 700, and print the whole process's\n"
    "                CPU ms per frame over frames 100..700 of each (GL driver and rasteriser\n"
    "                threads included), their ratio, and the app's frame function alone\n"
    "                (main thread CPU and wall ms: comparable with the browser's)\n"
    "  --layout-audit FILE.json  draw the frame (as --screenshot would, at the cursor of\n"
    "                --step or --time) and write every text, chip, box and label the panels\n"
    "                drew with its rectangle, and the defects: items of unrelated owners that\n"
    "                overlap, items cut by their panel; exits 1 when there is one\n"
    "  --layout-audit-sweep FILE.json  the same for every lesson at every step, at 1024x768,\n"
    "                1280x720, 1920x1080 and 3840x2160, normal, presenter and presenter with\n"
    "                3x text, in one process\n"
    "                (run under xvfb-run -s \"-screen 0 3840x2160x24\"); writes the defects\n"
    "                of each case and prints a count by owner\n"
    "View options, text size and speed are remembered in $XDG_CONFIG_HOME/mailscope (or\n"
    "~/.config/mailscope), except in screenshot runs, which neither read nor write them.\n"
    "Without a display (no DISPLAY or WAYLAND_DISPLAY) the lesson runs headless and its\n"
    "transcript and checks are printed, as `mailscope-cli run` does.\n";

bool parse_args(int argc, char** argv, Options& o, bool& help) {
  auto num = [](const char* s, double& out) {
    char* end = nullptr;
    out = std::strtod(s, &end);
    return end && end != s && *end == '\0';
  };
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      help = true;
      return true;
    }
    if (a == "--version") {
      o.version = true;
      return true;
    }
    if (a == "--benchmark" || a == "--json") {
      (a == "--benchmark" ? o.benchmark : o.json) = true;
      continue;
    }
    if (a == "--frame-cost") {
      o.frame_cost = true;
      continue;
    }
    if (a == "--settings") {
      o.settings = true;
      continue;
    }
    if (a == "--live" || a == "--live-lesson-world") {
      (a == "--live" ? o.live : o.live_lesson_world) = true;
      continue;
    }
    if (a == "--no-scaling") {
      o.scaling = false;
      continue;
    }
    if (a == "--presenter" || a == "--high-contrast" || a == "--colour-blind-safe") {
      (a == "--presenter" ? o.presenter : a == "--high-contrast" ? o.high_contrast : o.cb_safe) =
          true;
      continue;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "mailscope: %s needs a value (or unknown option)\n%s", a.c_str(),
                   kUsage);
      return false;
    }
    const char* v = argv[++i];
    double d = 0;
    if (a == "--lesson") {
      o.lesson = v;
      o.lesson_given = true;
    } else if (a == "--profile") {
      o.profile = v;
    } else if (a == "--lessons-dir") {
      o.lessons_dir = v;
    } else if (a == "--start") {
      if (std::strcmp(v, "chooser") == 0 || std::strcmp(v, "course") == 0) o.start = 0;
      else if (std::strcmp(v, "table") == 0) o.start = 1;
      else if (std::strcmp(v, "apps") == 0) o.start = 2;  // the table, "with your mail app"
      else {
        std::fprintf(stderr, "mailscope: --start: '%s' is not chooser, table or apps\n", v);
        return false;
      }
    } else if (a == "--answers") {
      o.answers = v;
    } else if (a == "--quiz-answers") {
      for (const char* p = v; *p;) {
        char* end = nullptr;
        const long n = std::strtol(p, &end, 10);
        if (end == p || n < -1 || n > 99 || (*end != ',' && *end != '\0')) {
          std::fprintf(stderr, "mailscope: --quiz-answers: '%s' is not a list like 1,0,2\n", v);
          return false;
        }
        o.quiz.push_back(static_cast<int>(n));
        p = *end ? end + 1 : end;
      }
    } else if (a == "--bottom") {
      if (std::strcmp(v, "transcript") == 0) o.bottom = 0;
      else if (std::strcmp(v, "sequence") == 0) o.bottom = 1;
      else if (std::strcmp(v, "table") == 0) o.bottom = 2;
      else {
        std::fprintf(stderr, "mailscope: --bottom: '%s' is not transcript, sequence or table\n", v);
        return false;
      }
    } else if (a == "--intent") {
      o.intents.push_back(v);
    } else if (a == "--connect-out") {
      o.connect_out = v;
    } else if (a == "--shot-at-unit") {
      o.shot_unit = v;
    } else if (a == "--sandbox-menu") {
      o.menu = v;
    } else if (a == "--hover") {
      o.hover = v;
    } else if (a == "--open") {
      if (std::strcmp(v, "export") != 0 && std::strcmp(v, "add-device") != 0) {
        std::fprintf(stderr, "mailscope: --open: '%s' is not export or add-device\n", v);
        return false;
      }
      o.open_dialog = v;
    } else if (a == "--screenshot") {
      o.screenshot = v;
    } else if (a == "--layout-audit") {
      o.layout_audit = v;
    } else if (a == "--layout-audit-sweep") {
      o.layout_sweep = v;
    } else if (a == "--imap-port" || a == "--pop3-port" || a == "--smtp-port" ||
               a == "--shot-after-sessions") {
      char* end = nullptr;
      const long n = std::strtol(v, &end, 10);
      const long most = a == "--shot-after-sessions" ? 1000 : 65535;
      if (!end || end == v || *end != '\0' || n < 0 || n > most) {
        std::fprintf(stderr, "mailscope: %s: '%s' is not a number from 0 to %ld\n", a.c_str(), v,
                     most);
        return false;
      }
      (a == "--imap-port"   ? o.imap_port
       : a == "--pop3-port" ? o.pop3_port
       : a == "--smtp-port" ? o.smtp_port
                            : o.shot_after_sessions) = static_cast<int>(n);
    } else if (a == "--text-size") {
      if (!num(v, d) || d < 0.8 || d > 3.0) {
        std::fprintf(stderr, "mailscope: --text-size: '%s' is not a number from 0.8 to 3\n", v);
        return false;
      }
      o.text_size = d;
    } else if (a == "--seed" || a == "--frames" || a == "--time" || a == "--width" ||
               a == "--height" || a == "--step" || a == "--select" || a == "--messages") {
      if (!num(v, d) || d < 0 || (a != "--time" && d != static_cast<double>(static_cast<long long>(d)))) {
        std::fprintf(stderr, "mailscope: %s: '%s' is not a valid number\n", a.c_str(), v);
        return false;
      }
      if (a == "--seed") o.seed = static_cast<std::uint64_t>(d);
      else if (a == "--frames") {
        o.frames = std::max(1, static_cast<int>(std::min(d, 1e6)));
        o.frames_given = true;
      }
      else if (a == "--messages") o.messages = static_cast<int>(std::min(d, 1e6));
      else if (a == "--time") o.time = d;
      else if ((a == "--step" || a == "--select") && d < 1) {
        std::fprintf(stderr, "mailscope: %s counts from 1\n", a.c_str());
        return false;
      } else if (a == "--step") o.step = static_cast<int>(std::min(d, 1e6));
      else if (a == "--select") o.select = static_cast<int>(std::min(d, 1e6));
      else if (a == "--width") o.width = std::clamp(static_cast<int>(d), 320, 8192);
      else o.height = std::clamp(static_cast<int>(d), 240, 8192);
    } else {
      std::fprintf(stderr, "mailscope: unknown option %s\n%s", a.c_str(), kUsage);
      return false;
    }
  }
  return true;
}

std::string lessons_dir() { return locate_lessons_dir(); }

}  // namespace ms
