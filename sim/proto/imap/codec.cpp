// IMAP4rev1 codec core: tokens (RFC 3501 section 4), the line+literal fragmentizer (RFC 3501
// 4.3 and 7.5, RFC 7888 LITERAL+), and the command line parser (RFC 3501 section 9 "command").
#include <algorithm>
#include <limits>

#include "proto/imap/codec.hpp"
#include "proto/imap/detail.hpp"

namespace ms::imap {

// ---------------------------------------------------------------------------------------------
// Character classes (RFC 3501 section 9)
// ---------------------------------------------------------------------------------------------

namespace detail {

bool is_ctl(unsigned char c) { return c < 0x20 || c == 0x7f; }

bool is_atom_char(unsigned char c) {
  if (c >= 0x80 || is_ctl(c)) return false;
  switch (c) {
    case '(': case ')': case '{': case ' ': case '%': case '*': case '"': case '\\': case ']':
      return false;
    default:
      return true;
  }
}

bool is_astring_char(unsigned char c) { return is_atom_char(c) || c == ']'; }

bool is_tag_char(unsigned char c) { return is_astring_char(c) && c != '+'; }

bool is_text_char(unsigned char c) { return c != 0 && c != '\r' && c != '\n' && c < 0x80; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    unsigned char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x -= 32;
    if (y >= 'a' && y <= 'z') y -= 32;
    if (x != y) return false;
  }
  return true;
}

bool parse_u64(std::string_view s, std::uint64_t max, std::uint64_t& out) {
  if (s.empty() || s.size() > 20) return false;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    unsigned d = static_cast<unsigned>(c - '0');
    if (v > (max - d) / 10) return false;
    v = v * 10 + d;
  }
  out = v;
  return true;
}

std::string leading_tag(std::string_view unit) {
  std::size_t i = 0;
  while (i < unit.size() && is_tag_char(static_cast<unsigned char>(unit[i]))) ++i;
  if (i == 0 || i >= unit.size() || unit[i] != ' ') return {};
  return std::string(unit.substr(0, i));
}

}  // namespace detail

using namespace detail;

std::string to_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Token
// ---------------------------------------------------------------------------------------------

bool Token::is_atom(std::string_view upper_keyword) const {
  return (kind == Kind::Atom || kind == Kind::Nil) && iequals(text, upper_keyword);
}

std::optional<std::string> Token::astring() const {
  if (kind == Kind::List) return std::nullopt;
  if (kind == Kind::Atom) {
    for (char c : text)
      if (!is_astring_char(static_cast<unsigned char>(c))) return std::nullopt;
  }
  return text;
}

std::optional<std::string> Token::list_mailbox() const {
  if (kind == Kind::List) return std::nullopt;
  if (kind == Kind::Atom) {
    for (char c : text)
      if (!is_astring_char(static_cast<unsigned char>(c)) && c != '%' && c != '*')
        return std::nullopt;
  }
  return text;
}

std::optional<std::uint32_t> Token::number() const {
  std::uint64_t v;
  if (kind != Kind::Atom || !parse_u64(text, std::numeric_limits<std::uint32_t>::max(), v))
    return std::nullopt;
  return static_cast<std::uint32_t>(v);
}

std::optional<std::uint64_t> Token::number64() const {
  std::uint64_t v;
  if (kind != Kind::Atom || !parse_u64(text, std::numeric_limits<std::int64_t>::max(), v))
    return std::nullopt;
  return v;
}

std::string Token::upper() const { return kind == Kind::Atom ? to_upper(text) : std::string(); }

// ---------------------------------------------------------------------------------------------
// Tokenizer
// ---------------------------------------------------------------------------------------------

namespace {

constexpr int kMaxDepth = 64;  // nested parentheses; deeper input is rejected, not recursed

class Tokenizer {
 public:
  explicit Tokenizer(std::string_view s) : s_(s) {}

  Parsed<std::vector<Token>> run() {
    std::vector<Token> out;
    if (!items(out, 0)) return Parsed<std::vector<Token>>::fail(err_);
    return Parsed<std::vector<Token>>::ok(std::move(out));
  }

 private:
  bool fail(std::string why) {
    if (err_.empty()) err_ = std::move(why);
    return false;
  }
  bool at_end() const { return i_ >= s_.size(); }
  unsigned char peek() const { return static_cast<unsigned char>(s_[i_]); }

