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

bool parse_answers(const std::string& text, ChooserAnswers& out, std::string* error) {
  std::istringstream in(text);
  std::string devices, conn, offline, storage, extra;
  in >> devices >> conn >> offline >> storage >> extra;
  auto fail = [&](const std::string& why) {
    if (error) *error = why;
    return false;
  };
  if (storage.empty() || !extra.empty())
    return fail("expected four answers: DEVICES CONNECTION OFFLINE STORAGE");
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
    return "Sent mail is stored on the server (Sent folder), so every device sees what was sent.";
  if (row == "deleted mail")
    return a.server_storage_limited
               ? "The mailbox quota is small: deleted mail moves to Trash on the server and "
                 "counts against it until Trash is emptied (deleted mail)."
               : "Deleting on one device deletes everywhere: it moves to Trash, recoverable "
                 "until Trash is emptied.";
  if (row == "disaster recovery")
    return "Mail stays on the server, which the provider backs up: a lost or new device loses "
           "nothing (mail storage, disaster recovery).";
  // access without Internet
  if (poor_link)
    return "With a limited connection, choose a client that caches mail for offline reading "
           "and queues changes until it reconnects.";
  if (a.offline_reading) return "Offline reading: keep the client's offline cache on.";
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
               ? "Mail is downloaded to this one computer and deleted from the server, so the "
                 "small quota stays free."
               : "Mail is downloaded to this one computer, with a copy left on the server for a "
                 "while.";
  if (row == "synchronisation")
    return "Only one device reads the mail, so nothing needs synchronising.";
  if (row == "sent mail")
    return "Sent mail is kept on the computer that sent it: fine with one device.";
  if (row == "deleted mail")
    return "Deleting on the computer removes its own copy; the server copy goes after download "
           "or when the leave-on-server days run out.";
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
  r.protocol = pop3 ? "POP3" : "IMAP";

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

  if (pop3) {
    r.settings.push_back("Download headers first on slow links (TOP), bodies on demand.");
    r.settings.push_back(a.server_storage_limited
                             ? "Delete from server after download: the mailbox quota stays free."
                             : "Leave a copy on the server for 14 days, as a safety net.");
  } else {
    r.settings.push_back("Move deleted messages to Trash; empty Trash regularly.");
    r.settings.push_back("Store sent messages on the server (Sent folder).");
    r.settings.push_back(poor_link ? "Keep messages on this computer (offline cache); download "
                                     "headers first."
                                   : "Allow immediate server notifications (IDLE) for push.");
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
                    "\n\nRecommendation: " + r.protocol + "\n\nWhy, row by row of the table:\n";
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
  static const std::vector<ChooserProfile> profiles = {
      {"Phone and laptop, always online", {2, C::Always, false, false}},
      {"One computer, always online", {1, C::Always, false, false}},
      {"One computer, small mailbox quota", {1, C::Always, false, true}},
      {"One computer on a slow mobile link, reads offline", {1, C::Limited, true, true}},
      {"One laptop, rarely online, reads offline", {1, C::Rare, true, false}},
      {"Phone and laptop, travels, reads offline", {2, C::Rare, true, false}},
  };
  return profiles;
}

}  // namespace ms
