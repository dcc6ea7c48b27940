// Mailbox management in the authenticated state: RFC 3501 sections 6.3.3 (CREATE), 6.3.4
// (DELETE), 6.3.5 (RENAME), 6.3.6 (SUBSCRIBE), 6.3.7 (UNSUBSCRIBE). The hierarchy delimiter
// is "/". Every change goes through Store so that the trace sees it.
#include "proto/imap/imap_server.hpp"

namespace ms {

namespace {

bool is_inferior(const std::string& name, const std::string& parent) {
  return name.size() > parent.size() + 1 && name.compare(0, parent.size(), parent) == 0 &&
         name[parent.size()] == '/';
}

}  // namespace

// RFC 3501 section 6.3.3
void ImapServer::cmd_create(const imap::Command& c) {
  if (c.args.size() != 1) return tagged(c.tag, "BAD", "CREATE needs one mailbox name");
  auto name = mailbox_arg(c, 0);
  if (!name) return tagged(c.tag, name.status, name.error);
  std::string n = *name;
  // A trailing delimiter declares the intent to create inferiors; the name is without it.
  while (!n.empty() && n.back() == '/') n.pop_back();
  if (n.empty() || n.front() == '/' || n.find("//") != std::string::npos)
    return tagged(c.tag, "NO", "[CANNOT] Invalid mailbox name");
  if (account_->store.folder(n))
    return tagged(c.tag, "NO", "[ALREADYEXISTS] Mailbox already exists");
  // Creating a mailbox does not subscribe to it (RFC 3501 6.3.6: that is SUBSCRIBE's job; the
  // account's standard mailboxes start subscribed, as a production server's autosubscribe),
  // unless the name stayed subscribed after an earlier mailbox of that name went away.
  Store& st = account_->store;
  st.add_folder(n, Role::None, new_uidvalidity()).subscribed = st.orphan_subscriptions.erase(n) > 0;
  report_changes(true);
  tagged(c.tag, "OK", "CREATE completed");
}

// RFC 3501 section 6.3.4
void ImapServer::cmd_delete(const imap::Command& c) {
  if (c.args.size() != 1) return tagged(c.tag, "BAD", "DELETE needs one mailbox name");
  auto name = mailbox_arg(c, 0);
  if (!name) return tagged(c.tag, name.status, name.error);
  if (*name == "INBOX") return tagged(c.tag, "NO", "[CANNOT] INBOX cannot be deleted");
  if (!account_->store.folder(*name))
    return tagged(c.tag, "NO", "[NONEXISTENT] Mailbox doesn't exist: " + *name);
  if (*name == mailbox_) deselect("selected mailbox deleted");
  // The subscription outlives the mailbox (RFC 3501 section 6.3.6).
  if (account_->store.folder(*name)->subscribed) account_->store.orphan_subscriptions.insert(*name);
  account_->store.remove_folder(*name);
  report_changes(true);
  tagged(c.tag, "OK", "DELETE completed");
}

// RFC 3501 section 6.3.5: inferiors are renamed too; renaming INBOX moves its messages into
// the new mailbox and leaves INBOX empty.
void ImapServer::cmd_rename(const imap::Command& c) {
  if (c.args.size() != 2) return tagged(c.tag, "BAD", "RENAME needs two mailbox names");
  auto from = mailbox_arg(c, 0), to = mailbox_arg(c, 1);
  if (!from) return tagged(c.tag, from.status, from.error);
  if (!to) return tagged(c.tag, to.status, to.error);
  Store& st = account_->store;
  if (!st.folder(*from))
    return tagged(c.tag, "NO", "[NONEXISTENT] Mailbox doesn't exist: " + *from);
  if (st.folder(*to) || *to == "INBOX")
    return tagged(c.tag, "NO", "[ALREADYEXISTS] Mailbox already exists");
  if (is_inferior(*to, *from)) return tagged(c.tag, "NO", "[CANNOT] Cannot rename into itself");
  std::vector<std::pair<std::string, std::string>> moves = {{*from, *to}};
  if (*from != "INBOX")
    for (const auto& [n, f] : st.folders())
      if (is_inferior(n, *from)) moves.push_back({n, *to + n.substr(from->size())});
  for (const auto& [old_name, new_name] : moves)
    if (st.folder(new_name)) return tagged(c.tag, "NO", "[ALREADYEXISTS] " + new_name);
  for (const auto& [old_name, new_name] : moves) {
    Folder src = *st.folder(old_name);  // a copy: the original changes below
    bool inbox = old_name == "INBOX";
    Folder& dst = st.add_folder(new_name, inbox ? Role::None : src.role,
                                inbox ? new_uidvalidity() : src.uidvalidity);
    // Subscriptions are names (RFC 3501 6.3.6): the old name stays subscribed, the new one is
    // subscribed only if it was before (as Dovecot does).
    if (!inbox && src.subscribed) st.orphan_subscriptions.insert(old_name);
    dst.subscribed = st.orphan_subscriptions.erase(new_name) > 0;
    for (const auto& e : src.entries) {
      if (inbox) st.append(new_name, e.body, e.flags, e.internal_date);
      else st.put(new_name, e.uid, e.body, e.flags, e.internal_date);
    }
    if (inbox) {
      for (const auto& e : src.entries) st.remove("INBOX", e.uid);
    } else {
      // Keep the UID space: the mailbox is the same one under a new name.
      st.folder(new_name)->uidnext = std::max(st.folder(new_name)->uidnext, src.uidnext);
      if (old_name == mailbox_) deselect("selected mailbox renamed");
      st.remove_folder(old_name);
    }
  }
  report_changes(true);
  tagged(c.tag, "OK", "RENAME completed");
}

// RFC 3501 sections 6.3.6 and 6.3.7
void ImapServer::cmd_subscribe(const imap::Command& c) {
  const bool sub = c.name == "SUBSCRIBE";
  if (c.args.size() != 1) return tagged(c.tag, "BAD", c.name + " needs one mailbox name");
  auto name = mailbox_arg(c, 0);
  if (!name) return tagged(c.tag, name.status, name.error);
  Folder* f = account_->store.folder(*name);
  // A name whose mailbox is gone can still be unsubscribed (RFC 3501 section 6.3.7).
  if (!f && !sub && account_->store.orphan_subscriptions.erase(*name)) {
    report_changes(true);
    return tagged(c.tag, "OK", c.name + " completed");
  }
  if (!f) return tagged(c.tag, "NO", "[NONEXISTENT] Mailbox doesn't exist: " + *name);
  f->subscribed = sub;
  report_changes(true);
  tagged(c.tag, "OK", c.name + " completed");
}

void ImapServer::cmd_unsubscribe(const imap::Command& c) { cmd_subscribe(c); }

}  // namespace ms
