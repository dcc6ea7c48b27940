#include "lesson/lesson.hpp"
#include "lesson/assess.hpp"
#include "lesson/profiles.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "util/text.hpp"
#include "view/trace_index.hpp"
#include "world/device.hpp"
#include "world/scenario_actions.hpp"

namespace ms {

namespace {

using json = nlohmann::json;

// Where each value of a (valid) JSON text starts, by JSON Pointer, so that errors can name a
// line and column: nlohmann::json keeps no positions once parsed.
class Positions {
 public:
  explicit Positions(const std::string& text) : t_(text) {
    skip();
    value("");
  }
  std::pair<int, int> at(const std::string& ptr) const {
    auto it = pos_.find(ptr);
    if (it != pos_.end()) return it->second;
    // Fall back to the closest enclosing value.
    std::string p = ptr;
    while (!p.empty()) {
      p = p.substr(0, p.rfind('/'));
      if (auto jt = pos_.find(p); jt != pos_.end()) return jt->second;
    }
    return {1, 1};
  }

 private:
  void skip() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\n' || t_[i_] == '\r' || t_[i_] == '\t')) {
      if (t_[i_] == '\n') ++line_, col_ = 0;
      ++i_, ++col_;
    }
  }
  void adv() {
    if (t_[i_] == '\n') ++line_, col_ = 0;
    ++i_, ++col_;
  }
  std::string str() {
    std::string out;
    adv();  // opening quote
    while (i_ < t_.size() && t_[i_] != '"') {
      if (t_[i_] == '\\') {
        adv();
        if (i_ < t_.size()) out += t_[i_];
      } else {
        out += t_[i_];
      }
      adv();
    }
    if (i_ < t_.size()) adv();
    return out;
  }
  static std::string escape(const std::string& k) {
    std::string o;
    for (char c : k) o += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
    return o;
  }
  void value(const std::string& ptr) {
    if (i_ >= t_.size()) return;
    pos_[ptr] = {line_, col_};
    char c = t_[i_];
    if (c == '{') {
      adv();
      skip();
      while (i_ < t_.size() && t_[i_] != '}') {
        std::pair<int, int> kpos{line_, col_};
        std::string key = str();
        std::string child = ptr + "/" + escape(key);
        skip();
        if (i_ < t_.size() && t_[i_] == ':') adv();
        skip();
        value(child);
        key_pos_[child] = kpos;
        skip();
        if (i_ < t_.size() && t_[i_] == ',') adv();
        skip();
      }
      if (i_ < t_.size()) adv();
    } else if (c == '[') {
      adv();
      skip();
      int n = 0;
      while (i_ < t_.size() && t_[i_] != ']') {
        value(ptr + "/" + std::to_string(n++));
        skip();
        if (i_ < t_.size() && t_[i_] == ',') adv();
        skip();
      }
      if (i_ < t_.size()) adv();
    } else if (c == '"') {
      str();
    } else {
      while (i_ < t_.size() && !std::strchr(",}] \t\r\n", t_[i_])) adv();
    }
  }
  const std::string& t_;
  std::size_t i_ = 0;
  int line_ = 1, col_ = 1;
  std::map<std::string, std::pair<int, int>> pos_, key_pos_;
};

struct Ctx {
  const std::string& file;
  const Positions& pos;
  [[noreturn]] void fail(const std::string& ptr, const std::string& msg) const {
    auto [l, c] = pos.at(ptr);
    std::string field = ptr.empty() ? "(top level)" : ptr.substr(1);
    for (auto& ch : field)
      if (ch == '/') ch = '.';
    throw LessonError(file + ":" + std::to_string(l) + ":" + std::to_string(c) + ": field '" +
                      field + "': " + msg);
  }
};

const json& need(const Ctx& c, const json& obj, const std::string& ptr, const char* key) {
  if (!obj.contains(key)) c.fail(ptr, std::string("missing required field '") + key + "'");
  return obj.at(key);
}
std::string get_string(const Ctx& c, const json& v, const std::string& ptr) {
  if (!v.is_string()) c.fail(ptr, "expected a string");
  return v.get<std::string>();
}
bool get_bool(const Ctx& c, const json& v, const std::string& ptr) {
  if (!v.is_boolean()) c.fail(ptr, "expected true or false");
  return v.get<bool>();
}
std::int64_t get_int(const Ctx& c, const json& v, const std::string& ptr, std::int64_t lo,
                     std::int64_t hi) {
  if (!v.is_number_integer()) c.fail(ptr, "expected a whole number");
  auto n = v.get<std::int64_t>();
  if (n < lo || n > hi)
    c.fail(ptr, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  return n;
}
Tick get_time(const Ctx& c, const json& v, const std::string& ptr) {
  if (v.is_number_integer() || v.is_number_float()) {
    double s = v.get<double>();
    if (s < 0 || s > 366.0 * 86400) c.fail(ptr, "time must be between 0 and 366 days");
    return static_cast<Tick>(s * 1e6);
  }
  if (!v.is_string()) c.fail(ptr, "expected a time such as \"90s\", \"2m\" or \"14d\"");
  auto t = parse_duration(v.get<std::string>());
  if (!t) c.fail(ptr, "not a time: \"" + v.get<std::string>() + "\" (use e.g. 30s, 2m, 1h, 14d)");
  return *t;
}
void only_keys(const Ctx& c, const json& obj, const std::string& ptr,
               std::initializer_list<const char*> keys) {
  if (!obj.is_object()) c.fail(ptr, "expected an object");
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool known = false;
    for (const char* k : keys) known |= it.key() == k;
    if (!known) {
      std::string list;
      for (const char* k : keys) list += std::string(list.empty() ? "" : ", ") + k;
      c.fail(ptr + "/" + it.key(), "unknown field (expected one of: " + list + ")");
    }
  }
}

