#include "lesson/chooser.hpp"

namespace ms {

bool parse_connection(const std::string& s, ChooserAnswers::Connection& out) {
  if (s == "always") out = ChooserAnswers::Connection::Always;
  else if (s == "limited") out = ChooserAnswers::Connection::Limited;
  else if (s == "rare") out = ChooserAnswers::Connection::Rare;
  else return false;
  return true;
}

Recommendation recommend(const ChooserAnswers& a) {
  Recommendation r;
  bool poor_link = a.connection != ChooserAnswers::Connection::Always;
  // The article's rule: IMAP, unless connectivity is limited and mail must be readable at
  // all times without a connection.
  bool pop3 = poor_link && a.offline_reading;
  if (pop3 && a.devices > 1) {
    // POP3 on several devices means duplicates and unshared state; a caching IMAP client
    // gives offline reading without that cost.
    pop3 = false;
    r.reasons.push_back("Several devices read this mailbox: with POP3 each would download its own "
                        "copy and read/deleted state would never be shared (synchronisation). "
                        "A caching IMAP client also reads offline.");
  }
  if (pop3) {
    r.protocol = "POP3";
    r.reasons.push_back("The connection is " + std::string(a.connection == ChooserAnswers::Connection::Rare ? "rare" : "limited") +
                        " and mail must be readable without it: POP3 keeps mail on the computer "
                        "(mail storage, access without Internet).");
    r.reasons.push_back("Only one device reads the mail, so nothing needs synchronising.");
    r.reasons.push_back("Drawback: if that computer is lost the mail is gone (disaster recovery); "
                        "back it up.");
    r.settings.push_back("Download headers first on slow links (TOP), bodies on demand.");
    r.settings.push_back(a.server_storage_limited
                             ? "Delete from server after download: the mailbox quota stays free."
                             : "Leave a copy on the server for 14 days, as a safety net.");
    r.demo_lesson = a.connection == ChooserAnswers::Connection::Rare ? "offline-access"
                                                                     : "limited-connectivity";
    return r;
  }
  r.protocol = "IMAP";
  if (a.devices > 1)
    r.reasons.push_back("Mail, read state, sent and deleted mail stay the same on all " +
                        std::to_string(a.devices) + " devices (synchronisation, sent mail).");
  r.reasons.push_back("Mail stays on the server, which the provider backs up: a lost or new "
                      "device loses nothing (mail storage, disaster recovery).");
  if (poor_link)
    r.reasons.push_back("With a limited connection, choose a client that caches mail for "
                        "offline reading and queues changes until it reconnects.");
  if (a.offline_reading && !poor_link)
    r.reasons.push_back("Offline reading: keep the client's offline cache on.");
  r.settings.push_back("Move deleted messages to Trash; empty Trash regularly.");
  r.settings.push_back("Store sent messages on the server (Sent folder).");
  r.settings.push_back(poor_link ? "Keep messages on this computer (offline cache); download "
                                   "headers first."
                                 : "Allow immediate server notifications (IDLE) for push.");
  if (a.server_storage_limited)
    r.reasons.push_back("The mailbox quota is small: mail counts against it until Trash is "
                        "emptied (deleted mail) — archive or delete old mail.");
  r.demo_lesson = a.devices > 1 ? "synchronisation"
                  : a.server_storage_limited ? "deleted-mail"
                                             : "disaster-recovery";
  return r;
}

std::string format_recommendation(const ChooserAnswers& a, const Recommendation& r) {
  const char* conn = a.connection == ChooserAnswers::Connection::Always    ? "always on"
                     : a.connection == ChooserAnswers::Connection::Limited ? "limited"
                                                                           : "rare";
  std::string out = "Customer: " + std::to_string(a.devices) + " device(s), connection " + conn +
                    ", offline reading " + (a.offline_reading ? "needed" : "not needed") +
                    ", server storage " + (a.server_storage_limited ? "limited" : "plenty") +
                    "\n\nRecommendation: " + r.protocol + "\n\nWhy:\n";
  for (const auto& x : r.reasons) out += "  - " + x + "\n";
  out += "\nSettings:\n";
  for (const auto& x : r.settings) out += "  - " + x + "\n";
  out += "\nShow it: mailscope-cli run " + r.demo_lesson + "   (or mailscope --lesson " +
         r.demo_lesson + ")\n";
  return out;
}

}  // namespace ms
