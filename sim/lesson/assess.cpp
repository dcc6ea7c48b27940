#include "lesson/assess.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "view/trace_index.hpp"
#include "view/world_scene.hpp"

namespace ms {

namespace {

using json = nlohmann::json;

const char* world_name(Proto p) { return p == Proto::POP3 ? "pop3" : "imap"; }

// Small typed readers over the lesson reader's located errors.
struct Reader {
  const LessonReader& r;
  [[noreturn]] void fail(const std::string& ptr, const std::string& msg) const {
    r.fail(ptr, msg);
    throw AssessError(msg);  // not reached: the lesson reader throws LessonError
  }
  const json& need(const json& obj, const std::string& ptr, const char* key) const {
    if (!obj.is_object()) fail(ptr, "expected an object");
    if (!obj.contains(key)) fail(ptr, std::string("missing required field '") + key + "'");
    return obj.at(key);
  }
  std::string str(const json& v, const std::string& ptr) const {
    if (!v.is_string()) fail(ptr, "expected a string");
    return v.get<std::string>();
  }
  std::int64_t num(const json& v, const std::string& ptr) const {
    if (!v.is_number_integer()) fail(ptr, "expected a whole number");
    return v.get<std::int64_t>();
  }
  void only(const json& obj, const std::string& ptr, std::initializer_list<const char*> keys) const {
    if (!obj.is_object()) fail(ptr, "expected an object");
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      if (std::any_of(keys.begin(), keys.end(), [&](const char* k) { return it.key() == k; }))
        continue;
      std::string list;
      for (const char* k : keys) list += std::string(list.empty() ? "" : ", ") + k;
      fail(ptr + "/" + it.key(), "unknown field (expected one of: " + list + ")");
    }
  }
  Proto world(const json& obj, const std::string& ptr, const Lesson& L) const {
    if (!obj.contains("world")) {
      if (L.worlds.size() == 1) return L.worlds[0];
      fail(ptr, "missing required field 'world' (\"pop3\" or \"imap\": the lesson runs both)");
    }
    std::string w = str(obj["world"], ptr + "/world");
    Proto p = w == "pop3" ? Proto::POP3 : w == "imap" ? Proto::IMAP : Proto::None;
    if (p == Proto::None) fail(ptr + "/world", "expected \"pop3\" or \"imap\"");
    if (std::find(L.worlds.begin(), L.worlds.end(), p) == L.worlds.end())
      fail(ptr + "/world", "the lesson does not run the " + w + " world");
    return p;
  }
};

// The scenario's messages: what arrives and what devices send, in script order.
int scenario_message_count(const Lesson& L) {
  int n = 0;
  for (const auto& a : L.script)
    n += a.what == "mail arrives" || a.what == "send" || a.what == "reply" || a.what == "forward";
  return n;
}

// Folders a query may name: the server's, and those the script files, opens or uploads into.
std::set<std::string> known_folders(const Lesson& L) {
  std::set<std::string> f = {"INBOX", "Sent", "Trash", "Drafts", "Junk"};
  for (const auto& a : L.script) {
    if (a.what == "server files" || a.what == "open folder" || a.what == "upload folder")
      f.insert(a.text);
    if (a.what == "upload folder") f.insert(a.from);
    if (a.what == "move to IMAP") f.insert({"POP3 Inbox", "POP3 Sent", "POP3 Trash"});
  }
  return f;
}

Query parse_query(const Reader& rd, const json& q, const std::string& p, const Lesson& L,
                  const std::set<std::string>& devices) {
  rd.only(q, p, {"count", "holds", "of", "on", "folder", "from", "to"});
  Query out;
  auto place = [&](const std::string& key, bool groups) {
    const std::string pp = p + "/" + key;
    std::string v = rd.str(rd.need(q, p, key.c_str()), pp);
    if (v == "server" || devices.count(v) || (groups && (v == "devices" || v == "everywhere")))
      return v;
    std::string known = "server";
    for (const auto& d : devices) known += ", " + d;
    if (groups) known += ", devices, everywhere";
    rd.fail(pp, "unknown device '" + v + "' (" + known + ")");
  };
  auto message = [&](const char* key) {
    const std::string pp = p + "/" + key;
    std::string v = rd.str(rd.need(q, p, key), pp);
    int n = 0;
    if (v.rfind("message ", 0) == 0 && v.size() > 8 && v.size() < 16 &&
        std::all_of(v.begin() + 8, v.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
      n = std::stoi(v.substr(8));
    if (n < 1) rd.fail(pp, "expected \"message N\" (N counts the scenario's messages from 1)");
    const int have = scenario_message_count(L);
    if (n > have)
      rd.fail(pp, "unknown message " + std::to_string(n) + " (the script has " +
                      std::to_string(have) + ")");
    return n;
  };
  if (q.contains("holds")) {
    if (q.contains("count")) rd.fail(p + "/holds", "give 'count' or 'holds', not both");
    out.what = Query::What::Holds;
    out.message = message("holds");
    out.on = place("on", true);
  } else {
    const std::string what = rd.str(rd.need(q, p, "count"), p + "/count");
    if (what == "copies") {
      out.what = Query::What::Copies;
      out.message = message("of");
      out.on = place("on", true);
    } else if (what == "messages" || what == "read" || what == "flagged") {
      out.what = what == "messages" ? Query::What::Messages
                 : what == "read"   ? Query::What::Read
                                    : Query::What::Flagged;
      out.on = place("on", true);
      out.folder = "INBOX";
    } else if (what == "bytes") {
      if (q.contains("from") == q.contains("to") && !q.contains("on"))
        rd.fail(p, "bytes: give 'from' (sent by), 'to' (received by), or \"on\": \"wire\"");
      if (q.contains("on")) {
        if (rd.str(q["on"], p + "/on") != "wire") rd.fail(p + "/on", "bytes are counted \"on\": \"wire\"");
        out.what = Query::What::BytesWire;
      } else {
        out.what = q.contains("from") ? Query::What::BytesFrom : Query::What::BytesTo;
        out.on = place(q.contains("from") ? "from" : "to", false);
      }
    } else {
      rd.fail(p + "/count", "unknown count '" + what + "' (copies, messages, read, flagged, bytes)");
    }
  }
  if (q.contains("folder")) {
    if (out.what == Query::What::BytesFrom || out.what == Query::What::BytesTo ||
        out.what == Query::What::BytesWire)
      rd.fail(p + "/folder", "bytes have no folder");
    out.folder = rd.str(q["folder"], p + "/folder");
    const auto known = known_folders(L);
    if (!known.count(out.folder)) {
      std::string list;
      for (const auto& f : known) list += (list.empty() ? "" : ", ") + f;
      rd.fail(p + "/folder", "unknown folder '" + out.folder + "' (" + list + ")");
    }
  }
  return out;
}

PredictionChoice parse_choice(const Reader& rd, const json& ch, const std::string& p, bool yes_no) {
  rd.only(ch, p, {"text", "value", "min", "max"});
  PredictionChoice c;
  c.text = rd.str(rd.need(ch, p, "text"), p + "/text");
  if (yes_no) {
    const json& v = rd.need(ch, p, "value");
    if (!v.is_boolean()) rd.fail(p + "/value", "a 'holds' query is answered true or false");
    c.lo = c.hi = v.get<bool>() ? 1 : 0;
    return c;
  }
  if (ch.contains("value")) {
    if (ch.contains("min") || ch.contains("max")) rd.fail(p + "/value", "give 'value' or 'min'/'max', not both");
    c.lo = c.hi = rd.num(ch["value"], p + "/value");
  } else {
    if (!ch.contains("min") && !ch.contains("max"))
      rd.fail(p, "a choice needs 'value' or a range ('min', 'max')");
    c.lo = ch.contains("min") ? rd.num(ch["min"], p + "/min") : 0;
    c.hi = ch.contains("max") ? rd.num(ch["max"], p + "/max") : INT64_MAX;
    if (c.hi < c.lo) rd.fail(p + "/max", "'max' is below 'min'");
  }
  return c;
}

void parse_predictions(const Reader& rd, const json& j, Lesson& L) {
  if (!j.contains("predictions")) return;
  const json& ps = j["predictions"];
  if (!ps.is_array()) rd.fail("/predictions", "expected a list of predictions");
  for (std::size_t i = 0; i < ps.size(); ++i) {
    const std::string p = "/predictions/" + std::to_string(i);
    const json& e = ps[i];
    rd.only(e, p, {"step", "world", "question", "query", "choices", "feedback", "explain"});
    Prediction pr;
    if (L.steps.empty()) rd.fail(p, "the lesson has no steps: a prediction belongs to a step");
    const std::int64_t step = rd.num(rd.need(e, p, "step"), p + "/step");
    if (step < 1 || step > static_cast<std::int64_t>(L.steps.size()))
      rd.fail(p + "/step", "must be between 1 and " + std::to_string(L.steps.size()));
    pr.step = static_cast<int>(step) - 1;
    pr.world = rd.world(e, p, L);
    pr.question = rd.str(rd.need(e, p, "question"), p + "/question");
    pr.query = parse_query(rd, rd.need(e, p, "query"), p + "/query", L, rd.r.devices);
    const json& ch = rd.need(e, p, "choices");
    if (!ch.is_array() || ch.size() < 2) rd.fail(p + "/choices", "expected at least two choices");
    for (std::size_t k = 0; k < ch.size(); ++k) {
      const std::string cp = p + "/choices/" + std::to_string(k);
      PredictionChoice c = parse_choice(rd, ch[k], cp, pr.query.what == Query::What::Holds);
      // Overlapping choices would make two answers right.
      for (const auto& o : pr.choices)
        if (c.lo <= o.hi && o.lo <= c.hi)
          rd.fail(cp, "overlaps the values of choice \"" + o.text + "\"");
      pr.choices.push_back(c);
    }
    const json& fb = rd.need(e, p, "feedback");
    if (!fb.is_array() || fb.size() != pr.choices.size())
      rd.fail(p + "/feedback", "expected a list with one text per choice (" +
                                   std::to_string(pr.choices.size()) + ")");
    for (std::size_t k = 0; k < fb.size(); ++k)
      pr.feedback.push_back(rd.str(fb[k], p + "/feedback/" + std::to_string(k)));
    if (e.contains("explain")) pr.explain = rd.str(e["explain"], p + "/explain");
    L.predictions.push_back(std::move(pr));
  }
}

void parse_task(const Reader& rd, const json& j, Lesson& L) {
  if (!j.contains("task")) return;
  const std::string p = "/task";
  const json& t = j["task"];
  rd.only(t, p, {"goal", "hint", "world", "may_change", "checks"});
  Task task;
  task.goal = rd.str(rd.need(t, p, "goal"), p + "/goal");
  if (t.contains("hint")) task.hint = rd.str(t["hint"], p + "/hint");
  task.world = rd.world(t, p, L);
  const json& mc = rd.need(t, p, "may_change");
  if (!mc.is_array() || mc.empty()) rd.fail(p + "/may_change", "expected a non-empty list of {\"device\", \"settings\"}");
  for (std::size_t i = 0; i < mc.size(); ++i) {
    const std::string mp = p + "/may_change/" + std::to_string(i);
    rd.only(mc[i], mp, {"device", "settings", "actions"});
    std::string dev = rd.str(rd.need(mc[i], mp, "device"), mp + "/device");
    if (!rd.r.devices.count(dev)) rd.fail(mp + "/device", "unknown device '" + dev + "'");
    if (mc[i].contains("actions")) {
      const json& as = mc[i]["actions"];
      if (!as.is_array() || as.empty()) rd.fail(mp + "/actions", "expected a non-empty list of actions");
      std::vector<std::string> acts;
      for (std::size_t k = 0; k < as.size(); ++k) {
        std::string a = rd.str(as[k], mp + "/actions/" + std::to_string(k));
        const auto& ok = task_actions();
        if (std::find(ok.begin(), ok.end(), a) == ok.end())
          rd.fail(mp + "/actions/" + std::to_string(k),
                  "unknown task action '" + a + "' (check mail, go offline, go online, empty trash)");
        acts.push_back(a);
      }
      task.may_do.emplace_back(dev, acts);
      if (!mc[i].contains("settings")) continue;
    }
    const json& ss = rd.need(mc[i], mp, "settings");
    if (!ss.is_array() || ss.empty()) rd.fail(mp + "/settings", "expected a non-empty list of setting names");
    std::vector<std::string> keys;
    for (std::size_t k = 0; k < ss.size(); ++k) {
      std::string key = rd.str(ss[k], mp + "/settings/" + std::to_string(k));
      if (!task_setting(task.world, key)) {
        std::string known;
        for (const auto& s : task_settings())
          if (s.world == task.world) known += (known.empty() ? "" : ", ") + s.key;
        rd.fail(mp + "/settings/" + std::to_string(k),
                "unknown " + std::string(world_name(task.world)) + " setting '" + key + "' (" + known + ")");
      }
      keys.push_back(key);
    }
    task.may_change.emplace_back(dev, keys);
  }
  const json& cs = rd.need(t, p, "checks");
  if (!cs.is_array() || cs.empty()) rd.fail(p + "/checks", "expected a non-empty list of checks");
  for (std::size_t i = 0; i < cs.size(); ++i) {
    const std::string cp = p + "/checks/" + std::to_string(i);
    if (cs[i].is_object() && cs[i].contains("world")) rd.fail(cp + "/world", "a task's checks are decided in the task's world");
    Expectation x = rd.r.expectation(cs[i], cp);
    x.world = world_name(task.world);
    if (!x.at && !x.step) x.at = L.duration;  // the goal holds once the run has ended
    task.checks.push_back(x);
  }
  L.task = std::move(task);
}

}  // namespace

void parse_assessment(const nlohmann::json& j, Lesson& L, const LessonReader& r) {
  const Reader rd{r};
  parse_predictions(rd, j, L);
  parse_task(rd, j, L);
}

// ---- Predictions ---------------------------------------------------------------------------

Tick prediction_moment(const Lesson& L, const Prediction& p) {
  const auto k = static_cast<std::size_t>(p.step);
  return k + 1 < L.steps.size() ? L.steps[k + 1].at - 1 : L.duration;
}

std::string prediction_text(const Prediction& p) {
  return std::string(p.world == Proto::POP3 ? "In the POP3 world: " : "In the IMAP world: ") +
         p.question;
}

PredictionOutcome decide_prediction(const Lesson& L, const World& w, const Prediction& p) {
  const Trace& tr = w.trace();
  view::TraceIndex ix(view::scenario_ids(w));
  ix.extend(tr);
  PredictionOutcome out;
  out.at = prediction_moment(L, p);
  // The state once everything up to the moment has happened. A wire record carries its send
  // time, which may lie ahead of the records after it, so the cut is the first non-wire
  // record after the moment (as the table's observer cuts).
  const auto& recs = tr.records();
  std::size_t cut = 0;
  while (cut < recs.size() && (recs[cut].kind == RecKind::Wire || recs[cut].t <= out.at)) ++cut;
  Replay replay(tr);
  const WorldView v = replay.at(cut);
  const Query& q = p.query;

  auto actor_of = [&](const std::string& name) -> int {
    if (name == "server") return ix.server();
    const auto* d = ix.device_named(tr, name);
    return d ? d->id : -1;
  };
  std::vector<std::pair<std::string, int>> places;  // name, actor
  if (q.on == "server" || q.on == "everywhere") places.emplace_back("server", ix.server());
  if (q.on == "devices" || q.on == "everywhere") {
    for (const auto& d : ix.devices())
      if (d.added_at < cut) places.emplace_back(d.name, d.id);
  } else if (q.on != "server" && q.what != Query::What::BytesWire) {
    places.emplace_back(q.on, actor_of(q.on));
  }
  const std::string label = std::to_string(q.message);
  std::string where;
  std::int64_t n = 0;
  switch (q.what) {
    case Query::What::BytesWire:
      n = static_cast<std::int64_t>(view::bytes_by(ix.total(), out.at));
      out.observed = std::to_string(n) + " bytes on the wire";
      break;
    case Query::What::BytesFrom:
    case Query::What::BytesTo: {
      const int a = places.front().second;
      if (a >= 0) {
        const auto id = static_cast<std::uint16_t>(a);
        n = static_cast<std::int64_t>(view::bytes_by(
            q.what == Query::What::BytesFrom ? ix.sent(id) : ix.received(id), out.at));
      }
      out.observed = std::to_string(n) + " bytes " +
                     (q.what == Query::What::BytesFrom ? "sent by " : "received by ") + q.on;
      break;
    }
    default:
      for (const auto& [name, actor] : places) {
        if (actor < 0 || static_cast<std::size_t>(actor) >= v.stores.size()) continue;
        const ViewStore& s = v.stores[static_cast<std::size_t>(actor)];
        if (s.lost) continue;  // a lost device holds nothing any more
        for (const ViewFolder& f : s.folders) {
          if (!q.folder.empty() && f.name != q.folder) continue;
          for (const ViewEntry& e : f.entries) {
            bool counts = false;
            switch (q.what) {
              case Query::What::Copies:
              case Query::What::Holds: counts = ix.label(e.msg) == label; break;
              case Query::What::Messages: counts = true; break;
              case Query::What::Read: counts = e.flags.has(kSeen); break;
              case Query::What::Flagged: counts = e.flags.has(kFlagged); break;
              default: break;
            }
            if (!counts) continue;
            ++n;
            if (q.what == Query::What::Copies || q.what == Query::What::Holds)
              where += (where.empty() ? "" : ", ") + name + " " + f.name;
          }
        }
      }
      if (q.what == Query::What::Holds) {
        out.observed = "message " + label + (n ? " is on " + where : " is not on " + q.on);
        n = n > 0;
      } else if (q.what == Query::What::Copies) {
        out.observed = std::to_string(n) + " cop" + (n == 1 ? "y" : "ies") + " of message " +
                       label + (where.empty() ? "" : ": " + where);
      } else {
        const char* what = q.what == Query::What::Messages ? "message(s)"
                           : q.what == Query::What::Read   ? "read message(s)"
                                                           : "flagged message(s)";
        out.observed = std::to_string(n) + " " + what + " on " + q.on +
                       (q.folder.empty() ? "" : " " + q.folder);
      }
  }
  out.value = n;
  for (std::size_t k = 0; k < p.choices.size(); ++k)
    if (p.choices[k].lo <= n && n <= p.choices[k].hi) out.answer = static_cast<int>(k);
  if (out.answer < 0)
    throw AssessError(L.file + ": prediction \"" + p.question + "\": no choice holds what the " +
                      world_name(p.world) + " run shows at " + format_time(out.at) + " (" +
                      out.observed + ")");
  return out;
}

std::vector<PredictionOutcome> decide_predictions(const LessonRun& run) {
  std::vector<PredictionOutcome> out;
  for (const auto& p : run.lesson.predictions) {
    const World* w = nullptr;
    for (const auto& wr : run.worlds)
      if (wr.world->proto() == p.world) w = wr.world.get();
    if (!w) throw AssessError(run.lesson.file + ": the run has no " + world_name(p.world) + " world");
    out.push_back(decide_prediction(run.lesson, *w, p));
  }
  return out;
}

// ---- Tasks ---------------------------------------------------------------------------------

namespace {

// Labels as Thunderbird's account settings name them; docs/sources.md lists where each is from
// (those whose exact wording no source quoted say "unverified").
const char* kTbServerSettings =
    "Thunderbird account Server Settings, flylib.com/books/en/1.225.1.112/1/";

}  // namespace

const std::vector<TaskSettingInfo>& task_settings() {
  static const std::vector<TaskSettingInfo> all = {
      {Proto::POP3, "leave_on_server", "Leave messages on server", "unverified", "yes/no", {}},
      {Proto::POP3, "delete_after_days", "For at most N days (0: keep them)", "unverified", "number", {}},
      {Proto::POP3, "delete_when_deleted_locally", "Until I delete them", "unverified", "yes/no", {}},
      {Proto::POP3, "check_every_minutes", "Check for new messages every N minutes (0: only when asked)", kTbServerSettings, "number", {}},
      {Proto::POP3, "headers_first", "Fetch headers only", kTbServerSettings, "yes/no", {}},
      {Proto::IMAP, "on_delete", "When I delete a message", "unverified", "choice",
       {"move to trash", "mark as deleted", "remove immediately"}},
      {Proto::IMAP, "idle", "Allow immediate server notifications when new messages arrive", "unverified", "yes/no", {}},
      {Proto::IMAP, "check_every_minutes", "Check for new messages every N minutes (0: only when asked)", kTbServerSettings, "number", {}},
      {Proto::IMAP, "offline_cache", "Keep messages for this account on this computer", "unverified", "yes/no", {}},
      {Proto::IMAP, "save_sent_on_server", "Place a copy in the Sent folder on the server", "unverified", "yes/no", {}},
      {Proto::IMAP, "headers_first", "Download headers only, bodies when read", "unverified", "yes/no", {}},
  };
  return all;
}

const TaskSettingInfo* task_setting(Proto world, const std::string& key) {
  for (const auto& s : task_settings())
    if (s.world == world && s.key == key) return &s;
  return nullptr;
}

std::optional<SettingChange> parse_setting_change(const std::string& s) {
  const auto dot = s.find('.');
  const auto eq = s.find('=');
  if (dot == std::string::npos || eq == std::string::npos || dot == 0 || eq < dot + 2)
    return std::nullopt;
  return SettingChange{s.substr(0, dot), s.substr(dot + 1, eq - dot - 1), s.substr(eq + 1)};
}

namespace {

// The device of the lesson called `name`: set up at the start or added by the script.
template <typename LessonT>
auto* device_spec(LessonT& L, const std::string& name) {
  for (auto& d : L.devices)
    if (d.name == name) return &d;
  for (auto& a : L.script)
    if (a.what == "add device" && a.new_device.name == name) return &a.new_device;
  return static_cast<decltype(&L.devices.front())>(nullptr);
}

// Reads (value == nullptr) or writes one setting; returns its value as text.
std::string access(DeviceSpec& d, Proto world, const std::string& key, const std::string* value,
                   const std::string& what) {
  auto yes_no = [&](bool& b) {
    if (value) {
      if (*value != "true" && *value != "false" && *value != "on" && *value != "off")
        throw AssessError(what + ": expected true or false, not '" + *value + "'");
      b = *value == "true" || *value == "on";
    }
    return std::string(b ? "true" : "false");
  };
  auto number = [&](int& n, int hi) {
    if (value) {
      const bool digits = !value->empty() && value->size() < 8 &&
                          std::all_of(value->begin(), value->end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!digits || std::stoi(*value) > hi)
        throw AssessError(what + ": expected a whole number from 0 to " + std::to_string(hi) +
                          ", not '" + *value + "'");
      n = std::stoi(*value);
    }
    return std::to_string(n);
  };
  if (world == Proto::POP3) {
    auto& p = d.pop3;
    if (key == "leave_on_server") return yes_no(p.leave_on_server);
    if (key == "delete_after_days") return number(p.delete_after_days, 3650);
    if (key == "delete_when_deleted_locally") return yes_no(p.delete_when_deleted_locally);
    if (key == "check_every_minutes") return number(p.check_every_minutes, 100000);
    if (key == "headers_first") return yes_no(p.headers_first);
  } else {
    auto& p = d.imap;
    if (key == "on_delete") {
      using D = ImapPolicy::OnDelete;
      if (value) {
        if (*value == "move to trash") p.on_delete = D::MoveToTrash;
        else if (*value == "mark as deleted") p.on_delete = D::MarkDeleted;
        else if (*value == "remove immediately") p.on_delete = D::RemoveImmediately;
        else throw AssessError(what + ": expected \"move to trash\", \"mark as deleted\" or \"remove immediately\"");
      }
      return on_delete_name(p.on_delete);
    }
    if (key == "idle") return yes_no(p.idle);
    if (key == "check_every_minutes") return number(p.check_every_minutes, 100000);
    if (key == "offline_cache") return yes_no(p.offline_cache);
    if (key == "save_sent_on_server") return yes_no(p.save_sent_on_server);
    if (key == "headers_first") return yes_no(p.bodies_on_demand);
  }
  throw AssessError(what + ": unknown setting");
}

}  // namespace

std::string setting_value(const Lesson& L, const std::string& device, Proto world,
                          const std::string& key) {
  Lesson copy = L;
  DeviceSpec* d = device_spec(copy, device);
  if (!d) throw AssessError(L.file + ": unknown device '" + device + "'");
  return access(*d, world, key, nullptr, device + "." + key);
}

namespace {

// Throws AssessError(`refusal` + what the task offers + ")") unless `offers` lists `name` for
// `device` (a task's settings or actions per device; `sep` joins device and name in the list).
void offered(const std::vector<std::pair<std::string, std::vector<std::string>>>& offers,
             const std::string& device, const std::string& name, const char* sep,
             const std::string& refusal) {
  std::string list;
  for (const auto& [dev, names] : offers)
    for (const auto& n : names) {
      if (dev == device && n == name) return;
      list += (list.empty() ? "" : ", ") + dev + sep + n;
    }
  throw AssessError(refusal + (list.empty() ? std::string("nothing") : list) + ")");
}

}  // namespace

Lesson apply_changes(const Lesson& L, const std::vector<SettingChange>& changes) {
  if (!L.task) throw AssessError(L.file + ": the lesson has no task");
  Lesson out = L;
  for (const auto& c : changes) {
    const std::string what = c.device + "." + c.setting;
    offered(L.task->may_change, c.device, c.setting, ".", what + ": the task does not let you change this (you may change: ");
    DeviceSpec* d = device_spec(out, c.device);
    if (!d) throw AssessError(what + ": unknown device");
    access(*d, L.task->world, c.setting, &c.value, what);
  }
  return out;
}

const std::vector<std::string>& task_actions() {
  static const std::vector<std::string> all = {"check mail", "go offline", "go online", "empty trash"};
  return all;
}

std::optional<AddedAction> parse_added_action(const std::string& s) {
  const auto colon = s.find(':');
  const auto at = s.rfind('@');
  if (colon == std::string::npos || at == std::string::npos || colon == 0 || at < colon + 2)
    return std::nullopt;
  const auto t = parse_duration(s.substr(at + 1));
  if (!t) return std::nullopt;
  return AddedAction{s.substr(0, colon), s.substr(colon + 1, at - colon - 1), *t};
}

Lesson add_actions(const Lesson& L, const std::vector<AddedAction>& actions) {
  if (!L.task) throw AssessError(L.file + ": the lesson has no task");
  Lesson out = L;
  for (const auto& a : actions) {
    const std::string what = a.device + ": " + a.what;
    offered(L.task->may_do, a.device, a.what, ": ", what + ": the task does not let you add this (you may add: ");
    if (a.at > L.duration)
      throw AssessError(what + " at " + format_time(a.at) + ": after the end of the run (" +
                        format_time(L.duration) + ")");
    ScriptAction s;
    s.at = a.at, s.device = a.device, s.what = a.what;
    const auto pos = std::upper_bound(out.script.begin(), out.script.end(), a.at,
                                      [](Tick t, const ScriptAction& x) { return t < x.at; });
    out.script.insert(pos, s);
  }
  return out;
}

TaskOutcome check_task(const Lesson& L, const std::vector<SettingChange>& changes,
                       const std::vector<AddedAction>& actions) {
  Lesson run_me = add_actions(apply_changes(L, changes), actions);
  // The task's checks, in its world alone, decided by the lesson's own machinery.
  run_me.worlds = {L.task->world};
  run_me.expect = L.task->checks;
  LessonRun run = run_lesson(run_me);
  TaskOutcome out;
  out.checks = run.worlds.front().checks;
  out.pass = run.all_pass();
  return out;
}

}  // namespace ms
