#include "glossary.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "util/datadirs.hpp"

namespace ms {

namespace {

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Where `word` first occurs in `text` as a whole word (no letter or digit glued to either
// end that belongs to the same word), or npos.
std::size_t find_word(const std::string& text, const std::string& word, bool match_case) {
  if (word.empty()) return std::string::npos;
  const std::string hay = match_case ? text : lower(text);
  const std::string needle = match_case ? word : lower(word);
  for (std::size_t at = hay.find(needle); at != std::string::npos;
       at = hay.find(needle, at + 1)) {
    const bool left = at == 0 || !word_char(needle.front()) || !word_char(hay[at - 1]);
    const std::size_t end = at + needle.size();
    // "C:" must start a line-ish token: not the tail of "RFC:" or "POP3C:".
    const bool right = end >= hay.size() || !word_char(needle.back()) || !word_char(hay[end]) ||
                       (!match_case && hay[end] == 's');  // "quotas", "polling"s
    if (left && right) return at;
  }
  return std::string::npos;
}

}  // namespace

const GlossaryTerm* Glossary::lookup(const std::string& word) const {
  for (const GlossaryTerm& t : terms) {
    auto same = [&](const std::string& s) { return t.match_case ? s == word : lower(s) == lower(word); };
    if (same(t.term) || std::any_of(t.aka.begin(), t.aka.end(), same)) return &t;
  }
  return nullptr;
}

std::vector<const GlossaryTerm*> Glossary::terms_in(const std::string& text) const {
  std::vector<std::pair<std::size_t, const GlossaryTerm*>> found;
  for (const GlossaryTerm& t : terms) {
    std::size_t at = find_word(text, t.term, t.match_case);
    for (const std::string& a : t.aka) at = std::min(at, find_word(text, a, t.match_case));
    if (at != std::string::npos) found.push_back({at, &t});
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<const GlossaryTerm*> out;
  for (const auto& f : found) out.push_back(f.second);
  return out;
}

Glossary load_glossary(const std::string& path) {
  using json = nlohmann::json;
  Glossary g;
  std::ifstream in(path);
  if (!in) {
    g.error = path + ": cannot read the glossary";
    return g;
  }
  json j = json::parse(in, nullptr, false);
  if (!j.is_object() || !j.contains("terms") || !j["terms"].is_array()) {
    g.error = path + ": expected {\"terms\": [{\"term\", \"text\"}, ...]}";
    return g;
  }
  for (std::size_t i = 0; i < j["terms"].size(); ++i) {
    const json& t = j["terms"][i];
    if (!t.is_object() || !t.contains("term") || !t["term"].is_string() || !t.contains("text") ||
        !t["text"].is_string()) {
      g.error = path + ": terms." + std::to_string(i) + ": needs \"term\" and \"text\" (strings)";
      continue;
    }
    GlossaryTerm e;
    e.term = t["term"].get<std::string>();
    e.text = t["text"].get<std::string>();
    if (t.contains("match_case") && t["match_case"].is_boolean()) e.match_case = t["match_case"];
    if (t.contains("aka") && t["aka"].is_array())
      for (const json& a : t["aka"])
        if (a.is_string()) e.aka.push_back(a.get<std::string>());
    g.terms.push_back(std::move(e));
  }
  return g;
}

// util/datadirs.hpp: $MAILSCOPE_ASSETS_DIR, the built-in folder (web), the source tree (from
// the build tree), the installed share/mailscope/assets. Not found: load_glossary says so.
std::string glossary_path() {
  const std::string found = find_asset("glossary.json");
  return found.empty() ? "glossary.json" : found;
}

const Glossary& glossary() {
  static const Glossary g = load_glossary(glossary_path());
  return g;
}

}  // namespace ms
