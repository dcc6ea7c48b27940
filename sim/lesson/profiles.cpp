#include "lesson/profiles.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "util/datadirs.hpp"

namespace ms {
namespace {

using json = nlohmann::ordered_json;  // settings listed in the file's order

// Line and column of each value by JSON Pointer: nlohmann::json forgets positions once parsed,
// and an error in a hand-edited data file is only useful if it points at the line.
class ValuePositions {
 public:
  explicit ValuePositions(const std::string& text) : t_(text) {
    ws();
    value("");
  }
  std::pair<int, int> at(std::string ptr) const {
    for (;;) {
      if (auto it = pos_.find(ptr); it != pos_.end()) return it->second;
      if (ptr.empty()) return {1, 1};
      ptr = ptr.substr(0, ptr.rfind('/'));
    }
  }

 private:
  void step() {
    if (t_[i_] == '\n') ++line_, col_ = 0;
    ++i_, ++col_;
  }
  void ws() {
    while (i_ < t_.size() && std::strchr(" \t\r\n", t_[i_])) step();
  }
  std::string string() {
    std::string out;
    step();
    while (i_ < t_.size() && t_[i_] != '"') {
      if (t_[i_] == '\\') step();
      if (i_ < t_.size()) out += t_[i_], step();
    }
    if (i_ < t_.size()) step();
    return out;
  }
  void value(const std::string& ptr) {
    if (i_ >= t_.size()) return;
    pos_[ptr] = {line_, col_};
    const char c = t_[i_];
    if (c == '{' || c == '[') {
      const char close = c == '{' ? '}' : ']';
      step();
      ws();
      for (int n = 0; i_ < t_.size() && t_[i_] != close; ++n) {
        std::string child = ptr + "/" + std::to_string(n);
        if (c == '{') {
          std::string key;
          for (char k : string()) key += k == '~' ? "~0" : k == '/' ? "~1" : std::string(1, k);
          child = ptr + "/" + key;
          ws();
          if (i_ < t_.size() && t_[i_] == ':') step();
          ws();
        }
        value(child);
        ws();
        if (i_ < t_.size() && t_[i_] == ',') step();
        ws();
      }
      if (i_ < t_.size()) step();
    } else if (c == '"') {
      string();
    } else {
      while (i_ < t_.size() && !std::strchr(",}] \t\r\n", t_[i_])) step();
    }
  }
  const std::string& t_;
  std::size_t i_ = 0;
  int line_ = 1, col_ = 1;
  std::map<std::string, std::pair<int, int>> pos_;
};

struct Reader {
  const std::string& file;
  const ValuePositions& pos;
  [[noreturn]] void fail(const std::string& ptr, const std::string& msg) const {
    auto [l, c] = pos.at(ptr);
    std::string field = ptr.empty() ? "(top level)" : ptr.substr(1);
    for (auto& ch : field)
      if (ch == '/') ch = '.';
    throw ProfileError(file + ":" + std::to_string(l) + ":" + std::to_string(c) + ": field '" +
                       field + "': " + msg);
  }
  std::string text(const json& o, const std::string& ptr, const char* key, bool required) const {
    if (!o.contains(key)) {
      if (required) fail(ptr, std::string("missing required field '") + key + "'");
      return "";
    }
    const json& v = o.at(key);
    if (!v.is_string() || v.get<std::string>().empty())
      fail(ptr + "/" + key, "expected a non-empty string");
    return v.get<std::string>();
  }
  void only(const json& o, const std::string& ptr, std::initializer_list<const char*> keys) const {
    if (!o.is_object()) fail(ptr, "expected an object");
    for (auto it = o.begin(); it != o.end(); ++it) {
      bool ok = false;
      for (const char* k : keys) ok = ok || it.key() == k;
      if (!ok) fail(ptr + "/" + it.key(), "unknown field '" + it.key() + "'");
    }
  }
};

// Applies one setting's value to the policies; fails on an unknown name or a wrong type.
void apply_value(const Reader& r, const std::string& ptr, const std::string& group,
                 const std::string& name, const json& v, ClientProfile& p) {
  auto boolean = [&](bool& out) {
    if (!v.is_boolean()) r.fail(ptr, "expected true or false");
    out = v.get<bool>();
  };
  auto integer = [&](int& out, int lo, int hi) {
    if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi)
      r.fail(ptr, "expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
    out = v.get<int>();
  };
  if (group == "pop3") {
    auto& q = p.pop3;
    if (name == "leave_on_server") return boolean(q.leave_on_server);
    if (name == "delete_after_days") return integer(q.delete_after_days, 0, 3650);
    if (name == "delete_when_deleted_locally") return boolean(q.delete_when_deleted_locally);
    if (name == "check_every_minutes") return integer(q.check_every_minutes, 0, 1440);
    if (name == "headers_first") return boolean(q.headers_first);
    if (name == "recent_mode") return boolean(q.recent_mode);
  } else if (group == "imap") {
    auto& q = p.imap;
    if (name == "on_delete") {
      for (auto d : {ImapPolicy::OnDelete::MoveToTrash, ImapPolicy::OnDelete::MarkDeleted,
                     ImapPolicy::OnDelete::RemoveImmediately})
        if (v.is_string() && v.get<std::string>() == on_delete_name(d)) {
          q.on_delete = d;
          return;
        }
      r.fail(ptr, "expected \"move to trash\", \"mark as deleted\" or \"remove immediately\"");
    }
    if (name == "idle") return boolean(q.idle);
    if (name == "check_every_minutes") return integer(q.check_every_minutes, 0, 1440);
    if (name == "offline_cache") return boolean(q.offline_cache);
    if (name == "save_sent_on_server") return boolean(q.save_sent_on_server);
    if (name == "bodies_on_demand") return boolean(q.bodies_on_demand);
    if (name == "use_condstore") return boolean(q.use_condstore);
  } else {
    // A provider's server settings are described, not simulated here: any scalar will do.
    if (v.is_structured() || v.is_null()) r.fail(ptr, "expected a value (text, number, true/false)");
    return;
  }
  r.fail(ptr.substr(0, ptr.rfind('/')), "unknown " + group + " setting '" + name + "'");
}

std::string value_text(const json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

std::string& profiles_file_override() {
  static std::string path;
  return path;
}

std::unique_ptr<std::vector<ClientProfile>>& cache() {
  static std::unique_ptr<std::vector<ClientProfile>> c;
  return c;
}

// Bumped whenever the cache is dropped, so that derived lists are rebuilt.
int& generation() {
  static int g = 0;
  return g;
}

}  // namespace

std::string ClientProfile::label() const {
  return title + (is_client() ? " defaults" : " settings") + ", checked against " + checked_against;
}

std::size_t ClientProfile::verified_count() const {
  std::size_t n = 0;
  for (const auto& s : settings) n += s.verified();
  return n;
}

std::vector<ClientProfile> parse_profiles(const std::string& text, const std::string& file) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw ProfileError(json_syntax_error(text, file, e.byte, e.what()));
  } catch (const json::exception& e) {
    throw ProfileError(file + ": invalid JSON: " + e.what());
  }
  ValuePositions pos(text);
  Reader r{file, pos};
  r.only(j, "", {"about", "profiles"});
  if (!j.contains("profiles") || !j["profiles"].is_array() || j["profiles"].empty())
    r.fail(j.contains("profiles") ? "/profiles" : "", "expected a non-empty list 'profiles'");
  std::vector<ClientProfile> out;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < j["profiles"].size(); ++i) {
    const json& o = j["profiles"][i];
    const std::string ptr = "/profiles/" + std::to_string(i);
    r.only(o, ptr, {"id", "aliases", "title", "platform", "kind", "checked_against", "pop3",
                    "imap", "server"});
    ClientProfile p;
    p.id = r.text(o, ptr, "id", true);
    p.title = r.text(o, ptr, "title", true);
    p.platform = r.text(o, ptr, "platform", true);
    p.kind = r.text(o, ptr, "kind", true);
    p.checked_against = r.text(o, ptr, "checked_against", true);
    if (p.kind != "client" && p.kind != "server") r.fail(ptr + "/kind", "expected client or server");
    if (o.contains("aliases")) {
      if (!o["aliases"].is_array()) r.fail(ptr + "/aliases", "expected a list of ids");
      for (std::size_t a = 0; a < o["aliases"].size(); ++a) {
        if (!o["aliases"][a].is_string()) r.fail(ptr + "/aliases/" + std::to_string(a), "expected an id");
        p.aliases.push_back(o["aliases"][a].get<std::string>());
      }
    }
    for (const auto& name : [&] {
           auto all = p.aliases;
           all.insert(all.begin(), p.id);
           return all;
         }())
      if (!ids.insert(name).second) r.fail(ptr + "/id", "the id '" + name + "' is used twice");
    const auto groups = p.is_client() ? std::vector<std::string>{"pop3", "imap"}
                                      : std::vector<std::string>{"server"};
    for (const char* g : {"pop3", "imap", "server"})
      if (o.contains(g) && std::find(groups.begin(), groups.end(), g) == groups.end())
        r.fail(ptr + "/" + g, std::string("a ") + p.kind + " profile has no '" + g + "' settings");
    for (const auto& g : groups) {
      if (!o.contains(g)) continue;
      const json& block = o[g];
      if (!block.is_object() || block.empty()) r.fail(ptr + "/" + g, "expected settings");
      if (g == "pop3") p.has_pop3 = true;
      if (g == "imap") p.has_imap = true;
      for (auto it = block.begin(); it != block.end(); ++it) {
        const std::string sp = ptr + "/" + g + "/" + it.key();
        r.only(it.value(), sp, {"value", "source", "checked", "note"});
        if (!it.value().contains("value")) r.fail(sp, "missing required field 'value'");
        ProfileSetting s;
        s.group = g;
        s.name = it.key();
        apply_value(r, sp + "/value", g, s.name, it.value()["value"], p);
        s.value = value_text(it.value()["value"]);
        s.source = r.text(it.value(), sp, "source", true);
        s.checked = r.text(it.value(), sp, "checked", true);
        s.note = r.text(it.value(), sp, "note", false);
        p.settings.push_back(std::move(s));
      }
    }
    if (p.settings.empty()) r.fail(ptr, "a profile needs at least one setting");
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<ClientProfile> load_profiles_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ProfileError(path + ": cannot read the mail app profiles");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_profiles(ss.str(), path);
}

