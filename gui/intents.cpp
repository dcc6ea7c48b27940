#include "intents.hpp"

#include <algorithm>
#include <cstdlib>
#include <sstream>

namespace ms {

std::string Intent::describe() const {
  switch (kind) {
    case Kind::Action: return format_time(action.at) + "  " + action.describe();
    case Kind::Device: return "settings of " + device.name + " (from the start)";
    case Kind::Server: return "server settings (from the start)";
  }
  return "";
}

Lesson apply_intents(const Lesson& base, const std::vector<Intent>& intents, Tick tail) {
  Lesson L = base;
  for (const Intent& in : intents) {
    if (in.kind == Intent::Kind::Device) {
      for (DeviceSpec& d : L.devices)
        if (d.name == in.device.name) d = in.device;
      // A device added by the script takes the new settings when it appears.
      for (ScriptAction& a : L.script)
        if (a.what == "add device" && a.new_device.name == in.device.name) a.new_device = in.device;
    } else if (in.kind == Intent::Kind::Server) {
      L.server = in.server;
      L.quota = in.quota;
    } else {
      ScriptAction a = in.action;
      if (a.what == "add device") {
        // Two devices of one name would share one actor in the trace: such an intent is void.
        const auto& n = a.new_device.name;
        bool taken = std::any_of(L.devices.begin(), L.devices.end(),
                                 [&](const DeviceSpec& d) { return d.name == n; });
        for (const ScriptAction& s : L.script)
          taken |= s.what == "add device" && s.new_device.name == n;
        if (taken || n.empty()) continue;
        if (a.new_device.account.empty() && !L.accounts.empty()) {
          a.new_device.account = L.accounts[0].first;
          a.new_device.password = L.accounts[0].second;
        }
      }
      // After everything already due at the same time: the earlier part of the run, which
      // the scheduler orders by insertion, stays exactly as it was.
      auto pos = std::upper_bound(L.script.begin(), L.script.end(), a.at,
                                  [](Tick t, const ScriptAction& s) { return t < s.at; });
      L.script.insert(pos, a);
      L.duration = std::max(L.duration, a.at + tail);
    }
  }
  return L;
}

std::optional<Tick> branch_time(const std::vector<Intent>& intents) {
  std::optional<Tick> t;
  for (const Intent& in : intents) {
    const Tick at = in.kind == Intent::Kind::Action ? in.action.at : 0;
    if (!t || at < *t) t = at;
  }
  return t;
}

std::optional<Intent> parse_intent(const std::string& text, std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<Intent> {
    if (error) *error = "intent '" + text + "': " + why;
    return std::nullopt;
  };
  std::istringstream in(text);
  std::vector<std::string> w;
  for (std::string s; in >> s;) w.push_back(s);
  if (w.size() < 4 || w[w.size() - 2] != "at")
    return fail("expected DEVICE ACTION [N] at SECONDS");
  char* end = nullptr;
  const double secs = std::strtod(w.back().c_str(), &end);
  if (!end || *end != '\0' || !(secs >= 0) || secs > 1e7) return fail("bad time");
  Intent it;
  ScriptAction& a = it.action;
  a.at = static_cast<Tick>(secs * kSecond);
  a.device = w[0];
  std::vector<std::string> rest(w.begin() + 1, w.end() - 2);
  std::string verb = rest[0];
  std::size_t used = 1;
  if (rest.size() >= 2 && (verb == "check" || verb == "empty" || verb == "go" || verb == "add")) {
    verb += " " + rest[1];
    used = 2;
  }
  static const std::vector<std::string> kNumbered = {"read", "flag", "unflag", "delete", "reply"};
  static const std::vector<std::string> kPlain = {"check mail", "empty trash", "go offline",
                                                  "go online", "lose"};
  a.what = verb;
  if (std::find(kNumbered.begin(), kNumbered.end(), verb) != kNumbered.end()) {
    if (rest.size() != 2) return fail("'" + verb + "' needs one message number");
    const long n = std::strtol(rest[1].c_str(), &end, 10);
    if (*end != '\0' || n < 1 || n > 1000000) return fail("bad message number");
    a.message = static_cast<int>(n);
    if (verb == "reply") {
      a.to = "bob@outside.example";
      a.text = "Sent from my " + a.device + ".";
    }
  } else if (std::find(kPlain.begin(), kPlain.end(), verb) != kPlain.end()) {
    if (rest.size() != used) return fail("'" + verb + "' takes no arguments");
  } else if (verb == "send") {
    // send [SUBJECT WORDS] [to ADDRESS]
    a.to = "bob@outside.example";
    std::string subject;
    for (std::size_t i = 1; i < rest.size(); ++i) {
      if (rest[i] == "to" && i + 2 == rest.size()) {
        a.to = rest[i + 1];
        break;
      }
      subject += (subject.empty() ? "" : " ") + rest[i];
    }
    a.subject = subject.empty() ? "Hello" : subject;
    a.text = "Sent from my " + a.device + ".";
  } else if (verb == "add device") {
    // DEVICE is the new device's name: "tablet add device tablet at 20" reads oddly, so the
    // kind is optional: "tablet add device at 20" makes a tablet if the name is a kind.
    if (rest.size() > 3) return fail("'add device' takes at most a kind");
    a.new_device.name = a.device;
    DeviceKind k = DeviceKind::Phone;
    if (rest.size() == 3 && !parse_device_kind(rest[2], k)) return fail("unknown device kind");
    if (rest.size() == 2) parse_device_kind(a.device, k);
    a.new_device.kind = k;
    a.device.clear();
  } else {
    return fail("unknown action '" + verb + "'");
  }
  return it;
}

std::string new_device_name(const std::vector<std::string>& taken, const std::string& kind) {
  auto free = [&](const std::string& n) {
    return std::find(taken.begin(), taken.end(), n) == taken.end();
  };
  if (free(kind)) return kind;
  for (int k = 2;; ++k)
    if (free(kind + " " + std::to_string(k))) return kind + " " + std::to_string(k);
}

std::optional<LessonRun> rerun_sandbox(Sandbox& s) {
  if (s.pending.empty() && !s.reset && !(s.undo && !s.applied.empty())) {
    s.undo = false;
    return std::nullopt;
  }
  std::vector<Intent> next = s.reset ? std::vector<Intent>{} : s.applied;
  // Undo takes back the last action applied; actions queued in the same frame come after it.
  if (s.undo && !s.reset && !next.empty()) next.pop_back();
  next.insert(next.end(), s.pending.begin(), s.pending.end());
  s.pending.clear();
  s.reset = false;
  s.undo = false;
  try {
    LessonRun run = run_lesson(apply_intents(s.base, next), s.seed);
    s.applied = std::move(next);
    s.error.clear();
    ++s.generation;
    return run;
  } catch (const std::exception& e) {
    s.error = e.what();
    return std::nullopt;
  }
}

}  // namespace ms
