#include "lesson/table.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "world/device.hpp"

namespace ms {

namespace {

// ---- Observations --------------------------------------------------------------------------

// What the run left behind, with helpers to look at any moment of it through the trace.
class Observer {
 public:
  Observer(const Lesson& L, const World& w) : L_(L), w_(w), replay_(w.trace()) {}

  const World& world() const { return w_; }
  bool imap() const { return w_.proto() == Proto::IMAP; }

  // The Message-ID of scenario message n (1-based), empty if there is none.
  std::string mid(int n) const {
    const auto& m = w_.scenario_messages();
    if (n < 1 || n > static_cast<int>(m.size()) || !m[n - 1]) return "";
    return m[n - 1]->message_id;
  }
  int scenario_count() const { return static_cast<int>(w_.scenario_messages().size()); }

  // The state of the world once everything that happened up to `t` has been applied. Wire
  // records carry their send time, which can lie ahead of the records after them, so the cut
  // is the first non-wire record after t.
  // Looks at the run as if it had stopped at `t`: later records and script actions unseen.
  void until(Tick t) { until_ = t; }

  WorldView at(Tick t) {
    t = std::min(t, until_);
    const auto& recs = w_.trace().records();
    std::size_t i = 0;
    while (i < recs.size() && (recs[i].kind == RecKind::Wire || recs[i].t <= t)) ++i;
    return replay_.at(i);
  }
  WorldView end() { return until_ == kForever ? replay_.at(w_.trace().size()) : at(until_); }

  const ViewStore* store(const WorldView& v, const std::string& actor) const {
    const auto& names = w_.trace().actors();
    for (std::size_t id = 0; id < names.size() && id < v.stores.size(); ++id)
      if (names[id] == actor) return &v.stores[id];
    return nullptr;
  }
  // Folders of the first account on the server (a second account's show as "bob/INBOX").
  static bool own_folder(const ViewFolder& f) { return f.name.find('/') == std::string::npos; }

  // The folder holding a copy of message `mid` in the store, or nullptr.
  const ViewFolder* holding(const ViewStore* s, const std::string& mid, bool server = false) const {
    if (!s || mid.empty()) return nullptr;
    for (const auto& f : s->folders) {
      if (server && !own_folder(f)) continue;
      for (const auto& e : f.entries)
        if (key(e.msg) == mid) return &f;
    }
    return nullptr;
  }
  const ViewEntry* entry(const ViewStore* s, const std::string& mid) const {
    if (!s) return nullptr;
    for (const auto& f : s->folders)
      for (const auto& e : f.entries)
        if (key(e.msg) == mid) return &e;
    return nullptr;
  }
  std::size_t count(const ViewStore* s, bool server = false) const {
    if (!s) return 0;
    std::size_t n = 0;
    for (const auto& f : s->folders)
      if (!server || own_folder(f)) n += f.entries.size();
    return n;
  }
  std::uint64_t bytes(const ViewStore* s, bool server = false) const {
    if (!s) return 0;
    std::uint64_t n = 0;
    for (const auto& f : s->folders)
      if (!server || own_folder(f)) n += f.bytes;
    return n;
  }
  // How many messages of `s` are also held by `other`.
  std::size_t also_in(const ViewStore* s, const ViewStore* other, bool other_server) const {
    if (!s) return 0;
    std::size_t n = 0;
    for (const auto& f : s->folders)
      for (const auto& e : f.entries)
        if (holding(other, key(e.msg), other_server)) ++n;
    return n;
  }

  std::vector<const ScriptAction*> actions(const std::string& what) const {
    std::vector<const ScriptAction*> out;
    for (const auto& a : L_.script)
      if (a.what == what && a.at <= until_) out.push_back(&a);
    return out;
  }
  // Scenario number of the message a "send"/"reply" action produced: messages are numbered in
  // the order mail arrives or is sent (lessons/README.md).
  int produced_by(const ScriptAction* act) const {
    int n = 0;
    for (const auto& a : L_.script) {
      if (a.what == "mail arrives" || a.what == "send" || a.what == "reply") ++n;
      if (&a == act) return n;
    }
    return 0;
  }
  // The device's kind of client, in words, for evidence.
  std::string client(const std::string& device) const {
    for (const auto& d : w_.devices())
      if (d->name() == device && imap() && !d->spec().imap.offline_cache)
        return device + " (an online-only client)";
    return device;
  }

