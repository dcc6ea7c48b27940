#pragma once
// Scenario actions for the everyday-questions lessons (lessons/README.md, "Actions for
// everyday questions"), kept apart from Device and MailApp so that their interfaces stay as
// they are.
#include <string>

#include "world/world.hpp"

namespace ms {

class Device;
class MailApp;

// The server's own filing (a spam filter, or a rule the user set up in webmail) moves scenario
// message n from the account's INBOX into `folder`. No protocol is involved, so nothing goes on
// the wire; a client that looks only at INBOX no longer sees it. False when the account, the
// message or the folder is missing (the trace says which).
bool server_files(World& w, const std::string& account, int n, const std::string& folder);

// The user opens a server folder other than INBOX, Sent and Trash: an IMAP app synchronises it
// from now on; a POP3 app can show only a local folder of that name.
void open_folder(Device& d, const std::string& folder);

// The device's link goes down and straight back up: every open connection is cut where it
// stands, and the app carries on as after any reconnection.
void link_drops(Device& d);

// Defined next to each app (world/app_imap.cpp, world/app_pop3.cpp); false when `app` is not
// that protocol's app.
bool imap_open_folder(MailApp& app, const std::string& folder);
bool pop3_open_folder(MailApp& app, const std::string& folder);

}  // namespace ms