  // Space-separated elements up to the end (depth 0) or the closing ")" (inside a list).
  bool items(std::vector<Token>& out, int depth) {
    if (depth > kMaxDepth) return fail("parentheses nested too deeply");
    bool first = true;
    for (;;) {
      if (at_end()) return depth == 0 ? true : fail("missing ')'");
      if (peek() == ')') {
        if (depth == 0) return fail("unexpected ')'");
        if (!first && s_[i_ - 1] == ' ') return fail("unexpected space before ')'");
        ++i_;
        return true;
      }
      if (!first) {
        if (peek() != ' ') return fail("expected a space between arguments");
        ++i_;
        if (at_end() || peek() == ' ' || peek() == ')')
          return fail("unexpected space");
      }
      first = false;
      Token t;
      if (!token(t, depth)) return false;
      out.push_back(std::move(t));
    }
  }

  bool token(Token& t, int depth) {
    unsigned char c = peek();
    if (c == '"') return quoted(t);
    if (c == '{') return literal(t);
    if (c == '(') {
      ++i_;
      t.kind = Token::Kind::List;
      return items(t.items, depth + 1);
    }
    return atom(t);
  }

  bool quoted(Token& t) {
    ++i_;
    t.kind = Token::Kind::Quoted;
    while (!at_end()) {
      unsigned char c = peek();
      ++i_;
      if (c == '"') return true;
      if (c == '\\') {
        if (at_end()) break;
        char e = s_[i_++];
        if (e != '"' && e != '\\') return fail("bad escape in quoted string");
        t.text += e;
        continue;
      }
      // 8-bit octets are tolerated (clients send UTF-8 this way); CR, LF and NUL never are.
      if (c == 0 || c == '\r' || c == '\n') return fail("invalid character in quoted string");
      t.text += static_cast<char>(c);
    }
    return fail("unterminated quoted string");
  }

  bool literal(Token& t) {
    std::size_t close = s_.find('}', i_);
    if (close == std::string_view::npos) return fail("bad literal");
    std::string_view count = s_.substr(i_ + 1, close - i_ - 1);
    bool plus = !count.empty() && count.back() == '+';
    if (plus) count.remove_suffix(1);
    std::uint64_t n;
    if (!parse_u64(count, std::numeric_limits<std::uint32_t>::max(), n))
      return fail("bad literal count");
    i_ = close + 1;
    if (s_.substr(i_, 2) == "\r\n") {
      i_ += 2;
    } else if (s_.substr(i_, 1) == "\n") {
      i_ += 1;
    } else {
      return fail("literal header not followed by CRLF");
    }
    if (s_.size() - i_ < n) return fail("literal shorter than announced");
    t.kind = Token::Kind::Literal;
    t.non_sync = plus;
    t.text.assign(s_.substr(i_, n));
    i_ += n;
    return true;
  }

  static bool opens_section(std::string_view head) {
    for (std::string_view name : {"BODY", "BODY.PEEK", "BINARY", "BINARY.PEEK", "BINARY.SIZE"})
      if (iequals(head, name)) return true;
    return false;
  }