LinkSpec parse_link(const Ctx& c, const json& j, const std::string& ptr) {
  only_keys(c, j, ptr, {"latency_ms", "kbps", "preset"});
  LinkSpec l;
  if (j.contains("preset")) {
    std::string p = get_string(c, j["preset"], ptr + "/preset");
    if (p == "broadband") l = {20 * kMs, 20'000'000};
    else if (p == "mobile") l = {80 * kMs, 5'000'000};
    else if (p == "dial-up") l = {150 * kMs, 56'000};
    else c.fail(ptr + "/preset", "unknown link preset (broadband, mobile, dial-up)");
  }
  if (j.contains("latency_ms"))
    l.latency = get_int(c, j["latency_ms"], ptr + "/latency_ms", 0, 60000) * kMs;
  if (j.contains("kbps"))
    l.bits_per_second =
        static_cast<std::uint64_t>(get_int(c, j["kbps"], ptr + "/kbps", 1, 10'000'000)) * 1000;
  return l;
}

DeviceSpec parse_device(const Ctx& c, const json& j, const std::string& ptr, const Lesson& L) {
  only_keys(c, j, ptr, {"name", "kind", "account", "link", "pop3", "imap", "preset", "security",
                        "insist_on_tls", "network_strips_starttls"});
  DeviceSpec d;
  if (j.contains("preset")) {
    std::string preset = get_string(c, j["preset"], ptr + "/preset");
    if (!apply_client_preset(preset, d.pop3, d.imap))
    {
      std::string known;
      for (const auto& id : client_profile_ids()) known += (known.empty() ? "" : ", ") + id;
      c.fail(ptr + "/preset", "unknown client preset '" + preset + "' (" + known + ")");
    }
    d.client = client_preset_title(preset);
  }
  d.name = get_string(c, need(c, j, ptr, "name"), ptr + "/name");
  if (d.name.empty() || d.name == "server" || d.name == "internet")
    c.fail(ptr + "/name", "a device needs a name other than 'server' and 'internet'");
  std::string kind = get_string(c, need(c, j, ptr, "kind"), ptr + "/kind");
  if (!parse_device_kind(kind, d.kind))
    c.fail(ptr + "/kind", "unknown device kind '" + kind + "' (phone, desktop, laptop, tablet)");
  d.account = j.contains("account") ? get_string(c, j["account"], ptr + "/account")
                                    : (L.accounts.empty() ? "" : L.accounts[0].first);
  bool found = false;
  for (const auto& [n, p] : L.accounts)
    if (n == d.account) found = true, d.password = p;
  if (!found) c.fail(ptr + (j.contains("account") ? "/account" : ""), "no such account '" + d.account + "'");
  if (j.contains("link")) d.link = parse_link(c, j["link"], ptr + "/link");
  // Connection security as mail apps name it (default none: the lesson shows plaintext).
  if (j.contains("security")) {
    std::string v = get_string(c, j["security"], ptr + "/security");
    if (!parse_security(v, d.security))
      c.fail(ptr + "/security", "unknown connection security '" + v + "' (none, starttls, tls)");
  }
  if (j.contains("insist_on_tls")) {
    d.insist_on_tls = get_bool(c, j["insist_on_tls"], ptr + "/insist_on_tls");
    if (d.security != Security::StartTls)
      c.fail(ptr + "/insist_on_tls", "'insist_on_tls' needs \"security\": \"starttls\"");
  }
  if (j.contains("network_strips_starttls"))
    d.network_strips_starttls =
        get_bool(c, j["network_strips_starttls"], ptr + "/network_strips_starttls");
  if (j.contains("pop3")) {
    const json& p = j["pop3"];
    std::string pp = ptr + "/pop3";
    only_keys(c, p, pp, {"leave_on_server", "delete_after_days", "delete_when_deleted_locally",
                         "check_every_minutes", "headers_first", "recent_mode"});
    if (p.contains("recent_mode")) d.pop3.recent_mode = get_bool(c, p["recent_mode"], pp + "/recent_mode");
    if (p.contains("leave_on_server")) d.pop3.leave_on_server = get_bool(c, p["leave_on_server"], pp + "/leave_on_server");
    if (p.contains("delete_after_days")) d.pop3.delete_after_days = static_cast<int>(get_int(c, p["delete_after_days"], pp + "/delete_after_days", 0, 3650));
    if (p.contains("delete_when_deleted_locally")) d.pop3.delete_when_deleted_locally = get_bool(c, p["delete_when_deleted_locally"], pp + "/delete_when_deleted_locally");
    if (p.contains("check_every_minutes")) d.pop3.check_every_minutes = static_cast<int>(get_int(c, p["check_every_minutes"], pp + "/check_every_minutes", 0, 100000));
    if (p.contains("headers_first")) d.pop3.headers_first = get_bool(c, p["headers_first"], pp + "/headers_first");
  }
  if (j.contains("imap")) {
    const json& p = j["imap"];
    std::string pp = ptr + "/imap";
    only_keys(c, p, pp, {"on_delete", "idle", "check_every_minutes", "offline_cache",
                         "save_sent_on_server", "headers_first", "use_condstore"});
    if (p.contains("headers_first")) d.imap.bodies_on_demand = get_bool(c, p["headers_first"], pp + "/headers_first");
    if (p.contains("on_delete")) {
      std::string v = get_string(c, p["on_delete"], pp + "/on_delete");
      if (v == "move to trash") d.imap.on_delete = ImapPolicy::OnDelete::MoveToTrash;
      else if (v == "mark as deleted") d.imap.on_delete = ImapPolicy::OnDelete::MarkDeleted;
      else if (v == "remove immediately") d.imap.on_delete = ImapPolicy::OnDelete::RemoveImmediately;
      else c.fail(pp + "/on_delete", "expected \"move to trash\", \"mark as deleted\" or \"remove immediately\"");
    }
    if (p.contains("idle")) d.imap.idle = get_bool(c, p["idle"], pp + "/idle");
    if (p.contains("check_every_minutes")) d.imap.check_every_minutes = static_cast<int>(get_int(c, p["check_every_minutes"], pp + "/check_every_minutes", 0, 100000));
    if (p.contains("offline_cache")) d.imap.offline_cache = get_bool(c, p["offline_cache"], pp + "/offline_cache");
    if (p.contains("use_condstore")) d.imap.use_condstore = get_bool(c, p["use_condstore"], pp + "/use_condstore");
    if (p.contains("save_sent_on_server")) d.imap.save_sent_on_server = get_bool(c, p["save_sent_on_server"], pp + "/save_sent_on_server");
  }
  return d;
}

// The actions for everyday questions (lessons/README.md, "Actions for everyday questions"):
// fills `act` and returns true when `act.what` is one of them, fails on a bad field.
bool parse_everyday_action(const Ctx& c, const json& a, const std::string& p, const Lesson& L,
                           const std::set<std::string>& devices, ScriptAction& act) {
  if (act.what == "server files") {
    act.message = static_cast<int>(get_int(c, need(c, a, p, "message"), p + "/message", 1, 1000000));
    // The folder travels in `text`, which these actions do not otherwise use, so that
    // ScriptAction (included by most of the program) keeps its layout.
    act.text = get_string(c, need(c, a, p, "folder"), p + "/folder");
    // The server's own folders (model/account.hpp): a rule can file only into one of them.
    static const std::set<std::string> kServerFolders = {"Junk", "Trash", "Drafts", "Sent"};
    if (!kServerFolders.count(act.text))
      c.fail(p + "/folder", "the server has no folder '" + act.text + "' (Junk, Trash, Drafts, Sent)");
    act.to = a.contains("to") ? get_string(c, a["to"], p + "/to") : L.accounts[0].first;
    bool known = false;
    for (const auto& [n, pw] : L.accounts) known |= n == act.to;
    if (!known) c.fail(p + "/to", "no such account '" + act.to + "'");
    return true;
  }
  if (act.what != "open folder" && act.what != "link drops" && act.what != "move to IMAP" &&
      act.what != "upload folder")
    return false;
  if (act.device.empty()) c.fail(p, "'" + act.what + "' needs a 'device'");
  if (!devices.count(act.device))
    c.fail(p + "/device", "unknown device '" + act.device + "' (not set up before this action)");
  if (act.what == "open folder") {
    act.text = get_string(c, need(c, a, p, "folder"), p + "/folder");
    if (act.text.empty() || act.text == "INBOX")
      c.fail(p + "/folder", "name a folder other than INBOX");
  }
  if (act.what == "move to IMAP") {
    // The device's POP3 past is its own from the start of the run (start_on_pop3), so it must
    // be one of the lesson's devices, and it moves once.
    bool initial = false;
    for (const auto& d : L.devices) initial |= d.name == act.device;
    if (!initial)
      c.fail(p + "/device", "'" + act.device + "' is added during the run; only a device "
                            "listed under 'devices' can move to IMAP");
    for (const auto& b : L.script)
      if (b.what == act.what && b.device == act.device)
        c.fail(p + "/device", "'" + act.device + "' already moves to IMAP earlier");
  }
  if (act.what == "upload folder") {
    // `from` is the device's local folder, `text` the server folder (as "server files" does).
    act.from = get_string(c, need(c, a, p, "from"), p + "/from");
    if (act.from.empty()) c.fail(p + "/from", "name the local folder to copy");
    act.text = a.contains("folder") ? get_string(c, a["folder"], p + "/folder") : "INBOX";
    static const std::set<std::string> kServerFolders = {"INBOX", "Drafts", "Sent", "Junk", "Trash"};
    if (!kServerFolders.count(act.text))
      c.fail(p + "/folder", "the server has no folder '" + act.text +
                                "' (INBOX, Drafts, Sent, Junk, Trash)");
  }
  return true;
}

const std::set<std::string> kDeviceActions = {"check mail", "read", "flag", "unflag",
                                              "delete", "send", "reply", "forward", "empty trash",
                                              "go offline", "go online", "lose"};
const std::set<std::string> kMessageActions = {"read", "flag", "unflag", "delete", "reply",
                                               "forward"};

}  // namespace