 private:
  std::string key(std::uint32_t msg) const {
    const auto& m = w_.trace().messages();
    return msg >= 1 && msg <= m.size() ? m[msg - 1].key : std::string();
  }
  static constexpr Tick kForever = std::numeric_limits<Tick>::max();
  const Lesson& L_;
  const World& w_;
  Replay replay_;
  Tick until_ = kForever;
};

std::string nth(int n) { return "message " + std::to_string(n); }
std::string of(std::size_t a, std::size_t b) {
  return std::to_string(a) + " of " + std::to_string(b);
}
std::string msgs(std::size_t n) { return std::to_string(n) + (n == 1 ? " message" : " messages"); }

// ---- Decisions, one per row ---------------------------------------------------------------

// Where does mail live once a device has fetched it? Observed at the end of the run.
std::optional<TableCell> mail_storage(Observer& o) {
  auto checks = o.actions("check mail");
  if (checks.empty()) return std::nullopt;
  const std::string dev = checks.back()->device;
  std::size_t n = static_cast<std::size_t>(o.actions("mail arrives").size());
  WorldView v = o.end();
  const ViewStore* server = o.store(v, "server");
  const ViewStore* device = o.store(v, dev);
  std::size_t s = o.count(server, true), d = o.count(device);
  std::size_t shared = o.also_in(device, server, true);
  TableCell c;
  c.evidence = "after the " + dev + " downloaded, the server held " + of(s, n) +
               " messages and the " + dev + " held " + std::to_string(d) + " (" +
               std::to_string(shared) + " of them also on the server)";
  if (n > 0 && s == n && d > 0 && shared == d)
    c.phrase = "resides on the server";
  else if (n > 0 && s == 0 && d == n)
    c.phrase = "resides on the computer";
  else
    c.phrase = "unclear: server " + of(s, n) + ", device " + std::to_string(d);
  return c;
}

// Does reading on one device show on the others? Observed at the end of the run, for every
// message a device read.
std::optional<TableCell> synchronisation(Observer& o) {
  auto reads = o.actions("read");
  if (reads.empty()) return std::nullopt;
  WorldView v = o.end();
  int others = 0, others_seen = 0;
  std::string ev;
  for (const ScriptAction* a : reads) {
    std::string mid = o.mid(a->message);
    const ViewEntry* own = o.entry(o.store(v, a->device), mid);
    ev += (ev.empty() ? "" : "; ") + std::string("the ") + a->device + " read " + nth(a->message) +
          (own && own->flags.has(kSeen) ? "" : " (but its copy is not marked read)");
    for (const auto& d : o.world().devices()) {
      if (d->name() == a->device) continue;
      const ViewEntry* e = o.entry(o.store(v, d->name()), mid);
      if (!e) continue;
      ++others;
      bool seen = e->flags.has(kSeen);
      others_seen += seen;
      ev += "; at the end the " + d->name() + " showed it as " + (seen ? "read" : "unread");
    }
    const ViewStore* server = o.store(v, "server");
    if (const ViewEntry* e = o.entry(server, mid))
      ev += std::string("; the server's copy was marked ") +
            (e->flags.has(kSeen) ? "read" : "unread");
    else
      ev += "; the server held no copy";
  }
  TableCell c;
  c.evidence = ev;
  if (others > 0 && others_seen == others)
    c.phrase = "yes, across all devices";
  else if (others > 0 && others_seen == 0)
    c.phrase = "no";
  else if (others == 0)
    c.phrase = "unclear: no other device held the message";
  else
    c.phrase = "partly: " + of(others_seen, others) + " other copies marked read";
  return c;
}

// Where is the copy of a sent message kept? Observed at the end of the run.
std::optional<TableCell> sent_mail(Observer& o) {
  auto sends = o.actions("send");
  for (auto* r : o.actions("reply")) sends.push_back(r);
  if (sends.empty()) return std::nullopt;
  const ScriptAction* a = sends.front();
  int n = o.produced_by(a);
  std::string mid = o.mid(n);
  WorldView v = o.end();
  auto in_sent = [](const ViewFolder* f) { return f && f->role == Role::Sent; };
  bool on_server = in_sent(o.holding(o.store(v, "server"), mid, true));
  bool on_device = in_sent(o.holding(o.store(v, a->device), mid));
  std::string ev = "after the " + a->device + " sent \"" + a->subject + "\", the server's Sent " +
                   (on_server ? "held" : "did not hold") + " a copy and the " + a->device +
                   "'s own Sent " + (on_device ? "held" : "did not hold") + " one";
  for (const auto& d : o.world().devices())
    if (d->name() != a->device)
      ev += "; the " + d->name() +
            (o.holding(o.store(v, d->name()), mid) ? " saw it" : " never saw it");
  TableCell c;
  c.evidence = ev;
  if (on_server)
    c.phrase = "saved on the server";
  else if (on_device)
    c.phrase = "saved on the computer";
  else
    c.phrase = "unclear: no saved copy seen";
  return c;
}

// Where does a deleted message go, and when is server storage freed? Observed just before
// the delete, just before Trash is emptied, and at the end.
std::optional<TableCell> deleted_mail(Observer& o) {
  auto dels = o.actions("delete");
  if (dels.empty()) return std::nullopt;
  const ScriptAction* del = dels.front();
  const ScriptAction* empty = nullptr;
  for (auto* a : o.actions("empty trash"))
    if (a->at >= del->at && !empty) empty = a;
  std::string mid = o.mid(del->message);
  WorldView before = o.at(del->at - 1);
  WorldView after = empty ? o.at(empty->at - 1) : o.end();
  WorldView last = o.end();
  std::uint64_t b0 = o.bytes(o.store(before, "server"), true);
  std::uint64_t b1 = o.bytes(o.store(after, "server"), true);
  std::uint64_t b2 = o.bytes(o.store(last, "server"), true);
  const ViewFolder* f1 = o.holding(o.store(after, "server"), mid, true);
  const ViewFolder* f2 = o.holding(o.store(last, "server"), mid, true);
  const ViewFolder* local = o.holding(o.store(last, del->device), mid);
  bool moved_to_trash = f1 && f1->role == Role::Trash;
  bool freed = !f2 && b2 < b0;
  bool kept = f2 && b2 >= b0;
  std::string ev = "after the " + del->device + " deleted " + nth(del->message) + ", the server " +
                   (f1 ? "held it in " + f1->name : std::string("no longer held it")) +
                   " (server storage " + std::to_string(b0) + " -> " + std::to_string(b1) +
                   " bytes)";
  if (empty)
    ev += "; after emptying Trash the server " +
          (f2 ? "still held it in " + f2->name : std::string("no longer held it")) + " (" +
          std::to_string(b2) + " bytes)";
  ev += std::string("; the ") + del->device +
        (local ? " still held it in " + local->name : std::string(" no longer held it"));
  TableCell c;
  c.evidence = ev;
  if (moved_to_trash && freed)
    c.phrase = "moved to Trash; emptying Trash frees server storage";
  else if (!local && kept && !moved_to_trash)
    c.phrase = "removed from the computer; server storage not freed";
  else
    c.phrase = std::string("unclear: server ") + (f2 ? "kept" : "dropped") + " it, device " +
               (local ? "kept" : "dropped") + " it";
  return c;
}

// After a device is lost, does a new device get the mail back? Observed just before the loss
// and at the end.
std::optional<TableCell> disaster_recovery(Observer& o) {
  auto lost = o.actions("lose");
  auto added = o.actions("add device");
  if (lost.empty() || added.empty()) return std::nullopt;
  const ScriptAction* l = lost.front();
  const ScriptAction* a = added.back();
  WorldView before = o.at(l->at - 1);
  WorldView last = o.end();
  const ViewStore* old = o.store(before, l->device);
  const ViewStore* fresh = o.store(last, a->new_device.name);
  std::size_t had = o.count(old);
  std::size_t restored = o.also_in(old, fresh, false);
  TableCell c;
  c.evidence = "the " + l->device + " held " + msgs(had) + " before it was lost; the new " +
               a->new_device.name + " got back " + of(restored, had) + "; the server held " +
               msgs(o.count(o.store(last, "server"), true));
  if (had > 0 && restored == had)
    c.phrase = "yes";
  else if (had > 0 && restored == 0)
    c.phrase = "no";
  else if (had == 0)
    c.phrase = "unclear: the lost device held no mail";
  else
    c.phrase = "partly: " + of(restored, had) + " messages recovered";
  return c;
}

// Can mail be read without a connection? Observed at each read that happened while the
// device was offline. The protocol's answer is its least capable client's: if any client of
// it could not read offline, the protocol does not guarantee offline access.
std::optional<TableCell> offline_access(Observer& o) {
  int tried = 0, could = 0;
  std::string ev;
  for (const ScriptAction* a : o.actions("read")) {
    WorldView v = o.at(a->at);
    const ViewStore* s = o.store(v, a->device);
    if (!s || s->online) continue;
    ++tried;
    const ViewEntry* e = o.entry(s, o.mid(a->message));
    bool ok = e && e->flags.has(kSeen);
    could += ok;
    ev += (ev.empty() ? "" : "; ") + std::string("offline, the ") + o.client(a->device) + " held " +
          msgs(o.count(s)) + " and " + (ok ? "read " : "could not read ") + nth(a->message);
  }
  if (!tried) return std::nullopt;
  TableCell c;
  c.evidence = ev;
  if (could == tried)
    c.phrase = "yes";
  else
    c.phrase = "no, needs a connection";
  return c;
}

}  // namespace

const std::vector<std::string>& table_row_names() {
  static const std::vector<std::string> rows = {"mail storage",      "synchronisation",
                                                "sent mail",         "deleted mail",
                                                "disaster recovery", "access without Internet"};
  return rows;
}

namespace {

std::optional<TableCell> decide(const std::string& row, Observer& o) {
  if (row == "mail storage") return mail_storage(o);
  if (row == "synchronisation") return synchronisation(o);
  if (row == "sent mail") return sent_mail(o);
  if (row == "deleted mail") return deleted_mail(o);
  if (row == "disaster recovery") return disaster_recovery(o);
  if (row == "access without Internet") return offline_access(o);
  return std::nullopt;
}

}  // namespace

std::optional<TableCell> decide_cell(const std::string& row, const Lesson& lesson,
                                     const World& world) {
  Observer o(lesson, world);
  std::optional<TableCell> c = decide(row, o);
  if (!c) return c;
  // The deciding step: the earliest one from whose end on the run, cut there, already gives
  // the final answer (the rows are decided from what the run left behind, so the moment is
  // found by deciding again at every step's end rather than recorded).
  const std::vector<Step>& steps = lesson.steps;
  c->step = static_cast<int>(steps.size());
  for (std::size_t k = steps.size(); k-- > 1;) {
    o.until(steps[k].at - 1);  // the end of step k (1-based)
    const std::optional<TableCell> then = decide(row, o);
    if (!then || then->phrase != c->phrase) break;
    c->step = static_cast<int>(k);
  }
  return c;
}

std::optional<TableRow> decide_row(const std::string& row, const LessonRun& run) {
  const World* imap = nullptr;
  const World* pop3 = nullptr;
  for (const auto& wr : run.worlds)
    (wr.world->proto() == Proto::IMAP ? imap : pop3) = wr.world.get();
  if (!imap || !pop3) return std::nullopt;
  auto i = decide_cell(row, run.lesson, *imap);
  auto p = decide_cell(row, run.lesson, *pop3);
  if (!i || !p) return std::nullopt;
  return TableRow{row, run.lesson.id, *i, *p};
}

std::vector<TableRow> decide_rows(const LessonRun& run) {
  std::vector<TableRow> out;
  for (const auto& r : run.lesson.rows)
    if (auto row = decide_row(r, run)) out.push_back(std::move(*row));
  return out;
}

const std::map<std::string, std::string>& table_row_lessons() {
  static const std::map<std::string, std::string> rows = {
      {"mail storage", "mail-storage"},       {"synchronisation", "synchronisation"},
      {"sent mail", "sent-mail"},             {"deleted mail", "deleted-mail"},
      {"disaster recovery", "disaster-recovery"}, {"access without Internet", "offline-access"}};
  return rows;
}

std::vector<TableRow> compute_table(const std::string& lessons_dir) {
  std::vector<std::string> files = lesson_files(lessons_dir);
  std::vector<Lesson> lessons;
  for (const auto& f : files) lessons.push_back(load_lesson(f));
  // Each row's own lesson is tried first; other lessons that list the row come after.
  const auto& kRowLesson = table_row_lessons();
  std::vector<TableRow> out;
  for (const auto& name : table_row_names()) {
    std::optional<TableRow> row;
    std::stable_partition(lessons.begin(), lessons.end(), [&](const Lesson& L) {
      auto it = kRowLesson.find(name);
      return it != kRowLesson.end() && L.id == it->second;
    });
    for (const auto& L : lessons) {
      if (std::find(L.rows.begin(), L.rows.end(), name) == L.rows.end()) continue;
      row = decide_row(name, run_lesson(L));
      if (row) break;
    }
    if (!row) row = TableRow{name, "", {"no lesson", ""}, {"no lesson", ""}};
    out.push_back(std::move(*row));
  }
  return out;
}

// ---- Formats --------------------------------------------------------------------------------

namespace {
std::string md_cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out;
}
}  // namespace

