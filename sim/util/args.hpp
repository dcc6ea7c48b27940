#pragma once
// The command-line reader of both programs (mailscope-cli and mailscope), on CLI11 so that
// neither keeps a parser of its own: options in any order, "--opt VALUE" or "--opt=VALUE",
// subcommands with their own options, positionals. Each option is read as it is met, so the
// first mistake on the line is the one reported, in one style for every program:
//   "--seed needs a whole number, not 'lots'", "unknown run option '--bogus'",
//   "run takes one lesson, not also 'x'", "unknown command 'frobnicate'".
// A misuse throws UsageError with the help text of the command it was given to; the program
// prints both and exits 2. The help texts are the programs' own (their --help is the README's
// and the man page's source), not CLI11's.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace CLI {
class App;
}

namespace ms::args {

struct UsageError : std::runtime_error {
  UsageError(const std::string& msg, std::string usage_text)
      : std::runtime_error(msg), usage(std::move(usage_text)) {}
  std::string usage;  // the help text of the command the mistake was made in
};

class Command {
 public:
  Command(const Command&) = delete;
  Command& operator=(const Command&) = delete;
  virtual ~Command();

  // `names` is "--json" or "-h,--help".
  Command& flag(const std::string& names, bool& out);
  Command& flag(const std::string& names, std::function<void()> on);
  // Stops reading at once: parse() returns `action` (for --help and --version, which win over
  // any mistake after them).
  Command& stop(const std::string& names, std::function<int()> action);
  // An option with a value; `what` completes "--opt needs WHAT". `take` may call fail().
  Command& text(const std::string& name, const std::string& what,
                std::function<void(const std::string&)> take);
  Command& text(const std::string& name, const std::string& what, std::string& out);
  // A whole number from min to max, digits only: "1e3", "+1", " 1" and anything past max
  // are refused, never rounded or wrapped.
  Command& number(const std::string& name, const std::string& what, std::uint64_t min,
                  std::uint64_t max, std::function<void(std::uint64_t)> take);
  template <class T>
  Command& number(const std::string& name, const std::string& what, std::uint64_t min,
                  std::uint64_t max, T& out) {
    return number(name, what, min, max, [&out](std::uint64_t v) { out = static_cast<T>(v); });
  }
  // A run's seed: any unsigned 64-bit number, the same in every program (a seed is never
  // read as a floating-point number, which would round those above 2^53).
  Command& seed(const std::string& name, std::optional<std::uint64_t>& out);
  // A finite decimal number from min to max ("2.5", "61").
  Command& real(const std::string& name, const std::string& what, double min, double max,
                std::function<void(double)> take);
  // One of `choices`; the message lists them ("md, html or json").
  Command& choice(const std::string& name, std::vector<std::string> choices,
                  std::function<void(const std::string&)> take);
  Command& choice(const std::string& name, std::vector<std::string> choices, std::string& out);
  // The arguments that are not options, at most `max` of them; `what` completes
  // "CMD takes WHAT, not also 'x'". Without this call a command takes none.
  Command& positionals(std::vector<std::string>& out, std::size_t max, const std::string& what);
  // A subcommand with its own options and help text, and what it does (runs): parse() returns
  // that when the subcommand is given.
  Command& command(const std::string& name, const std::string& usage);
  Command& runs(std::function<int()> run);
  // Declares options on this command and on every subcommand made after (global options such
  // as --lessons-dir, and --help, which prints the help text of the command it is given to).
  Command& everywhere(const std::function<void(Command&)>& declare);

  [[noreturn]] void fail(const std::string& msg) const;
  const std::string& usage() const { return usage_; }

 protected:
  friend class Parser;  // reads the chosen subcommand's leftovers and action
  Command(CLI::App* app, std::string label, std::string usage);
  // What the reader left over: positionals, unknown options and commands.
  void finish() const;
  // "--seed needs a whole number" for an option given last, without its value.
  bool missing_value(const std::string& cli_message, std::string& msg) const;
  CLI::App* app_;
  std::vector<std::unique_ptr<Command>> subcommands_;
  std::function<int()> run_;
  std::shared_ptr<std::vector<std::function<void(Command&)>>> everywhere_ =
      std::make_shared<std::vector<std::function<void(Command&)>>>();

 private:
  void add_value(const std::string& name, const std::string& what,
                 std::function<void(const std::string&)> take);
  std::string label_;  // "run" (a subcommand) or the program's name
  std::string usage_;
  std::vector<std::pair<std::string, std::string>> whats_;  // option name, what it needs
  std::vector<std::string>* positionals_ = nullptr;
  std::size_t max_positionals_ = 0;
  std::string positionals_what_;
};

class Parser : public Command {
 public:
  // `program` is the name the messages start with; `usage` the text printed with them.
  Parser(const std::string& program, const std::string& usage);
  ~Parser() override;
  // Reads the arguments (without the program's name). Returns a stop option's action, else
  // the chosen subcommand's run, else an empty function. Throws UsageError.
  std::function<int()> parse(const std::vector<std::string>& args);

 private:
  std::unique_ptr<CLI::App> owner_;
};

}  // namespace ms::args