  // An atom, with a bracketed section kept whole (see Token): "BODY[HEADER.FIELDS (A)]<0.9>".
  bool atom(Token& t) {
    std::size_t start = i_;
    int brackets = 0;
    while (!at_end()) {
      unsigned char c = peek();
      if (brackets > 0) {
        if (c == '"') {  // a quoted header field name inside a section
          Token ignored;
          if (!quoted(ignored)) return false;
          continue;
        }
        if (is_ctl(c) || c >= 0x80) return fail("invalid character in section");
        if (c == '[') ++brackets;
        if (c == ']') --brackets;
        ++i_;
        continue;
      }
      if (c == ' ' || c == '(' || c == ')') break;
      // Only a fetch attribute opens a section whose brackets may hold spaces and
      // parentheses (RFC 3501 section 9: section, "BODY" section, "BODY.PEEK" section,
      // RFC 3516 BINARY). Anywhere else "[" is an ATOM-CHAR and "]" an ASTRING-CHAR, so a
      // mailbox named a[b} or a flag $x[1] is a plain atom.
      if (c == '[' && opens_section(s_.substr(start, i_ - start))) {
        ++brackets;
        ++i_;
        continue;
      }
      if (c == '{' || c == '"') return fail("unexpected character in atom");
      if (is_ctl(c) || c >= 0x80)
        return fail(c == 0 ? "NUL octet in command" : "invalid character in atom");
      ++i_;
    }
    if (brackets > 0) return fail("missing ']'");
    if (i_ == start) return fail("empty argument");
    t.text.assign(s_.substr(start, i_ - start));
    t.kind = iequals(t.text, "NIL") ? Token::Kind::Nil : Token::Kind::Atom;
    return true;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  std::string err_;
};

std::string_view strip_eol(std::string_view raw) {
  if (!raw.empty() && raw.back() == '\n') raw.remove_suffix(1);
  if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
  return raw;
}

}  // namespace

Parsed<std::vector<Token>> tokenize(std::string_view text) { return Tokenizer(text).run(); }

// ---------------------------------------------------------------------------------------------
// Command line (RFC 3501 section 9: command = tag SP (command-any / ...) CRLF)
// ---------------------------------------------------------------------------------------------

CommandParse parse_command(std::string_view raw) {
  CommandParse r;
  std::string_view s = strip_eol(raw);
  if (s.empty()) {
    r.error = "empty command line";
    return r;
  }
  std::size_t i = 0;
  while (i < s.size() && is_tag_char(static_cast<unsigned char>(s[i]))) ++i;
  if (i == 0 || (i < s.size() && s[i] != ' ')) {
    r.error = "missing or invalid tag";
    return r;
  }
  r.tag.assign(s.substr(0, i));
  if (i == s.size() || i + 1 == s.size()) {
    r.error = "missing command name";
    return r;
  }
  ++i;
  auto word = [&](std::string& out) {
    std::size_t b = i;
    while (i < s.size() && is_atom_char(static_cast<unsigned char>(s[i]))) ++i;
    out = to_upper(s.substr(b, i - b));
    return i > b && (i == s.size() || s[i] == ' ');
  };
  Command c;
  c.tag = r.tag;
  if (!word(c.name)) {
    r.error = "invalid command name";
    return r;
  }
  if (c.name == "UID") {
    std::string sub;
    if (i == s.size() || (++i, !word(sub))) {
      r.error = "UID needs a command";
      return r;
    }
    c.name += " " + sub;
  }
  if (i < s.size()) {
    if (i + 1 == s.size() || s[i + 1] == ' ') {
      r.error = "unexpected space";
      return r;
    }
    auto toks = tokenize(s.substr(i + 1));
    if (!toks) {
      r.error = toks.error;
      return r;
    }
    c.args = std::move(*toks);
  }
  r.command = std::move(c);
  return r;
}

// ---------------------------------------------------------------------------------------------
// Fragmentizer
// ---------------------------------------------------------------------------------------------

namespace {

// Does the line (without CRLF) end with a literal announcement "{n}" / "{n+}" outside any
// quoted string? n is saturated to UINT64_MAX when it does not fit, so it fails the limit.
bool literal_at_end(std::string_view line, std::uint64_t& n, bool& plus) {
  if (line.empty() || line.back() != '}') return false;
  bool in_quote = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (in_quote && c == '\\') {
      ++i;
    } else if (c == '"') {
      in_quote = !in_quote;
    }
  }
  if (in_quote) return false;
  std::size_t open = line.rfind('{');
  if (open == std::string_view::npos) return false;
  std::string_view count = line.substr(open + 1, line.size() - open - 2);
  plus = !count.empty() && count.back() == '+';
  if (plus) count.remove_suffix(1);
  if (count.empty()) return false;
  for (char c : count)
    if (c < '0' || c > '9') return false;
  if (!parse_u64(count, std::numeric_limits<std::uint64_t>::max(), n))
    n = std::numeric_limits<std::uint64_t>::max();
  return true;
}

}  // namespace

void Fragmentizer::compact() {
  if (pos_ > 0 && (pos_ == buf_.size() || pos_ > 4096)) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
}

Fragmentizer::Unit Fragmentizer::reject(std::string code, std::string text) {
  Unit u;
  u.kind = Unit::Kind::Error;
  u.tag = leading_tag(unit_);
  u.code = std::move(code);
  u.text = std::move(text);
  unit_.clear();
  literals_ = 0;
  return u;
}

