#pragma once
// "Which is right for me?": the support agent's chooser. From a customer's answers about
// devices, connectivity, offline reading, storage and provider it recommends POP3 or IMAP with
// reasons (following the reference article: IMAP unless connectivity is limited and mail must
// be readable at all times without a connection), client settings that serve the needs that
// led to them, and the lesson that shows why. With Microsoft 365 / Exchange the usual answer
// is neither: the app's Exchange account type.
// One implementation for `mailscope-cli choose` and the GUI's chooser form.
#include <string>
#include <vector>

namespace ms {

struct ChooserAnswers {
  int devices = 1;                                   // how many devices read this mailbox
  enum class Connection { Always, Limited, Rare } connection = Connection::Always;
  bool offline_reading = false;   // mail must be readable at all times without a connection
  bool server_storage_limited = false;  // a small mailbox quota at the provider
  // Whose mailbox: the large providers change the advice (sign-in, Sent, Exchange).
  enum class Provider { Other, Gmail, Microsoft } provider = Provider::Other;
};

// One reason per row of the comparison table, with the lesson whose run proves it.
struct ChooserReason {
  std::string row;     // a table_row_names() entry
  std::string text;    // what the row means for this customer
  std::string lesson;  // the lesson made for that row (table_row_lessons)
};

struct Recommendation {
  std::string protocol;              // "IMAP", "POP3", or "Exchange" (Microsoft 365 / Exchange)
  std::string mail_protocol;         // "IMAP" or "POP3": the choice if the app must use one
  std::vector<std::string> provider_notes;  // what the provider changes, first the sign-in
  std::vector<ChooserReason> why;    // in table row order, the deciding row first
  std::vector<std::string> reasons;  // the texts of `why`, in the same order
  std::vector<std::string> settings; // what to set in the mail app
  std::string demo_lesson;           // lesson id that shows the deciding behaviour
};

Recommendation recommend(const ChooserAnswers& a);
// Parses "always"/"limited"/"rare"; false when unknown.
bool parse_connection(const std::string& s, ChooserAnswers::Connection& out);
bool parse_provider(const std::string& s, ChooserAnswers::Provider& out);
const char* provider_name(ChooserAnswers::Provider p);  // "other", "gmail", "microsoft"
// Parses "DEVICES CONNECTION OFFLINE STORAGE [PROVIDER]", e.g. "2 limited yes plenty gmail"
// (the GUI's --answers); false, with *error saying which word is wrong, when malformed.
bool parse_answers(const std::string& text, ChooserAnswers& out, std::string* error = nullptr);
std::string format_recommendation(const ChooserAnswers& a, const Recommendation& r);

// Customers a support desk meets every day, as the four answers: one click fills the form,
// so that the recommendation and its proving lesson are two clicks from the start screen.
// Together they reach every way recommend() can decide.
struct ChooserProfile {
  std::string label;  // "Phone and laptop, always online"
  ChooserAnswers answers;
};
const std::vector<ChooserProfile>& chooser_profiles();

}  // namespace ms
