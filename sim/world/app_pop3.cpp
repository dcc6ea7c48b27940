// The POP3 mail app: downloads into the device's own store and keeps no state on the server
// beyond what its policy leaves there. Reading, flagging and deleting change only this device.
#include <map>
#include <set>

#include "proto/pop3/pop3_client.hpp"
#include "world/device.hpp"
#include "world/scenario_actions.hpp"
#include "world/submit.hpp"

namespace ms {

namespace {

class Pop3App : public MailApp {
 public:
  explicit Pop3App(Device& d) : MailApp(d) {}

  void start() override {
    schedule_poll([this] { return d_.spec().pop3.check_every_minutes; });
  }

  void check_mail() override {
    World& w = d_.world();
    if (!d_.online()) {
      w.event(d_.name(), EventKind::Note, "cannot check mail: offline");
      return;
    }
    if (d_.conn && d_.conn->open()) return;  // a session is already running
    const Pop3Policy& p = d_.spec().pop3;
    Pop3Plan plan;
    plan.user = (p.recent_mode ? "recent:" : "") + d_.spec().account;
    plan.pass = d_.spec().password;
    for (const auto& [id, when] : seen_) {
      plan.seen.insert(id);
      // "Delete from server after N days" counts from the download (as Thunderbird does).
      if (p.leave_on_server && p.delete_after_days > 0 &&
          w.now() - when >= static_cast<Tick>(p.delete_after_days) * kDay)
        plan.to_delete.insert(id);
    }
    for (const auto& id : delete_on_server_) plan.to_delete.insert(id);
    plan.want_body = want_body_;
    plan.delete_after_download = !p.leave_on_server;
    plan.headers_only = p.headers_first;
    plan.starttls = d_.spec().security == Security::StartTls;
    plan.starttls_required = d_.spec().insist_on_tls;
    Connection& c = w.connect(d_, Proto::POP3, std::make_unique<Pop3Client>(std::move(plan)));
    d_.conn = &c;
    c.on_client_events = [this](std::vector<EngineEvent> ev) {
      for (auto& e : ev) apply(e);
    };
    c.on_closed = [this, &c] {
      if (d_.conn == &c) d_.conn = nullptr;
    };
  }

  void read(const std::string& folder, std::uint32_t uid) override {
    Folder* f = d_.store().folder(folder);
    Entry* e = f ? f->find_uid(uid) : nullptr;
    if (!e) return;
    Flags nf = e->flags;
    nf.bits |= kSeen;
    d_.store().set_flags(folder, uid, nf);
    d_.world().event(d_.name(), EventKind::Note,
                     "marked read on this device only (POP3 keeps no state on the server)");
    if (partial_.count(e->body->message_id)) {
      // Headers only so far: the body comes with the next session.
      auto it = id_of_.find(e->body->message_id);
      if (it != id_of_.end()) want_body_.insert(it->second);
      check_mail();
    }
  }

  void set_flag(const std::string& folder, std::uint32_t uid, Flag f, bool on) override {
    set_local_flag(folder, uid, f, on);  // POP3 has no command to tell the server
  }

  void remove(const std::string& folder, std::uint32_t uid) override {
    Store& s = d_.store();
    Folder* f = s.folder(folder);
    Entry* e = f ? f->find_uid(uid) : nullptr;
    if (!e) return;
    Entry copy = *e;
    s.remove(folder, uid);
    if (folder != "Trash") s.append("Trash", copy.body, copy.flags, copy.internal_date);
    auto it = id_of_.find(copy.body->message_id);
    if (d_.spec().pop3.leave_on_server && d_.spec().pop3.delete_when_deleted_locally &&
        it != id_of_.end()) {
      delete_on_server_.insert(it->second);
      d_.world().event(d_.name(), EventKind::Note,
                       "will delete " + it->second + " on the server at the next check");
    } else {
      d_.world().event(d_.name(), EventKind::Note,
                       "deleted on this device only; the server copy (if any) is untouched");
    }
  }

  void send(Body message) override {
    // POP3 has no way to store mail on the server: the sent copy lives on this device only.
    Device& d = d_;
    submit(d_, message, [&d, message](bool ok) {
      if (ok) d.store().append("Sent", message, Flags{kSeen, {}}, d.world().now());
    });
  }

