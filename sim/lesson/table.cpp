#include "lesson/table.hpp"

#include "lesson/profiles.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "view/trace_index.hpp"
#include "view/world_scene.hpp"
#include "world/device.hpp"

namespace ms {

namespace {

// ---- Observations --------------------------------------------------------------------------

// What the run left behind, with helpers to look at any moment of it through the trace.
class Observer {
 public:
  Observer(const Lesson& L, const World& w)
      : L_(L), w_(w), replay_(w.trace()), ix_(view::scenario_ids(w)) {
    ix_.extend(w.trace());
  }

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
  // The server's store: the world knows its actor, so no name is looked up.
  const ViewStore* server(const WorldView& v) const {
    const std::uint16_t id = w_.server_actor();
    return id < v.stores.size() ? &v.stores[id] : nullptr;
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
    // Its settings as the trace recorded them, like everything else the table decides from.
    const Trace& tr = w_.trace();
    const view::TraceIndex::Device* d = ix_.device_named(tr, device);
    const DeviceSettings* s = d ? ix_.settings_at(tr, *d, tr.size()) : nullptr;
    if (s && imap() && !s->imap.offline_cache) return device + " (an online-only client)";
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
  view::TraceIndex ix_;
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
  const ViewStore* server = o.server(v);
  const ViewStore* device = o.store(v, dev);
  std::size_t s = o.count(server, true), d = o.count(device);
  std::size_t shared = o.also_in(device, server, true);
  TableCell c;
  c.evidence = "after the " + dev + " downloaded, the server held " + of(s, n) +
               " messages and the " + dev + " held " + std::to_string(d) + " (" +
               std::to_string(shared) + " of them also on the server)";
  // A POP3 download is the device's own copy even when the server kept the original (leave
  // on server): nothing ties the two together again. An IMAP device's copies, if any (an
  // online-only client keeps none), are the server's messages shown and cached.
  if (n > 0 && s == n && shared == d && (o.imap() || d == n))
    c.phrase = o.imap() ? "resides on the server"
                        : "downloaded to the computer; a copy stays on the server";
  else if (n > 0 && s == 0 && d == n)
    c.phrase = "resides on the computer";
  else
    c.phrase = "unclear: server " + of(s, n) + ", device " + std::to_string(d);
  return c;
}

// When no other device holds a message that was read, there is no read state to share: the
// phrase says which device alone held which message and whether the server kept a copy.
std::string nothing_to_share(Observer& o, const WorldView& v,
                             const std::vector<const ScriptAction*>& reads) {
  std::string held;
  bool on_server = false;
  for (const ScriptAction* a : reads) {
    held += (held.empty() ? "" : "; ") + std::string("no device but the ") + a->device +
            " held " + nth(a->message);
    on_server |= o.entry(o.server(v), o.mid(a->message)) != nullptr;
  }
  return "nothing to share: " + held + (on_server ? "" : " and the server kept no copy");
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
    const ViewStore* server = o.server(v);
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
    c.phrase = nothing_to_share(o, v, reads);
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
  bool on_server = in_sent(o.holding(o.server(v), mid, true));
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
    c.phrase = "not saved: neither the server's Sent nor the " + a->device + "'s held a copy";
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
  std::uint64_t b0 = o.bytes(o.server(before), true);
  std::uint64_t b1 = o.bytes(o.server(after), true);
  std::uint64_t b2 = o.bytes(o.server(last), true);
  const ViewFolder* f0 = o.holding(o.server(before), mid, true);
  const ViewFolder* f1 = o.holding(o.server(after), mid, true);
  const ViewFolder* f2 = o.holding(o.server(last), mid, true);
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
  // Real apps' other answers: the server copy goes later (a POP3 app that deletes on the
  // server at its next check), at once (IMAP without Trash), or was gone before the delete (a
  // POP3 app that deletes after download).
  else if (!local && f0 && !moved_to_trash && f1 && !f2 && b2 < b0)
    c.phrase = "removed from the computer, then from the server at the app's next check";
  else if (!local && f0 && !f1 && !f2 && b2 < b0)
    c.phrase = "removed from the computer and the server at once; server storage freed";
  else if (!local && !f0 && !f2)
    c.phrase = "removed from the computer; the server had deleted its copy at download";
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
               msgs(o.count(o.server(last), true));
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
// A read of a message the device could not have had even online (the server no longer held
// it: another POP3 device downloaded it without leaving a copy) tests nothing about offline
// reading, and is left out: a POP3 app reads offline whatever it downloaded, whatever its
// leave-on-server setting.
std::optional<TableCell> offline_access(Observer& o) {
  int tried = 0, could = 0;
  std::string ev;
  for (const ScriptAction* a : o.actions("read")) {
    WorldView v = o.at(a->at);
    const ViewStore* s = o.store(v, a->device);
    if (!s || s->online) continue;
    const std::string mid = o.mid(a->message);
    const ViewEntry* e = o.entry(s, mid);
    // A copy smaller than the server's is headers only (TOP, BODY.PEEK[HEADER]): the app may
    // mark it read, but its text was never downloaded.
    const ViewEntry* original = o.entry(o.server(v), mid);
    const bool headers_only = e && original && e->size < original->size;
    const bool ok = e && e->flags.has(kSeen) && !headers_only;
    ev += (ev.empty() ? "" : "; ") + std::string("offline, the ") + o.client(a->device) + " held " +
          msgs(o.count(s)) + " and " + (ok ? "read " : "could not read ") + nth(a->message) +
          (headers_only ? " (it held only its headers)" : "");
    if (!ok && !o.holding(o.server(v), mid, true)) {
      ev += ", which it never had: the server no longer held it, so a connection would not "
            "have helped (not counted)";
      continue;
    }
    ++tried;
    could += ok;
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

// ---- With your mail app ---------------------------------------------------------------------

// THE LIST OF CLIENT PROFILES the per-app table runs, in the order it shows them. Kept in this
// one place so that it can become client_profile_ids() (the sourced profiles file) at merge;
// ids that apply_client_preset does not know yet are skipped.
// The client profiles of assets/profiles.json (aliases such as k9 are not listed twice, and
// Gmail's POP server is a server profile, not a client's).
const std::vector<std::string>& table_profile_ids() { return client_profile_ids(); }

namespace {

// Every client device of a lesson: those it sets up and those its script adds.
template <typename LessonT, typename F>
void for_each_client(LessonT& L, F&& f) {
  for (auto& d : L.devices) f(d);
  for (auto& a : L.script)
    if (a.what == "add device") f(a.new_device);
}

// A setting a profile decides, as the apps name it, and how to flip it on every device. All
// but one are a yes/no field of the world's client policy; the one that is not (what an IMAP
// delete does) is on when it moves the message to Trash.
struct Setting {
  Proto world;
  const char* name;
  const char* off;  // what "off" means, when it is not plain "off"
  bool Pop3Policy::*pop3 = nullptr;
  bool ImapPolicy::*imap = nullptr;

  bool on(const DeviceSpec& d) const {
    if (pop3) return d.pop3.*pop3;
    if (imap) return d.imap.*imap;
    return d.imap.on_delete == ImapPolicy::OnDelete::MoveToTrash;
  }
  void flip(DeviceSpec& d) const {
    const bool v = !on(d);
    if (pop3)
      d.pop3.*pop3 = v;
    else if (imap)
      d.imap.*imap = v;
    else
      d.imap.on_delete =
          v ? ImapPolicy::OnDelete::MoveToTrash : ImapPolicy::OnDelete::RemoveImmediately;
  }
};
const Setting kSettings[] = {
    {Proto::POP3, "leave on server", "off", &Pop3Policy::leave_on_server},
    {Proto::POP3, "delete on the server when deleted locally", "off",
     &Pop3Policy::delete_when_deleted_locally},
    {Proto::POP3, "download headers only", "off", &Pop3Policy::headers_first},
    {Proto::IMAP, "keep messages on this device (offline cache)", "off, as in webmail", nullptr,
     &ImapPolicy::offline_cache},
    {Proto::IMAP, "place a copy in Sent on the server", "off", nullptr,
     &ImapPolicy::save_sent_on_server},
    {Proto::IMAP, "move deleted messages to Trash", "off"},
    {Proto::IMAP, "download bodies only when read", "off", nullptr, &ImapPolicy::bodies_on_demand},
};

// Every client setting of one world, so that runs whose devices are set alike are run once.
std::string policy_key(const Lesson& L, Proto p) {
  std::string k = L.id + (p == Proto::IMAP ? "|imap|" : "|pop3|") + std::to_string(L.duration);
  for_each_client(L, [&](const DeviceSpec& d) {
    const auto& a = d.pop3;
    const auto& b = d.imap;
    k += "|" + d.name + ":" +
         (p == Proto::POP3
              ? std::to_string(a.leave_on_server) + std::to_string(a.delete_after_days) + "," +
                    std::to_string(a.delete_when_deleted_locally) +
                    std::to_string(a.check_every_minutes) + "," + std::to_string(a.headers_first) +
                    std::to_string(a.recent_mode)
              : std::to_string(static_cast<int>(b.on_delete)) + std::to_string(b.idle) +
                    std::to_string(b.check_every_minutes) + "," + std::to_string(b.offline_cache) +
                    std::to_string(b.save_sent_on_server) + std::to_string(b.bodies_on_demand) +
                    std::to_string(b.use_condstore));
  });
  return k;
}

using CellCache = std::map<std::string, std::optional<TableCell>>;

// One world's cell of `row`, from a run of that world alone.
std::optional<TableCell> decide_in(const std::string& row, Lesson L, Proto p, CellCache& cache) {
  const std::string key = row + "|" + policy_key(L, p);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  L.worlds = {p};
  LessonRun run = run_lesson(L);
  std::optional<TableCell> c = decide_cell(row, run.lesson, *run.worlds.front().world);
  cache.emplace(key, c);
  return c;
}

// The cell of a world and the settings whose flip changes it, each found by a run.
AppCell app_cell(const std::string& row, const Lesson& L, Proto p, CellCache& cache) {
  AppCell out;
  std::optional<TableCell> c = decide_in(row, L, p, cache);
  if (!c) {
    out.cell.phrase = "not decided: the lesson does not show it with this app";
    return out;
  }
  out.cell = *c;
  std::string parts;
  for (const Setting& s : kSettings) {
    if (s.world != p || L.devices.empty()) continue;
    Lesson flipped = L;
    for_each_client(flipped, [&](DeviceSpec& d) { s.flip(d); });
    std::optional<TableCell> f = decide_in(row, flipped, p, cache);
    const std::string then = f ? f->phrase : "not decided";
    if (then == c->phrase) continue;
    const bool on = s.on(L.devices.front());
    parts += std::string(parts.empty() ? "depends on " : "; and on ") + "'" + s.name + "' (" +
             (on ? "on" : "off") + " in this app; " +
             (on ? std::string(s.off) : std::string("on")) + ": " + then + ")";
  }
  out.condition = parts;
  return out;
}

std::string summary(const std::vector<AppAnswer>& apps, AppCell AppAnswer::*world) {
  std::vector<std::pair<std::string, std::string>> groups;  // phrase, app titles
  std::string unused;  // apps that do not speak this world's protocol
  for (const AppAnswer& a : apps) {
    if (!(a.*world).used) {
      unused += (unused.empty() ? "" : ", ") + a.title;
      continue;
    }
    const std::string& phrase = (a.*world).cell.phrase;
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const auto& g) { return g.first == phrase; });
    if (it == groups.end())
      groups.emplace_back(phrase, a.title);
    else
      it->second += ", " + a.title;
  }
  if (groups.size() == 1)
    return groups.front().first + " with every app" +
           (unused.empty() ? "" : " that uses this protocol (not " + unused + ")");
  std::string s;
  for (const auto& [phrase, titles] : groups) s += (s.empty() ? "" : "; ") + phrase + " with " + titles;
  return s;
}

}  // namespace

bool apply_profile(Lesson& lesson, const std::string& id) {
  Pop3Policy pop3;
  ImapPolicy imap;
  if (!apply_client_preset(id, pop3, imap)) return false;
  const std::string title = client_preset_title(id);
  for_each_client(lesson, [&](DeviceSpec& d) {
    d.pop3 = pop3;
    d.imap = imap;
    d.client = title;
  });
  // An app acts on its own schedule too (a POP3 app deletes on the server at its next check):
  // the run lasts until each app has checked once more after the script's last action.
  const int minutes = std::max(pop3.check_every_minutes, imap.idle ? 0 : imap.check_every_minutes);
  if (minutes > 0) {
    Tick last = 0;
    for (const auto& a : lesson.script) last = std::max(last, a.at);
    lesson.duration = std::max(lesson.duration, last + (minutes + 1) * kMinute);
  }
  return true;
}

std::optional<AppTableRow> decide_app_row(const std::string& row, const Lesson& lesson,
                                          const std::vector<std::string>& profiles) {
  AppTableRow out;
  out.row = row;
  out.lesson = lesson.id;
  CellCache cache;
  for (const std::string& id : profiles) {
    Lesson L = lesson;
    if (!apply_profile(L, id)) continue;
    AppAnswer a;
    a.profile = id;
    a.title = client_preset_title(id);
    // Both worlds are run with the same profile, as the lessons run the same script in both;
    // a world whose protocol the app does not speak has no answer to give.
    const ClientProfile* prof = find_profile(id);
    auto decide = [&](Proto world, bool speaks) {
      if (speaks) return app_cell(row, L, world, cache);
      AppCell none;
      none.used = false;
      none.cell.phrase = a.title + " does not use " + proto_name(world);
      return none;
    };
    a.imap = decide(Proto::IMAP, !prof || prof->has_imap);
    a.pop3 = decide(Proto::POP3, !prof || prof->has_pop3);
    out.apps.push_back(std::move(a));
  }
  if (out.apps.empty()) return std::nullopt;
  out.imap_summary = summary(out.apps, &AppAnswer::imap);
  out.pop3_summary = summary(out.apps, &AppAnswer::pop3);
  return out;
}

std::vector<AppTableRow> compute_app_table(const std::string& lessons_dir,
                                           const std::vector<TableRow>& textbook,
                                           const std::vector<std::string>& profiles) {
  std::vector<AppTableRow> out;
  for (const TableRow& r : textbook) {
    if (r.lesson.empty()) continue;
    const Lesson L = load_lesson(find_lesson(r.lesson, lessons_dir));
    if (auto row = decide_app_row(r.row, L, profiles)) out.push_back(std::move(*row));
  }
  return out;
}

std::vector<AppTableRow> decide_app_rows(const Lesson& lesson) {
  std::vector<AppTableRow> out;
  if (std::find(lesson.worlds.begin(), lesson.worlds.end(), Proto::IMAP) == lesson.worlds.end() ||
      std::find(lesson.worlds.begin(), lesson.worlds.end(), Proto::POP3) == lesson.worlds.end())
    return out;
  for (const std::string& r : lesson.rows)
    if (auto row = decide_app_row(r, lesson)) out.push_back(std::move(*row));
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

namespace {
// A textbook row as both JSON formats write it.
nlohmann::ordered_json textbook_json(const TableRow& r) {
  nlohmann::ordered_json o;
  o["row"] = r.row;
  o["imap"] = r.imap.phrase;
  o["pop3"] = r.pop3.phrase;
  o["evidence"] = {{"lesson", r.lesson}, {"imap", r.imap.evidence}, {"pop3", r.pop3.evidence}};
  return o;
}
}  // namespace

std::string format_table_json(const std::vector<TableRow>& rows) {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const auto& r : rows) {
    nlohmann::ordered_json o = textbook_json(r);
    arr.push_back(std::move(o));
  }
  return arr.dump(2) + "\n";
}

}  // namespace ms

// ---- Both tables ----------------------------------------------------------------------------

namespace ms {

namespace {

constexpr const char* kTextbookIntro =
    "The table the course is built on: each row decided from its lesson as written.";
constexpr const char* kAppsIntro =
    "Each row's lesson run again with each app's default settings on every device, in both "
    "worlds; a condition names the setting whose change (run again with it flipped) changes "
    "the answer.";

std::string with_condition(const AppCell& c) {
  return c.condition.empty() ? c.cell.phrase : c.cell.phrase + "; " + c.condition;
}

std::string run_hint(const AppTableRow& r, const AppAnswer& a) {
  return "mailscope-cli run " + r.lesson + " --profile " + a.profile;
}

// A per-app cell's link: the lesson with the app's profile applied, at the step that decides
// the cell (at its start: the options have no "end of step", where the GUI's cell opens it). The address is the web build's deep link
// (index.html's URL parameters are the GUI's options), relative so that the page works next to
// the site's index.html; the title gives the desktop app's command line for the same view.
std::string lesson_link(const AppTableRow& r, const AppAnswer& a, const AppCell& c) {
  const std::string step = c.cell.step > 0 ? std::to_string(c.cell.step) : "";
  const std::string query = "lesson=" + r.lesson + "&profile=" + a.profile +
                            (step.empty() ? "" : "&step=" + step);
  const std::string command = "mailscope --lesson " + r.lesson + " --profile " + a.profile +
                              (step.empty() ? "" : " --step " + step);
  return "<a href=\"index.html?" + html_escape(query) + "\" title=\"" + html_escape(command) +
         "\">" + html_escape("Open " + r.lesson + " with " + a.title) +
         (step.empty() ? "" : ", step " + step) + "</a>";
}

}  // namespace

std::string format_table_md(const std::vector<TableRow>& rows,
                            const std::vector<AppTableRow>& apps, bool explain) {
  if (apps.empty()) return format_table_md(rows, explain);
  std::string out = std::string("## The textbook answer\n\n") + kTextbookIntro + "\n\n" +
                    format_table_md(rows, explain);
  out += std::string("\n## With your mail app\n\n") + kAppsIntro + "\n";
  for (const AppTableRow& r : apps) {
    out += "\n### " + r.row + " (lesson " + r.lesson + ")\n\n| app | IMAP | POP3 |\n|---|---|---|\n";
    for (const AppAnswer& a : r.apps)
      out += "| " + md_cell(a.title) + " | " + md_cell(with_condition(a.imap)) + " | " +
             md_cell(with_condition(a.pop3)) + " |\n";
    out += "| all apps | " + md_cell(r.imap_summary) + " | " + md_cell(r.pop3_summary) + " |\n";
    if (explain) {
      out += "\nEvidence:\n";
      for (const AppAnswer& a : r.apps) {
        out += "\n- " + a.title + " (`" + run_hint(r, a) + "`)\n";
        out += "  - IMAP: " + a.imap.cell.evidence + "\n";
        out += "  - POP3: " + a.pop3.cell.evidence + "\n";
      }
    }
  }
  return out;
}

std::string format_app_table_html(const std::vector<AppTableRow>& apps, bool explain) {
  std::string t;
  auto cell = [&](const AppTableRow& r, const AppAnswer& a, const AppCell& c) {
    std::string s = "<td>" + html_escape(c.cell.phrase);
    if (!c.condition.empty()) s += "<br><em>" + html_escape(c.condition) + "</em>";
    if (explain && !c.cell.evidence.empty())
      s += "<br><small>Observed: " + html_escape(c.cell.evidence) + "</small>";
    if (explain) s += "<br><small>Run it: <code>" + html_escape(run_hint(r, a)) + "</code></small>";
    if (c.used) s += "<br>" + lesson_link(r, a, c);
    return s + "</td>";
  };
  for (const AppTableRow& r : apps) {
    t += "<table>\n<caption>" + html_escape(r.row) +
         " with each app's defaults (lesson " + html_escape(r.lesson) +
         ")</caption>\n<thead><tr><th scope=\"col\">App</th><th scope=\"col\">IMAP</th>"
         "<th scope=\"col\">POP3</th></tr></thead>\n<tbody>\n";
    for (const AppAnswer& a : r.apps)
      t += "<tr><th scope=\"row\">" + html_escape(a.title) + "</th>" + cell(r, a, a.imap) +
           cell(r, a, a.pop3) + "</tr>\n";
    t += "<tr><th scope=\"row\">All apps</th><td>" + html_escape(r.imap_summary) + "</td><td>" +
         html_escape(r.pop3_summary) + "</td></tr>\n</tbody>\n</table>\n";
  }
  return t;
}

std::string format_table_html(const std::vector<TableRow>& rows,
                              const std::vector<AppTableRow>& apps, bool explain,
                              bool standalone) {
  if (apps.empty()) return format_table_html(rows, explain, standalone);
  std::string t = std::string("<h2>The textbook answer</h2>\n<p>") + kTextbookIntro + "</p>\n" +
                  format_table_html(rows, explain, false) +
                  "<h2>With your mail app</h2>\n<p>" + kAppsIntro + "</p>\n" +
                  format_app_table_html(apps, explain);
  if (!standalone) return t;
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<title>IMAP and POP3 compared</title>\n"
         "<style>table{border-collapse:collapse;margin-bottom:1em}th,td{border:1px solid #888;"
         "padding:.4em;text-align:left;vertical-align:top}caption{text-align:left;"
         "font-style:italic}</style>\n</head>\n<body>\n<main>\n"
         "<h1>IMAP and POP3 compared</h1>\n<p>Each cell was decided from what happened when "
         "the lessons ran in a simulated IMAP world and POP3 world.</p>\n" +
         t + "</main>\n</body>\n</html>\n";
}

std::string format_table_json(const std::vector<TableRow>& rows,
                              const std::vector<AppTableRow>& apps) {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  auto cell = [](const AppCell& c) {
    return nlohmann::ordered_json{{"phrase", c.cell.phrase},
                                  {"condition", c.condition},
                                  {"evidence", c.cell.evidence},
                                  {"step", c.cell.step}};
  };
  for (const auto& r : rows) {
    nlohmann::ordered_json o = textbook_json(r);
    const AppTableRow* a = nullptr;
    for (const AppTableRow& x : apps)
      if (x.row == r.row) a = &x;
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    if (a)
      for (const AppAnswer& x : a->apps)
        list.push_back({{"profile", x.profile}, {"title", x.title}, {"lesson", a->lesson},
                        {"imap", cell(x.imap)}, {"pop3", cell(x.pop3)}});
    o["apps"] = std::move(list);
    o["summary"] = {{"imap", a ? a->imap_summary : ""}, {"pop3", a ? a->pop3_summary : ""}};
    arr.push_back(std::move(o));
  }
  return arr.dump(2) + "\n";
}

}  // namespace ms
