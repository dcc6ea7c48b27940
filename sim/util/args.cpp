#include "util/args.hpp"

#include <CLI/CLI.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>

namespace ms::args {

namespace {

// Thrown by a stop option's callback to leave CLI11's parse at once.
struct Stop {
  std::function<int()> action;
};

// "md, html or json"
std::string listed(const std::vector<std::string>& choices) {
  std::string out;
  for (std::size_t k = 0; k < choices.size(); ++k) {
    if (k) out += k + 1 == choices.size() ? " or " : ", ";
    out += choices[k];
  }
  return out;
}

}  // namespace

Command::Command(CLI::App* app, std::string label, std::string usage)
    : app_(app), label_(std::move(label)), usage_(std::move(usage)) {
  // The programs print their own help texts; what CLI11 would leave over is read by finish().
  app_->set_help_flag();
  app_->allow_extras();
}

Command::~Command() = default;

void Command::fail(const std::string& msg) const { throw UsageError(msg, usage_); }

Command& Command::flag(const std::string& names, bool& out) {
  return flag(names, [&out] { out = true; });
}

Command& Command::flag(const std::string& names, std::function<void()> on) {
  app_->add_flag_callback(names, std::move(on))->trigger_on_parse();
  return *this;
}

Command& Command::stop(const std::string& names, std::function<int()> action) {
  return flag(names, [action = std::move(action)] { throw Stop{action}; });
}

void Command::add_value(const std::string& name, const std::string& what,
                        std::function<void(const std::string&)> take) {
  // Read as met (trigger_on_parse), so that a repeated option (--account, --intent) is taken
  // each time and the first mistake on the line is the one reported.
  CLI::Option* o = app_->add_option(name, [take = std::move(take)](const CLI::results_t& r) {
    take(r.empty() ? std::string() : r.back());
    return true;
  });
  o->expected(1)->trigger_on_parse()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  whats_.emplace_back(o->get_name(), what);
}

Command& Command::text(const std::string& name, const std::string& what,
                       std::function<void(const std::string&)> take) {
  add_value(name, what, std::move(take));
  return *this;
}

Command& Command::text(const std::string& name, const std::string& what, std::string& out) {
  return text(name, what, [&out](const std::string& v) { out = v; });
}

Command& Command::number(const std::string& name, const std::string& what, std::uint64_t min,
                         std::uint64_t max, std::function<void(std::uint64_t)> take) {
  add_value(name, what, [this, name, what, min, max, take = std::move(take)](const std::string& v) {
    std::uint64_t n = 0;
    const char* end = v.data() + v.size();
    auto [p, ec] = std::from_chars(v.data(), end, n);
    const bool digits = !v.empty() && v.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || (ec != std::errc() && ec != std::errc::result_out_of_range) || p != end)
      fail(name + " needs " + what + ", not '" + v + "'");
    if (ec == std::errc::result_out_of_range || n < min || n > max)
      fail(name + " needs a number from " + std::to_string(min) + " to " + std::to_string(max) +
           ", not '" + v + "'");
    take(n);
  });
  return *this;
}

Command& Command::seed(const std::string& name, std::optional<std::uint64_t>& out) {
  return number(name, "a whole number", 0, UINT64_MAX, [&out](std::uint64_t v) { out = v; });
}

Command& Command::real(const std::string& name, const std::string& what, double min, double max,
                       std::function<void(double)> take) {
  add_value(name, what, [this, name, what, min, max, take = std::move(take)](const std::string& v) {
    // Decimal digits and one point only: strtod alone would also take "inf", "nan" and hex.
    const bool plain = !v.empty() && v.find_first_not_of("0123456789.") == std::string::npos &&
                       v.find('.') == v.rfind('.') && v != ".";
    char* end = nullptr;
    const double d = plain ? std::strtod(v.c_str(), &end) : 0;
    if (!plain || end != v.c_str() + v.size() || !std::isfinite(d) || d < min || d > max)
      fail(name + " needs " + what + ", not '" + v + "'");
    take(d);
  });
  return *this;
}