std::string json_syntax_error(const std::string& text, const std::string& file, std::size_t byte,
                              const std::string& what) {
  // The byte offset as a line and column.
  const std::size_t off = std::min<std::size_t>(byte ? byte - 1 : 0, text.size());
  int line = 1, col = 1;
  for (std::size_t i = 0; i < off; ++i) {
    if (text[i] == '\n') ++line, col = 1;
    else ++col;
  }
  const auto p = what.find("syntax error");
  return file + ":" + std::to_string(line) + ":" + std::to_string(col) +
         ": invalid JSON: " + (p == std::string::npos ? what : what.substr(p));
}

namespace {

// The lesson file as JSON; a syntax error names its line and column.
json parse_json(const std::string& text, const std::string& file) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw LessonError(json_syntax_error(text, file, e.byte, e.what()));
  } catch (const json::exception& e) {
    // Not a syntax error but still bad input, e.g. a number too large for a double (406).
    throw LessonError(file + ": invalid JSON: " + e.what());
  }
  return j;
}

// Its id, title, summary, takeaway, comparison rows, worlds and seed.
void parse_header(const Ctx& c, const json& j, Lesson& L) {
  L.id = get_string(c, need(c, j, "", "id"), "/id");
  L.title = get_string(c, need(c, j, "", "title"), "/title");
  if (j.contains("summary")) L.summary = get_string(c, j["summary"], "/summary");
  if (j.contains("takeaway")) {
    L.takeaway = get_string(c, j["takeaway"], "/takeaway");
    // One line: it heads the handout and the course list.
    if (L.takeaway.find('\n') != std::string::npos) c.fail("/takeaway", "the takeaway is one line");
  }
  if (j.contains("rows")) {
    if (!j["rows"].is_array()) c.fail("/rows", "expected a list of comparison rows");
    for (std::size_t i = 0; i < j["rows"].size(); ++i)
      L.rows.push_back(get_string(c, j["rows"][i], "/rows/" + std::to_string(i)));
  }
  if (j.contains("worlds")) {
    if (!j["worlds"].is_array() || j["worlds"].empty())
      c.fail("/worlds", "expected a list such as [\"pop3\", \"imap\"]");
    for (std::size_t i = 0; i < j["worlds"].size(); ++i) {
      std::string w = get_string(c, j["worlds"][i], "/worlds/" + std::to_string(i));
      if (w == "pop3") L.worlds.push_back(Proto::POP3);
      else if (w == "imap") L.worlds.push_back(Proto::IMAP);
      else c.fail("/worlds/" + std::to_string(i), "unknown world '" + w + "' (pop3, imap)");
    }
  } else {
    L.worlds = {Proto::POP3, Proto::IMAP};
  }
  if (j.contains("seed")) L.seed = static_cast<std::uint64_t>(get_int(c, j["seed"], "/seed", 0, INT64_MAX));
}

