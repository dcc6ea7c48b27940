// mailscope-cli clients: the mail apps' profiles (assets/profiles.json) with every setting's
// value and where it comes from, so that a support agent can tell a sourced default from
// Mailscope's guess before quoting it to a customer.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/args.hpp"
#include "lesson/profiles.hpp"

namespace {
const char* kClientsUsage =
    "usage: mailscope-cli clients [ID] [--format text|json]\n"
    "Lists the mail apps' default settings Mailscope models (assets/profiles.json): each\n"
    "setting's value, its source (or \"unverified\") and the version the source was read at.\n"
    "ID (e.g. thunderbird, k9) shows one profile.\n";

void print_text(const ms::ClientProfile& p) {
  std::cout << p.id;
  for (const auto& a : p.aliases) std::cout << " (also " << a << ")";
  std::cout << ": " << p.title << ", " << p.platform << "\n  " << p.label() << "\n  "
            << p.verified_count() << " of " << p.settings.size() << " settings sourced\n";
  for (const auto& s : p.settings) {
    std::cout << "  " << s.group << "." << s.name << " = " << s.value << "\n      "
              << (s.verified() ? "source: " + s.source : std::string("unverified"));
    if (s.verified()) std::cout << " (checked: " << s.checked << ")";
    std::cout << "\n";
    if (!s.note.empty()) std::cout << "      note: " << s.note << "\n";
  }
}

nlohmann::json to_json(const ms::ClientProfile& p) {
  nlohmann::json j = {{"id", p.id},       {"aliases", p.aliases},
                      {"title", p.title}, {"platform", p.platform},
                      {"kind", p.kind},   {"checked_against", p.checked_against},
                      {"label", p.label()}, {"settings", nlohmann::json::array()}};
  for (const auto& s : p.settings)
    j["settings"].push_back({{"group", s.group}, {"name", s.name}, {"value", s.value},
                             {"source", s.source}, {"checked", s.checked}, {"note", s.note},
                             {"verified", s.verified()}});
  return j;
}
}  // namespace

void add_clients(ms::args::Command& cli) {
  struct ClientsArgs {
    std::vector<std::string> id;
    std::string format = "text";
  };
  auto a = std::make_shared<ClientsArgs>();
  ms::args::Command& c = cli.command("clients", kClientsUsage);
  c.choice("--format", {"text", "json"}, a->format)
      .positionals(a->id, 1, "one profile id")
      .runs([a, &c] {
        std::vector<const ms::ClientProfile*> shown;
        if (!a->id.empty()) {
          const ms::ClientProfile* p = ms::find_profile(a->id[0]);
          if (!p) {
            std::string known;
            for (const auto& q : ms::all_profiles()) known += (known.empty() ? "" : ", ") + q.id;
            c.fail("no mail app profile '" + a->id[0] + "' (" + known + ")");
          }
          shown.push_back(p);
        } else {
          for (const auto& p : ms::all_profiles()) shown.push_back(&p);
        }
        if (a->format == "json") {
          nlohmann::json j = nlohmann::json::array();
          for (const auto* p : shown) j.push_back(to_json(*p));
          std::cout << j.dump(2) << "\n";
          return 0;
        }
        for (std::size_t i = 0; i < shown.size(); ++i) {
          if (i) std::cout << "\n";
          print_text(*shown[i]);
        }
        return 0;
      });
}
