// Round-trip properties where a writer meets a parser. The input is split into fields on its
// first byte; every property runs on every field (or on pairs of fields), and a mismatch
// aborts with both sides printed:
//   imap::write_string / write_astring / write_literal / imap_quote -> imap::tokenize
//   imap::mutf7_encode -> mutf7_decode; write_mailbox -> parse_mailbox
//   imap::write_sequence_set -> parse_sequence_set; write_date_time -> parse_date_time
//   smtp::dot_stuff -> SmtpServer's DATA reading (RFC 5321 4.5.2)
//   pop3_stuff -> Pop3Client's RETR reading (RFC 1939 section 3)
//   flags_to_imap -> flags_from_imap
//   base64 encode -> decode (util/text.hpp), SASL PLAIN client response -> parse_message
#include <algorithm>
#include <set>

#include "fuzz_util.hpp"
#include "mime/mime.hpp"
#include "proto/imap/codec.hpp"
#include "proto/pop3/pop3_client.hpp"
#include "proto/pop3/pop3_server.hpp"
#include "proto/sasl.hpp"
#include "proto/smtp/smtp_codec.hpp"
#include "proto/smtp/smtp_server.hpp"
#include "util/text.hpp"

using namespace ms;
using fuzz::roundtrip_failed;

namespace {

// One token back from writer output, which must be exactly one string (or atom for astring).
void expect_token(const char* what, const std::string& wire, std::string_view value,
                  bool astring = false) {
  auto toks = imap::tokenize(wire);
  if (!toks) roundtrip_failed(what, value, "tokenize error: " + toks.error + " on " + wire);
  if (toks->size() != 1) roundtrip_failed(what, value, "not one token: " + wire);
  const auto& t = (*toks)[0];
  std::optional<std::string> got = astring ? t.astring() : std::optional<std::string>();
  if (!astring) {
    if (!t.is_string()) roundtrip_failed(what, value, "not a string: " + wire);
    got = t.text;
  }
  if (!got || *got != value) roundtrip_failed(what, value, got ? *got : "no astring: " + wire);
}

// CRLF-normalises as SMTP DATA transmits a message: CRLF, bare LF and bare CR all end a line,
// and a last line without an end gets CRLF.
std::string crlf_lines(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      out += "\r\n";
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else if (s[i] == '\n') {
      out += "\r\n";
    } else {
      out += s[i];
    }
  }
  if (!out.empty() && !(out.size() >= 2 && out.ends_with("\r\n"))) out += "\r\n";
  return out;
}

class CaptureBackend : public SmtpBackend {
 public:
  std::vector<std::string> delivered;
  bool authenticate(const std::string&, const std::string&) override { return true; }
  SmtpVerdict check_recipient(const std::string&, std::size_t) override {
    return SmtpVerdict::Local;
  }
  SmtpVerdict deliver(const SmtpEnvelope&, const std::string& raw, std::string&) override {
    delivered.push_back(raw);
    return SmtpVerdict::Local;
  }
};

void smtp_dot_stuffing(std::string_view raw) {
  CaptureBackend backend;
  SmtpServerConfig cfg;
  cfg.submission = false;
  SmtpServer s(backend, cfg);
  s.receive("EHLO c.example.com\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\n"
            "DATA\r\n");
  s.receive(smtp::dot_stuff(raw));
  std::string expected = crlf_lines(raw);
  if (backend.delivered.size() != 1)
    roundtrip_failed("dot_stuff -> SmtpServer delivers one message", expected, "none");
  if (backend.delivered[0] != expected)
    roundtrip_failed("dot_stuff -> SmtpServer", expected, backend.delivered[0]);
}

void pop3_byte_stuffing(std::string_view field, bool lf_only) {
  // POP3 messages are CRLF lines (RFC 1939 section 3); bare CR has no meaning there.
  std::string lines;
  for (char c : field)
    if (c != '\r') lines += c;
  std::string expected = crlf_lines(lines);
  std::string raw = lf_only ? lines : expected;
  Pop3Plan plan;
  plan.user = "alice";
  plan.pass = "secret";
  plan.delete_after_download = false;
  Pop3Client c(plan);
  c.receive("+OK ready\r\n-ERR no CAPA\r\n+OK\r\n+OK\r\n+OK 1 10\r\n+OK\r\n1 u1\r\n.\r\n+OK\r\n");
  c.receive(pop3_stuff(raw));
  c.receive(".\r\n+OK bye\r\n");
  std::string got;
  int downloads = 0;
  for (const auto& e : c.take_events())
    if (e.kind == EngineEvent::MessageDownloaded) {
      got = e.data;
      ++downloads;
    }
  if (downloads != 1) roundtrip_failed("pop3_stuff -> Pop3Client downloads one message", expected, "");
  if (got != expected) roundtrip_failed("pop3_stuff -> Pop3Client", expected, got);
}

bool keyword_atom(std::string_view k) {
  if (k.empty() || k[0] == '\\') return false;
  for (unsigned char c : k)
    if (c <= 0x20 || c >= 0x7f || std::string_view("(){%*\"\\]").find(c) != std::string_view::npos)
      return false;
  for (const char* n : {"\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft", "$Forwarded"})
    if (iequals(k, n)) return false;
  return true;
}

void flags(const std::vector<std::string_view>& fields, unsigned bits) {
  Flags f;
  f.bits = bits & 63;
  for (auto k : fields)
    if (keyword_atom(k)) f.keywords.emplace_back(k);
  std::sort(f.keywords.begin(), f.keywords.end());
  f.keywords.erase(std::unique(f.keywords.begin(), f.keywords.end()), f.keywords.end());
  std::string wire = flags_to_imap(f);
  if (!(flags_from_imap(wire) == f)) roundtrip_failed("flags_to_imap -> flags_from_imap", wire,
                                              flags_to_imap(flags_from_imap(wire)));
  for (auto field : fields) {
    Flags once = flags_from_imap(field);
    Flags twice = flags_from_imap(flags_to_imap(once));
    if (!(once == twice))
      roundtrip_failed("flags_from_imap is stable", flags_to_imap(once), flags_to_imap(twice));
  }
}

