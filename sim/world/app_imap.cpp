// The IMAP mail app: the server is the truth; the device keeps a mirror of INBOX, Sent and
// Trash under the server's UIDs, sends its own changes to the server, and picks up other
// devices' changes at every synchronisation. Offline, a caching client queues its actions and
// replays them in order on reconnect (RFC 4549 section 4); an online-only client shows nothing.
#include <algorithm>
#include <map>
#include <set>

#include "proto/imap/imap_client.hpp"
#include "proto/imap/imap_server.hpp"
#include "world/device.hpp"
#include "world/scenario_actions.hpp"
#include "world/submit.hpp"

namespace ms {

namespace {

const char* const kMirrored[] = {"INBOX", "Sent", "Trash"};

class ImapApp : public MailApp {
 public:
  explicit ImapApp(Device& d) : MailApp(d) {}

  void start() override {
    schedule_poll([this] { return d_.spec().imap.check_every_minutes; });
    if (pending()) check_mail();  // back online: replay what was queued
  }

  void check_mail() override {
    World& w = d_.world();
    if (!d_.online()) {
      w.event(d_.name(), EventKind::Note, d_.spec().imap.offline_cache
                             ? "offline: shows its cached copy, actions are queued"
                             : "offline: an online-only client has nothing to show");
      return;
    }
    if (d_.conn && d_.conn->open() && client_) {
      // Connected (idling or mid-pass): one more pass picks up the new work.
      client_->wake();
      d_.conn->pump();
      return;
    }
    ImapPlan plan = make_plan();
    plan.user = d_.spec().account;
    plan.pass = d_.spec().password;
    plan.starttls = d_.spec().security == Security::StartTls;
    plan.starttls_required = d_.spec().insist_on_tls;
    auto engine = std::make_unique<ImapClient>(std::move(plan), [this] { return make_plan(); });
    client_ = engine.get();
    Connection& c = w.connect(d_, Proto::IMAP, std::move(engine));
    d_.conn = &c;
    c.on_client_events = [this](std::vector<EngineEvent> ev) {
      for (auto& e : ev) apply(e);
    };
    c.on_closed = [this, &c] {
      if (d_.conn != &c) return;
      d_.conn = nullptr;
      client_ = nullptr;
      // Actions handed to a pass that never completed are queued again (RFC 4549 section 4:
      // the client replays what the server has not confirmed). Replays are harmless:
      // +FLAGS/-FLAGS are idempotent and a MOVE of a UID already gone finds nothing.
      for (auto it = inflight_.rbegin(); it != inflight_.rend(); ++it)
        queue_[it->first].insert(queue_[it->first].begin(), it->second.begin(), it->second.end());
      appends_.insert(appends_.begin(), inflight_appends_.begin(), inflight_appends_.end());
      inflight_.clear();
      inflight_appends_.clear();
    };
  }

  void read(const std::string& folder, std::uint32_t uid) override {
    if (partial_.count({folder, uid})) {
      // Headers only so far: reading fetches the body now (bodies on demand).
      ImapOp op;
      op.kind = ImapOp::Fetch;
      op.uid = uid;
      op.folder = folder;
      queue_[folder].push_back(std::move(op));
    }
    set_flag(folder, uid, kSeen, true);
  }

  void set_flag(const std::string& folder, std::uint32_t uid, Flag f, bool on) override {
    if (!set_local_flag(folder, uid, f, on)) return;
    ImapOp op;
    op.kind = ImapOp::Store;
    op.uid = uid;
    op.folder = folder;
    op.item = on ? "+FLAGS.SILENT" : "-FLAGS.SILENT";
    op.flags = flags_to_imap({f, {}});
    enqueue(folder, std::move(op));
  }

  void remove(const std::string& folder, std::uint32_t uid) override {
    Store& s = d_.store();
    Folder* fo = s.folder(folder);
    if (!fo || !fo->find_uid(uid)) return;
    auto mode = d_.spec().imap.on_delete;
    if (mode == ImapPolicy::OnDelete::MoveToTrash && folder != "Trash") {
      // RFC 6851 MOVE to the \Trash folder (RFC 6154); the copy appears in the device's Trash
      // at the next sync, under the UID the server gives it.
      s.remove(folder, uid);
      ImapOp op;
      op.kind = ImapOp::Move;
      op.uid = uid;
      op.folder = folder;
      op.item = "Trash";
      enqueue(folder, std::move(op));
      return;
    }
    if (mode == ImapPolicy::OnDelete::MarkDeleted && folder != "Trash") {
      set_flag(folder, uid, kDeleted, true);  // stays on the server until expunged
      return;
    }
    s.remove(folder, uid);
    ImapOp mark;
    mark.kind = ImapOp::Store;
    mark.uid = uid;
    mark.folder = folder;
    mark.item = "+FLAGS.SILENT";
    mark.flags = "\\Deleted";
    enqueue(folder, std::move(mark), false);
    ImapOp ex;
    ex.kind = ImapOp::Expunge;
    ex.uid = uid;
    ex.folder = folder;
    enqueue(folder, std::move(ex));
  }

