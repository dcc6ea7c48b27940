// Typed IMAP arguments: sequence sets, dates, mailboxes and flags (RFC 3501 section 9), FETCH
// attributes (RFC 3501 6.4.5, RFC 7162 3.1.4 / 3.2.6) and STORE (RFC 3501 6.4.6, RFC 7162 3.1.3).
#include <algorithm>
#include <array>
#include <limits>

#include "proto/imap/codec.hpp"
#include "proto/imap/detail.hpp"

namespace ms::imap {

using namespace detail;

// ---------------------------------------------------------------------------------------------
// Sequence sets (RFC 3501 section 9: sequence-set, seq-number, seq-range)
// ---------------------------------------------------------------------------------------------

namespace {

bool parse_seq_number(std::string_view s, std::uint32_t& out) {
  if (s == "*") {
    out = SequenceSet::kStar;
    return true;
  }
  // nz-number: no leading zero, not 0.
  if (s.empty() || s[0] == '0') return false;
  std::uint64_t v;
  if (!parse_u64(s, std::numeric_limits<std::uint32_t>::max(), v)) return false;
  out = static_cast<std::uint32_t>(v);
  return true;
}

}  // namespace

Parsed<SequenceSet> parse_sequence_set(std::string_view text) {
  SequenceSet set;
  if (text.empty()) return Parsed<SequenceSet>::fail("empty sequence set");
  std::size_t i = 0;
  while (i <= text.size()) {
    std::size_t comma = text.find(',', i);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = text.substr(i, comma - i);
    std::size_t colon = item.find(':');
    SeqRange r;
    bool ok;
    if (colon == std::string_view::npos) {
      ok = parse_seq_number(item, r.first);
      r.last = r.first;
    } else {
      ok = parse_seq_number(item.substr(0, colon), r.first) &&
           parse_seq_number(item.substr(colon + 1), r.last);
    }
    if (!ok) return Parsed<SequenceSet>::fail("invalid sequence set");
    set.ranges.push_back(r);
    i = comma + 1;
    if (comma == text.size()) break;
  }
  return Parsed<SequenceSet>::ok(std::move(set));
}

std::vector<SeqRange> SequenceSet::resolve(std::uint32_t max) const {
  std::vector<SeqRange> out;
  for (SeqRange r : ranges) {
    if (r.first == kStar) r.first = max;
    if (r.last == kStar) r.last = max;
    if (r.first > r.last) std::swap(r.first, r.last);
    if (r.last == 0) continue;  // "*" in an empty mailbox
    if (r.first == 0) r.first = 1;
    out.push_back(r);
  }
  std::sort(out.begin(), out.end(),
            [](const SeqRange& a, const SeqRange& b) { return a.first < b.first; });
  std::vector<SeqRange> merged;
  for (const SeqRange& r : out) {
    if (!merged.empty() && static_cast<std::uint64_t>(merged.back().last) + 1 >= r.first) {
      merged.back().last = std::max(merged.back().last, r.last);
    } else {
      merged.push_back(r);
    }
  }
  return merged;
}

bool SequenceSet::contains(std::uint32_t n, std::uint32_t max) const {
  for (const SeqRange& r : resolve(max))
    if (n >= r.first && n <= r.last) return true;
  return false;
}

std::string SequenceSet::to_string() const {
  auto num = [](std::uint32_t n) { return n == kStar ? std::string("*") : std::to_string(n); };
  std::string out;
  for (const SeqRange& r : ranges) {
    if (!out.empty()) out += ',';
    out += num(r.first);
    if (r.last != r.first) out += ':' + num(r.last);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Dates (RFC 3501 section 9: date, date-time)
// ---------------------------------------------------------------------------------------------

namespace {

constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

bool digits(std::string_view s, std::size_t n, int& out) {
  if (s.size() != n) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

// "d-MMM-yyyy" with day given as 1 or 2 digits, or " d" (date-day-fixed) when space_ok.
bool parse_date_text(std::string_view s, Date& d, bool space_ok) {
  std::size_t dash = s.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash > 2) return false;
  std::string_view day = s.substr(0, dash);
  if (space_ok && day.size() == 2 && day[0] == ' ') day.remove_prefix(1);
  if (!digits(day, day.size(), d.day)) return false;
  if (s.size() != dash + 9 || s[dash + 4] != '-') return false;
  std::string_view mon = s.substr(dash + 1, 3);
  d.month = 0;
  for (std::size_t m = 0; m < kMonths.size(); ++m)
    if (iequals(mon, kMonths[m])) d.month = static_cast<int>(m) + 1;
  if (d.month == 0 || !digits(s.substr(dash + 5), 4, d.year)) return false;
  return d.day >= 1 && d.day <= days_in_month(d.year, d.month);
}

// Days since 1970-01-01 of a proleptic Gregorian date (the usual era-based computation).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  std::int64_t yoe = y - era * 400;
  std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date civil_from_days(std::int64_t z) {
  z += 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  std::int64_t doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  Date d;
  d.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  d.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  d.year = static_cast<int>(yoe + era * 400 + (d.month <= 2));
  return d;
}

}  // namespace

Parsed<Date> parse_date(std::string_view text) {
  Date d;
  if (!parse_date_text(text, d, false)) return Parsed<Date>::fail("invalid date");
  return Parsed<Date>::ok(d);
}

Parsed<DateTime> parse_date_time(std::string_view text) {
  // date-day-fixed "-" date-month "-" date-year SP time SP zone
  DateTime dt;
  std::size_t sp = text.find(' ', 1);  // the first character may be the day's padding space
  if (sp == std::string_view::npos || !parse_date_text(text.substr(0, sp), dt.date, true))
    return Parsed<DateTime>::fail("invalid date-time");
  std::string_view rest = text.substr(sp + 1);
  int zh, zm;
  if (rest.size() != 14 || rest[2] != ':' || rest[5] != ':' || rest[8] != ' ' ||
      !digits(rest.substr(0, 2), 2, dt.hour) || !digits(rest.substr(3, 2), 2, dt.minute) ||
      !digits(rest.substr(6, 2), 2, dt.second) || (rest[9] != '+' && rest[9] != '-') ||
      !digits(rest.substr(10, 2), 2, zh) || !digits(rest.substr(12, 2), 2, zm) ||
      dt.hour > 23 || dt.minute > 59 || dt.second > 60 || zm > 59)
    return Parsed<DateTime>::fail("invalid date-time");
  dt.zone_minutes = (rest[9] == '-' ? -1 : 1) * (zh * 60 + zm);
  return Parsed<DateTime>::ok(dt);
}

std::int64_t DateTime::to_unix() const {
  return days_from_civil(date.year, date.month, date.day) * 86400 + hour * 3600 + minute * 60 +
         second - zone_minutes * 60;
}

DateTime DateTime::from_unix(std::int64_t seconds, int zone_minutes) {
  std::int64_t local = seconds + zone_minutes * 60;
  std::int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
  std::int64_t secs = local - days * 86400;
  DateTime dt;
  dt.date = civil_from_days(days);
  dt.hour = static_cast<int>(secs / 3600);
  dt.minute = static_cast<int>(secs / 60 % 60);
  dt.second = static_cast<int>(secs % 60);
  dt.zone_minutes = zone_minutes;
  return dt;
}

// ---------------------------------------------------------------------------------------------
// Mailboxes and flags
// ---------------------------------------------------------------------------------------------

std::string normalize_mailbox(std::string_view utf8_name) {
  // RFC 3501 section 5.1: only the name INBOX itself is case-insensitive.
  if (iequals(utf8_name, "INBOX")) return "INBOX";
  return std::string(utf8_name);
}

Parsed<std::string> parse_mailbox(const Token& t) {
  auto s = t.astring();
  if (!s) return Parsed<std::string>::fail("mailbox name expected");
  if (s->empty()) return Parsed<std::string>::fail("empty mailbox name");
  auto decoded = mutf7_decode(*s);
  if (!decoded) return Parsed<std::string>::fail("mailbox name: " + decoded.error);
  return Parsed<std::string>::ok(normalize_mailbox(*decoded));
}

namespace {

constexpr std::array<const char*, 6> kSystemFlags = {"\\Answered", "\\Flagged", "\\Deleted",
                                                     "\\Seen",     "\\Draft",   "\\Recent"};

// flag (RFC 3501 section 9): a system flag, "\" atom (flag-extension) or an atom keyword.
// NIL is an atom like any other here: "STORE 1 +FLAGS NIL" stores the keyword NIL.
std::optional<std::string> parse_flag(const Token& t, bool allow_star) {
  if (t.kind != Token::Kind::Atom && t.kind != Token::Kind::Nil) return std::nullopt;
  std::string_view s = t.text;
  if (allow_star && s == "\\*") return std::string(s);
  std::string_view body = s;
  if (!s.empty() && s[0] == '\\') body.remove_prefix(1);
  if (body.empty()) return std::nullopt;
  for (char c : body)
    if (!is_atom_char(static_cast<unsigned char>(c))) return std::nullopt;
  if (s[0] == '\\')
    for (const char* f : kSystemFlags)
      if (iequals(s, f)) return std::string(f);
  return std::string(s);
}

}  // namespace

Parsed<std::vector<std::string>> parse_flag_list(const Token& t, bool allow_star) {
  using R = Parsed<std::vector<std::string>>;
  if (!t.is_list()) return R::fail("flag list expected");
  std::vector<std::string> out;
  for (const Token& item : t.items) {
    auto f = parse_flag(item, allow_star);
    if (!f) return R::fail("invalid flag");
    out.push_back(std::move(*f));
  }
  return R::ok(std::move(out));
}

// ---------------------------------------------------------------------------------------------
// FETCH (RFC 3501 section 6.4.5; section-spec and partial from section 9)
// ---------------------------------------------------------------------------------------------

namespace {

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

}  // namespace

Parsed<Section> parse_section(std::string_view spec) {
  using R = Parsed<Section>;
  Section sec;
  std::string_view s = spec;
  while (!s.empty() && s[0] >= '0' && s[0] <= '9') {
    std::size_t end = 0;
    while (end < s.size() && s[end] >= '0' && s[end] <= '9') ++end;
    std::uint64_t n;
    if (s[0] == '0' || !parse_u64(s.substr(0, end), std::numeric_limits<std::uint32_t>::max(), n))
      return R::fail("invalid section part");
    sec.part.push_back(static_cast<std::uint32_t>(n));
    s.remove_prefix(end);
    if (s.empty()) return R::ok(std::move(sec));
    if (s[0] != '.') return R::fail("invalid section");
    s.remove_prefix(1);
    if (s.empty()) return R::fail("invalid section");
  }
  if (s.empty()) return R::ok(std::move(sec));
  if (iequals(s, "HEADER")) {
    sec.text = Section::Text::Header;
  } else if (iequals(s, "TEXT")) {
    sec.text = Section::Text::Text;
  } else if (iequals(s, "MIME")) {
    if (sec.part.empty()) return R::fail("MIME needs a part number");
    sec.text = Section::Text::Mime;
  } else if (starts_with_ci(s, "HEADER.FIELDS")) {
    s.remove_prefix(13);
    sec.text = Section::Text::HeaderFields;
    if (starts_with_ci(s, ".NOT")) {
      s.remove_prefix(4);
      sec.text = Section::Text::HeaderFieldsNot;
    }
    if (s.empty() || s[0] != ' ') return R::fail("header list expected");
    auto toks = tokenize(s.substr(1));
    if (!toks || toks->size() != 1 || !(*toks)[0].is_list() || (*toks)[0].items.empty())
      return R::fail("invalid header list");
    for (const Token& f : (*toks)[0].items) {
      auto name = f.astring();
      if (!name || name->empty()) return R::fail("invalid header field name");
      sec.fields.push_back(to_upper(*name));
    }
  } else {
    return R::fail("invalid section");
  }
  return R::ok(std::move(sec));
}

std::string Section::to_string() const {
  std::string out;
  for (std::uint32_t p : part) {
    if (!out.empty()) out += '.';
    out += std::to_string(p);
  }
  if (text == Text::None) return out;
  if (!out.empty()) out += '.';
  switch (text) {
    case Text::Header: out += "HEADER"; break;
    case Text::Text: out += "TEXT"; break;
    case Text::Mime: out += "MIME"; break;
    case Text::HeaderFields:
    case Text::HeaderFieldsNot: {
      out += text == Text::HeaderFields ? "HEADER.FIELDS (" : "HEADER.FIELDS.NOT (";
      for (std::size_t i = 0; i < fields.size(); ++i)
        out += (i ? " " : "") + write_astring(fields[i]);
      out += ')';
      break;
    }
    case Text::None: break;
  }
  return out;
}

std::string FetchAtt::response_name() const {
  switch (kind) {
    case Kind::Envelope: return "ENVELOPE";
    case Kind::Flags: return "FLAGS";
    case Kind::InternalDate: return "INTERNALDATE";
    case Kind::Rfc822: return "RFC822";
    case Kind::Rfc822Header: return "RFC822.HEADER";
    case Kind::Rfc822Size: return "RFC822.SIZE";
    case Kind::Rfc822Text: return "RFC822.TEXT";
    case Kind::Body: return "BODY";
    case Kind::BodyStructure: return "BODYSTRUCTURE";
    case Kind::Uid: return "UID";
    case Kind::ModSeq: return "MODSEQ";
    case Kind::BodySection: break;
  }
  std::string out = "BODY[" + section.to_string() + "]";
  if (partial) out += "<" + std::to_string(partial->start) + ">";
  return out;
}

Parsed<FetchAtt> parse_fetch_att(std::string_view atom) {
  using R = Parsed<FetchAtt>;
  using K = FetchAtt::Kind;
  static constexpr std::pair<const char*, K> kSimple[] = {
      {"ENVELOPE", K::Envelope}, {"FLAGS", K::Flags}, {"INTERNALDATE", K::InternalDate},
      {"RFC822", K::Rfc822}, {"RFC822.HEADER", K::Rfc822Header}, {"RFC822.SIZE", K::Rfc822Size},
      {"RFC822.TEXT", K::Rfc822Text}, {"BODY", K::Body}, {"BODYSTRUCTURE", K::BodyStructure},
      {"UID", K::Uid}, {"MODSEQ", K::ModSeq}};
  FetchAtt a;
  for (const auto& [name, kind] : kSimple)
    if (iequals(atom, name)) {
      a.kind = kind;
      return R::ok(a);
    }
  std::string_view s = atom;
  if (starts_with_ci(s, "BODY.PEEK[")) {
    a.peek = true;
    s.remove_prefix(10);
  } else if (starts_with_ci(s, "BODY[")) {
    s.remove_prefix(5);
  } else {
    return R::fail("unknown fetch attribute " + std::string(atom));
  }
  a.kind = K::BodySection;
  // The closing bracket: the last "]" (a quoted field name may hold "]" too, but not after it).
  std::size_t close = s.rfind(']');
  if (close == std::string_view::npos) return R::fail("missing ']'");
  auto sec = parse_section(s.substr(0, close));
  if (!sec) return R::fail(sec.error);
  a.section = std::move(*sec);
  std::string_view rest = s.substr(close + 1);
  if (!rest.empty()) {
    // partial = "<" number "." nz-number ">"
    std::size_t dot = rest.find('.');
    std::uint64_t start, len;
    if (rest.front() != '<' || rest.back() != '>' || dot == std::string_view::npos ||
        !parse_u64(rest.substr(1, dot - 1), std::numeric_limits<std::uint32_t>::max(), start) ||
        !parse_u64(rest.substr(dot + 1, rest.size() - dot - 2),
                   std::numeric_limits<std::uint32_t>::max(), len) ||
        len == 0)
      return R::fail("invalid partial range");
    a.partial = Partial{static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(len)};
  }
  return R::ok(std::move(a));
}

Parsed<FetchRequest> parse_fetch(const Command& c) {
  using R = Parsed<FetchRequest>;
  const bool uid = c.name == "UID FETCH";
  if (c.args.size() < 2 || c.args.size() > 3) return R::fail("FETCH needs a set and attributes");
  if (!c.args[0].is_atom()) return R::fail("invalid sequence set");
  auto set = parse_sequence_set(c.args[0].text);
  if (!set) return R::fail(set.error);
  FetchRequest req;
  req.set = std::move(*set);
  auto add = [&](const Token& t) -> std::string {
    if (!t.is_atom()) return "fetch attribute expected";
    using K = FetchAtt::Kind;
    auto simple = [&](std::initializer_list<K> kinds) {
      for (K k : kinds) {
        FetchAtt a;
        a.kind = k;
        req.atts.push_back(a);
      }
    };
    // Macros (RFC 3501 6.4.5) are only valid alone, not inside a list; the caller checks.
    if (t.is_atom("ALL")) {
      simple({K::Flags, K::InternalDate, K::Rfc822Size, K::Envelope});
    } else if (t.is_atom("FAST")) {
      simple({K::Flags, K::InternalDate, K::Rfc822Size});
    } else if (t.is_atom("FULL")) {
      simple({K::Flags, K::InternalDate, K::Rfc822Size, K::Envelope, K::Body});
    } else {
      auto a = parse_fetch_att(t.text);
      if (!a) return a.error;
      req.atts.push_back(std::move(*a));
    }
    return {};
  };
  const Token& atts = c.args[1];
  if (atts.is_list()) {
    if (atts.items.empty()) return R::fail("empty fetch attribute list");
    for (const Token& t : atts.items) {
      if (t.is_atom("ALL") || t.is_atom("FAST") || t.is_atom("FULL"))
        return R::fail("macro inside a fetch attribute list");
      if (auto e = add(t); !e.empty()) return R::fail(e);
    }
  } else if (auto e = add(atts); !e.empty()) {
    return R::fail(e);
  }
  if (c.args.size() == 3) {
    const Token& mods = c.args[2];
    if (!mods.is_list() || mods.items.empty()) return R::fail("invalid fetch modifiers");
    for (std::size_t i = 0; i < mods.items.size(); ++i) {
      const Token& m = mods.items[i];
      if (m.is_atom("CHANGEDSINCE") && i + 1 < mods.items.size() && !req.changed_since) {
        auto n = mods.items[++i].number64();
        if (!n) return R::fail("CHANGEDSINCE needs a mod-sequence");
        req.changed_since = *n;
      } else if (m.is_atom("VANISHED") && !req.vanished) {
        req.vanished = true;
      } else {
        return R::fail("unknown fetch modifier");
      }
    }
    // RFC 7162 3.2.6: VANISHED only in UID FETCH, and only together with CHANGEDSINCE.
    if (req.vanished && (!uid || !req.changed_since))
      return R::fail("VANISHED needs UID FETCH and CHANGEDSINCE");
  }
  return R::ok(std::move(req));
}

// ---------------------------------------------------------------------------------------------
// STORE (RFC 3501 section 6.4.6, RFC 7162 section 3.1.3)
// ---------------------------------------------------------------------------------------------

Parsed<StoreRequest> parse_store(const Command& c) {
  using R = Parsed<StoreRequest>;
  const auto& a = c.args;
  if (a.size() < 3) return R::fail("STORE needs a set, an item and flags");
  if (!a[0].is_atom()) return R::fail("invalid sequence set");
  auto set = parse_sequence_set(a[0].text);
  if (!set) return R::fail(set.error);
  StoreRequest req;
  req.set = std::move(*set);
  std::size_t i = 1;
  if (a[i].is_list()) {
    const auto& m = a[i].items;
    if (m.size() != 2 || !m[0].is_atom("UNCHANGEDSINCE") || !m[1].number64())
      return R::fail("invalid store modifier");
    req.unchanged_since = *m[1].number64();
    ++i;
  }
  if (i >= a.size() || !a[i].is_atom()) return R::fail("store item expected");
  std::string item = a[i].upper();
  if (!item.empty() && (item[0] == '+' || item[0] == '-')) {
    req.mode = item[0] == '+' ? StoreRequest::Mode::Add : StoreRequest::Mode::Remove;
    item.erase(0, 1);
  }
  if (item == "FLAGS.SILENT") {
    req.silent = true;
  } else if (item != "FLAGS") {
    return R::fail("unknown store item");
  }
  ++i;
  if (i >= a.size()) return R::fail("flags expected");
  if (a[i].is_list()) {
    if (i + 1 != a.size()) return R::fail("unexpected argument after flag list");
    auto flags = parse_flag_list(a[i]);
    if (!flags) return R::fail(flags.error);
    req.flags = std::move(*flags);
  } else {
    for (; i < a.size(); ++i) {
      auto f = parse_flag(a[i], false);
      if (!f) return R::fail("invalid flag");
      req.flags.push_back(std::move(*f));
    }
  }
  return R::ok(std::move(req));
}

}  // namespace ms::imap
