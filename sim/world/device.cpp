#include "world/device.hpp"

namespace ms {

bool MailApp::set_local_flag(const std::string& folder, std::uint32_t uid, Flag f, bool on) {
  Folder* fo = d_.store().folder(folder);
  Entry* e = fo ? fo->find_uid(uid) : nullptr;
  if (!e) return false;
  Flags nf = e->flags;
  nf.bits = on ? (nf.bits | f) : (nf.bits & ~static_cast<std::uint32_t>(f));
  d_.store().set_flags(folder, uid, nf);
  return true;
}

void MailApp::schedule_poll(std::function<int()> minutes) {
  if (poll_scheduled_ || minutes() <= 0) return;
  poll_scheduled_ = true;
  d_.world().sched().after(static_cast<Tick>(minutes()) * kMinute, [this, minutes] {
    poll_scheduled_ = false;
    if (d_.lost() || !d_.is_current_app(*this)) return;
    if (d_.online()) check_mail();
    schedule_poll(minutes);
  });
}

Device::Device(World& w, DeviceSpec spec, Proto proto)
    : w_(w), spec_(std::move(spec)), proto_(proto), store_(spec_.name) {
  w_.watch_store(store_, spec_.name);
  // The local folders every mail app shows; an IMAP app mirrors the server's folders into them.
  store_.add_folder("INBOX", Role::None, 1);
  store_.add_folder("Sent", Role::Sent, 1);
  store_.add_folder("Trash", Role::Trash, 1);
  app_ = proto == Proto::POP3 ? make_pop3_app(*this) : make_imap_app(*this);
}

Device::~Device() = default;

void Device::set_settings(const DeviceSettings& s) {
  static_cast<DeviceSettings&>(spec_) = s;
  w_.settings_record(name(), s);
}

void Device::switch_app(Proto p) {
  retired_apps_.push_back(std::move(app_));
  proto_ = p;
  app_ = p == Proto::POP3 ? make_pop3_app(*this) : make_imap_app(*this);
}

std::optional<std::pair<std::string, std::uint32_t>> Device::find_copy(int n) const {
  const auto& msgs = w_.scenario_messages();
  if (n < 1 || n > static_cast<int>(msgs.size())) return std::nullopt;
  const std::string& mid = msgs[n - 1]->message_id;
  auto search = [&](const Folder& f) -> std::optional<std::pair<std::string, std::uint32_t>> {
    for (const auto& e : f.entries)
      if (e.body && e.body->message_id == mid) return std::make_pair(f.name, e.uid);
    return std::nullopt;
  };
  if (const Folder* inbox = store_.folder("INBOX"))
    if (auto r = search(*inbox)) return r;
  for (const auto& [name, f] : store_.folders())
    if (name != "INBOX")
      if (auto r = search(f)) return r;
  return std::nullopt;
}

void Device::check_mail() {
  if (lost_) return;
  app_->check_mail();
}

namespace {
std::string nth(int n) { return "message " + std::to_string(n); }
}  // namespace

void Device::read(int n) {
  if (lost_) return;
  auto c = find_copy(n);
  if (!c) {
    w_.event(name(), EventKind::Note, "has no copy of " + nth(n) + " to read");
    return;
  }
  w_.event(name(), EventKind::UserAction, "user reads " + nth(n));
  app_->read(c->first, c->second);
}

void Device::flag(int n, Flag f, bool on) {
  if (lost_) return;
  auto c = find_copy(n);
  if (!c) {
    w_.event(name(), EventKind::Note, "has no copy of " + nth(n) + " to flag");
    return;
  }
  w_.event(name(), EventKind::UserAction,
           std::string("user ") + (on ? "sets " : "clears ") + flags_to_imap({f, {}}) + " on " +
               nth(n));
  app_->set_flag(c->first, c->second, f, on);
}

void Device::remove(int n) {
  if (lost_) return;
  auto c = find_copy(n);
  if (!c) {
    w_.event(name(), EventKind::Note, "has no copy of " + nth(n) + " to delete");
    return;
  }
  w_.event(name(), EventKind::UserAction, "user deletes " + nth(n));
  app_->remove(c->first, c->second);
}

void Device::send(const std::string& to, const std::string& subject, const std::string& text,
                  int reply_to) {
  if (lost_) return;
  ++sent_count_;
  std::string mid = "<" + name() + "." + std::to_string(sent_count_) + "." +
                    std::to_string(w_.now() / kSecond) + "@" + w_.server().settings.hostname + ">";
  std::string from = spec_.account + "@" + w_.server().settings.hostname;
  std::string subj = subject;
  if (reply_to > 0 && reply_to <= static_cast<int>(w_.scenario_messages().size())) {
    const Body& orig = w_.scenario_messages()[reply_to - 1];
    if (subj.empty()) subj = "Re: " + orig->subject;
  }
  Body b = make_body(compose_message(from, to, subj, mid, w_.now(), text));
  w_.note_scenario_message(b);
  w_.event(name(), EventKind::UserAction, "user sends \"" + subj + "\" to " + to);
  if (reply_to > 0)
    if (auto c = find_copy(reply_to)) app_->set_flag(c->first, c->second, kAnswered, true);
  app_->send(std::move(b));
}

void Device::forward(int n, const std::string& to, const std::string& text) {
  if (lost_) return;
  auto c = find_copy(n);
  if (!c) {
    w_.event(name(), EventKind::Note, "has no copy of " + nth(n) + " to forward");
    return;
  }
  const Body& orig = w_.scenario_messages()[n - 1];
  send(to, "Fwd: " + orig->subject, text);
  app_->set_flag(c->first, c->second, kForwarded, true);
}

void Device::empty_trash() {
  if (lost_) return;
  w_.event(name(), EventKind::UserAction, "user empties Trash");
  app_->empty_trash();
}

void Device::go_offline() {
  if (lost_ || !online_) return;
  online_ = false;
  w_.device_record(name(), EventKind::Offline);
  w_.drop_connections(name());
  conn = nullptr;
  app_->went_offline();
}

void Device::go_online() {
  if (lost_ || online_) return;
  online_ = true;
  w_.device_record(name(), EventKind::Online);
  app_->start();
}

void Device::lose() {
  if (lost_) return;
  w_.drop_connections(name());
  conn = nullptr;
  lost_ = true;
  online_ = false;
  w_.device_record(name(), EventKind::Lost);
  store_.wipe();
}

}  // namespace ms
