#include "options.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "util/args.hpp"
#include "util/datadirs.hpp"

namespace ms {

const char* const kUsage =
    "usage: mailscope [--lesson ID_OR_PATH [--profile ID]] [--seed N]\n"
    "                 [--screenshot FILE.png --frames N] [--start chooser|table|apps]\n"
    "                 [--answers \"DEVICES CONNECTION OFFLINE STORAGE [PROVIDER]\"]\n"
    "                 [--quiz-answers A,B,C] [--predict N] [--task-check SETTINGS]\n"
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
    "                connection always|limited|rare, offline yes|no, storage plenty|limited,\n"
    "                optionally provider gmail|microsoft|other)\n"
    "  --quiz-answers  answer the lesson's quiz (choices from 0, -1 unanswered), Quiz tab shown\n"
    "  --profile     run the lesson with a mail app's defaults on every device\n"
    "                (thunderbird, outlook, apple-mail, k9...), as a table cell opens it\n"
    "  --seed        seed for the run (default: the lesson's seed)\n"
    "  --screenshot  render --frames frames (default 60) and save the last one as PNG\n"
    "  --time        put the time cursor at this many simulated seconds\n"
    "  --step        put the time cursor at the start of the lesson's step K (1-based)\n"
    "  --predict     with --step K: step K's prediction asked (0), or answered with choice N\n"
    "                and marked at the step's end\n"
    "  --task-check  the lesson's task with these settings checked, e.g.\n"
    "                \"phone.delete_when_deleted_locally=true\" (\"\": as the lesson has them)\n"
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
    "  --width/--height  window size (default: the screen's work area, or the size the window\n"
    "                had last time, fitted to the screen; 1600x900 for screenshots, audits and\n"
    "                benchmarks)\n"
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
    "                of each case and its figures (caption and worlds share of the height,\n"
    "                smallest world text, each world's text size, interface text size) and\n"
    "                prints a count by owner. In presenter mode a projector's goals are\n"
    "                checked too: caption <= 22% of the height, worlds >= 60%, world text\n"
    "                >= 14 px, both worlds at one size. --lesson L: that lesson only;\n"
    "                --sweep-sizes 1024x768,... and --sweep-modes normal,presenter,presenter3x:\n"
    "                those sizes and modes only\n"
    "View options, text size and speed are remembered in $XDG_CONFIG_HOME/mailscope (or\n"
    "~/.config/mailscope), except in screenshot runs, which neither read nor write them.\n"
    "Without a display (no DISPLAY or WAYLAND_DISPLAY) the lesson runs headless and its\n"
    "transcript and checks are printed, as `mailscope-cli run` does.\n";

bool parse_args(int argc, char** argv, Options& o, bool& help) {
  args::Parser p("mailscope", kUsage);
  p.stop("-h,--help",
         [&help] {
           help = true;
           return 0;
         })
      .stop("--version",
            [&o] {
              o.version = true;
              return 0;
            })
      .flag("--benchmark", o.benchmark)
      .flag("--json", o.json)
      .flag("--frame-cost", o.frame_cost)
      .flag("--settings", o.settings)
      .flag("--live", o.live)
      .flag("--live-lesson-world", o.live_lesson_world)
      .flag("--no-scaling", [&o] { o.scaling = false; })
      .flag("--presenter", o.presenter)
      .flag("--high-contrast", o.high_contrast)
      .flag("--colour-blind-safe", o.cb_safe)
      .text("--lesson", "a lesson id or file",
            [&o](const std::string& v) {
              o.lesson = v;
              o.lesson_given = true;
            })
      .text("--profile", "a mail app's profile id", o.profile)
      .text("--lessons-dir", "a folder", o.lessons_dir)
      // apps: the table, "with your mail app"
      .choice("--start", {"chooser", "course", "table", "apps"},
              [&o](const std::string& v) { o.start = v == "table" ? 1 : v == "apps" ? 2 : 0; })
      .text("--answers", "the chooser's answers", o.answers)
      .text("--quiz-answers", "a list like 1,0,2", [&o, &p](const std::string& v) {
        // Each choice from 0 (-1: unanswered), separated by commas.
        o.quiz.clear();
        for (std::size_t pos = 0; pos <= v.size();) {
          std::size_t comma = std::min(v.find(',', pos), v.size());
          const std::string n = v.substr(pos, comma - pos);
          const bool ok = n == "-1" || (!n.empty() && n.size() <= 2 &&
                                        n.find_first_not_of("0123456789") == std::string::npos);
          if (!ok) p.fail("--quiz-answers needs a list like 1,0,2, not '" + v + "'");
          o.quiz.push_back(std::stoi(n));
          pos = comma + 1;
        }
      })
      .choice("--bottom", {"transcript", "sequence", "table"},
              [&o](const std::string& v) { o.bottom = v == "transcript" ? 0 : v == "sequence" ? 1 : 2; })
      .text("--intent", "an intent", [&o](const std::string& v) { o.intents.push_back(v); })
      .text("--connect-out", "\"PROTO ADDR:PORT USER PASSWORD\"", o.connect_out)
      .text("--shot-at-unit", "a text", o.shot_unit)
      .text("--sandbox-menu", "a device", o.menu)
      .text("--hover", "OWNER[~TEXT]", o.hover)
      .choice("--open", {"export", "add-device"}, o.open_dialog)
      .text("--screenshot", "a file name", o.screenshot)
      .text("--layout-audit", "a file name", o.layout_audit)
      .text("--layout-audit-sweep", "a file name", o.layout_sweep)
      .text("--sweep-sizes", "a list like 1024x768,1280x720",
            [&o, &p](const std::string& v) {
              o.sweep_sizes.clear();
              for (std::size_t pos = 0; pos <= v.size();) {
                const std::size_t comma = std::min(v.find(',', pos), v.size());
                const std::string one = v.substr(pos, comma - pos);
                int w = 0, h = 0;
                char x = 0, rest = 0;
                if (std::sscanf(one.c_str(), "%d%c%d%c", &w, &x, &h, &rest) != 3 || x != 'x' ||
                    w < 320 || h < 240 || w > 8192 || h > 8192)
                  p.fail("--sweep-sizes needs a list like 1024x768,1280x720, not '" + v + "'");
                o.sweep_sizes.emplace_back(w, h);
                pos = comma + 1;
              }
            })
      .text("--sweep-modes", "a list like normal,presenter,presenter3x",
            [&o, &p](const std::string& v) {
              o.sweep_modes.clear();
              for (std::size_t pos = 0; pos <= v.size();) {
                const std::size_t comma = std::min(v.find(',', pos), v.size());
                const std::string one = v.substr(pos, comma - pos);
                if (one != "normal" && one != "presenter" && one != "presenter3x")
                  p.fail("--sweep-modes takes normal, presenter and presenter3x, not '" + one +
                         "'");
                o.sweep_modes.push_back(one);
                pos = comma + 1;
              }
            })
      .number("--imap-port", "a port from 0 to 65535", 0, 65535, o.imap_port)
      .number("--pop3-port", "a port from 0 to 65535", 0, 65535, o.pop3_port)
      .number("--smtp-port", "a port from 0 to 65535", 0, 65535, o.smtp_port)
      .number("--shot-after-sessions", "a whole number", 0, 1000, o.shot_after_sessions)
      .real("--text-size", "a number from 0.8 to 3", 0.8, 3.0, [&o](double d) { o.text_size = d; })
      .seed("--seed", o.seed)
      .number("--frames", "a whole number", 1, 1000000,
              [&o](std::uint64_t v) {
                o.frames = static_cast<int>(v);
                o.frames_given = true;
              })
      .number("--messages", "a whole number", 0, 1000000, o.messages)
      .real("--time", "a number of seconds", 0, 1e9, [&o](double d) { o.time = d; })
      .number("--step", "a step number from 1", 1, 1000000, o.step)
      .number("--predict", "0 (asked) or a choice number from 1", 0, 9, o.predict)
      .text("--task-check", "settings like phone.leave_on_server=false",
            [&o](const std::string& v) { o.task_check = v; })
      .number("--select", "a message number from 1", 1, 1000000, o.select)
      .number("--width", "a width in pixels", 320, 8192, o.width)
      .number("--height", "a height in pixels", 240, 8192, o.height);
  try {
    if (auto stop = p.parse(std::vector<std::string>(argv + 1, argv + argc))) stop();
  } catch (const args::UsageError& e) {
    std::fprintf(stderr, "mailscope: %s\n\n%s", e.what(), e.usage.c_str());
    return false;
  }
  return true;
}

std::string lessons_dir() { return locate_lessons_dir(); }

}  // namespace ms
