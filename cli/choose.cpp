// mailscope-cli choose: the "which is right for me?" chooser for support staff.
#include <iostream>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include "lesson/chooser.hpp"
#include "lesson/lesson.hpp"
#include "lesson/report.hpp"
#include "util/args.hpp"
#include "util/text.hpp"

int cli_run_lesson(const std::string& id);  // main.cpp

namespace {
const char* kChooseUsage =
    "usage: mailscope-cli choose [--devices N] [--connection always|limited|rare]\n"
    "                            [--offline yes|no] [--storage plenty|limited]\n"
    "                            [--provider other|gmail|microsoft] [--run]\n"
    "Asks the questions it was not given (when run in a terminal), recommends POP3 or IMAP\n"
    "with reasons and settings, and with --run plays the lesson that shows why.\n"
    "--provider is whose mailbox it is: gmail adds the sign-in (OAuth2 or an app password)\n"
    "and leaves the Sent copy to Gmail; microsoft (Microsoft 365 / Exchange) makes the usual\n"
    "answer the app's Exchange account type. Without it the provider is 'other' (when not\n"
    "run in a terminal).\n";

bool yes_no(const std::string& v, bool& out) {
  if (v == "yes" || v == "y") out = true;
  else if (v == "no" || v == "n") out = false;
  else return false;
  return true;
}

std::string ask(const std::string& q) {
  std::cout << q << " " << std::flush;
  std::string a;
  std::getline(std::cin, a);
  return a;
}
}  // namespace

namespace {

struct ChooseArgs {
  ms::ChooserAnswers a;
  bool have_devices = false, have_conn = false, have_offline = false, have_storage = false;
  bool have_provider = false;
  bool run = false;
};

int choose(ChooseArgs args) {
  auto& [a, have_devices, have_conn, have_offline, have_storage, have_provider, run] = args;
#ifdef __EMSCRIPTEN__
  // Under node every stream looks like a terminal; the web build's CLI is run by scripts.
  const bool interactive = false;
#else
  const bool interactive = isatty(0);
#endif
  if (interactive) {
    // Interactive: ask what the flags did not say (until the input ends: Ctrl-D keeps the
    // defaults for the questions left).
    while (!have_devices && std::cin) {
      auto n = ms::parse_number(ask("How many devices (phone, computers, tablet) read this mailbox?"), 3);
      if (n && *n > 0) a.devices = static_cast<int>(*n), have_devices = true;
    }
    while (!have_conn && std::cin)
      have_conn = ms::parse_connection(ask("Is the Internet connection always on, limited, or rare? [always/limited/rare]"), a.connection);
    while (!have_offline && std::cin)
      have_offline = yes_no(ask("Must mail be readable at all times without a connection? [yes/no]"), a.offline_reading);
    while (!have_storage && std::cin) {
      std::string s = ask("Is the mailbox storage at the provider plenty or limited? [plenty/limited]");
      if (s == "plenty" || s == "limited") a.server_storage_limited = s == "limited", have_storage = true;
    }
    while (!have_provider && std::cin)
      have_provider = ms::parse_provider(
          ask("Whose mailbox is it: Gmail, Microsoft 365 / Exchange, or another provider? "
              "[gmail/microsoft/other]"),
          a.provider);
  }
  ms::Recommendation r = ms::recommend(a);
  std::cout << ms::format_recommendation(a, r);
  if (run) {
    std::cout << "\n";
    return cli_run_lesson(r.demo_lesson);
  }
  return 0;
}

}  // namespace

void add_choose(ms::args::Command& cli) {
  auto c = std::make_shared<ChooseArgs>();
  cli.command("choose", kChooseUsage)
      .flag("--run", c->run)
      .number("--devices", "a number from 1", 1, 999,
              [c](std::uint64_t n) {
                c->a.devices = static_cast<int>(n);
                c->have_devices = true;
              })
      .choice("--connection", {"always", "limited", "rare"},
              [c](const std::string& v) { c->have_conn = ms::parse_connection(v, c->a.connection); })
      .choice("--offline", {"yes", "no", "y", "n"},
              [c](const std::string& v) { c->have_offline = yes_no(v, c->a.offline_reading); })
      .choice("--storage", {"plenty", "limited"},
              [c](const std::string& v) {
                c->a.server_storage_limited = v == "limited";
                c->have_storage = true;
              })
      .choice("--provider", {"other", "gmail", "microsoft"},
              [c](const std::string& v) { c->have_provider = ms::parse_provider(v, c->a.provider); })
      .runs([c] { return choose(*c); });
}
