// mailscope-cli choose: the "which is right for me?" chooser for support staff.
#include <iostream>
#include <string>
#include <unistd.h>
#include <vector>

#include "lesson/chooser.hpp"
#include "lesson/lesson.hpp"
#include "lesson/report.hpp"
#include "cli/args.hpp"
#include "util/text.hpp"

int cli_run_lesson(const std::string& id);  // main.cpp

namespace {
const char* kChooseUsage =
    "usage: mailscope-cli choose [--devices N] [--connection always|limited|rare]\n"
    "                            [--offline yes|no] [--storage plenty|limited] [--run]\n"
    "Asks the questions it was not given (when run in a terminal), recommends POP3 or IMAP\n"
    "with reasons and settings, and with --run plays the lesson that shows why.\n";

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

int cli_choose(const std::vector<std::string>& args) {
  ms::ChooserAnswers a;
  bool have_devices = false, have_conn = false, have_offline = false, have_storage = false;
  bool run = false;
  for (cli::Args k(args, kChooseUsage); k.next();) {
    if (k.is("--run")) {
      run = true;
    } else if (k.help()) {
      std::cout << kChooseUsage;
      return 0;
    } else if (k.is("--devices")) {
      a.devices = static_cast<int>(k.number("a number from 1", 1, 999));
      have_devices = true;
    } else if (k.is("--connection")) {
      have_conn = ms::parse_connection(k.choice({"always", "limited", "rare"}), a.connection);
    } else if (k.is("--offline")) {
      have_offline = yes_no(k.choice({"yes", "no", "y", "n"}), a.offline_reading);
    } else if (k.is("--storage")) {
      a.server_storage_limited = k.choice({"plenty", "limited"}) == "limited";
      have_storage = true;
    } else {
      k.fail("unknown choose option '" + k.arg() + "'");
    }
  }
  if (isatty(0)) {
    // Interactive: ask what the flags did not say.
    while (!have_devices) {
      auto n = ms::parse_number(ask("How many devices (phone, computers, tablet) read this mailbox?"), 3);
      if (n && *n > 0) a.devices = static_cast<int>(*n), have_devices = true;
    }
    while (!have_conn)
      have_conn = ms::parse_connection(ask("Is the Internet connection always on, limited, or rare? [always/limited/rare]"), a.connection);
    while (!have_offline)
      have_offline = yes_no(ask("Must mail be readable at all times without a connection? [yes/no]"), a.offline_reading);
    while (!have_storage) {
      std::string s = ask("Is the mailbox storage at the provider plenty or limited? [plenty/limited]");
      if (s == "plenty" || s == "limited") a.server_storage_limited = s == "limited", have_storage = true;
    }
  }
  ms::Recommendation r = ms::recommend(a);
  std::cout << ms::format_recommendation(a, r);
  if (run) {
    std::cout << "\n";
    return cli_run_lesson(r.demo_lesson);
  }
  return 0;
}
