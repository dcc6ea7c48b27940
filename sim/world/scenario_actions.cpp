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

}  // namespace ms
