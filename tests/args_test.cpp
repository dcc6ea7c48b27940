// The command-line reader both programs use (util/args.hpp): what it accepts, and the one
// message it gives for each kind of mistake, fed argument lists as a shell would pass them.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "util/args.hpp"

using ms::args::Command;
using ms::args::Parser;
using ms::args::UsageError;

namespace {

// A program shaped like mailscope-cli: a global option and --help everywhere, a "run"
// subcommand with a seed, a flag and one positional, and a "serve" with a repeatable option.
struct Program {
  Parser parser{"prog", "USAGE\n"};
  std::string dir, ran;
  std::vector<std::string> lesson, accounts;
  std::optional<std::uint64_t> seed;
  bool json = false;
  double time = 0;

  Program() {
    parser.everywhere([this](Command& c) {
      c.stop("-h,--help", [this, &c] {
         ran = "help: " + c.usage();
         return 0;
       }).text("--lessons-dir", "a folder", dir);
    });
    parser.command("run", "RUN\n")
        .seed("--seed", seed)
        .flag("--json", json)
        .real("--time", "a number of seconds", 0, 1e9, [this](double d) { time = d; })
        .positionals(lesson, 1, "one lesson")
        .runs([this] {
          ran = "run";
          return 0;
        });
    parser.command("serve", "SERVE\n")
        .text("--account", "NAME:PASSWORD", [this](const std::string& v) { accounts.push_back(v); })
        .runs([this] {
          ran = "serve";
          return 3;
        });
  }

  // The action's exit code, or the message and help text of the mistake.
  std::string operator()(const std::vector<std::string>& args) {
    try {
      auto action = parser.parse(args);
      return action ? std::to_string(action()) : "none";
    } catch (const UsageError& e) {
      return std::string(e.what()) + " | " + e.usage;
    }
  }
};

std::string parse(const std::vector<std::string>& args) { return Program()(args); }

}  // namespace

TEST_CASE("a seed is any unsigned 64-bit whole number, and nothing else", "[args]") {
  Program p;
  CHECK(p({"run", "x", "--seed", "18446744073709551615"}) == "0");
  CHECK(p.seed == 18446744073709551615ull);
  // Above 2^53 a double would have rounded it to ...992.
  Program q;
  CHECK(q({"run", "x", "--seed=9007199254740993"}) == "0");
  CHECK(q.seed == 9007199254740993ull);
  CHECK(parse({"run", "x", "--seed", "18446744073709551616"}) ==
        "--seed needs a number from 0 to 18446744073709551615, not '18446744073709551616' | RUN\n");
  for (const char* bad : {"1e30", "lots", "-1", "+1", " 1", "1.0", "0x10", ""})
    CHECK(parse({"run", "x", "--seed", bad}) ==
          "--seed needs a whole number, not '" + std::string(bad) + "' | RUN\n");
  CHECK(parse({"run", "x", "--seed"}) == "--seed needs a whole number | RUN\n");
}

TEST_CASE("options stand anywhere, in either form, and are read in the order given", "[args]") {
  Program p;
  CHECK(p({"--lessons-dir", "/a", "run", "--json", "x", "--time=2.5"}) == "0");
  CHECK(p.ran == "run");
  CHECK(p.dir == "/a");
  CHECK(p.lesson == std::vector<std::string>{"x"});
  CHECK(p.json);
  CHECK(p.time == 2.5);
  Program q;
  CHECK(q({"serve", "--account", "a:b", "--lessons-dir", "/b", "--account", "-c:d"}) == "3");
  CHECK(q.accounts == std::vector<std::string>{"a:b", "-c:d"});
  CHECK(q.dir == "/b");
  // The first mistake on the line is the one reported.
  CHECK(parse({"run", "--seed", "x1", "--time", "inf"}) == "--seed needs a whole number, not 'x1' | RUN\n");
  CHECK(parse({"run", "--time", "nan", "--seed", "x1"}) ==
        "--time needs a number of seconds, not 'nan' | RUN\n");
}

TEST_CASE("a misuse names the option, the command or the argument, with that command's help",
          "[args]") {
  CHECK(parse({}) == "none");
  CHECK(parse({"frobnicate"}) == "unknown command 'frobnicate' | USAGE\n");
  CHECK(parse({"--bogus", "run"}) == "unknown option '--bogus' | USAGE\n");
  CHECK(parse({"run", "x", "--bogus"}) == "unknown run option '--bogus' | RUN\n");
  CHECK(parse({"run", "x", "y"}) == "run takes one lesson, not also 'y' | RUN\n");
  CHECK(parse({"serve", "x"}) == "serve takes no argument 'x' | SERVE\n");
  CHECK(parse({"serve", "--account"}) == "--account needs NAME:PASSWORD | SERVE\n");
  // A second command name is the first one's argument, not another command.
  Program p;
  CHECK(p({"run", "serve"}) == "0");
  CHECK(p.lesson == std::vector<std::string>{"serve"});
}

TEST_CASE("--help answers with the help of the command it is given to, before later mistakes",
          "[args]") {
  Program p;
  CHECK(p({"run", "--help", "--seed", "lots"}) == "0");
  CHECK(p.ran == "help: RUN\n");
  Program q;
  CHECK(q({"-h"}) == "0");
  CHECK(q.ran == "help: USAGE\n");
}
