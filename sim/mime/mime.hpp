#pragma once
// The MIME view an IMAP server gives of a stored message (RFC 3501 sections 6.4.5 and 7.4.2,
// on top of RFC 5322, RFC 2045/2046 and RFC 2183). Every function is a pure function of the
// raw message bytes (CRLF line endings): no state, no cache, safe to call from any thread.
//
// Any byte string is accepted. Garbage, a header with no blank line, an unterminated
// multipart or absurd nesting gives a well-formed answer (parts deeper than kMaxMimeDepth are
// shown as opaque application/octet-stream leaves), never a crash or a hang.
//
// Output follows what Dovecot emits (checked against Dovecot 2.3 offline), so a real client
// sees what it would see from a real server: media type, subtype, parameter names and values
// keep the case they have in the message, defaults are lowercase ("text" "plain"
// ("charset" "us-ascii") ... "7bit"), addresses without a domain get host "MISSING_DOMAIN".
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ms {

// Parts nested deeper than this (multiparts and message/rfc822 inside each other) are not
// parsed further, so that a hostile message cannot exhaust the stack.
inline constexpr int kMaxMimeDepth = 32;
// A multipart shows at most this many parts; the last one runs to the end of the multipart,
// which keeps a BODYSTRUCTURE in proportion to a hostile message.
inline constexpr std::size_t kMaxMimeParts = 1000;

// The ENVELOPE of RFC 3501 section 7.4.2, as IMAP text starting with "(" and ending with ")".
// Header values are raw (RFC 2047 words are not decoded), unfolded; Sender and Reply-To fall
// back to From when absent or empty.
std::string imap_envelope(std::string_view raw);

// BODYSTRUCTURE (extensible = true: with extension data md5, disposition, language, location)
// or BODY (extensible = false) of RFC 3501 section 7.4.2, starting with "(" and ending with ")".
// Octet counts are of the body as stored (CRLF); line counts are the number of line ends in it.
std::string imap_bodystructure(std::string_view raw, bool extensible);

// The bytes of BODY[section] (RFC 3501 section 6.4.5), byte-exact slices of `raw`. `section`
// is what stands between the brackets: "", "HEADER", "TEXT", "HEADER.FIELDS (A B)",
// "HEADER.FIELDS.NOT (A B)", "1", "1.2", "2.HEADER", "2.TEXT", "1.MIME"... (case-insensitive).
// Returns nullopt when the section is malformed or names a part the message does not have;
// the server then answers with an empty string, as common servers do.
std::optional<std::string> imap_body_section(std::string_view raw, std::string_view section);

// One mailbox of an address header (RFC 5322 section 3.4) as the MIME library reads it: the
// comments and folding whitespace of RFC 5322 section 3.2.2 are gone, and the display name is
// RFC 2047-decoded to UTF-8. A group is listed as its name (in `local`, with group_start set,
// as RFC 3501's ENVELOPE writes a group's start: mailbox name = group name) and then its
// members, so SEARCH CC "undisclosed" finds "Cc: undisclosed-recipients:;".
struct MailAddress {
  std::string name;    // display name, "" when there is none
  std::string local;   // local part
  std::string domain;  // "" when the address has no "@domain"
  bool group_start = false;
  // "name <local@domain>", or "local@domain" without a name: the form SEARCH FROM/TO/CC/BCC
  // looks for a substring in (as Dovecot does).
  std::string display() const;
};
// Every mailbox of an address-list field value (unfolded or not). Any byte string is accepted.
std::vector<MailAddress> parse_address_list(std::string_view value);

// An IMAP string for arbitrary bytes: a quoted string when it can be one (backslash before
// any quote or backslash), otherwise a literal "{n}\r\n..." (for CR, LF, NUL or 8-bit bytes).
std::string imap_quote(std::string_view s);
// Like imap_quote, or NIL when there is no value.
std::string imap_nstring(const std::optional<std::string>& s);

}  // namespace ms
