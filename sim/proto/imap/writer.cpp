// Writers for IMAP wire text (RFC 3501 sections 4.3, 7 and 9): strings, flag lists, sequence
// sets, date-times and status responses. Every writer's output is read back by the parsers in
// this codec to the same value (tests/imap_codec_test.cpp checks the round trip).
#include <algorithm>
#include <cstdio>

#include "proto/imap/codec.hpp"
#include "proto/imap/detail.hpp"

namespace ms::imap {

using namespace detail;

namespace {
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
}

std::string write_quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

std::string write_literal(std::string_view s, bool non_sync) {
  std::string out = "{" + std::to_string(s.size()) + (non_sync ? "+}\r\n" : "}\r\n");
  out.append(s);
  return out;
}

std::string write_string(std::string_view s) {
  // Quoted strings cannot carry CR, LF, NUL or (strictly, RFC 3501 TEXT-CHAR) 8-bit octets.
  bool quotable = std::all_of(s.begin(), s.end(),
                              [](char c) { return is_text_char(static_cast<unsigned char>(c)); });
  // Very long values read better (and parse cheaper) as literals.
  return quotable && s.size() <= 1024 ? write_quoted(s) : write_literal(s);
}

std::string write_astring(std::string_view s) {
  bool atom = !s.empty() && !iequals(s, "NIL") &&
              std::all_of(s.begin(), s.end(), [](char c) {
                return is_astring_char(static_cast<unsigned char>(c)) && c != '[';
              });
  return atom ? std::string(s) : write_string(s);
}

std::string write_nstring(const std::optional<std::string>& s) {
  return s ? write_string(*s) : std::string("NIL");
}

std::string write_mailbox(std::string_view utf8_name) {
  std::string name = normalize_mailbox(utf8_name);
  auto encoded = mutf7_encode(name);
  // Invalid UTF-8 cannot be named in modified UTF-7; send the octets as a literal rather than
  // silently renaming the mailbox (the server will refuse it).
  return write_astring(encoded ? *encoded : name);
}

std::string write_flag_list(const std::vector<std::string>& flags) {
  std::string out = "(";
  for (std::size_t i = 0; i < flags.size(); ++i) {
    if (i) out += ' ';
    out += flags[i];
  }
  out += ')';
  return out;
}

std::string write_sequence_set(std::vector<std::uint32_t> numbers) {
  std::sort(numbers.begin(), numbers.end());
  numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
  numbers.erase(std::remove(numbers.begin(), numbers.end(), 0u), numbers.end());
  std::string out;
  for (std::size_t i = 0; i < numbers.size();) {
    std::size_t j = i;
    while (j + 1 < numbers.size() && numbers[j + 1] == numbers[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(numbers[i]);
    if (j > i) out += ':' + std::to_string(numbers[j]);
    i = j + 1;
  }
  return out;
}

std::string write_date(const Date& d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%d-%s-%04d", d.day, kMonths[(d.month + 11) % 12], d.year);
  return buf;
}

std::string write_date_time(const DateTime& dt) {
  int z = dt.zone_minutes < 0 ? -dt.zone_minutes : dt.zone_minutes;
  char buf[64];
  std::snprintf(buf, sizeof buf, "\"%02d-%s-%04d %02d:%02d:%02d %c%02d%02d\"", dt.date.day,
                kMonths[(dt.date.month + 11) % 12], dt.date.year, dt.hour, dt.minute, dt.second,
                dt.zone_minutes < 0 ? '-' : '+', z / 60, z % 60);
  return buf;
}

namespace {
std::string resp_text(std::string_view code, std::string_view text) {
  std::string out;
  if (!code.empty()) {
    out += '[';
    out.append(code);
    out += "] ";
  }
  out.append(text);
  return out;
}
}  // namespace

std::string tagged(std::string_view tag, std::string_view status, std::string_view code,
                   std::string_view text) {
  std::string out(tag);
  out += ' ';
  out.append(status);
  out += ' ';
  return out + resp_text(code, text) + "\r\n";
}

std::string untagged_status(std::string_view status, std::string_view code,
                            std::string_view text) {
  return "* " + std::string(status) + " " + resp_text(code, text) + "\r\n";
}

std::string untagged(std::string_view data) { return "* " + std::string(data) + "\r\n"; }

std::string continuation(std::string_view text) { return "+ " + std::string(text) + "\r\n"; }

}  // namespace ms::imap
