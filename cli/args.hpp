#pragma once
// How every mailscope-cli subcommand reads its arguments: options in any order, "--opt VALUE"
// pairs, and the positionals it asks for. A misuse throws UsageError with a message that names
// the option and what it needs, together with the usage text to print; main() prints both and
// exits 2. So a subcommand's loop holds only its own options, and the forms of the messages
// ("--seed needs a whole number, not 'lots'") are the same everywhere.
#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "util/text.hpp"

namespace cli {

struct UsageError : std::runtime_error {
  UsageError(const std::string& msg, const char* usage_text)
      : std::runtime_error(msg), usage(usage_text) {}
  const char* usage;
};

class Args {
 public:
  Args(const std::vector<std::string>& args, const char* usage) : a_(args), usage_(usage) {}

  // Moves to the next argument; false when none is left.
  bool next() { return ++i_ < a_.size(); }
  const std::string& arg() const { return a_[i_]; }
  bool is(std::string_view name) const { return a_[i_] == name; }
  bool help() const { return is("--help") || is("-h"); }
  bool option() const { return !a_[i_].empty() && a_[i_][0] == '-'; }

  [[noreturn]] void fail(const std::string& msg) const { throw UsageError(msg, usage_); }

  // The current option's value; `what` completes "OPT needs ...".
  const std::string& value(const std::string& what) {
    if (i_ + 1 >= a_.size()) fail(arg() + " needs " + what);
    return a_[++i_];
  }
  // A whole number from `min` to `max` after the current option.
  std::uint64_t number(const std::string& what, std::uint64_t min, std::uint64_t max) {
    const std::string opt = arg();
    const std::string& v = value(what);
    auto n = ms::parse_number(v, std::to_string(max).size());
    if (!n || *n < min || *n > max) fail(opt + " needs " + what + ", not '" + v + "'");
    return *n;
  }
  // One of `choices` after the current option.
  std::string choice(std::initializer_list<const char*> choices) {
    std::string list;  // "md, html or json"
    std::size_t k = 0;
    for (const char* c : choices) {
      if (k) list += ++k == choices.size() ? " or " : ", ";
      else ++k;
      list += c;
    }
    const std::string opt = arg();
    const std::string& v = value(list);
    if (std::none_of(choices.begin(), choices.end(), [&](const char* c) { return v == c; }))
      fail(opt + " takes " + list + ", not '" + v + "'");
    return v;
  }
  // Takes the current argument as a positional, refusing an unknown option and more than
  // `max` positionals (`cmd` and `what` make the message: "run takes one lesson, not also").
  void positional(std::vector<std::string>& out, std::size_t max, const std::string& cmd,
                  const std::string& what) {
    if (option()) fail("unknown " + cmd + " option '" + arg() + "'");
    if (max == 0) fail(cmd + " takes no argument '" + arg() + "'");
    if (out.size() >= max) fail(cmd + " takes " + what + ", not also '" + arg() + "'");
    out.push_back(arg());
  }

 private:
  const std::vector<std::string>& a_;
  const char* usage_;
  std::size_t i_ = static_cast<std::size_t>(-1);
};

}  // namespace cli