void parse_server(const Ctx& c, const json& j, Lesson& L) {
  if (j.contains("server")) {
    const json& s = j["server"];
    only_keys(c, s, "/server", {"hostname", "quota_kb", "retention_days", "preset", "require_tls"});
    if (s.contains("require_tls")) L.require_tls = get_bool(c, s["require_tls"], "/server/require_tls");
    if (s.contains("preset")) {
      std::string preset = get_string(c, s["preset"], "/server/preset");
      // Gmail as a POP server: a message once retrieved is not offered again.
      if (preset == "gmail") L.server.pop3_popped_once = true;
      else c.fail("/server/preset", "unknown server preset '" + preset + "' (gmail)");
    }
    if (s.contains("hostname")) L.server.hostname = get_string(c, s["hostname"], "/server/hostname");
    if (s.contains("quota_kb")) L.quota = static_cast<std::uint64_t>(get_int(c, s["quota_kb"], "/server/quota_kb", 0, 1LL << 40)) * 1024;
    if (s.contains("retention_days")) L.server.retention_days = static_cast<int>(get_int(c, s["retention_days"], "/server/retention_days", 0, 36500));
  }
}

void parse_accounts(const Ctx& c, const json& j, Lesson& L) {
  const json& accts = need(c, j, "", "accounts");
  if (!accts.is_array() || accts.empty()) c.fail("/accounts", "expected a non-empty list of accounts");
  for (std::size_t i = 0; i < accts.size(); ++i) {
    std::string p = "/accounts/" + std::to_string(i);
    only_keys(c, accts[i], p, {"name", "password"});
    std::string name = get_string(c, need(c, accts[i], p, "name"), p + "/name");
    std::string pw = get_string(c, need(c, accts[i], p, "password"), p + "/password");
    if (name.empty()) c.fail(p + "/name", "an account needs a name");
    if (pw.empty()) c.fail(p + "/password", "every account needs a password");
    L.accounts.emplace_back(name, pw);
  }
}

// The devices set up at the start; `names` gets theirs (the script adds more).
void parse_devices(const Ctx& c, const json& j, Lesson& L, std::set<std::string>& names) {
  const json& devs = need(c, j, "", "devices");
  if (!devs.is_array()) c.fail("/devices", "expected a list of devices");
  for (std::size_t i = 0; i < devs.size(); ++i) {
    std::string p = "/devices/" + std::to_string(i);
    DeviceSpec d = parse_device(c, devs[i], p, L);
    if (!names.insert(d.name).second) c.fail(p + "/name", "two devices are named '" + d.name + "'");
    L.devices.push_back(d);
  }
}

// One action of the script at `p`, no earlier than `last`; `names` are the devices set up
// before it (an added device joins them).
ScriptAction parse_action(const Ctx& c, const json& a, const std::string& p, const Lesson& L,
                          std::set<std::string>& names, Tick last) {
  only_keys(c, a, p, {"at", "device", "do", "message", "from", "to", "subject", "text", "new",
                      "attachment_kb", "attachment_name", "folder"});
  ScriptAction act;
  act.at = get_time(c, need(c, a, p, "at"), p + "/at");
  if (act.at < last) c.fail(p + "/at", "actions must be in time order (this one is earlier than the one before)");
  act.what = get_string(c, need(c, a, p, "do"), p + "/do");
  if (a.contains("device")) act.device = get_string(c, a["device"], p + "/device");
  if (act.what == "mail arrives") {
    act.from = a.contains("from") ? get_string(c, a["from"], p + "/from") : "Bob <bob@outside.example>";
    act.to = a.contains("to") ? get_string(c, a["to"], p + "/to") : L.accounts[0].first;
    act.subject = a.contains("subject") ? get_string(c, a["subject"], p + "/subject") : "Hello";
    act.text = a.contains("text") ? get_string(c, a["text"], p + "/text") : "Hello!";
    if (a.contains("attachment_kb"))
      act.attachment_kb = static_cast<std::size_t>(get_int(c, a["attachment_kb"], p + "/attachment_kb", 0, 50 * 1024));
    if (a.contains("attachment_name"))
      act.attachment_name = get_string(c, a["attachment_name"], p + "/attachment_name");
    bool known = false;
    for (const auto& [n, pw] : L.accounts) known |= n == act.to;
    if (!known) c.fail(p + "/to", "no such account '" + act.to + "'");
  } else if (act.what == "add device") {
    if (!a.contains("new")) c.fail(p, "'add device' needs a 'new' device description");
    act.new_device = parse_device(c, a["new"], p + "/new", L);
    if (!names.insert(act.new_device.name).second)
      c.fail(p + "/new/name", "a device named '" + act.new_device.name + "' already exists");
  } else if (kDeviceActions.count(act.what)) {
    if (act.device.empty()) c.fail(p, "'" + act.what + "' needs a 'device'");
    if (!names.count(act.device))
      c.fail(p + "/device", "unknown device '" + act.device + "' (not set up before this action)");
    if (kMessageActions.count(act.what)) {
      act.message = static_cast<int>(get_int(c, need(c, a, p, "message"), p + "/message", 1, 1000000));
    }
    if (act.what == "send") {
      act.to = get_string(c, need(c, a, p, "to"), p + "/to");
      act.subject = a.contains("subject") ? get_string(c, a["subject"], p + "/subject") : "Hello";
    }
    if (act.what == "forward") act.to = get_string(c, need(c, a, p, "to"), p + "/to");
    if (act.what == "send" || act.what == "reply" || act.what == "forward")
      act.text = a.contains("text") ? get_string(c, a["text"], p + "/text") : "Sent from my " + act.device + ".";
    if (act.what == "reply") act.to = a.contains("to") ? get_string(c, a["to"], p + "/to") : "bob@outside.example";
  } else if (!parse_everyday_action(c, a, p, L, names, act)) {
    c.fail(p + "/do", "unknown action '" + act.what + "'");
  }
  return act;
}