Fragmentizer::Unit Fragmentizer::next() {
  for (;;) {
    std::size_t avail = buf_.size() - pos_;
    if (skip_ > 0) {  // a rejected literal's octets: counted and dropped, never stored
      std::uint64_t n = std::min<std::uint64_t>(skip_, avail);
      pos_ += static_cast<std::size_t>(n);
      skip_ -= n;
      compact();
      if (skip_ > 0) return {};
      continue;  // discard_ is still set: the rest of the rejected command follows
    }
    if (skip_line_) {
      std::size_t nl = buf_.find('\n', pos_);
      if (nl == std::string::npos) {
        pos_ = buf_.size();
        compact();
        return {};
      }
      pos_ = nl + 1;
      skip_line_ = false;
      scanned_ = 0;
      continue;
    }
    if (literal_left_ > 0) {
      std::uint64_t n = std::min<std::uint64_t>(literal_left_, avail);
      unit_.append(buf_, pos_, static_cast<std::size_t>(n));
      pos_ += static_cast<std::size_t>(n);
      literal_left_ -= n;
      compact();
      if (literal_left_ > 0) return {};
      continue;
    }
    std::size_t nl = buf_.find('\n', pos_ + scanned_);
    if (nl == std::string::npos) {
      // Room for the CR of a line exactly max_line long before calling it overlong.
      if (avail > limits_.max_line + 1) {
        unit_.append(buf_, pos_, 64);  // enough to find the tag
        pos_ = buf_.size();
        scanned_ = 0;
        skip_line_ = true;
        compact();
        if (discard_) {  // already answered for this command
          discard_ = false;
          unit_.clear();
          continue;
        }
        return reject("TOOBIG", "line too long");
      }
      scanned_ = avail;
      compact();
      return {};
    }
    std::string_view line(buf_.data() + pos_, nl - pos_);
    std::string_view content = line;
    if (!content.empty() && content.back() == '\r') content.remove_suffix(1);
    scanned_ = 0;
    if (discard_) {
      // The rest of a rejected command: follow its literals by count so that their octets are
      // never mistaken for commands, until a line ends without one.
      pos_ = nl + 1;
      std::uint64_t n = 0;
      bool plus = false;
      if (literal_at_end(content, n, plus) && (side_ == Side::Client || plus)) {
        skip_ = n;
      } else {
        discard_ = false;
      }
      compact();
      continue;
    }
    if (content.size() > limits_.max_line) {
      unit_.append(content.substr(0, 64));
      pos_ = nl + 1;
      compact();
      return reject("TOOBIG", "line too long");
    }
    if (raw_line_ && unit_.empty()) {
      raw_line_ = false;
      Unit u;
      u.kind = Unit::Kind::RawLine;
      u.raw.assign(content);
      pos_ = nl + 1;
      compact();
      return u;
    }
    unit_.append(buf_, pos_, nl + 1 - pos_);
    pos_ = nl + 1;
    std::uint64_t n = 0;
    bool plus = false;
    // A server's "+ text" line is never followed by a literal, whatever its text ends with.
    bool may_have_literal = side_ == Side::Server || unit_.size() != line.size() + 1 ||
                            unit_.front() != '+';
    if (may_have_literal && literal_at_end(content, n, plus)) {
      bool sync = side_ == Side::Server && !plus;
      if (n > limits_.max_literal || ++literals_ > limits_.max_literals ||
          n > limits_.max_unit - std::min<std::uint64_t>(limits_.max_unit, unit_.size())) {
        const char* why = literals_ > limits_.max_literals ? "too many literals"
                          : n > limits_.max_literal        ? "literal too big"
                                                           : "command too big";
        // A synchronising literal is never sent once refused; any other one still arrives and
        // is dropped by count (RFC 7888 section 4 leaves the server that choice).
        if (!sync) {
          skip_ = n;
          discard_ = true;
        }
        compact();
        return reject("TOOBIG", why);
      }
      literal_left_ = n;
      compact();
      if (sync) {
        Unit u;
        u.kind = Unit::Kind::Continuation;
        return u;
      }
      continue;
    }
    Unit u;
    u.kind = Unit::Kind::Complete;
    u.raw = std::move(unit_);
    unit_.clear();
    literals_ = 0;
    compact();
    return u;
  }
}

// ---------------------------------------------------------------------------------------------
// CommandReader
// ---------------------------------------------------------------------------------------------

CommandReader::Event CommandReader::next() {
  Fragmentizer::Unit u = frag_.next();
  Event e;
  switch (u.kind) {
    case Fragmentizer::Unit::Kind::NeedMore:
      break;
    case Fragmentizer::Unit::Kind::Continuation:
      e.kind = Event::Kind::Continuation;
      break;
    case Fragmentizer::Unit::Kind::RawLine:
      e.kind = Event::Kind::RawLine;
      e.raw = std::move(u.raw);
      break;
    case Fragmentizer::Unit::Kind::Complete:
      e.kind = Event::Kind::Command;
      e.parsed = parse_command(u.raw);
      e.raw = std::move(u.raw);
      break;
    case Fragmentizer::Unit::Kind::Error:
      e.kind = Event::Kind::Error;
      e.tag = std::move(u.tag);
      e.code = std::move(u.code);
      e.text = std::move(u.text);
      break;
  }
  return e;
}

}  // namespace ms::imap