Command& Command::choice(const std::string& name, std::vector<std::string> choices,
                         std::function<void(const std::string&)> take) {
  const std::string list = listed(choices);
  add_value(name, list,
            [this, name, list, choices = std::move(choices), take = std::move(take)](
                const std::string& v) {
              for (const auto& c : choices)
                if (v == c) return take(v);
              fail(name + " takes " + list + ", not '" + v + "'");
            });
  return *this;
}

Command& Command::choice(const std::string& name, std::vector<std::string> choices,
                         std::string& out) {
  return choice(name, std::move(choices), [&out](const std::string& v) { out = v; });
}

Command& Command::positionals(std::vector<std::string>& out, std::size_t max,
                              const std::string& what) {
  positionals_ = &out;
  max_positionals_ = max;
  positionals_what_ = what;
  return *this;
}

Command& Command::command(const std::string& name, const std::string& usage) {
  // One subcommand a line: "mailscope-cli run help" reads "help" as run's positional.
  app_->require_subcommand(0, 1);
  subcommands_.push_back(std::unique_ptr<Command>(new Command(app_->add_subcommand(name), name, usage)));
  Command& sub = *subcommands_.back();
  sub.everywhere_ = everywhere_;
  for (const auto& declare : *everywhere_) declare(sub);
  return sub;
}

Command& Command::runs(std::function<int()> run) {
  run_ = std::move(run);
  return *this;
}

Command& Command::everywhere(const std::function<void(Command&)>& declare) {
  everywhere_->push_back(declare);
  declare(*this);
  return *this;
}

void Command::finish() const {
  for (const std::string& a : app_->remaining()) {
    if (a.size() > 1 && a[0] == '-') {
      fail(subcommands_.empty() && app_->get_parent() ? "unknown " + label_ + " option '" + a + "'"
                                                      : "unknown option '" + a + "'");
    }
    if (!subcommands_.empty()) fail("unknown command '" + a + "'");
    if (!positionals_ || max_positionals_ == 0) fail(label_ + " takes no argument '" + a + "'");
    if (positionals_->size() >= max_positionals_)
      fail(label_ + " takes " + positionals_what_ + ", not also '" + a + "'");
    positionals_->push_back(a);
  }
}

bool Command::missing_value(const std::string& cli_message, std::string& msg) const {
  for (const auto& [name, what] : whats_)
    if (cli_message.rfind(name + ":", 0) == 0) {
      msg = name + " needs " + what;
      return true;
    }
  return false;
}

Parser::Parser(const std::string& program, const std::string& usage)
    : Command(new CLI::App("", program), program, usage) {
  owner_.reset(app_);
}

Parser::~Parser() = default;

std::function<int()> Parser::parse(const std::vector<std::string>& args) {
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 reads from the back
  const Command* chosen = nullptr;
  auto find_chosen = [&] {
    for (const auto& s : subcommands_)
      if (s->app_->parsed()) chosen = s.get();
  };
  try {
    app_->parse(reversed);
  } catch (const Stop& s) {
    return s.action;
  } catch (const CLI::ArgumentMismatch& e) {
    // An option given last, without its value.
    find_chosen();
    std::string msg;
    if ((chosen && chosen->missing_value(e.what(), msg)) || missing_value(e.what(), msg))
      throw UsageError(msg, chosen ? chosen->usage() : usage());
    throw UsageError(e.what(), chosen ? chosen->usage() : usage());
  } catch (const CLI::ParseError& e) {
    find_chosen();
    throw UsageError(e.what(), chosen ? chosen->usage() : usage());
  }
  find_chosen();
  finish();
  if (!chosen) return run_;
  chosen->finish();
  return chosen->run_;
}

}  // namespace ms::args
