#include "world/scenario_actions.hpp"

#include "world/device.hpp"

namespace ms {

bool server_files(World& w, const std::string& account, int n, const std::string& folder) {
  const auto& msgs = w.scenario_messages();
  Account* a = w.server().find(account);
  std::string what = "message " + std::to_string(n);
  if (!a || n < 1 || n > static_cast<int>(msgs.size())) {
    w.event("server", EventKind::Note, "has no " + what + " to file");
    return false;
  }
  if (!a->store.folder(folder)) {
    w.event("server", EventKind::Note, "has no folder " + folder + " to file " + what + " into");
    return false;
  }
  Folder* inbox = a->store.folder("INBOX");
  const Entry* found = nullptr;
  if (inbox)
    for (const auto& e : inbox->entries)
      if (e.body && e.body->message_id == msgs[n - 1]->message_id) found = &e;
  if (!found) {
    w.event("server", EventKind::Note, what + " is not in INBOX: nothing to file");
    return false;
  }
  // Copy before removing: the entry goes away with the remove.
  Entry copy = *found;
  w.event("server", EventKind::Note, "a server rule files " + what + " into " + folder);
  a->store.remove("INBOX", copy.uid);
  a->store.append(folder, copy.body, copy.flags, copy.internal_date);
  return true;
}

void open_folder(Device& d, const std::string& folder) {
  if (d.lost()) return;
  d.world().event(d.name(), EventKind::UserAction, "user opens the folder " + folder);
  if (!imap_open_folder(d.app(), folder)) pop3_open_folder(d.app(), folder);
}

void link_drops(Device& d) {
  if (d.lost() || !d.online()) return;
  d.world().event(d.name(), EventKind::Note, "the link drops for a moment");
  d.go_offline();
  d.go_online();
}

const char* pop3_kept_folder(const std::string& folder) {
  if (folder == "INBOX") return "POP3 Inbox";
  if (folder == "Sent") return "POP3 Sent";
  if (folder == "Trash") return "POP3 Trash";
  return nullptr;
}

void start_on_pop3(Device& d) {
  if (d.proto() == Proto::POP3) return;
  d.world().event(d.name(), EventKind::Note, "uses POP3 until the user moves it to IMAP");
  d.switch_app(Proto::POP3);
  d.app().start();
}

void move_to_imap(Device& d) {
  if (d.lost()) return;
  World& w = d.world();
  if (d.proto() == Proto::IMAP) {
    w.event(d.name(), EventKind::Note, "already uses IMAP: nothing to move");
    return;
  }
  if (w.proto() == Proto::POP3) {
    w.event(d.name(), EventKind::Note, "stays on POP3 in this world, for comparison");
    return;
  }
  w.event(d.name(), EventKind::UserAction, "user moves the account from POP3 to IMAP");
  // The IMAP app mirrors INBOX, Sent and Trash under the server's UIDs: the POP3 copies move
  // out of its way into folders of their own, and stay on this device only.
  Store& s = d.store();
  for (const char* name : {"INBOX", "Sent", "Trash"}) {
    Folder* f = s.folder(name);
    if (!f || f->entries.empty()) continue;
    const char* kept = pop3_kept_folder(name);
    if (!s.folder(kept)) s.add_folder(kept, Role::None, 1);
    std::vector<Entry> copies = f->entries;
    for (const Entry& e : copies) {
      s.remove(name, e.uid);
      s.append(kept, e.body, e.flags, e.internal_date);
    }
  }
  d.switch_app(Proto::IMAP);
  d.app().start();
  d.check_mail();
}

void upload_folder(Device& d, const std::string& local, const std::string& dest) {
  if (d.lost()) return;
  const Folder* f = d.store().folder(local);
  std::size_t n = f ? f->entries.size() : 0;
  d.world().event(d.name(), EventKind::UserAction,
                  "user copies the " + std::to_string(n) + " message(s) of the local folder " +
                      local + " into " + dest + " on the server");
  if (!imap_upload(d.app(), local, dest)) pop3_upload(d.app(), local, dest);
}

}  // namespace ms
