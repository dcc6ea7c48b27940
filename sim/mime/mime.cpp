// MIME structure of stored messages for the IMAP server.
//   RFC 3501 section 7.4.2 (ENVELOPE, BODY, BODYSTRUCTURE), section 6.4.5 (BODY[section])
//   RFC 5322 section 2.2 (header fields, folding), section 3.4 (address lists, groups)
//   RFC 2045 section 5 (Content-Type and its default), RFC 2046 section 5.1 (multipart
//   boundaries), section 5.2.1 (message/rfc822), RFC 2183 (Content-Disposition),
//   RFC 3066 (Content-Language), RFC 2557 (Content-Location)
//
// [SECTION] Small helpers
// [SECTION] IMAP strings
// [SECTION] Header fields
// [SECTION] Content-Type and Content-Disposition (vmime)
// [SECTION] Part tree
// [SECTION] Addresses and ENVELOPE
// [SECTION] BODY and BODYSTRUCTURE
// [SECTION] BODY[section]
// [SECTION] Address lists for SEARCH (vmime)
//
// Why not let vmime build the whole tree: IMAP sections and sizes must be byte-exact slices of
// the stored message, and vmime's object model normalises what it parses (it lowercases media
// types, decodes RFC 2047 words in display names, which ENVELOPE must keep raw, and fills a
// missing domain with the local host name). So the part tree here is a set of offsets into the
// raw bytes, and vmime parses the structured header values (Content-Type and
// Content-Disposition parameters, with RFC 2231 and RFC 2047 decoding and charset conversion).
//
// Where this deliberately differs from Dovecot 2.3 (checked offline): strings with " or \ are
// quoted with escapes rather than sent as literals; a boundary line must be exactly
// "--boundary" plus padding (Dovecot accepts any line starting with it); the CRLF after an
// inner close delimiter belongs to the outer delimiter (RFC 2046 5.1.1), so it is not counted
// in the enclosing part; an invalid Content-Type means text/plain (RFC 2045 5.2); parameter
// values are RFC 2231-decoded (by vmime); "N.1" of a leaf part is not the part itself.
#include "mime/mime.hpp"
#include "proto/imap/codec.hpp"

#include <vmime/addressList.hpp>
#include <vmime/contentDisposition.hpp>
#include <vmime/headerFieldFactory.hpp>
#include <vmime/mailbox.hpp>
#include <vmime/mailboxGroup.hpp>
#include <vmime/mediaType.hpp>
#include <vmime/parameterizedHeaderField.hpp>
#include <vmime/platform.hpp>
#include <vmime/text.hpp>
#include <vmime/word.hpp>

#include <algorithm>
#include <cstddef>
#include <exception>
#include <memory>
#include <vector>

