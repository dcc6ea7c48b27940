#pragma once
// Messages: RFC 5322 bytes, immutable and shared by every copy (server folder entries and
// device stores hold the same body), so that "copies" cost only their bookkeeping.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ms {

using Tick = std::int64_t;  // simulated microseconds since the start of a run

struct MessageData {
  std::string raw;         // the RFC 5322 message, CRLF line endings
  std::string message_id;  // Message-ID header value, used to recognise copies of one message
  std::string subject;
  std::string from;
  std::string to;
};
using Body = std::shared_ptr<const MessageData>;

// Parses the header fields the simulator shows from raw bytes (unfolds continuation lines).
Body make_body(std::string raw);
// Builds a minimal valid RFC 5322 message with CRLF line endings.
std::string compose_message(std::string_view from, std::string_view to, std::string_view subject,
                            std::string_view message_id, Tick date, std::string_view text);
// The same with an attachment: multipart/mixed (RFC 2046 section 5.1.3) holding the text and
// `attachment` as a base64 application/octet-stream part named `filename`.
std::string compose_with_attachment(std::string_view from, std::string_view to,
                                    std::string_view subject, std::string_view message_id,
                                    Tick date, std::string_view text, std::string_view filename,
                                    std::string_view attachment);
// RFC 5322 date-time for a simulated instant (the simulation's epoch is 2014-03-03 09:00 UTC,
// the year of the reference article).
std::string rfc5322_date(Tick t);
// The value of one header field (first occurrence, unfolded), or empty.
std::string header_value(std::string_view raw, std::string_view name);

// System flags as a bit set (RFC 3501 section 2.3.2); keywords are kept separately.
enum Flag : std::uint32_t {
  kSeen = 1u << 0,
  kAnswered = 1u << 1,
  kFlagged = 1u << 2,
  kDeleted = 1u << 3,
  kDraft = 1u << 4,
  kForwarded = 1u << 5,  // the $Forwarded keyword (RFC 5550), shown like a system flag
};
struct Flags {
  std::uint32_t bits = 0;
  std::vector<std::string> keywords;  // sorted, unique
  bool has(Flag f) const { return bits & f; }
  bool operator==(const Flags&) const = default;
};
// "\Seen \Flagged $Forwarded" in IMAP syntax (no parentheses).
std::string flags_to_imap(const Flags& f);
// Parses IMAP flag names; unknown backslash flags are ignored, atoms become keywords.
Flags flags_from_imap(std::string_view list);

}  // namespace ms
