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

// Moving from POP3 to IMAP (lessons/README.md, "Actions for moving from POP3 to IMAP").
// In the IMAP world a device that will "move to IMAP" starts out on POP3 (start_on_pop3, when
// the world is built), so both worlds share its POP3 past; the POP3 world stays on POP3 and is
// the comparison.
void start_on_pop3(Device& d);
// The user moves the device's account to IMAP: the POP3 app's local mail stays on the device in
// folders of its own ("POP3 Inbox", "POP3 Sent", "POP3 Trash"), as a mail app keeps an old
// account's folders, and an IMAP app starts mirroring the server. In the POP3 world the device
// stays on POP3 and the trace says so.
void move_to_imap(Device& d);
// The user copies every message of the local folder `local` into the server folder `dest`: an
// IMAP app sends one APPEND per message (RFC 3501 section 6.3.11); each counts against the
// quota, and the server refuses one that does not fit (NO [OVERQUOTA], RFC 5530). Nothing
// compares the messages with what the server already holds, so a copy the server kept
// ("leave on server") is then there twice. POP3 has no command that stores mail on a server.
void upload_folder(Device& d, const std::string& local, const std::string& dest);
// The local folders a move keeps the POP3 mail in, by the folder the POP3 app used.
const char* pop3_kept_folder(const std::string& folder);

// Defined next to each app (world/app_imap.cpp, world/app_pop3.cpp); false when `app` is not
// that protocol's app.
bool imap_open_folder(MailApp& app, const std::string& folder);
bool pop3_open_folder(MailApp& app, const std::string& folder);
bool imap_upload(MailApp& app, const std::string& local, const std::string& dest);
bool pop3_upload(MailApp& app, const std::string& local, const std::string& dest);

}  // namespace ms
