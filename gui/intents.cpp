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

namespace {
// The stores of a world at a moment, as text: every actor's presence, folders and copies
// (UID, message, flags).
std::string stores_digest(const WorldView& v, const Trace& tr) {
  std::string d;
  for (std::size_t a = 0; a < v.stores.size(); ++a) {
    const ViewStore& st = v.stores[a];
    if (!st.present) continue;
    d += tr.actor_name(static_cast<std::uint16_t>(a));
    d += st.online ? " on" : " off";
    if (st.lost) d += " lost";
    for (const ViewFolder& f : st.folders) {
      d += " [" + f.name;
      for (const ViewEntry& e : f.entries)
        d += " " + std::to_string(e.uid) + ":" + std::to_string(e.msg) + ":" +
             std::to_string(e.flags.bits);
      d += "]";
    }
    d += "\n";
  }
  return d;
}
}  // namespace

RunOutline outline_run(const LessonRun& run) {
  RunOutline o;
  const std::vector<Step>& steps = run.lesson.steps;
  Tick duration = run.lesson.duration;
  for (const WorldRun& w : run.worlds) duration = std::max(duration, w.world->now());
  o.steps.resize(steps.size());
  for (const WorldRun& w : run.worlds) {
    const Trace& tr = w.world->trace();
    Replay replay(tr);
    for (std::size_t i = 0; i < steps.size(); ++i) {
      // The step's end: the moment before the next begins, or the run's end.
      const Tick end = i + 1 < steps.size() ? std::max(steps[i].at, steps[i + 1].at - 1) : duration;
      o.steps[i] += stores_digest(replay.at(tr.index_after(end)), tr) + "--\n";
    }
    std::vector<RunOutline::Check> checks;
    for (const CheckResult& c : w.checks) checks.push_back({c.pass, c.observed});
    o.checks.push_back(std::move(checks));
  }
  return o;
}

bool RunChanges::step_changed(int i) const {
  return std::find(steps.begin(), steps.end(), i) != steps.end();
}

bool RunChanges::check_changed(std::size_t world, std::size_t k) const {
  return world < checks.size() && k < checks[world].size() && checks[world][k];
}

RunChanges compare_runs(const RunOutline& planned, const RunOutline& now) {
  RunChanges c;
  for (std::size_t i = 0; i < now.steps.size(); ++i)
    if (i >= planned.steps.size() || planned.steps[i] != now.steps[i])
      c.steps.push_back(static_cast<int>(i));
  c.checks.resize(now.checks.size());
  for (std::size_t w = 0; w < now.checks.size(); ++w)
    for (std::size_t k = 0; k < now.checks[w].size(); ++k) {
      const bool known = w < planned.checks.size() && k < planned.checks[w].size();
      c.checks[w].push_back(!known || planned.checks[w][k].pass != now.checks[w][k].pass ||
                            planned.checks[w][k].observed != now.checks[w][k].observed);
    }
  return c;
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
    // The lesson as planned is outlined once, to mark what the learner's runs change.
    if (s.planned.empty()) s.planned = outline_run(run_lesson(s.base, s.seed));
    LessonRun run = run_lesson(apply_intents(s.base, next), s.seed);
    s.changes = next.empty() ? RunChanges{} : compare_runs(s.planned, outline_run(run));
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