// The script, in time order; returns the time of its last action.
Tick parse_script(const Ctx& c, const json& j, Lesson& L, std::set<std::string>& names) {
  const json& script = need(c, j, "", "script");
  if (!script.is_array()) c.fail("/script", "expected a list of actions");
  Tick last = 0;
  for (std::size_t i = 0; i < script.size(); ++i) {
    std::string p = "/script/" + std::to_string(i);
    ScriptAction act = parse_action(c, script[i], p, L, names, last);
    last = act.at;
    L.script.push_back(act);
  }
  return last;
}

// The narrative steps, in time order within the run, and which one decides the lesson.
void parse_steps(const Ctx& c, const json& j, Lesson& L) {
  if (j.contains("steps")) {
    if (!j["steps"].is_array()) c.fail("/steps", "expected a list of narrative steps");
    for (std::size_t i = 0; i < j["steps"].size(); ++i) {
      std::string p = "/steps/" + std::to_string(i);
      const json& s = j["steps"][i];
      only_keys(c, s, p, {"at", "title", "text"});
      Step st;
      st.at = get_time(c, need(c, s, p, "at"), p + "/at");
      if (st.at > L.duration) c.fail(p + "/at", "this step is after the end of the run");
      // Expectations belong to steps by time, so the steps must be in time order.
      if (!L.steps.empty() && st.at < L.steps.back().at)
        c.fail(p + "/at", "steps must be in time order (this one is earlier than the one before)");
      st.title = get_string(c, need(c, s, p, "title"), p + "/title");
      if (s.contains("text")) st.text = get_string(c, s["text"], p + "/text");
      L.steps.push_back(st);
    }
  }
  if (j.contains("decisive_step")) {
    if (L.steps.empty()) c.fail("/decisive_step", "the lesson has no steps to name");
    L.decisive_step = static_cast<int>(get_int(c, j["decisive_step"], "/decisive_step", 1,
                                               static_cast<std::int64_t>(L.steps.size()))) - 1;
  }
}

// "readable_on_wire" (issue 22): a device's connections as an eavesdropper sees them.
void parse_wire_expectation(const Ctx& c, const json& e, const std::string& p, Expectation& x) {
  if (!e.contains("readable_on_wire")) {
    for (const char* k : {"readable", "message"})
      if (e.contains(k)) c.fail(p + "/" + k, std::string("'") + k + "' belongs to 'readable_on_wire'");
    return;
  }
  std::string what = get_string(c, e["readable_on_wire"], p + "/readable_on_wire");
  if (what == "password") x.readable_on_wire = WireSecret::Password;
  else if (what == "message body") x.readable_on_wire = WireSecret::MessageBody;
  else if (what == "server name") x.readable_on_wire = WireSecret::ServerName;
  else
    c.fail(p + "/readable_on_wire",
           "unknown secret '" + what + "' (password, message body, server name)");
  if (x.where == "server") c.fail(p + "/where", "'readable_on_wire' needs a device: whose connections");
  x.readable = get_bool(c, need(c, e, p, "readable"), p + "/readable");
  if (e.contains("message")) {
    if (*x.readable_on_wire != WireSecret::MessageBody)
      c.fail(p + "/message", "'message' belongs to \"readable_on_wire\": \"message body\"");
    x.message = static_cast<int>(get_int(c, e["message"], p + "/message", 1, 100000));
  }
}

// One expectation at `p` (the "expect" list's, or a task's check).
Expectation parse_expectation(const Ctx& c, const json& e, const std::string& p, const Lesson& L,
                              const std::set<std::string>& names) {
  only_keys(c, e, p, {"world", "where", "folder", "count", "also_on", "seen", "says", "at",
                      "step", "readable_on_wire", "readable", "message"});
  Expectation x;
  if (e.contains("world")) {
    x.world = get_string(c, e["world"], p + "/world");
    if (x.world != "pop3" && x.world != "imap") c.fail(p + "/world", "expected \"pop3\" or \"imap\"");
  }
  x.where = get_string(c, need(c, e, p, "where"), p + "/where");
  if (x.where != "server" && !names.count(x.where)) c.fail(p + "/where", "unknown place '" + x.where + "' (server or a device)");
  if (e.contains("folder")) x.folder = get_string(c, e["folder"], p + "/folder");
  if (e.contains("count")) x.count = static_cast<int>(get_int(c, e["count"], p + "/count", 0, 1000000));
  if (e.contains("seen")) x.seen = static_cast<int>(get_int(c, e["seen"], p + "/seen", 0, 1000000));
  if (e.contains("also_on")) {
    x.also_on = get_string(c, e["also_on"], p + "/also_on");
    if (*x.also_on != "server" && !names.count(*x.also_on)) c.fail(p + "/also_on", "unknown place '" + *x.also_on + "'");
  }
  if (e.contains("says")) x.says = get_string(c, e["says"], p + "/says");
  if (e.contains("at")) {
    x.at = get_time(c, e["at"], p + "/at");
    if (*x.at > L.duration) c.fail(p + "/at", "this check is after the end of the run");
  }
  if (e.contains("step")) {
    if (x.at) c.fail(p + "/step", "give 'step' or 'at', not both");
    if (L.steps.empty()) c.fail(p + "/step", "the lesson has no steps to name");
    x.step = static_cast<int>(get_int(c, e["step"], p + "/step", 1,
                                      static_cast<std::int64_t>(L.steps.size()))) - 1;
  }
  parse_wire_expectation(c, e, p, x);
  if (!x.count && !x.also_on && !x.seen && !x.readable_on_wire)
    c.fail(p, "an expectation needs 'count', 'seen', 'also_on' or 'readable_on_wire'");
  return x;
}

void parse_expectations(const Ctx& c, const json& j, Lesson& L,
                        const std::set<std::string>& names) {
  if (j.contains("expect")) {
    if (!j["expect"].is_array()) c.fail("/expect", "expected a list of expectations");
    for (std::size_t i = 0; i < j["expect"].size(); ++i)
      L.expect.push_back(parse_expectation(c, j["expect"][i], "/expect/" + std::to_string(i), L, names));
  }
}