std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  return out;
}

std::string format_table_md(const std::vector<TableRow>& rows, bool explain) {
  std::string out = "| | IMAP | POP3 |\n|---|---|---|\n";
  for (const auto& r : rows)
    out += "| " + md_cell(r.row) + " | " + md_cell(r.imap.phrase) + " | " + md_cell(r.pop3.phrase) +
           " |\n";
  if (explain) {
    out += "\nEvidence (what each lesson's run showed):\n";
    for (const auto& r : rows) {
      out += "\n- " + r.row + (r.lesson.empty() ? "" : " (lesson " + r.lesson + ")") + "\n";
      out += "  - IMAP: " + r.imap.evidence + "\n";
      out += "  - POP3: " + r.pop3.evidence + "\n";
    }
  }
  return out;
}

std::string format_table_html(const std::vector<TableRow>& rows, bool explain, bool standalone) {
  std::string t =
      "<table>\n<caption>IMAP and POP3 compared, as observed in the simulation</caption>\n"
      "<thead><tr><th scope=\"col\">Aspect</th><th scope=\"col\">IMAP</th>"
      "<th scope=\"col\">POP3</th></tr></thead>\n<tbody>\n";
  auto cell = [&](const TableCell& c) {
    std::string s = "<td>" + html_escape(c.phrase);
    if (explain && !c.evidence.empty())
      s += "<br><small>Observed: " + html_escape(c.evidence) + "</small>";
    return s + "</td>";
  };
  for (const auto& r : rows)
    t += "<tr><th scope=\"row\">" + html_escape(r.row) + "</th>" + cell(r.imap) + cell(r.pop3) +
         "</tr>\n";
  t += "</tbody>\n</table>\n";
  if (!standalone) return t;
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<title>IMAP and POP3 compared</title>\n"
         "<style>table{border-collapse:collapse}th,td{border:1px solid #888;padding:.4em;"
         "text-align:left;vertical-align:top}</style>\n</head>\n<body>\n<main>\n"
         "<h1>IMAP and POP3 compared</h1>\n<p>Each cell was decided from what happened when "
         "the lessons ran in a simulated IMAP world and POP3 world.</p>\n" +
         t + "</main>\n</body>\n</html>\n";
}

std::string format_table_json(const std::vector<TableRow>& rows) {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const auto& r : rows) {
    nlohmann::ordered_json o;
    o["row"] = r.row;
    o["imap"] = r.imap.phrase;
    o["pop3"] = r.pop3.phrase;
    o["evidence"] = {{"lesson", r.lesson}, {"imap", r.imap.evidence}, {"pop3", r.pop3.evidence}};
    arr.push_back(std::move(o));
  }
  return arr.dump(2) + "\n";
}

}  // namespace ms