namespace ms {
namespace {

// [SECTION] Small helpers

bool is_wsp(char c) { return c == ' ' || c == '\t'; }
char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

// Position of the first case-insensitive (ASCII) occurrence of `needle` at or after `from`.
std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from = 0) {
  for (std::size_t i = from; !needle.empty() && i + needle.size() <= hay.size(); ++i)
    if (iequals(hay.substr(i, needle.size()), needle)) return i;
  return std::string_view::npos;
}

std::string_view trim(std::string_view s) {
  auto ws = [](char c) { return is_wsp(c) || c == '\r' || c == '\n'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return s;
}

// Line ends in a body: the "lines" of RFC 3501 body-fld-lines. A last line without a line end
// is not counted, as in Dovecot.
std::size_t count_lines(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (c == '\n');
  return n;
}

}  // namespace

// [SECTION] IMAP strings

std::string imap_quote(std::string_view s) {
  // RFC 3501 section 9: quoted = DQUOTE *QUOTED-CHAR DQUOTE, where QUOTED-CHAR is any 7-bit
  // TEXT-CHAR (no NUL, CR, LF) with " and \ escaped. Anything else needs a literal.
  bool quotable = true;
  for (unsigned char c : s)
    if (c == 0 || c == '\r' || c == '\n' || c >= 0x80) quotable = false;
  // Unlike imap::write_string, long values stay quoted: ENVELOPE fields read better that way.
  return quotable ? imap::write_quoted(s) : imap::write_literal(s);
}

std::string imap_nstring(const std::optional<std::string>& s) {
  return s ? imap_quote(*s) : std::string("NIL");
}

namespace {

// [SECTION] Header fields

struct Field {
  std::string_view name;  // as written, trailing whitespace removed; empty for a line without ':'
  std::string_view raw;   // the whole field: first line, continuation lines, their line ends
};

// The value after the colon, unfolded (RFC 5322 section 2.2.3: CRLF removed, the whitespace
// kept), leading whitespace removed. Trailing whitespace stays: RFC 3501 wants raw values.
std::string field_value(const Field& f) {
  std::string_view r = f.raw;
  std::size_t colon = r.find(':');
  r = colon == std::string_view::npos ? std::string_view() : r.substr(colon + 1);
  std::string out;
  out.reserve(r.size());
  for (char c : r)
    if (c != '\r' && c != '\n') out += c;
  std::size_t i = 0;
  while (i < out.size() && is_wsp(out[i])) ++i;
  return out.substr(i);
}

std::vector<Field> split_fields(std::string_view header) {
  std::vector<Field> fields;
  std::size_t pos = 0;
  while (pos < header.size()) {
    std::size_t nl = header.find('\n', pos);
    std::size_t next = nl == std::string_view::npos ? header.size() : nl + 1;
    std::string_view line = header.substr(pos, next - pos);
    if (is_wsp(line[0]) && !fields.empty()) {
      // Continuation line: the field's raw view grows over it (the views are contiguous).
      Field& f = fields.back();
      f.raw = std::string_view(f.raw.data(), f.raw.size() + line.size());
    } else {
      Field f;
      f.raw = line;
      std::size_t colon = line.find(':');
      std::size_t eol = line.find_first_of("\r\n");
      if (colon != std::string_view::npos && (eol == std::string_view::npos || colon < eol)) {
        std::string_view name = line.substr(0, colon);
        while (!name.empty() && is_wsp(name.back())) name.remove_suffix(1);
        f.name = name;
      }
      fields.push_back(f);
    }
    pos = next;
  }
  return fields;
}

const Field* find_field(const std::vector<Field>& fields, std::string_view name) {
  for (const Field& f : fields)
    if (!f.name.empty() && iequals(f.name, name)) return &f;
  return nullptr;
}

std::optional<std::string> header_field(const std::vector<Field>& fields, std::string_view name) {
  const Field* f = find_field(fields, name);
  if (!f) return std::nullopt;
  return field_value(*f);
}

// [SECTION] Content-Type and Content-Disposition (vmime)

using Params = std::vector<std::pair<std::string, std::string>>;

// vmime lowercases the media type, subtype and disposition it parses; Dovecot (and so this
// module) shows them as the message spells them. `lowered` is what vmime found in `value`, so
// the first case-insensitive occurrence at or after `from` is the spelling in the message.
std::string as_written(std::string_view value, const std::string& lowered, std::size_t from = 0) {
  const std::size_t at = ifind(value, lowered, from);
  return at == std::string_view::npos ? lowered : std::string(value.substr(at, lowered.size()));
}

// Text as UTF-8: vmime has decoded RFC 2231 (continuations, charset and language) and RFC 2047
// words; text in a charset the converter does not know stays as is.
std::string utf8(const vmime::text& t) {
  try {
    return t.getConvertedText(vmime::charset(vmime::charsets::UTF_8));
  } catch (const std::exception&) {
    return t.getWholeBuffer();
  }
}
std::string utf8(const vmime::word& w) { return utf8(vmime::text(w)); }

// vmime's parser for a structured MIME header field: the value of `name` with its parameters,
// or null when vmime does not make a parameterized field of it.
std::shared_ptr<vmime::parameterizedHeaderField> parse_field(const char* name,
                                                              const std::string& value) {
  try {
    return vmime::dynamicCast<vmime::parameterizedHeaderField>(
        vmime::headerFieldFactory::getInstance()->create(name, value));
  } catch (const std::exception&) {
    return nullptr;
  }
}

Params copy_params(const vmime::parameterizedHeaderField& field) {
  Params out;
  for (const auto& p : field.getParameterList())
    out.emplace_back(p->getName(), utf8(p->getValue()));
  return out;
}

std::string param(const Params& params, std::string_view name) {
  for (const auto& [k, v] : params)
    if (iequals(k, name)) return v;
  return {};
}

struct MediaType {
  std::string type, subtype;
  Params params;
};

// RFC 2045 section 5.2: a missing or syntactically invalid Content-Type means
// text/plain; charset=us-ascii (message/rfc822 inside multipart/digest, RFC 2046 5.1.5).
MediaType default_media_type(bool digest) {
  if (digest) return {"message", "rfc822", {}};
  return {"text", "plain", {{"charset", "us-ascii"}}};
}

// vmime makes "garbage" into garbage/octet-stream, which must not pass for a real media type:
// only values shaped like "type/subtype" are handed to it.
bool looks_like_media_type(std::string_view v) {
  std::size_t slash = v.find('/');
  if (slash == std::string_view::npos) return false;
  std::string_view type = trim(v.substr(0, slash));
  std::string_view rest = trim(v.substr(slash + 1));
  return !type.empty() && !rest.empty() && rest[0] != ';';
}

MediaType parse_content_type(const std::optional<std::string>& value, bool digest) {
  if (!value || !looks_like_media_type(*value)) return default_media_type(digest);
  auto field = parse_field(vmime::fields::CONTENT_TYPE, *value);
  if (!field) return default_media_type(digest);
  auto media = field->getValue<vmime::mediaType>();
  if (!media || media->getType().empty() || media->getSubType().empty())
    return default_media_type(digest);
  MediaType m;
  m.type = as_written(*value, media->getType());
  m.subtype = as_written(*value, media->getSubType(), value->find('/') + 1);
  m.params = copy_params(*field);
  // Dovecot (and RFC 2045's default) names the charset of text even when the message does not.
  if (iequals(m.type, "text") &&
      std::none_of(m.params.begin(), m.params.end(),
                   [](const auto& p) { return iequals(p.first, "charset"); }))
    m.params.emplace_back("charset", "us-ascii");
  return m;
}

struct Disposition {
  std::string type;
  Params params;
};

std::optional<Disposition> parse_disposition(const std::optional<std::string>& value) {
  if (!value) return std::nullopt;
  auto field = parse_field(vmime::fields::CONTENT_DISPOSITION, *value);
  if (!field) return std::nullopt;
  auto d = field->getValue<vmime::contentDisposition>();
  if (!d || d->getName().empty()) return std::nullopt;
  return Disposition{as_written(*value, d->getName()), copy_params(*field)};
}

// [SECTION] Part tree

// One MIME entity as offsets into the raw message. For a multipart, `kids` are its body
// parts; for a message/rfc822 part, kids[0] is the encapsulated message (whose own header is
// the RFC 5322 header of that message).
struct Part {
  std::size_t begin = 0;        // first header byte
  std::size_t header_end = 0;   // after the blank line (== body_begin)
  std::size_t body_begin = 0;
  std::size_t end = 0;          // one past the last body byte
  bool has_blank_line = false;  // the header ended with a blank line (not with the data)
  std::vector<Field> fields;
  MediaType media;
  bool multipart = false;
  bool rfc822 = false;
  std::vector<Part> kids;
};

// A line "--boundary" with optional transport padding (RFC 2046 section 5.1.1); sets `close`
// for "--boundary--". Prefix matches ("--boundaryX") are not boundaries, so that nested
// multiparts with boundaries sharing a prefix still parse.
bool is_boundary_line(std::string_view line, std::string_view boundary, bool& close) {
  if (line.size() < boundary.size() + 2 || line[0] != '-' || line[1] != '-') return false;
  if (line.substr(2, boundary.size()) != boundary) return false;
  std::string_view rest = line.substr(2 + boundary.size());
  close = rest.size() >= 2 && rest[0] == '-' && rest[1] == '-';
  if (close) rest.remove_prefix(2);
  for (char c : rest)
    if (!is_wsp(c) && c != '\r' && c != '\n') return false;
  return true;
}

Part parse_part(std::string_view raw, std::size_t begin, std::size_t end, int depth, bool digest);

// Splits a multipart body into its parts. The CRLF before a boundary belongs to the boundary
// (RFC 2046 section 5.1.1), so it is not part of the preceding body part. A multipart
// without a close delimiter ends at the end of its enclosing body.
void parse_multipart(std::string_view raw, Part& p, int depth) {
  const std::string boundary = param(p.media.params, "boundary");
  const bool digest = iequals(p.media.subtype, "digest");
  std::size_t part_begin = std::string_view::npos;  // npos: still in the preamble
  std::size_t pos = p.body_begin;
  bool closed = false;
  while (!boundary.empty() && pos < p.end && !closed && p.kids.size() + 1 < kMaxMimeParts) {
    std::size_t nl = raw.find('\n', pos);
    std::size_t next = (nl == std::string_view::npos || nl >= p.end) ? p.end : nl + 1;
    bool close = false;
    if (is_boundary_line(raw.substr(pos, next - pos), boundary, close)) {
      if (part_begin != std::string_view::npos) {
        std::size_t part_end = pos;
        if (part_end > part_begin && raw[part_end - 1] == '\n') --part_end;
        if (part_end > part_begin && raw[part_end - 1] == '\r') --part_end;
        p.kids.push_back(parse_part(raw, part_begin, part_end, depth + 1, digest));
      }
      part_begin = next;
      closed = close;
    }
    pos = next;
  }
  if (!closed && part_begin != std::string_view::npos)
    p.kids.push_back(parse_part(raw, part_begin, p.end, depth + 1, digest));
  if (p.kids.empty()) {
    // body-type-mpart needs at least one body: show an empty text/plain, as Dovecot does.
    Part empty;
    empty.begin = empty.header_end = empty.body_begin = empty.end = p.end;
    empty.media = default_media_type(false);
    p.kids.push_back(std::move(empty));
  }
}

Part parse_part(std::string_view raw, std::size_t begin, std::size_t end, int depth,
                bool digest) {
  Part p;
  p.begin = begin;
  p.end = end;
  // The header ends at the first empty line; without one, everything is header.
  std::size_t pos = begin;
  p.header_end = end;
  while (pos < end) {
    std::size_t nl = raw.find('\n', pos);
    if (nl == std::string_view::npos || nl >= end) break;
    std::string_view line = raw.substr(pos, nl - pos);
    if (line.empty() || line == "\r") {
      p.header_end = nl + 1;
      p.has_blank_line = true;
      break;
    }
    pos = nl + 1;
  }
  p.body_begin = p.header_end;
  std::size_t fields_end = p.has_blank_line ? pos : p.header_end;
  p.fields = split_fields(raw.substr(begin, fields_end - begin));
  p.media = parse_content_type(header_field(p.fields, "Content-Type"), digest);

  if (depth >= kMaxMimeDepth) {
    if (iequals(p.media.type, "multipart") || iequals(p.media.type, "message"))
      p.media = {"application", "octet-stream", {}};
    return p;
  }
  if (iequals(p.media.type, "multipart")) {
    p.multipart = true;
    parse_multipart(raw, p, depth);
  } else if (iequals(p.media.type, "message") && iequals(p.media.subtype, "rfc822")) {
    // RFC 2046 section 5.2.1 allows no encoding but 7bit, 8bit or binary here. A message that
    // breaks the rule is still parsed as a message (as Dovecot does), because RFC 3501's
    // grammar gives "MESSAGE" "RFC822" the envelope form and clients expect it.
    p.rfc822 = true;
    p.kids.push_back(parse_part(raw, p.body_begin, p.end, depth + 1, false));
  }
  return p;
}

Part parse_message(std::string_view raw) { return parse_part(raw, 0, raw.size(), 0, false); }

// [SECTION] Addresses and ENVELOPE

struct Address {
  std::optional<std::string> name, adl, mailbox, host;
};

// ENVELOPE needs what vmime's address parser does not keep: display names as written (RFC 2047
// words undecoded), source routes (RFC 5322 4.4 obs-route, the "adl" of RFC 3501), the name
// Dovecot takes from "addr (Comment)", and no domain where the message has none. So ENVELOPE
// reads address lists with the lexer below; SEARCH uses vmime's (parse_address_list).
//
// RFC 5322 section 3.2 lexical tokens of an address list. Comments are kept as tokens because
// "addr@host (Real Name)" gives its name from the comment, as Dovecot does.
struct Token {
  enum Kind { Word, Quoted, DomainLiteral, Special, Comment } kind;
  std::string text;  // unescaped content (Quoted, Comment) or the raw characters
  std::string raw;   // as written
};

std::vector<Token> lex_addresses(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (is_wsp(c) || c == '\r' || c == '\n') {
      ++i;
    } else if (c == '(') {
      // Nested comments with quoted-pairs (RFC 5322 section 3.2.2).
      int level = 0;
      std::string text;
      std::size_t start = i;
      for (; i < s.size(); ++i) {
        char d = s[i];
        if (d == '\\' && i + 1 < s.size()) {
          text += s[++i];
          continue;
        }
        if (d == '(' && level++ == 0) continue;
        if (d == ')' && --level == 0) {
          ++i;
          break;
        }
        text += d;
      }
      out.push_back({Token::Comment, text, std::string(s.substr(start, i - start))});
    } else if (c == '"') {
      std::string text;
      std::size_t start = i++;
      for (; i < s.size(); ++i) {
        char d = s[i];
        if (d == '\\' && i + 1 < s.size()) {
          text += s[++i];
        } else if (d == '"') {
          ++i;
          break;
        } else {
          text += d;
        }
      }
      out.push_back({Token::Quoted, text, std::string(s.substr(start, i - start))});
    } else if (c == '[') {
      std::size_t close = s.find(']', i);
      std::size_t next = close == std::string_view::npos ? s.size() : close + 1;
      std::string raw(s.substr(i, next - i));
      out.push_back({Token::DomainLiteral, raw, raw});
      i = next;
    } else if (c == '<' || c == '>' || c == '@' || c == ',' || c == ';' || c == ':') {
      out.push_back({Token::Special, std::string(1, c), std::string(1, c)});
      ++i;
    } else {
      // An atom; dots are kept inside it so that dot-atoms and obs-phrases stay one word.
      std::size_t start = i;
      while (i < s.size()) {
        char d = s[i];
        if (is_wsp(d) || d == '\r' || d == '\n' || d == '(' || d == '"' || d == '[' ||
            d == '<' || d == '>' || d == '@' || d == ',' || d == ';' || d == ':')
          break;
        ++i;
      }
      std::string raw(s.substr(start, i - start));
      out.push_back({Token::Word, raw, raw});
    }
  }
  return out;
}

bool is_special(const Token& t, char c) { return t.kind == Token::Special && t.text[0] == c; }

// A lenient RFC 5322 section 3.4 address-list parser: it never fails, it makes the best of
// what is there. Groups become the RFC 3501 start (NIL NIL "name" NIL) and end (NIL NIL NIL
// NIL) markers.
std::vector<Address> parse_addresses(std::string_view value) {
  const std::vector<Token> toks = lex_addresses(value);
  std::vector<Address> out;
  bool in_group = false;
  std::size_t i = 0;
  const std::size_t n = toks.size();
  auto domain_or_missing = [](std::string d) {
    return d.empty() ? std::string("MISSING_DOMAIN") : d;
  };
  auto mailbox_or_missing = [](std::string m) {
    return m.empty() ? std::string("MISSING_MAILBOX") : m;
  };
  while (i < n) {
    if (is_special(toks[i], ',') || toks[i].kind == Token::Comment) {
      ++i;
      continue;
    }
    if (is_special(toks[i], ';')) {
      if (in_group) out.push_back({});
      in_group = false;
      ++i;
      continue;
    }
    // A phrase (display name or group name) or the local part of a bare addr-spec.
    std::string phrase, local, comment;
    bool any_word = false;
    while (i < n && !(toks[i].kind == Token::Special && toks[i].text != ">")) {
      const Token& t = toks[i++];
      if (t.kind == Token::Comment) {
        comment = t.text;
      } else if (t.kind != Token::Special) {
        if (!phrase.empty()) phrase += ' ';
        phrase += t.text;
        local += t.raw;
        any_word = true;
      }
    }
    if (i < n && is_special(toks[i], ':') && !in_group) {
      ++i;
      in_group = true;
      out.push_back({std::nullopt, std::nullopt, phrase, std::nullopt});
      continue;
    }
    if (i < n && is_special(toks[i], ':')) {  // a second ':' inside a group: skip it
      ++i;
      continue;
    }
    Address a;
    if (i < n && is_special(toks[i], '<')) {
      ++i;
      std::string adl;
      if (i < n && is_special(toks[i], '@')) {  // obs-route "@a,@b:" (RFC 5322 4.4)
        while (i < n && !is_special(toks[i], ':') && !is_special(toks[i], '>'))
          if (toks[i++].kind != Token::Comment) adl += toks[i - 1].raw;
        if (i < n && is_special(toks[i], ':')) ++i;
      }
      std::string mbox, host;
      while (i < n && !is_special(toks[i], '@') && !is_special(toks[i], '>'))
        if (toks[i++].kind != Token::Comment) mbox += toks[i - 1].raw;
      if (i < n && is_special(toks[i], '@')) {
        ++i;
        while (i < n && !is_special(toks[i], '>') && !is_special(toks[i], ',') &&
               !is_special(toks[i], ';'))
          if (toks[i++].kind != Token::Comment) host += toks[i - 1].raw;
      }
      if (i < n && is_special(toks[i], '>')) ++i;
      if (any_word) a.name = phrase;
      if (!adl.empty()) a.adl = adl;
      a.mailbox = mailbox_or_missing(mbox);
      a.host = domain_or_missing(host);
    } else if (i < n && is_special(toks[i], '@')) {
      ++i;
      std::string host;
      // "addr@host (Real Name)": the comment names the address, as Dovecot shows it.
      while (i < n && toks[i].kind != Token::Special) {
        const Token& t = toks[i++];
        if (t.kind == Token::Comment)
          comment = t.text;
        else
          host += t.raw;
      }
      a.mailbox = mailbox_or_missing(local);
      a.host = domain_or_missing(host);
      if (!comment.empty()) a.name = comment;
    } else {
      if (!any_word) {
        if (i < n) ++i;  // a stray special such as '>'
        continue;
      }
      a.mailbox = local;
      a.host = "MISSING_DOMAIN";
    }
    while (i < n && toks[i].kind == Token::Comment) ++i;
    out.push_back(std::move(a));
  }
  if (in_group) out.push_back({});
  return out;
}

void write_address_list(std::string& out, const std::vector<Address>& list) {
  if (list.empty()) {
    out += "NIL";
    return;
  }
  out += '(';
  for (const Address& a : list) {
    out += '(';
    out += imap_nstring(a.name);
    out += ' ';
    out += imap_nstring(a.adl);
    out += ' ';
    out += imap_nstring(a.mailbox);
    out += ' ';
    out += imap_nstring(a.host);
    out += ')';
  }
  out += ')';
}

std::vector<Address> addresses_of(const std::vector<Field>& fields, std::string_view name) {
  auto v = header_field(fields, name);
  return v ? parse_addresses(*v) : std::vector<Address>{};
}

void write_envelope(std::string& out, const std::vector<Field>& fields) {
  // RFC 3501 section 7.4.2: date, subject, from, sender, reply-to, to, cc, bcc, in-reply-to,
  // message-id.
  out += '(';
  out += imap_nstring(header_field(fields, "Date"));
  out += ' ';
  out += imap_nstring(header_field(fields, "Subject"));
  const auto from = addresses_of(fields, "From");
  auto sender = addresses_of(fields, "Sender");
  auto reply_to = addresses_of(fields, "Reply-To");
  if (sender.empty()) sender = from;
  if (reply_to.empty()) reply_to = from;
  const std::vector<Address>* lists[] = {&from, &sender, &reply_to};
  for (const std::vector<Address>* list : lists) {
    out += ' ';
    write_address_list(out, *list);
  }
  for (std::string_view name : {"To", "Cc", "Bcc"}) {
    out += ' ';
    write_address_list(out, addresses_of(fields, name));
  }
  out += ' ';
  out += imap_nstring(header_field(fields, "In-Reply-To"));
  out += ' ';
  out += imap_nstring(header_field(fields, "Message-ID"));
  out += ')';
}

// [SECTION] BODY and BODYSTRUCTURE

void write_params(std::string& out, const Params& params) {
  if (params.empty()) {
    out += "NIL";
    return;
  }
  out += '(';
  bool first = true;
  for (const auto& [k, v] : params) {
    if (!first) out += ' ';
    first = false;
    out += imap_quote(k);
    out += ' ';
    out += imap_quote(v);
  }
  out += ')';
}

// body-fld-dsp, body-fld-lang and body-fld-loc, shared by single parts and multiparts.
void write_dsp_lang_loc(std::string& out, const Part& p) {
  out += ' ';
  if (auto d = parse_disposition(header_field(p.fields, "Content-Disposition"))) {
    out += '(';
    out += imap_quote(d->type);
    out += ' ';
    write_params(out, d->params);
    out += ')';
  } else {
    out += "NIL";
  }
  out += ' ';
  std::vector<std::string> langs;
  if (auto v = header_field(p.fields, "Content-Language")) {
    std::string_view rest = *v;
    while (!rest.empty()) {
      std::size_t comma = rest.find(',');
      std::string_view tag = trim(rest.substr(0, comma));
      if (!tag.empty()) langs.emplace_back(tag);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  if (langs.empty()) {
    out += "NIL";
  } else {
    out += '(';
    for (std::size_t i = 0; i < langs.size(); ++i) out += (i ? " " : "") + imap_quote(langs[i]);
    out += ')';
  }
  out += ' ';
  auto loc = header_field(p.fields, "Content-Location");
  out += loc ? imap_quote(trim(*loc)) : std::string("NIL");
}

void write_body(std::string& out, std::string_view raw, const Part& p, bool ext) {
  out += '(';
  if (p.multipart) {
    // body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]: the bodies touch.
    for (const Part& kid : p.kids) write_body(out, raw, kid, ext);
    out += ' ';
    out += imap_quote(p.media.subtype);
    if (ext) {
      out += ' ';
      write_params(out, p.media.params);
      write_dsp_lang_loc(out, p);
    }
    out += ')';
    return;
  }
  const std::string_view body = raw.substr(p.body_begin, p.end - p.body_begin);
  out += imap_quote(p.media.type);
  out += ' ';
  out += imap_quote(p.media.subtype);
  out += ' ';
  write_params(out, p.media.params);
  out += ' ';
  auto id = header_field(p.fields, "Content-ID");
  out += id ? imap_quote(trim(*id)) : std::string("NIL");
  out += ' ';
  out += imap_nstring(header_field(p.fields, "Content-Description"));
  out += ' ';
  auto cte = header_field(p.fields, "Content-Transfer-Encoding");
  std::string_view enc = cte ? trim(*cte) : std::string_view();
  out += imap_quote(enc.empty() ? std::string_view("7bit") : enc);
  out += ' ';
  out += std::to_string(body.size());
  if (p.rfc822) {
    out += ' ';
    write_envelope(out, p.kids[0].fields);
    out += ' ';
    write_body(out, raw, p.kids[0], ext);
    out += ' ';
    out += std::to_string(count_lines(body));
  } else if (iequals(p.media.type, "text")) {
    out += ' ';
    out += std::to_string(count_lines(body));
  }
  if (ext) {
    out += ' ';
    auto md5 = header_field(p.fields, "Content-MD5");
    out += md5 ? imap_quote(trim(*md5)) : std::string("NIL");
    write_dsp_lang_loc(out, p);
  }
  out += ')';
}

// [SECTION] BODY[section]

struct Section {
  std::vector<std::size_t> path;
  enum Kind { All, Header, Text, Fields, FieldsNot, Mime } kind = All;
  std::vector<std::string> names;
};

bool consume_word(std::string_view& s, std::string_view word) {
  if (s.size() < word.size() || !iequals(s.substr(0, word.size()), word)) return false;
  s.remove_prefix(word.size());
  return true;
}

// section-spec of RFC 3501 section 9: section-part ["." section-msgtext / "MIME"] or
// section-msgtext; header-list = "(" header-fld-name *(SP header-fld-name) ")".
std::optional<Section> parse_section(std::string_view s) {
  Section sec;
  while (!s.empty() && s[0] >= '0' && s[0] <= '9') {
    std::size_t n = 0, i = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      n = n * 10 + std::size_t(s[i] - '0');
      if (n > 1000000) return std::nullopt;
      ++i;
    }
    if (n == 0) return std::nullopt;  // nz-number
    sec.path.push_back(n);
    s.remove_prefix(i);
    if (s.empty()) return sec;
    if (s[0] != '.') return std::nullopt;
    s.remove_prefix(1);
    if (s.empty()) return std::nullopt;
  }
  if (s.empty()) return sec;
  if (consume_word(s, "HEADER.FIELDS")) {
    sec.kind = consume_word(s, ".NOT") ? Section::FieldsNot : Section::Fields;
    if (!consume_word(s, " (")) return std::nullopt;
    while (true) {
      while (!s.empty() && s[0] == ' ') s.remove_prefix(1);
      if (s.empty()) return std::nullopt;
      if (s[0] == ')') {
        s.remove_prefix(1);
        break;
      }
      std::string name;
      if (s[0] == '"') {
        std::size_t i = 1;
        for (; i < s.size() && s[i] != '"'; ++i) {
          if (s[i] == '\\' && i + 1 < s.size()) ++i;
          name += s[i];
        }
        if (i >= s.size()) return std::nullopt;
        s.remove_prefix(i + 1);
      } else {
        std::size_t i = 0;
        while (i < s.size() && s[i] != ' ' && s[i] != ')' && s[i] != '(') ++i;
        // A "(" where a name should be: without this the loop would add empty names forever.
        if (i == 0) return std::nullopt;
        name = std::string(s.substr(0, i));
        s.remove_prefix(i);
      }
      sec.names.push_back(std::move(name));
    }
    if (!s.empty() || sec.names.empty()) return std::nullopt;
    return sec;
  }
  if (iequals(s, "HEADER")) {
    sec.kind = Section::Header;
  } else if (iequals(s, "TEXT")) {
    sec.kind = Section::Text;
  } else if (iequals(s, "MIME") && !sec.path.empty()) {
    sec.kind = Section::Mime;
  } else {
    return std::nullopt;
  }
  return sec;
}

std::string header_subset(const Part& m, const std::vector<std::string>& names, bool keep) {
  std::string out;
  for (const Field& f : m.fields) {
    bool listed = false;
    for (const auto& n : names) listed = listed || (!f.name.empty() && iequals(f.name, n));
    if (listed == keep) out += f.raw;
  }
  // RFC 3501 6.4.5: the blank line is included in all header fetches, except for a message
  // which has no body and no blank line.
  if (m.has_blank_line) out += "\r\n";
  return out;
}

}  // namespace

std::string imap_envelope(std::string_view raw) {
  const Part root = parse_part(raw, 0, raw.size(), kMaxMimeDepth, false);  // header only
  std::string out;
  write_envelope(out, root.fields);
  return out;
}

std::string imap_bodystructure(std::string_view raw, bool extensible) {
  const Part root = parse_message(raw);
  std::string out;
  write_body(out, raw, root, extensible);
  return out;
}

std::optional<std::string> imap_body_section(std::string_view raw, std::string_view section) {
  const auto sec = parse_section(section);
  if (!sec) return std::nullopt;
  const Part root = parse_message(raw);

  // Walk the part numbers. `at_message` means `cur` is the root of a message (the top one or
  // an encapsulated one), whose parts are its multipart children, or itself as part 1 when it
  // is not a multipart (RFC 3501 6.4.5: a non-multipart message has only a part 1).
  const Part* cur = &root;
  bool at_message = true;
  for (std::size_t n : sec->path) {
    const Part* msg = at_message ? cur : (cur->rfc822 ? &cur->kids[0] : nullptr);
    const std::vector<Part>* kids = nullptr;
    if (msg) {
      if (msg->multipart) {
        kids = &msg->kids;
      } else {
        if (n != 1) return std::nullopt;
        cur = msg;
        at_message = false;
        continue;
      }
    } else if (cur->multipart) {
      kids = &cur->kids;
    } else {
      return std::nullopt;
    }
    if (n > kids->size()) return std::nullopt;
    cur = &(*kids)[n - 1];
    at_message = false;
  }

  auto slice = [&](std::size_t b, std::size_t e) { return std::string(raw.substr(b, e - b)); };
  if (sec->kind == Section::All)
    return sec->path.empty() ? std::string(raw) : slice(cur->body_begin, cur->end);
  if (sec->kind == Section::Mime) return slice(cur->begin, cur->header_end);

  // HEADER, TEXT and HEADER.FIELDS[.NOT] address a message: the top one, or one encapsulated
  // in a message/rfc822 part.
  const Part* m = sec->path.empty() ? &root : (cur->rfc822 ? &cur->kids[0] : nullptr);
  if (!m) return std::nullopt;
  switch (sec->kind) {
    case Section::Header: return slice(m->begin, m->header_end);
    case Section::Text: return slice(m->body_begin, m->end);
    case Section::Fields: return header_subset(*m, sec->names, true);
    case Section::FieldsNot: return header_subset(*m, sec->names, false);
    default: return std::nullopt;
  }
}

// [SECTION] Address lists for SEARCH (vmime)

namespace {

// vmime gives an address written without "@domain" the local host name as its domain (what a
// composer wants); a reader of the message wants no domain. The host name counts as invented
// unless the field spells it after an "@".
bool invented_domain(std::string_view value, const std::string& domain) {
  static const std::string host = [] {
    try {
      return vmime::platform::getHandler()->getHostName();
    } catch (const std::exception&) {
      return std::string();
    }
  }();
  return !domain.empty() && domain == host && ifind(value, "@" + host) == std::string_view::npos;
}

void add_mailbox(std::vector<MailAddress>& out, std::string_view value, const vmime::mailbox& m) {
  MailAddress a;
  a.name = utf8(m.getName());
  a.local = utf8(m.getEmail().getLocalName());
  a.domain = utf8(m.getEmail().getDomainName());
  if (invented_domain(value, a.domain)) a.domain.clear();
  // vmime drops comments, but "addr@host (Real Name)" (RFC 5322 section 3.4's old style) names
  // its address in one: read that mailbox again as ENVELOPE does, so that SEARCH FROM/TO/CC/BCC
  // find the name (RFC 3501 section 6.4.4, as Dovecot does).
  if (a.name.empty() && m.getParsedOffset() + m.getParsedLength() <= value.size()) {
    auto again = parse_addresses(value.substr(m.getParsedOffset(), m.getParsedLength()));
    if (again.size() == 1 && again[0].name && !again[0].name->empty())
      a.name = utf8(*vmime::text::decodeAndUnfold(*again[0].name));
  }
  if (a.name.empty() && a.local.empty() && a.domain.empty()) return;
  out.push_back(std::move(a));
}

}  // namespace

std::string MailAddress::display() const {
  std::string addr = domain.empty() ? local : local + "@" + domain;
  return name.empty() ? addr : name + " <" + addr + ">";
}

std::vector<MailAddress> parse_address_list(std::string_view value) {
  std::vector<MailAddress> out;
  try {
    vmime::addressList list;
    list.parse(std::string(value));
    for (const auto& address : list.getAddressList()) {
      if (auto group = vmime::dynamicCast<vmime::mailboxGroup>(address)) {
        MailAddress g;
        g.local = utf8(group->getName());
        g.group_start = true;
        if (!g.local.empty()) out.push_back(std::move(g));
        for (const auto& m : group->getMailboxList()) add_mailbox(out, value, *m);
      } else if (auto m = vmime::dynamicCast<vmime::mailbox>(address)) {
        add_mailbox(out, value, *m);
      }
    }
  } catch (const std::exception&) {
    // vmime does not throw on malformed input; a charset or platform failure gives what was
    // parsed so far.
  }
  return out;
}

}  // namespace ms
