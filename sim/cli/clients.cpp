// mailscope-cli clients: the mail apps' profiles (assets/profiles.json) with every setting's
// value and where it comes from, so that a support agent can tell a sourced default from
// Mailscope's guess before quoting it to a customer.
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/args.hpp"
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

int cli_clients(const std::vector<std::string>& args) {
  cli::Args a(args, kClientsUsage);
  std::string id, format = "text";
  while (a.next()) {
    if (a.help()) {
      std::cout << kClientsUsage;
      return 0;
    }
    if (a.is("--format")) format = a.choice({"text", "json"});
    else if (a.option()) a.fail("unknown option '" + a.arg() + "'");
    else if (id.empty()) id = a.arg();
    else a.fail("one profile id at most, not also '" + a.arg() + "'");
  }
  std::vector<const ms::ClientProfile*> shown;
  if (!id.empty()) {
    const ms::ClientProfile* p = ms::find_profile(id);
    if (!p) {
      std::string known;
      for (const auto& q : ms::all_profiles()) known += (known.empty() ? "" : ", ") + q.id;
      a.fail("no mail app profile '" + id + "' (" + known + ")");
    }
    shown.push_back(p);
  } else {
    for (const auto& p : ms::all_profiles()) shown.push_back(&p);
  }
  if (format == "json") {
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
}
