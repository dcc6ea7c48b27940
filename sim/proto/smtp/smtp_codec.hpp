#pragma once
// SMTP wire helpers shared by the server and client engines:
//   - reply formatting and parsing, RFC 5321 section 4.2 (multi-line replies: "250-" then "250 ")
//   - MAIL FROM / RCPT TO argument parsing, RFC 5321 sections 4.1.1.2, 4.1.1.3 and 4.1.2
//   - dot-stuffing of message data, RFC 5321 section 4.5.2 (transparency)
// Helpers live in ms::smtp so that other protocols' codecs can keep their own short names.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ms::smtp {

// One reply: a three-digit code and its text lines (without the code and separator).
struct Reply {
  int code = 0;
  std::vector<std::string> lines;
  // "250 2.0.0 Ok" or, for several lines, the lines joined with " / " (for events and logs).
  std::string text() const;
  int klass() const { return code / 100; }  // 2, 3, 4 or 5 (RFC 5321 section 4.2.1)
};

// "250-first\r\n250-second\r\n250 last\r\n". An empty text is sent as "334 \r\n" with the
// separating space: RFC 4954 section 4 spells the empty SASL challenge that way.
std::string format_reply(int code, const std::vector<std::string>& lines);
std::string format_reply(int code, std::string_view text);

// Collects reply lines into complete replies (fed one line at a time, terminator stripped).
class ReplyParser {
 public:
  enum Result { Incomplete, Complete, Malformed };
  // A line that is not "ddd", "ddd text" or "ddd-text", or a continuation whose code differs
  // from the first line's, is Malformed (RFC 5321 section 4.2.1 requires the same code).
  // More than `max_lines` lines in one reply is Malformed too, so memory stays bounded.
  Result feed(std::string_view line, Reply& out);
  void reset() { cur_ = Reply{}; }
  static constexpr std::size_t kMaxLines = 256;

 private:
  Reply cur_;
};

// MAIL FROM:<path> / RCPT TO:<path> with ESMTP parameters (RFC 5321 section 4.1.2:
// Reverse-path / Forward-path, Mail-parameters / Rcpt-parameters).
struct PathArg {
  std::string address;  // without the angle brackets; empty for the null reverse-path "<>"
  std::vector<std::pair<std::string, std::string>> params;  // keyword upper-cased, value as sent
};
// `args` is everything after the command verb, e.g. "FROM:<a@b> SIZE=12". `keyword` is "FROM"
// or "TO". Accepts a space after the colon (many clients send one, Postfix tolerates it).
std::optional<PathArg> parse_path_arg(std::string_view args, std::string_view keyword);
// A mailbox we accept: local-part "@" domain, printable ASCII, no spaces or brackets.
bool valid_mailbox(std::string_view address);

// Dot-stuffs a message for DATA (RFC 5321 section 4.5.2) and appends the terminating
// ".\r\n". Bare LF and bare CR line ends are normalised to CRLF (section 2.3.8: only CRLF ends
// a line on the wire), and a final line without a line end gets one.
std::string dot_stuff(std::string_view raw);
// Size for the SIZE parameter: the message as it will be delivered, CRLF-normalised, without
// stuffing dots or the terminating dot (RFC 1870 section 3).
std::size_t wire_size(std::string_view raw);

}  // namespace ms::smtp