  void send(Body message) override {
    Device& d = d_;
    ImapApp* self = this;
    submit(d_, message, [self, &d, message](bool ok) {
      if (!ok) return;
      if (d.spec().imap.save_sent_on_server) {
        // RFC 6409 submission does not keep a copy: the client APPENDs one to \\Sent.
        ImapOp op;
        op.kind = ImapOp::Append;
        op.folder = "Sent";
        op.flags = "\\Seen";
        op.data = message->raw;
        self->appends_.push_back(std::move(op));
        if (d.online()) self->check_mail();
        else d.world().event(d.name(), EventKind::Note, "copy for Sent queued until back online");
      } else {
        d.store().append("Sent", message, Flags{kSeen, {}}, d.world().now());
      }
    });
  }

  void empty_trash() override {
    Folder* t = d_.store().folder("Trash");
    if (!t || t->entries.empty()) return;
    std::vector<std::uint32_t> uids;
    for (const auto& e : t->entries) uids.push_back(e.uid);
    for (auto u : uids) {
      d_.store().remove("Trash", u);
      ImapOp op;
      op.kind = ImapOp::Store;
      op.uid = u;
      op.folder = "Trash";
      op.item = "+FLAGS.SILENT";
      op.flags = "\\Deleted";
      enqueue("Trash", std::move(op), false);
    }
    ImapOp ex;
    ex.kind = ImapOp::Expunge;
    ex.folder = "Trash";
    enqueue("Trash", std::move(ex));
  }

  void went_offline() override {
    if (d_.spec().imap.offline_cache) return;
    // An online-only client keeps nothing: without a connection there is nothing to show.
    Store& s = d_.store();
    for (const std::string& name : shown_folders()) {
      Folder* f = s.folder(name);
      if (!f) continue;
      std::vector<std::uint32_t> uids;
      for (const auto& e : f->entries) uids.push_back(e.uid);
      for (auto u : uids) s.remove(name, u);
      uidvalidity_[name] = 0;
      highestmodseq_[name] = 0;
    }
  }

  void open_folder(const std::string& name) {
    // An IMAP app shows any mailbox on the server (RFC 3501 6.3.1 SELECT); from now on every
    // pass synchronises this one too.
    if (std::find(extra_.begin(), extra_.end(), name) == extra_.end() &&
        std::find(std::begin(kMirrored), std::end(kMirrored), name) == std::end(kMirrored))
      extra_.push_back(name);
    if (!d_.store().folder(name)) d_.store().add_folder(name, Role::None, 1);
    check_mail();
  }

  void upload(const std::string& local, const std::string& dest) {
    // One APPEND per message (RFC 3501 section 6.3.11), with its flags and the date it
    // arrived, as a mail app copies a local folder into an IMAP account. The app does not ask
    // whether the server already holds a message: each APPEND adds a copy, and counts against
    // the quota.
    const Folder* f = d_.store().folder(local);
    if (!f || f->entries.empty()) {
      d_.world().event(d_.name(), EventKind::Note, "the local folder " + local +
                                                       " holds nothing to copy");
      return;
    }
    for (const auto& e : f->entries) {
      ImapOp op;
      op.kind = ImapOp::Append;
      op.folder = dest;
      op.flags = flags_to_imap(e.flags);
      op.date = imap::write_date_time(ImapServer::internal_date(e.internal_date));
      op.data = e.body->raw;
      appends_.push_back(std::move(op));
    }
    if (d_.online()) check_mail();
    else d_.world().event(d_.name(), EventKind::Note, "copies queued until back online");
  }

  std::string state() const override {
    std::size_t q = appends_.size();
    for (const auto& [n, v] : queue_) q += v.size();
    return std::string("IMAP: ") + (d_.conn ? "connected" : "idle") + ", " + std::to_string(q) +
           " action(s) queued";
  }

