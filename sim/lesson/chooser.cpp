#include "lesson/chooser.hpp"

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "lesson/table.hpp"

namespace ms {

bool parse_connection(const std::string& s, ChooserAnswers::Connection& out) {
  if (s == "always") out = ChooserAnswers::Connection::Always;
  else if (s == "limited") out = ChooserAnswers::Connection::Limited;
  else if (s == "rare") out = ChooserAnswers::Connection::Rare;
  else return false;
  return true;
}

bool parse_provider(const std::string& s, ChooserAnswers::Provider& out) {
  for (auto p : {ChooserAnswers::Provider::Other, ChooserAnswers::Provider::Gmail,
                 ChooserAnswers::Provider::Microsoft})
    if (s == provider_name(p)) {
      out = p;
      return true;
    }
  return false;
}

const char* provider_name(ChooserAnswers::Provider p) {
  switch (p) {
    case ChooserAnswers::Provider::Gmail: return "gmail";
    case ChooserAnswers::Provider::Microsoft: return "microsoft";
    case ChooserAnswers::Provider::Other: break;
  }
  return "other";
}

bool parse_answers(const std::string& text, ChooserAnswers& out, std::string* error) {
  std::istringstream in(text);
  std::string devices, conn, offline, storage, provider, extra;
  in >> devices >> conn >> offline >> storage >> provider >> extra;
  auto fail = [&](const std::string& why) {
    if (error) *error = why;
    return false;
  };
  if (storage.empty() || !extra.empty())
    return fail("expected four or five answers: DEVICES CONNECTION OFFLINE STORAGE [PROVIDER]");
  char* end = nullptr;
  const long n = std::strtol(devices.c_str(), &end, 10);
  if (*end != '\0' || n < 1 || n > 999) return fail("devices: '" + devices + "' is not a number from 1");
  ChooserAnswers a;
  a.devices = static_cast<int>(n);
  if (!parse_connection(conn, a.connection))
    return fail("connection: '" + conn + "' is not always, limited or rare");
  if (offline != "yes" && offline != "no") return fail("offline: '" + offline + "' is not yes or no");
  a.offline_reading = offline == "yes";
  if (storage != "plenty" && storage != "limited")
    return fail("storage: '" + storage + "' is not plenty or limited");
  a.server_storage_limited = storage == "limited";
  if (!provider.empty() && !parse_provider(provider, a.provider))
    return fail("provider: '" + provider + "' is not gmail, microsoft or other");
  out = a;
  return true;
}

namespace {

// What each table row means for this customer under the recommended protocol. The texts are
// the table's findings (each proved by its row's lesson) applied to the customer's answers.
std::string imap_reason(const std::string& row, const ChooserAnswers& a, bool poor_link,
                        bool overturned) {
  if (row == "mail storage")
    return std::string("Mail stays on the server; each device shows the same mailbox and keeps "
                       "at most a cache.") +
           (a.server_storage_limited ? " The quota is small: archive or delete old mail." : "");
  if (row == "synchronisation") {
    if (overturned)
      return "Several devices read this mailbox: with POP3 each would download its own copy and "
             "read/deleted state would never be shared (synchronisation). A caching IMAP client "
             "also reads offline.";
    if (a.devices > 1)
      return "Mail, read state, sent and deleted mail stay the same on all " +
             std::to_string(a.devices) + " devices (synchronisation, sent mail).";
    return "One device today; a phone or laptop added later sees the same mail and read state.";
  }
  if (row == "sent mail")
    return a.provider == ChooserAnswers::Provider::Gmail
               ? "Sent mail is stored on the server: Gmail files what is sent through it in Sent "
                 "Mail, so every device sees what was sent."
               : "Sent mail is stored on the server (Sent folder), so every device sees what was "
                 "sent.";
  if (row == "deleted mail")
    return a.server_storage_limited
               ? "The mailbox quota is small: deleted mail moves to Trash on the server and "
                 "counts against it until Trash is emptied (deleted mail)."
               : "Deleting on one device deletes everywhere: it moves to Trash, recoverable "
                 "until Trash is emptied.";
  if (row == "disaster recovery")
    return "Mail stays on the server: a lost or new device loses nothing (mail storage, disaster "
           "recovery). A delete, though, reaches every device: the server is not a backup, and "
           "how long deleted mail can be recovered depends on the provider.";
  // access without Internet
  if (a.offline_reading)
    return "Mail must be readable offline: a client that keeps whole messages (bodies "
           "included) in its offline cache shows all of it without a connection.";
  if (poor_link)
    return "With a limited connection, a caching client shows what it has downloaded and "
           "queues changes until it reconnects.";
  return "New mail needs a connection; a caching client still shows what it already has.";
}

std::string pop3_reason(const std::string& row, const ChooserAnswers& a) {
  if (row == "access without Internet")
    return "The connection is " +
           std::string(a.connection == ChooserAnswers::Connection::Rare ? "rare" : "limited") +
           " and mail must be readable without it: POP3 keeps mail on the computer "
           "(mail storage, access without Internet).";
  if (row == "mail storage")
    return a.server_storage_limited
               ? "Whole messages are downloaded to this one computer and then deleted from the "
                 "server, so the small quota stays free."
               : "Whole messages are downloaded to this one computer, with a copy left on the "
                 "server for a while.";
  if (row == "synchronisation")
    return "Only one device reads the mail, so nothing needs synchronising.";
  if (row == "sent mail")
    return "Sent mail is kept on the computer that sent it: fine with one device.";
  if (row == "deleted mail")
    return a.server_storage_limited
               ? "Deleting on the computer removes its own copy; the server copy is already gone "
                 "after download."
               : "Deleting on the computer removes its own copy; the server copy goes when the "
                 "leave-on-server days run out (or at the app's next check, if it deletes on "
                 "the server when deleted locally, as Thunderbird's set-up does).";
  return "Drawback: if that computer is lost the mail is gone (disaster recovery); back it up.";
}

}  // namespace

Recommendation recommend(const ChooserAnswers& a) {
  Recommendation r;
  const bool poor_link = a.connection != ChooserAnswers::Connection::Always;
  // The article's rule: IMAP, unless connectivity is limited and mail must be readable at
  // all times without a connection. POP3 on several devices means duplicates and unshared
  // state; a caching IMAP client gives offline reading without that cost.
  const bool wants_pop3 = poor_link && a.offline_reading;
  const bool pop3 = wants_pop3 && a.devices <= 1;
  const bool overturned = wants_pop3 && !pop3;
  r.mail_protocol = pop3 ? "POP3" : "IMAP";
  r.protocol = a.provider == ChooserAnswers::Provider::Microsoft ? "Exchange" : r.mail_protocol;

  std::string deciding;
  if (pop3) {
    deciding = "access without Internet";
    r.demo_lesson = a.connection == ChooserAnswers::Connection::Rare ? "offline-access"
                                                                     : "limited-connectivity";
  } else if (a.devices > 1) {
    deciding = "synchronisation";
    r.demo_lesson = "synchronisation";
  } else if (a.server_storage_limited) {
    deciding = "deleted mail";
    r.demo_lesson = "deleted-mail";
  } else {
    deciding = "disaster recovery";
    r.demo_lesson = "disaster-recovery";
  }
  std::vector<std::string> rows = table_row_names();
  std::stable_partition(rows.begin(), rows.end(), [&](const std::string& x) { return x == deciding; });
  const auto& lessons = table_row_lessons();
  for (const std::string& row : rows) {
    ChooserReason why;
    why.row = row;
    why.text = pop3 ? pop3_reason(row, a) : imap_reason(row, a, poor_link, overturned);
    auto it = lessons.find(row);
    why.lesson = row == deciding ? r.demo_lesson : it != lessons.end() ? it->second : "";
    r.reasons.push_back(why.text);
    r.why.push_back(std::move(why));
  }

  // Each setting serves the need that led to it: offline reading needs whole messages on the
  // computer (headers-first would leave unopened mail unreadable offline, and a message held
  // as headers only cannot be deleted from the server by a download policy), and a small
  // quota needs a deletion policy that works with what is downloaded.
  const bool gmail = a.provider == ChooserAnswers::Provider::Gmail;
  if (pop3) {
    r.settings.push_back("Download whole messages, not headers first: only what is downloaded "
                         "can be read offline.");
    r.settings.push_back(a.server_storage_limited
                             ? "Remove messages from the server once downloaded (they are whole "
                               "on the computer): the mailbox quota stays free. Back the "
                               "computer up."
                             : "Leave a copy on the server for 14 days (Thunderbird's set-up "
                               "default), as a safety net.");
    r.settings.push_back("On a slow link, check less often rather than fetching headers only.");
  } else {
    r.settings.push_back(a.server_storage_limited
                             ? "Move deleted messages to Trash and empty Trash regularly: it "
                               "counts against the quota."
                             : "Move deleted messages to Trash; empty Trash now and then.");
    r.settings.push_back(gmail ? "Do not save copies of sent messages: Gmail files what is sent "
                                 "through it in Sent Mail itself (two copies otherwise)."
                               : "Store sent messages on the server (Sent folder).");
    if (a.offline_reading)
      r.settings.push_back("Keep whole messages on this computer (offline cache with bodies, "
                           "no headers-only sync), so all mail can be read offline.");
    else if (poor_link)
      r.settings.push_back("Keep an offline cache; on a slow link, bodies fetched when opened "
                           "save data (unopened mail then needs a connection).");
    else
      r.settings.push_back("Allow immediate server notifications (IDLE) for push: it watches "
                           "one folder, usually INBOX, and the app renews it within 29 minutes.");
  }
  if (a.provider == ChooserAnswers::Provider::Microsoft) {
    r.provider_notes.push_back(
        "Microsoft 365 / Exchange: the usual answer is neither POP3 nor IMAP. Add the mailbox "
        "as an Exchange (Microsoft 365) account in the mail app, which also keeps calendar and "
        "contacts; the organisation may have turned POP3 and IMAP off.");
    r.provider_notes.push_back("If the app can only use " + r.mail_protocol +
                               ", the advice below applies; sign in with OAuth2 (modern "
                               "authentication): Exchange Online no longer accepts the plain "
                               "password.");
  } else if (gmail) {
    r.provider_notes.push_back("Gmail: sign in with OAuth2 (\"Sign in with Google\") or an app "
                               "password; Google no longer accepts the account password from "
                               "mail apps for Workspace accounts.");
    r.provider_notes.push_back("Gmail copies mail sent through its SMTP server to Sent Mail, "
                               "with POP3 and IMAP alike.");
    if (pop3)
      r.provider_notes.push_back("Gmail's POP offers each message once, then marks it "
                                 "\"popped\"; a second POP device would need recent mode "
                                 "(user name recent:NAME).");
  }
  return r;
}

std::string format_recommendation(const ChooserAnswers& a, const Recommendation& r) {
  const char* conn = a.connection == ChooserAnswers::Connection::Always    ? "always on"
                     : a.connection == ChooserAnswers::Connection::Limited ? "limited"
                                                                           : "rare";
  std::string out = "Customer: " + std::to_string(a.devices) + " device(s), connection " + conn +
                    ", offline reading " + (a.offline_reading ? "needed" : "not needed") +
                    ", server storage " + (a.server_storage_limited ? "limited" : "plenty") +
                    ", provider " + provider_name(a.provider) + "\n\nRecommendation: " +
                    r.protocol +
                    (r.protocol != r.mail_protocol ? " account (else " + r.mail_protocol + ")"
                                                   : std::string()) +
                    "\n";
  for (const auto& n : r.provider_notes) out += "  " + n + "\n";
  out += "\nWhy, row by row of the table:\n";
  for (const ChooserReason& x : r.why)
    out += "  - " + x.row + ": " + x.text + (x.lesson.empty() ? "" : " [lesson " + x.lesson + "]") +
           "\n";
  out += "\nSettings:\n";
  for (const auto& x : r.settings) out += "  - " + x + "\n";
  out += "\nShow it: mailscope-cli run " + r.demo_lesson + "   (or mailscope --lesson " +
         r.demo_lesson + ")\n";
  return out;
}

const std::vector<ChooserProfile>& chooser_profiles() {
  using C = ChooserAnswers::Connection;
  using P = ChooserAnswers::Provider;
  static const std::vector<ChooserProfile> profiles = {
      {"Phone and laptop, always online", {2, C::Always, false, false}},
      {"One computer, always online", {1, C::Always, false, false}},
      {"One computer, small mailbox quota", {1, C::Always, false, true}},
      {"One computer on a slow mobile link, reads offline", {1, C::Limited, true, true}},
      {"One laptop, rarely online, reads offline", {1, C::Rare, true, false}},
      {"Phone and laptop, travels, reads offline", {2, C::Rare, true, false}},
      {"Gmail on phone and laptop", {2, C::Always, false, false, P::Gmail}},
      {"Office mailbox on Microsoft 365", {2, C::Always, false, false, P::Microsoft}},
  };
  return profiles;
}

}  // namespace ms