void parse_quiz(const Ctx& c, const json& j, Lesson& L) {
  if (j.contains("quiz")) {
    if (!j["quiz"].is_array()) c.fail("/quiz", "expected a list of questions");
    for (std::size_t i = 0; i < j["quiz"].size(); ++i) {
      std::string p = "/quiz/" + std::to_string(i);
      const json& q = j["quiz"][i];
      only_keys(c, q, p, {"question", "choices", "answer", "explain", "feedback"});
      QuizQuestion qq;
      qq.question = get_string(c, need(c, q, p, "question"), p + "/question");
      const json& ch = need(c, q, p, "choices");
      if (!ch.is_array() || ch.size() < 2) c.fail(p + "/choices", "expected at least two choices");
      for (std::size_t k = 0; k < ch.size(); ++k)
        qq.choices.push_back(get_string(c, ch[k], p + "/choices/" + std::to_string(k)));
      qq.answer = static_cast<int>(get_int(c, need(c, q, p, "answer"), p + "/answer", 0,
                                           static_cast<std::int64_t>(qq.choices.size()) - 1));
      if (q.contains("explain")) qq.explain = get_string(c, q["explain"], p + "/explain");
      if (q.contains("feedback")) {
        const json& fb = q["feedback"];
        if (!fb.is_array() || fb.size() != qq.choices.size())
          c.fail(p + "/feedback", "expected a list with one text per choice (" +
                                      std::to_string(qq.choices.size()) + ")");
        for (std::size_t k = 0; k < fb.size(); ++k)
          qq.feedback.push_back(get_string(c, fb[k], p + "/feedback/" + std::to_string(k)));
      }
      L.quiz.push_back(qq);
    }
  }
}

}  // namespace

std::optional<Tick> parse_duration(const std::string& s) {
  if (s.empty()) return std::nullopt;
  Tick total = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t j = i;
    while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.')) ++j;
    if (j == i || j - i > 12) return std::nullopt;
    // std::stod throws on "." and accepts "1.2.3" as 1.2: insist on digits with at most one
    // point, so that a bad time is an error message and not an exception.
    std::string num = s.substr(i, j - i);
    if (std::count(num.begin(), num.end(), '.') > 1 || num == ".") return std::nullopt;
    double v = std::stod(num);
    std::size_t k = j;
    while (k < s.size() && std::isalpha(static_cast<unsigned char>(s[k]))) ++k;
    std::string unit = s.substr(j, k - j);
    Tick mult;
    if (unit == "ms") mult = kMs;
    else if (unit == "s" || unit.empty()) mult = kSecond;
    else if (unit == "m" || unit == "min") mult = kMinute;
    else if (unit == "h") mult = kHour;
    else if (unit == "d") mult = kDay;
    else return std::nullopt;
    // Converting a double beyond Tick's range is undefined: refuse anything over a century.
    constexpr double kMax = 36525.0 * static_cast<double>(kDay);
    double add = v * static_cast<double>(mult);
    if (!(add <= kMax) || static_cast<double>(total) + add > kMax) return std::nullopt;
    total += static_cast<Tick>(add);
    i = k;
  }
  return total;
}

std::string format_time(Tick t) {
  long long ms = t / kMs;
  char buf[48];
  long long d = ms / 86'400'000;
  if (d > 0)
    std::snprintf(buf, sizeof buf, "%lldd %02lld:%02lld:%02lld.%03lld", d, ms / 3'600'000 % 24,
                  ms / 60000 % 60, ms / 1000 % 60, ms % 1000);
  else
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld.%03lld", ms / 3'600'000, ms / 60000 % 60,
                  ms / 1000 % 60, ms % 1000);
  return buf;
}

std::string ScriptAction::describe() const {
  std::string who = device.empty() ? "" : device + ": ";
  if (what == "mail arrives") return "mail arrives: \"" + subject + "\"";
  if (kMessageActions.count(what)) return who + what + " message " + std::to_string(message);
  if (what == "send") return who + "send \"" + subject + "\" to " + to;
  if (what == "add device") return "add device " + new_device.name;
  if (what == "server files") return "server files message " + std::to_string(message) + " into " + text;
  if (what == "open folder") return who + "open folder " + text;
  if (what == "upload folder") return who + "upload folder " + from + " into " + text;
  return who + what;
}

Lesson parse_lesson(const std::string& text, const std::string& file) {
  const json j = parse_json(text, file);
  Positions pos(text);
  Ctx c{file, pos};
  only_keys(c, j, "", {"id", "title", "summary", "takeaway", "decisive_step", "rows", "worlds", "seed",
                       "duration", "server", "accounts", "devices", "script", "steps", "expect", "quiz",
                       "predictions", "task"});
  Lesson L;
  L.file = file;
  parse_header(c, j, L);
  parse_server(c, j, L);
  parse_accounts(c, j, L);
  std::set<std::string> names;
  parse_devices(c, j, L, names);
  const Tick last = parse_script(c, j, L, names);
  L.duration = last + 5 * kMinute;
  if (j.contains("duration")) {
    L.duration = get_time(c, j["duration"], "/duration");
    if (L.duration < last) c.fail("/duration", "the run ends before its last action");
  }
  parse_steps(c, j, L);
  parse_expectations(c, j, L, names);
  parse_quiz(c, j, L);
  // Predictions and the task (issue 24): lesson/assess.cpp, with this reader's errors.
  const LessonReader reader{
      [&](const std::string& ptr, const std::string& msg) { c.fail(ptr, msg); },
      [&](const json& e, const std::string& ptr) { return parse_expectation(c, e, ptr, L, names); },
      names};
  parse_assessment(j, L, reader);
  return L;
}

Lesson load_lesson(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw LessonError(path + ": cannot open lesson file");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_lesson(ss.str(), path);
}