void base64(std::string_view s) {
  std::string a = base64_encode(s);
  auto d = base64_decode(a);
  if (!d || *d != s) roundtrip_failed("base64 encode -> decode", s, d ? *d : "nullopt");
}

void sasl_plain(std::string_view user, std::string_view pass) {
  // Within the grammar of RFC 4616 section 2 for any ASCII: non-empty, no NUL, 255 octets.
  auto fits = [](std::string_view s) {
    return !s.empty() && s.size() <= sasl::kMaxPart &&
           std::all_of(s.begin(), s.end(), [](char c) { return c > 0 && c < 0x7F; });
  };
  if (!fits(user) || !fits(pass)) return;
  sasl::Response r = sasl::read_response(sasl::client_response(user, pass), false);
  if (r.outcome != sasl::Outcome::Decoded || !r.plain.authzid.empty() ||
      r.plain.authcid != user || r.plain.passwd != pass)
    roundtrip_failed("SASL PLAIN client response -> read_response",
                     std::string(user) + "/" + std::string(pass),
                     r.plain.authcid + "/" + r.plain.passwd + " " + r.why);
}

void imap_strings(std::string_view s) {
  expect_token("imap::write_string -> tokenize", imap::write_string(s), s);
  expect_token("imap::write_astring -> tokenize", imap::write_astring(s), s, true);
  expect_token("imap::write_literal -> tokenize", imap::write_literal(s), s);
  expect_token("imap::write_literal+ -> tokenize", imap::write_literal(s, true), s);
  expect_token("imap_quote -> tokenize", imap_quote(s), s);
  if (auto m = imap::mutf7_encode(s)) {
    auto back = imap::mutf7_decode(*m);
    if (!back || *back != s) roundtrip_failed("mutf7 encode -> decode", s, back ? *back : back.error);
    if (s.empty()) return;  // not a mailbox name (parse_mailbox rightly refuses it)
    std::string wire = imap::write_mailbox(s);
    auto toks = imap::tokenize(wire);
    if (!toks || toks->size() != 1) roundtrip_failed("write_mailbox -> tokenize", s, wire);
    auto name = imap::parse_mailbox((*toks)[0]);
    std::string want = imap::normalize_mailbox(s);
    if (!name || *name != want) roundtrip_failed("write_mailbox -> parse_mailbox", want,
                                         name ? *name : name.error);
  }
}

void sequence_set(std::string_view s) {
  std::vector<std::uint32_t> nums;
  for (std::size_t i = 0; i + 1 < s.size() && nums.size() < 64; i += 2)
    nums.push_back(((static_cast<unsigned char>(s[i]) << 8) | static_cast<unsigned char>(s[i + 1])) + 1);
  if (nums.empty()) return;
  std::string wire = imap::write_sequence_set(nums);
  auto set = imap::parse_sequence_set(wire);
  if (!set) roundtrip_failed("write_sequence_set -> parse_sequence_set", wire, set.error);
  std::set<std::uint32_t> want(nums.begin(), nums.end()), got;
  for (const auto& r : set->resolve(70000))
    for (std::uint32_t n = r.first; n <= r.last; ++n) got.insert(n);
  if (want != got) roundtrip_failed("write_sequence_set -> resolve", wire, set->to_string());
  if (set->to_string() != wire) roundtrip_failed("sequence set to_string", wire, set->to_string());
}

void date_time(std::string_view s) {
  if (s.size() < 6) return;
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 5; ++i) v = (v << 8) | static_cast<unsigned char>(s[i]);
  std::int64_t t = static_cast<std::int64_t>(v % 253402300800ull);  // up to 9999-12-31
  int zone = (static_cast<unsigned char>(s[5]) % 97 - 48) * 30;      // -24h..+24h, half hours
  auto dt = imap::DateTime::from_unix(t, zone);
  std::string wire = imap::write_date_time(dt);
  if (wire.size() < 2) roundtrip_failed("write_date_time", "quoted", wire);
  auto back = imap::parse_date_time(std::string_view(wire).substr(1, wire.size() - 2));
  if (!back || !(*back == dt) || back->to_unix() != t)
    roundtrip_failed("write_date_time -> parse_date_time", wire, back ? imap::write_date_time(*back)
                                                              : back.error);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in = fuzz::as_view(data, size);
  if (in.empty()) return 0;
  char sep = in[0];
  in.remove_prefix(1);
  std::vector<std::string_view> fields;
  for (std::size_t pos = 0;;) {
    std::size_t end = in.find(sep, pos);
    fields.push_back(in.substr(pos, end == in.npos ? in.npos : end - pos));
    if (end == in.npos) break;
    pos = end + 1;
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    auto f = fields[i];
    imap_strings(f);
    // Each of these runs a whole SMTP or POP3 session (about 3 ms under the sanitizers), so a
    // long input made of many fields ran at 70 executions a second; the first four fields
    // reach every path of both properties (CRLF and bare-LF text included).
    if (i < 4) {
      smtp_dot_stuffing(f);
      pop3_byte_stuffing(f, i % 2);
    }
    base64(f);
    sequence_set(f);
    date_time(f);
    if (i + 1 < fields.size()) sasl_plain(f, fields[i + 1]);
  }
  flags(fields, static_cast<unsigned char>(sep));
  return 0;
}
