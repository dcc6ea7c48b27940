#include "model/message.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "util/text.hpp"

namespace ms {

namespace {
std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}
}  // namespace

std::string header_value(std::string_view raw, std::string_view name) {
  // Walk header lines up to the empty line that ends the header section (RFC 5322 2.1).
  std::size_t pos = 0;
  std::string value;
  bool capturing = false;
  while (pos < raw.size()) {
    std::size_t eol = raw.find('\n', pos);
    if (eol == std::string_view::npos) eol = raw.size();
    std::string_view line = raw.substr(pos, eol - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = eol + 1;
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') {
      if (capturing) value += " " + trim(line);
      continue;
    }
    if (capturing) return value;
    std::size_t colon = line.find(':');
    if (colon != std::string_view::npos && iequals(line.substr(0, colon), name)) {
      capturing = true;
      value = trim(line.substr(colon + 1));
    }
  }
  return capturing ? value : std::string();
}

Body make_body(std::string raw) {
  auto m = std::make_shared<MessageData>();
  m->message_id = header_value(raw, "Message-ID");
  m->subject = header_value(raw, "Subject");
  m->from = header_value(raw, "From");
  m->to = header_value(raw, "To");
  m->raw = std::move(raw);
  return m;
}

std::string rfc5322_date(Tick t) {
  // Epoch 2014-03-03 09:00:00 UTC, a Monday. Civil-from-days keeps it exact for any tick.
  long long secs = t / 1'000'000 + 9 * 3600;
  long long days = secs / 86400 + 16132;  // days from 1970-01-01 to 2014-03-03
  long long rem = secs % 86400;
  static const char* wd[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  static const char* mo[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const char* weekday = wd[days % 7];
  long long z = days + 719468, era = z / 146097, doe = z - era * 146097;
  long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
  long long m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %lld %s %lld %02lld:%02lld:%02lld +0000", weekday, d,
                mo[m - 1], y, rem / 3600, rem / 60 % 60, rem % 60);
  return buf;
}

std::string compose_message(std::string_view from, std::string_view to, std::string_view subject,
                            std::string_view message_id, Tick date, std::string_view text) {
  std::string out;
  out += "From: " + std::string(from) + "\r\n";
  out += "To: " + std::string(to) + "\r\n";
  out += "Subject: " + std::string(subject) + "\r\n";
  out += "Date: " + rfc5322_date(date) + "\r\n";
  out += "Message-ID: " + std::string(message_id) + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=utf-8\r\n";
  out += "\r\n";
  // Normalise any bare LF in the text to CRLF: sizes shown to learners are exact octets on
  // the wire (RFC 1939 section 11, RFC 5322 section 2.3).
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
    out += text[i];
  }
  if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
  return out;
}

std::string compose_with_attachment(std::string_view from, std::string_view to,
                                    std::string_view subject, std::string_view message_id,
                                    Tick date, std::string_view text, std::string_view filename,
                                    std::string_view attachment) {
  std::string plain = compose_message(from, to, subject, message_id, date, text);
  std::size_t sep = plain.find("\r\n\r\n");
  std::string head = plain.substr(0, sep + 2), body = plain.substr(sep + 4);
  // Replace the single-part Content-Type with the multipart one.
  std::size_t ct = head.find("Content-Type:");
  head.erase(ct);
  const std::string boundary = "=_mailscope_" + std::string(message_id.substr(1, 8));
  head += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n";
  std::string out = head + "\r\nThis is a multi-part message in MIME format.\r\n";
  out += "--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body;
  out += "--" + boundary + "\r\nContent-Type: application/octet-stream; name=\"" +
         std::string(filename) + "\"\r\nContent-Transfer-Encoding: base64\r\n" +
         "Content-Disposition: attachment; filename=\"" + std::string(filename) + "\"\r\n\r\n";
  std::string b64 = base64_encode(attachment);
  for (std::size_t i = 0; i < b64.size(); i += 76) out += b64.substr(i, 76) + "\r\n";
  out += "--" + boundary + "--\r\n";
  return out;
}

namespace {
struct FlagName {
  Flag f;
  const char* name;
};
constexpr FlagName kFlagNames[] = {{kSeen, "\\Seen"},       {kAnswered, "\\Answered"},
                                   {kFlagged, "\\Flagged"}, {kDeleted, "\\Deleted"},
                                   {kDraft, "\\Draft"},     {kForwarded, "$Forwarded"}};
}  // namespace

std::string flags_to_imap(const Flags& f) {
  std::string out;
  for (const auto& n : kFlagNames)
    if (f.bits & n.f) out += (out.empty() ? "" : " ") + std::string(n.name);
  for (const auto& k : f.keywords) out += (out.empty() ? "" : " ") + k;
  return out;
}

Flags flags_from_imap(std::string_view list) {
  Flags f;
  std::size_t pos = 0;
  while (pos < list.size()) {
    while (pos < list.size() && (list[pos] == ' ' || list[pos] == '(' || list[pos] == ')')) ++pos;
    std::size_t end = pos;
    while (end < list.size() && list[end] != ' ' && list[end] != ')') ++end;
    if (end == pos) break;
    std::string_view tok = list.substr(pos, end - pos);
    pos = end;
    bool known = false;
    for (const auto& n : kFlagNames)
      if (iequals(tok, n.name)) {
        f.bits |= n.f;
        known = true;
      }
    if (!known && tok.front() != '\\') f.keywords.emplace_back(tok);
  }
  std::sort(f.keywords.begin(), f.keywords.end());
  f.keywords.erase(std::unique(f.keywords.begin(), f.keywords.end()), f.keywords.end());
  return f;
}

}  // namespace ms