std::vector<std::string> lesson_files(const std::string& lessons_dir) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(lessons_dir, ec))
    if (e.path().extension() == ".json" && e.path().filename() != "course.json")
      out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string find_lesson(const std::string& id_or_path, const std::string& lessons_dir) {
  namespace fs = std::filesystem;
  if (fs::exists(id_or_path) && fs::is_regular_file(id_or_path)) return id_or_path;
  fs::path p = fs::path(lessons_dir) / (id_or_path + ".json");
  if (fs::exists(p)) return p.string();
  return id_or_path;  // load_lesson reports that it cannot be opened
}

std::unique_ptr<World> build_world(const Lesson& L, Proto proto, std::uint64_t seed) {
  auto w = std::make_unique<World>(proto == Proto::POP3 ? "POP3" : "IMAP", proto, seed);
  w->server().settings = L.server;
  // IMAP LOGINDISABLED (RFC 3501 section 6.2.3), POP3 -ERR to USER (RFC 2595 section 4), SMTP
  // no AUTH before STARTTLS (RFC 3207 section 4.1): set before the devices, which only add.
  if (L.require_tls) w->set_server_tls({.starttls = true, .require_tls = true});
  for (const auto& [name, pw] : L.accounts) w->add_account(name, pw).quota = L.quota;
  for (const auto& d : L.devices) w->add_device(d);
  World* wp = w.get();
  if (proto == Proto::IMAP)
    for (const auto& a : L.script)
      if (a.what == "move to IMAP")
        if (Device* d = wp->device(a.device)) start_on_pop3(*d);
  for (std::size_t i = 0; i < L.steps.size(); ++i) {
    const Step& st = L.steps[i];
    wp->sched().at(st.at, [wp, st, i] {
      wp->record({.t = wp->now(), .t_end = wp->now(), .kind = RecKind::Step,
                  .uid = static_cast<std::uint32_t>(i), .text = st.title});
    });
  }
  for (const auto& a : L.script) {
    wp->sched().at(a.at, [wp, a] {
      Device* d = a.device.empty() ? nullptr : wp->device(a.device);
      if (a.what == "mail arrives") wp->mail_arrives(a.to, a.from, a.subject, a.text, a.attachment_kb, a.attachment_name);
      else if (a.what == "add device") wp->add_device(a.new_device).check_mail();
      else if (a.what == "server files") server_files(*wp, a.to, a.message, a.text);
      else if (!d) return;
      else if (a.what == "check mail") d->check_mail();
      else if (a.what == "read") d->read(a.message);
      else if (a.what == "flag") d->flag(a.message, kFlagged, true);
      else if (a.what == "unflag") d->flag(a.message, kFlagged, false);
      else if (a.what == "delete") d->remove(a.message);
      else if (a.what == "send") d->send(a.to, a.subject, a.text);
      else if (a.what == "reply") d->send(a.to, "", a.text, a.message);
      else if (a.what == "forward") d->forward(a.message, a.to, a.text);
      else if (a.what == "empty trash") d->empty_trash();
      else if (a.what == "go offline") d->go_offline();
      else if (a.what == "go online") d->go_online();
      else if (a.what == "lose") d->lose();
      else if (a.what == "open folder") open_folder(*d, a.text);
      else if (a.what == "link drops") link_drops(*d);
      else if (a.what == "move to IMAP") move_to_imap(*d);
      else if (a.what == "upload folder") upload_folder(*d, a.from, a.text);
    });
  }
  return w;
}

// Checks read the trace, as the table and the views do, through the views' index: the server
// and the devices as its records name them, the stores as they are now (its state after every
// record), not the live objects, so that what a check says is what a viewer can see.
// "readable_on_wire": reads the Wire records of `where`'s connections as a tap on the link
// would: a plaintext record's bytes, a TLS record's ciphertext (in which only the ClientHello's
// server name extension, RFC 6066 section 3, is in clear). The secret counts as readable when
// it, or the base64 SASL PLAIN/LOGIN send it in (RFC 4616, trivially decoded), is in them.
CheckResult evaluate_wire(World& w, const Expectation& x) {
  const Trace& tr = w.trace();
  CheckResult r;
  r.world = w.proto() == Proto::POP3 ? "pop3" : "imap";
  const Device* dev = w.device(x.where);
  std::vector<std::string> needles;
  std::string what;
  switch (*x.readable_on_wire) {
    case WireSecret::Password:
      what = "the password";
      if (dev) {
        const DeviceSpec& s = dev->spec();
        needles = {s.password, base64_encode(s.password),
                   base64_encode(std::string(1, '\0') + s.account + '\0' + s.password)};
      }
      break;
    case WireSecret::MessageBody: {
      what = "the text of message " + std::to_string(x.message);
      const auto& msgs = w.scenario_messages();
      if (x.message <= static_cast<int>(msgs.size())) {
        // Its first line of text: what a reader of the stream would recognise.
        const std::string& raw = msgs[static_cast<std::size_t>(x.message - 1)]->raw;
        std::size_t b = raw.find("\r\n\r\n");
        std::string body = b == std::string::npos ? "" : raw.substr(b + 4);
        std::string line = body.substr(0, body.find("\r\n"));
        if (!line.empty()) needles.push_back(line.substr(0, 60));
      }
      break;
    }
    case WireSecret::ServerName:
      // The name the server greets with, and the certificate's name a TLS client sends.
      what = "the server's name";
      needles = {w.server().settings.hostname, w.tls_context().server_name()};
      break;
  }
  std::size_t records = 0, tls_records = 0, found = 0;
  int actor = -1;
  for (std::size_t i = 0; i < tr.actors().size(); ++i)
    if (tr.actor_name(static_cast<std::uint16_t>(i)) == x.where) actor = static_cast<int>(i);
  for (const Record& rec : tr.records()) {
    if (rec.kind != RecKind::Wire || (rec.actor != actor && rec.peer != actor)) continue;
    ++records;
    tls_records += !rec.cipher.empty();
    const std::string& seen = rec.cipher.empty() ? rec.text : rec.cipher;
    bool hit = false;
    for (const auto& n : needles) hit |= !n.empty() && seen.find(n) != std::string::npos;
    found += hit;
  }
  const bool readable = found > 0;
  r.pass = records > 0 && !needles.empty() && readable == x.readable;
  std::string desc = what + " of " + x.where + (x.readable ? " is" : " is not") +
                     " readable on the wire";
  r.description = x.says.empty() ? desc : x.says + " (" + desc + ")";
  r.observed = needles.empty() ? what + " is unknown in this world"
               : "in " + std::to_string(found) + " of " + std::to_string(records) +
                     " wire record(s) (" + std::to_string(tls_records) + " over TLS)";
  w.record({.t = w.now(), .t_end = w.now(), .kind = RecKind::Check, .uid = r.pass ? 1u : 0u,
            .text = r.description + ": " + (r.pass ? "pass" : "FAIL, observed " + r.observed)});
  return r;
}