  void empty_trash() override {
    Folder* t = d_.store().folder("Trash");
    if (!t) return;
    std::vector<std::uint32_t> uids;
    for (const auto& e : t->entries) uids.push_back(e.uid);
    for (auto u : uids) d_.store().remove("Trash", u);
  }

  void upload(const std::string& local, const std::string& dest) {
    // RFC 1939 has commands to list, retrieve and delete mail, none to store it.
    d_.world().event(d_.name(), EventKind::Note,
                     "POP3 has no command that stores mail on the server: the local " + local +
                         " stays on this device only, and nothing reaches " + dest);
  }

  void open_folder(const std::string& name) {
    // RFC 1939 has one maildrop per user and no command to name another: a POP3 app shows its
    // own local folders, and mail the server filed elsewhere never reaches it.
    if (!d_.store().folder(name)) d_.store().add_folder(name, Role::None, 1);
    d_.world().event(d_.name(), EventKind::Note, "POP3 downloads only INBOX: the server's " + name +
                                    " folder cannot be reached; the local one shows only what "
                                    "this device put there");
  }

  std::string state() const override {
    return "POP3: " + std::to_string(seen_.size()) + " unique-id(s) seen, " +
           std::to_string(delete_on_server_.size()) + " deletion(s) pending on the server";
  }

 private:
  void apply(const EngineEvent& e) {
    World& w = d_.world();
    switch (e.kind) {
      case EngineEvent::MessageDownloaded:
      case EngineEvent::HeadersDownloaded: {
        Body b = make_body(e.data);
        std::string id = e.id.empty() ? b->message_id : e.id;
        bool headers = e.kind == EngineEvent::HeadersDownloaded;
        // A copy already here (a server without UIDL makes the client fetch it again, or the
        // full body replaces the headers-only copy).
        // Only a Message-ID seen before can be here already: new mail skips the scan, which
        // keeps a first download of a large mailbox linear.
        auto here = id_of_.count(b->message_id) ? find_local(b->message_id) : std::nullopt;
        if (here && !(partial_.count(b->message_id) && !headers)) {
          w.event(d_.name(), EventKind::Note,
                  "already has " + b->message_id + ": downloaded again, copy discarded");
          break;
        }
        Flags fl;
        if (here) {
          fl = here->second;
          d_.store().remove("INBOX", here->first);
        }
        d_.store().append("INBOX", b, fl, w.now());
        if (headers) partial_.insert(b->message_id);
        else partial_.erase(b->message_id), want_body_.erase(id);
        if (!seen_.count(id)) seen_[id] = w.now();
        id_of_[b->message_id] = id;
        break;
      }
      case EngineEvent::MessageDeleted:
      case EngineEvent::MessageExpunged:
        // Removed by this session's QUIT, or gone already (another device, server expiry):
        // nothing is left on the server to remember or to delete.
        delete_on_server_.erase(e.id);
        want_body_.erase(e.id);
        seen_.erase(e.id);
        break;
      case EngineEvent::Error:
        if (e.id == "IN-USE")
          w.event(d_.name(), EventKind::Note,
                  "another session holds the maildrop: mail stays on the server "
                  "until the next check");
        break;
      default:
        break;
    }
  }

  std::optional<std::pair<std::uint32_t, Flags>> find_local(const std::string& mid) {
    const Folder* f = d_.store().folder("INBOX");
    if (f)
      for (const auto& en : f->entries)
        if (en.body->message_id == mid) return std::make_pair(en.uid, en.flags);
    return std::nullopt;
  }

  std::map<std::string, Tick> seen_;           // unique-id -> when first downloaded
  std::map<std::string, std::string> id_of_;   // Message-ID -> unique-id
  std::set<std::string> delete_on_server_;
  std::set<std::string> partial_;              // Message-IDs held as headers only
  std::set<std::string> want_body_;            // unique-ids whose bodies to fetch next time
};

}  // namespace

std::unique_ptr<MailApp> make_pop3_app(Device& d) { return std::make_unique<Pop3App>(d); }

bool pop3_open_folder(MailApp& app, const std::string& folder) {
  auto* pop3 = dynamic_cast<Pop3App*>(&app);
  if (pop3) pop3->open_folder(folder);
  return pop3 != nullptr;
}

bool pop3_upload(MailApp& app, const std::string& local, const std::string& dest) {
  auto* pop3 = dynamic_cast<Pop3App*>(&app);
  if (pop3) pop3->upload(local, dest);
  return pop3 != nullptr;
}

}  // namespace ms