 private:
  // The next pass's plan: the device's mirror state and every queued action, in order.
  ImapPlan make_plan() {
    ImapPlan plan;
    plan.idle = d_.spec().imap.idle;
    plan.use_condstore = d_.spec().imap.use_condstore;
    plan.appends = appends_;
    inflight_appends_.insert(inflight_appends_.end(), appends_.begin(), appends_.end());
    appends_.clear();
    for (const std::string& name : shown_folders()) {
      ImapMailboxPlan mp;
      mp.name = name;
      mp.uidvalidity = uidvalidity_[name];
      mp.highestmodseq = highestmodseq_[name];
      if (const Folder* f = d_.store().folder(name))
        for (const auto& e : f->entries) mp.known[e.uid] = e.flags;
      mp.ops = queue_[name];
      mp.headers_only = d_.spec().imap.bodies_on_demand;
      auto& fl = inflight_.emplace_back(name, std::vector<ImapOp>());
      fl.second = std::move(queue_[name]);
      queue_[name].clear();
      plan.mailboxes.push_back(std::move(mp));
    }
    return plan;
  }

  // The mirrored folders and those the user opened since ("open folder").
  std::vector<std::string> shown_folders() const {
    std::vector<std::string> names(std::begin(kMirrored), std::end(kMirrored));
    names.insert(names.end(), extra_.begin(), extra_.end());
    return names;
  }

  bool pending() const {
    if (!appends_.empty()) return true;
    for (const auto& [n, v] : queue_)
      if (!v.empty()) return true;
    return false;
  }

  void enqueue(const std::string& folder, ImapOp op, bool sync_now = true) {
    queue_[folder].push_back(std::move(op));
    if (!sync_now) return;
    if (d_.online()) check_mail();
    else if (d_.spec().imap.offline_cache)
      d_.world().event(d_.name(), EventKind::Note,
                       "offline: action queued for replay on reconnect");
  }

  void apply(const EngineEvent& e) {
    Store& s = d_.store();
    World& w = d_.world();
    switch (e.kind) {
      case EngineEvent::MailboxSelected:
        if (e.aux) {
          // UIDVALIDITY changed (RFC 3501 2.3.1.1): every cached UID is meaningless now.
          if (Folder* f = s.folder(e.folder)) {
            std::vector<std::uint32_t> uids;
            for (const auto& x : f->entries) uids.push_back(x.uid);
            for (auto u : uids) s.remove(e.folder, u);
          }
          highestmodseq_[e.folder] = 0;
        }
        uidvalidity_[e.folder] = e.uid;
        break;
      case EngineEvent::MailboxSynced:
        // RFC 7162: the next resynchronisation asks only for what changed after this.
        highestmodseq_[e.folder] = e.aux;
        break;
      case EngineEvent::MessageDownloaded:
        if (partial_.erase({e.folder, e.uid})) {
          // The full message replaces the headers-only copy; local flags stay.
          Flags keep = e.flags;
          if (Folder* f = s.folder(e.folder))
            if (Entry* old = f->find_uid(e.uid)) keep = old->flags;
          s.remove(e.folder, e.uid);
          s.put(e.folder, e.uid, make_body(e.data), keep, w.now());
        } else {
          s.put(e.folder, e.uid, make_body(e.data), e.flags, w.now());
        }
        break;
      case EngineEvent::HeadersDownloaded:
        if (s.put(e.folder, e.uid, make_body(e.data), e.flags, w.now()))
          partial_.insert({e.folder, e.uid});
        break;
      case EngineEvent::FlagsSeen:
        s.set_flags(e.folder, e.uid, e.flags);
        break;
      case EngineEvent::MessageExpunged:
        s.remove(e.folder, e.uid);
        partial_.erase({e.folder, e.uid});
        break;
      case EngineEvent::Note:
        if (e.id == "pass") {
          inflight_.clear();
          inflight_appends_.clear();
        }
        break;
      default:
        break;
    }
  }

  std::set<std::pair<std::string, std::uint32_t>> partial_;  // held as headers only
  ImapClient* client_ = nullptr;  // the engine of the open connection, if any
  std::vector<std::pair<std::string, std::vector<ImapOp>>> inflight_;  // handed to a pass
  std::vector<ImapOp> inflight_appends_;
  std::map<std::string, std::uint32_t> uidvalidity_;
  std::map<std::string, std::uint64_t> highestmodseq_;  // per mailbox, from MailboxSynced
  std::map<std::string, std::vector<ImapOp>> queue_;  // per mailbox, in the user's order
  std::vector<ImapOp> appends_;
  std::vector<std::string> extra_;  // folders the user opened beyond kMirrored ("open folder")
};

}  // namespace

std::unique_ptr<MailApp> make_imap_app(Device& d) { return std::make_unique<ImapApp>(d); }

bool imap_open_folder(MailApp& app, const std::string& folder) {
  auto* imap = dynamic_cast<ImapApp*>(&app);
  if (imap) imap->open_folder(folder);
  return imap != nullptr;
}

bool imap_upload(MailApp& app, const std::string& local, const std::string& dest) {
  auto* imap = dynamic_cast<ImapApp*>(&app);
  if (imap) imap->upload(local, dest);
  return imap != nullptr;
}

}  // namespace ms
