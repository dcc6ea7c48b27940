#pragma once
// "Which is right for me?": the support agent's chooser. From a customer's answers about
// devices, connectivity, offline reading and storage it recommends POP3 or IMAP with reasons
// (following the reference article: IMAP unless connectivity is limited and mail must be
// readable at all times without a connection), client settings, and the lesson that shows why.
#include <string>
#include <vector>

namespace ms {

struct ChooserAnswers {
  int devices = 1;                                   // how many devices read this mailbox
  enum class Connection { Always, Limited, Rare } connection = Connection::Always;
  bool offline_reading = false;   // mail must be readable at all times without a connection
  bool server_storage_limited = false;  // a small mailbox quota at the provider
};

struct Recommendation {
  std::string protocol;              // "IMAP" or "POP3"
  std::vector<std::string> reasons;  // why, each tied to a row of the comparison
  std::vector<std::string> settings; // what to set in the mail app
  std::string demo_lesson;           // lesson id that shows the deciding behaviour
};

Recommendation recommend(const ChooserAnswers& a);
// Parses "always"/"limited"/"rare"; false when unknown.
bool parse_connection(const std::string& s, ChooserAnswers::Connection& out);
std::string format_recommendation(const ChooserAnswers& a, const Recommendation& r);

}  // namespace ms