CheckResult evaluate(const Lesson& /*lesson*/, World& w, const Expectation& x) {
  if (x.readable_on_wire) return evaluate_wire(w, x);
  const Trace& tr = w.trace();
  view::TraceIndex ix;
  ix.extend(tr);
  const WorldView& now = ix.state();
  auto store_of = [&](const std::string& where) -> const ViewStore* {
    // The server's first account, the lesson's first, shows its folders without a prefix.
    const view::TraceIndex::Device* d = where == "server" ? nullptr : ix.device_named(tr, where);
    const int actor = where == "server" ? ix.server() : d ? d->id : -1;
    return actor >= 0 && static_cast<std::size_t>(actor) < now.stores.size()
               ? &now.stores[static_cast<std::size_t>(actor)]
               : nullptr;
  };
  CheckResult r;
  r.world = w.proto() == Proto::POP3 ? "pop3" : "imap";
  const ViewStore* s = store_of(x.where);
  const ViewFolder* f = s ? s->folder(x.folder) : nullptr;
  std::size_t n = f ? f->entries.size() : 0;
  std::string desc = x.where + " " + x.folder;
  r.pass = true;
  std::vector<std::string> parts, seen_parts;
  if (x.count) {
    r.pass &= static_cast<int>(n) == *x.count;
    parts.push_back("holds " + std::to_string(*x.count) + " message(s)");
  }
  if (x.seen) {
    int seen = 0;
    if (f)
      for (const auto& e : f->entries) seen += e.flags.has(kSeen);
    r.pass &= seen == *x.seen;
    parts.push_back(std::to_string(*x.seen) + " marked read");
    seen_parts.push_back(std::to_string(seen) + " read");
  }
  if (x.also_on) {
    // The trace numbers every copy of a message (same Message-ID) alike.
    const ViewStore* o = store_of(*x.also_on);
    std::size_t missing = 0;
    if (f)
      for (const auto& e : f->entries) {
        bool found = false;
        if (o)
          for (const ViewFolder& of : o->folders)
            for (const ViewEntry& oe : of.entries) found |= oe.msg == e.msg;
        missing += !found;
      }
    r.pass &= missing == 0;
    parts.push_back("each also on " + *x.also_on);
    seen_parts.push_back(std::to_string(missing) + " not on " + *x.also_on);
  }
  for (std::size_t i = 0; i < parts.size(); ++i) desc += (i ? ", " : " ") + parts[i];
  r.description = x.says.empty() ? desc : x.says + " (" + desc + ")";
  r.observed = std::to_string(n) + " message(s)";
  for (const auto& sp : seen_parts) r.observed += ", " + sp;
  w.record({.t = w.now(), .t_end = w.now(), .kind = RecKind::Check, .uid = r.pass ? 1u : 0u,
            .text = r.description + ": " + (r.pass ? "pass" : "FAIL, observed " + r.observed)});
  return r;
}

std::pair<int, Tick> decided_when(const Lesson& L, const Expectation& x) {
  if (x.step) return {*x.step, L.steps[static_cast<std::size_t>(*x.step)].at};
  if (x.at) {
    int in_force = -1;
    for (std::size_t i = 0; i < L.steps.size(); ++i)
      if (L.steps[i].at <= *x.at) in_force = static_cast<int>(i);
    return {in_force, *x.at};
  }
  if (L.steps.empty()) return {-1, L.duration};
  return {static_cast<int>(L.steps.size()) - 1, L.steps.back().at};
}

std::vector<CheckResult> check_world(const Lesson& L, World& w) {
  std::string wname = w.proto() == Proto::POP3 ? "pop3" : "imap";
  std::vector<CheckResult> out;
  for (const auto& x : L.expect)
    if ((x.world.empty() || x.world == wname) && !x.at && !x.step && L.steps.empty()) {
      out.push_back(evaluate(L, w, x));
      out.back().at = w.now();
    }
  return out;
}

bool LessonRun::all_pass() const {
  for (const auto& w : worlds)
    for (const auto& c : w.checks)
      if (!c.pass) return false;
  return true;
}

LessonRun run_lesson(const Lesson& lesson, std::optional<std::uint64_t> seed) {
  LessonRun run;
  run.lesson = lesson;
  for (Proto p : lesson.worlds) {
    WorldRun wr;
    wr.world = build_world(lesson, p, seed.value_or(lesson.seed));
    World* w = wr.world.get();
    std::string wname = p == Proto::POP3 ? "pop3" : "imap";
    // Each expectation is decided at its step's moment, after that moment's script actions
    // have started (they were scheduled first), in expectation order among equal times; a
    // lesson without steps decides them once the run has ended. Results keep the lesson's
    // order.
    std::vector<std::pair<std::size_t, CheckResult>> decided;
    for (std::size_t i = 0; i < lesson.expect.size(); ++i) {
      const Expectation& x = lesson.expect[i];
      if (!x.world.empty() && x.world != wname) continue;
      if (!x.at && !x.step && lesson.steps.empty()) continue;  // check_world, below
      auto [step, t] = decided_when(lesson, x);
      w->sched().at(t, [&lesson, w, &x, &decided, i, step = step, t = t] {
        CheckResult r = evaluate(lesson, *w, x);
        r.step = step, r.at = t;
        decided.emplace_back(i, std::move(r));
      });
    }
    w->run_until(lesson.duration);
    std::stable_sort(decided.begin(), decided.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [i, r] : decided) wr.checks.push_back(std::move(r));
    for (auto& c : check_world(lesson, *w)) wr.checks.push_back(std::move(c));
    run.worlds.push_back(std::move(wr));
  }
  return run;
}

}  // namespace ms
