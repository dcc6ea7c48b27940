#include "proto/sasl.hpp"

#include <algorithm>
#include <optional>

#include "util/text.hpp"

namespace ms::sasl {

namespace {

// RFC 3629 section 4: well-formed UTF-8, no overlong forms, no surrogates, nothing past
// U+10FFFF.
bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80) n = 0;
    else if (c >= 0xC2 && c <= 0xDF) n = 1;
    else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + n >= s.size() && n > 0) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if (d < (k == 1 ? lo : 0x80) || d > (k == 1 ? hi : 0xBF)) return false;
    }
    i += n + 1;
  }
  return true;
}

}  // namespace

bool parse_message(std::string_view m, Plain& out, std::string& why) {
  const auto nuls = std::count(m.begin(), m.end(), '\0');
  if (nuls != 2) {
    why = nuls < 2 ? "fewer than two NULs" : "a NUL inside a part";
    return false;
  }
  const std::size_t a = m.find('\0'), b = m.find('\0', a + 1);
  const std::string_view parts[] = {m.substr(0, a), m.substr(a + 1, b - a - 1), m.substr(b + 1)};
  const char* names[] = {"authorization identity", "user name", "password"};
  for (int k = 0; k < 3; ++k) {
    if (k > 0 && parts[k].empty()) {
      why = std::string("empty ") + names[k];
      return false;
    }
    if (parts[k].size() > kMaxPart) {
      why = std::string(names[k]) + " longer than 255 octets";
      return false;
    }
    if (!valid_utf8(parts[k])) {
      why = std::string(names[k]) + " not UTF-8";
      return false;
    }
  }
  out = {std::string(parts[0]), std::string(parts[1]), std::string(parts[2])};
  return true;
}

Response read_response(std::string_view line, bool initial) {
  Response r;
  if (line == "*") {
    r.outcome = Outcome::Cancelled;
    r.why = "cancelled by the client";
    return r;
  }
  auto message = initial && line == "=" ? std::optional<std::string>("") : base64_decode(line);
  if (!message) {
    r.outcome = Outcome::NotBase64;
    r.why = "not base64";
    return r;
  }
  if (!parse_message(*message, r.plain, r.why)) {
    r.outcome = Outcome::Malformed;
    r.why = "malformed PLAIN message: " + r.why;
    return r;
  }
  if (!r.plain.authzid.empty() && r.plain.authzid != r.plain.authcid) {
    r.outcome = Outcome::NotPermitted;
    r.why = "\"" + printable(r.plain.authcid) + "\" may not act as \"" +
            printable(r.plain.authzid) + "\"";
    return r;
  }
  r.outcome = Outcome::Decoded;
  return r;
}

std::string client_response(std::string_view authcid, std::string_view passwd) {
  std::string m;
  m += '\0';
  m += authcid;
  m += '\0';
  m += passwd;
  return base64_encode(m);
}

}  // namespace ms::sasl
