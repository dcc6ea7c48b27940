#include "proto/smtp/smtp_codec.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace ms::smtp {

// ---------------------------------------------------------------------------------------------
// Replies (RFC 5321 section 4.2)

std::string Reply::text() const {
  std::string out = std::to_string(code);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out += i ? " / " : " ";
    out += lines[i];
  }
  return out;
}

std::string format_reply(int code, const std::vector<std::string>& lines) {
  const std::string c = std::to_string(code);
  if (lines.empty()) return c + " \r\n";
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out += c;
    out += i + 1 < lines.size() ? '-' : ' ';
    out += lines[i];
    out += "\r\n";
  }
  return out;
}

std::string format_reply(int code, std::string_view text) {
  return format_reply(code, std::vector<std::string>{std::string(text)});
}

ReplyParser::Result ReplyParser::feed(std::string_view line, Reply& out) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (line.size() < 3 || !digit(line[0]) || !digit(line[1]) || !digit(line[2]) ||
      line[0] < '2' || line[0] > '5') {
    reset();
    return Malformed;
  }
  int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  bool more = false;
  std::string_view text;
  if (line.size() > 3) {
    if (line[3] == '-') {
      more = true;
    } else if (line[3] != ' ') {
      reset();
      return Malformed;
    }
    text = line.substr(4);
  }
  if ((!cur_.lines.empty() && cur_.code != code) || cur_.lines.size() >= kMaxLines) {
    reset();
    return Malformed;
  }
  cur_.code = code;
  cur_.lines.emplace_back(text);
  if (more) return Incomplete;
  out = std::move(cur_);
  reset();
  return Complete;
}

// ---------------------------------------------------------------------------------------------
// MAIL / RCPT arguments (RFC 5321 section 4.1.2)

std::optional<PathArg> parse_path_arg(std::string_view args, std::string_view keyword) {
  if (args.size() < keyword.size() + 1 || !iequals(args.substr(0, keyword.size()), keyword) ||
      args[keyword.size()] != ':')
    return std::nullopt;
  args.remove_prefix(keyword.size() + 1);
  while (!args.empty() && args.front() == ' ') args.remove_prefix(1);
  if (args.empty() || args.front() != '<') return std::nullopt;
  auto close = args.find('>');
  if (close == std::string_view::npos) return std::nullopt;
  PathArg out;
  std::string_view addr = args.substr(1, close - 1);
  // Section 4.1.1.3: a source route ("@relay1,@relay2:user@host") SHOULD be ignored.
  if (!addr.empty() && addr.front() == '@') {
    auto colon = addr.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    addr.remove_prefix(colon + 1);
  }
  out.address = std::string(addr);
  args.remove_prefix(close + 1);
  // esmtp-param = esmtp-keyword ["=" esmtp-value], separated by single spaces (tolerate more).
  while (!args.empty()) {
    if (args.front() != ' ') return std::nullopt;
    while (!args.empty() && args.front() == ' ') args.remove_prefix(1);
    if (args.empty()) break;
    auto end = args.find(' ');
    std::string_view p = args.substr(0, end);
    args.remove_prefix(p.size());
    auto eq = p.find('=');
    std::string_view key = p.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view() : p.substr(eq + 1);
    if (key.empty() || !std::isalnum(static_cast<unsigned char>(key.front()))) return std::nullopt;
    for (char c : key)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return std::nullopt;
    if (eq != std::string_view::npos && value.empty()) return std::nullopt;
    for (char c : value)
      if (c < 33 || c > 126 || c == '=') return std::nullopt;
    out.params.emplace_back(upper(key), std::string(value));
  }
  return out;
}

bool valid_mailbox(std::string_view a) {
  // Section 4.5.3.1.3: a path is at most 256 octets including the brackets.
  if (a.empty() || a.size() > 254) return false;
  // One "@": an unquoted local-part cannot hold another (quoted local-parts are not taken).
  auto at = a.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == a.size()) return false;
  for (char c : a) {
    if (c <= 32 || c >= 127 || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' ||
        c == ';' || c == '\\' || c == '"')
      return false;
  }
  return a.substr(at + 1).find('@') == std::string_view::npos;
}

// ---------------------------------------------------------------------------------------------
// Data transparency (RFC 5321 section 4.5.2)

namespace {
// Calls emit(piece) for the CRLF-normalised message, with a stuffing dot where a line starts
// with '.', when `stuff` is set.
template <typename Emit>
void walk_lines(std::string_view raw, bool stuff, Emit emit) {
  bool line_start = true;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
      emit(std::string_view("\r\n"));
      line_start = true;
      continue;
    }
    if (line_start && c == '.' && stuff) emit(std::string_view("."));
    emit(std::string_view(&raw[i], 1));
    line_start = false;
  }
  if (!line_start) emit(std::string_view("\r\n"));
}
}  // namespace

std::string dot_stuff(std::string_view raw) {
  std::string out;
  out.reserve(raw.size() + raw.size() / 64 + 5);
  walk_lines(raw, true, [&](std::string_view s) { out += s; });
  out += ".\r\n";
  return out;
}

std::size_t wire_size(std::string_view raw) {
  std::size_t n = 0;
  walk_lines(raw, false, [&](std::string_view s) { n += s.size(); });
  return n;
}

}  // namespace ms::smtp