std::string locate_profiles_file() {
  if (!profiles_file_override().empty()) return profiles_file_override();
  if (std::string found = find_asset("profiles.json"); !found.empty()) return found;
  std::error_code ec;
  std::string looked = "the assets folders";
  for (const auto& c : lessons_dir_candidates("")) {
    const auto p = std::filesystem::path(c.path).parent_path() / "assets" / "profiles.json";
    looked += ", " + p.string();
    if (std::filesystem::is_regular_file(p, ec)) return p.string();
  }
#ifdef MAILSCOPE_HOST_ASSETS_DIR
  // The web build's node programs (CLI, tests) read the source tree's files directly.
  const std::string host = std::string(MAILSCOPE_HOST_ASSETS_DIR) + "/profiles.json";
  if (std::filesystem::is_regular_file(host, ec)) return host;
#endif
  throw ProfileError("profiles.json (the mail apps' defaults) not found; looked in " + looked +
                     "; name its folder with $MAILSCOPE_ASSETS_DIR");
}

void set_profiles_file(const std::string& path) {
  profiles_file_override() = path;
  cache().reset();
  ++generation();
}

const std::vector<ClientProfile>& all_profiles() {
  if (!cache()) cache() = std::make_unique<std::vector<ClientProfile>>(load_profiles_file(locate_profiles_file()));
  return *cache();
}

const std::vector<std::string>& client_profile_ids() {
  static std::vector<std::string> ids;
  static int built = -1;
  const auto& all = all_profiles();
  if (built != generation()) {
    ids.clear();
    for (const auto& p : all)
      if (p.is_client()) ids.push_back(p.id);
    built = generation();
  }
  return ids;
}

const ClientProfile* find_profile(const std::string& id) {
  for (const auto& p : all_profiles()) {
    if (p.id == id) return &p;
    for (const auto& a : p.aliases)
      if (a == id) return &p;
  }
  return nullptr;
}

const std::vector<ProfileSetting>& client_profile_settings(const std::string& id) {
  static const std::vector<ProfileSetting> none;
  const ClientProfile* p = find_profile(id);
  return p ? p->settings : none;
}

bool apply_client_preset(const std::string& name, Pop3Policy& pop3, ImapPolicy& imap) {
  const ClientProfile* p = find_profile(name);
  if (!p || !p->is_client()) return false;
  pop3 = p->pop3;
  imap = p->imap;
  return true;
}

const char* client_preset_title(const std::string& name) {
  const ClientProfile* p = find_profile(name);
  return p && p->is_client() ? p->title.c_str() : "";
}

}  // namespace ms
