// Modified UTF-7 for mailbox names (RFC 3501 section 5.1.3): printable US-ASCII stands for
// itself except "&", which is written "&-"; anything else is UTF-16BE in base64 with ","
// instead of "/", no padding, between "&" and "-".
#include "proto/imap/codec.hpp"

namespace ms::imap {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == ',') return 63;
  return -1;
}

bool printable(std::uint32_t cp) { return cp >= 0x20 && cp <= 0x7e; }

void put_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

// Next code point of valid UTF-8 (no overlong forms, surrogates or values past U+10FFFF).
bool next_utf8(std::string_view s, std::size_t& i, std::uint32_t& cp) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  std::size_t len;
  std::uint32_t min;
  if (c < 0x80) {
    cp = c;
    ++i;
    return true;
  } else if ((c & 0xe0) == 0xc0) {
    len = 2, cp = c & 0x1f, min = 0x80;
  } else if ((c & 0xf0) == 0xe0) {
    len = 3, cp = c & 0x0f, min = 0x800;
  } else if ((c & 0xf8) == 0xf0) {
    len = 4, cp = c & 0x07, min = 0x10000;
  } else {
    return false;
  }
  if (i + len > s.size()) return false;
  for (std::size_t k = 1; k < len; ++k) {
    if ((b(i + k) & 0xc0) != 0x80) return false;
    cp = (cp << 6) | (b(i + k) & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
  i += len;
  return true;
}

void flush_utf16(std::string& out, std::vector<std::uint16_t>& units) {
  if (units.empty()) return;
  out += '&';
  std::uint32_t bits = 0;
  int nbits = 0;
  for (std::uint16_t u : units) {
    bits = (bits << 16) | u;
    nbits += 16;
    while (nbits >= 6) {
      nbits -= 6;
      out += kAlphabet[(bits >> nbits) & 0x3f];
    }
    bits &= (1u << nbits) - 1;
  }
  if (nbits > 0) out += kAlphabet[(bits << (6 - nbits)) & 0x3f];
  out += '-';
  units.clear();
}

}  // namespace

Parsed<std::string> mutf7_encode(std::string_view utf8) {
  std::string out;
  std::vector<std::uint16_t> units;
  std::size_t i = 0;
  while (i < utf8.size()) {
    std::uint32_t cp;
    if (!next_utf8(utf8, i, cp)) return Parsed<std::string>::fail("invalid UTF-8");
    if (printable(cp)) {
      flush_utf16(out, units);
      out += static_cast<char>(cp);
      if (cp == '&') out += '-';
    } else if (cp < 0x10000) {
      units.push_back(static_cast<std::uint16_t>(cp));
    } else {
      cp -= 0x10000;
      units.push_back(static_cast<std::uint16_t>(0xd800 + (cp >> 10)));
      units.push_back(static_cast<std::uint16_t>(0xdc00 + (cp & 0x3ff)));
    }
  }
  flush_utf16(out, units);
  return Parsed<std::string>::ok(std::move(out));
}

Parsed<std::string> mutf7_decode(std::string_view s) {
  using R = Parsed<std::string>;
  std::string out;
  std::size_t i = 0;
  std::size_t last_run_end = std::string_view::npos;  // index just past the last "&...-"
  while (i < s.size()) {
    char c = s[i];
    if (!printable(static_cast<unsigned char>(c))) return R::fail("invalid octet in name");
    if (c != '&') {
      out += c;
      ++i;
      continue;
    }
    std::size_t dash = s.find('-', i + 1);
    if (dash == std::string_view::npos) return R::fail("unterminated & in name");
    if (dash == i + 1) {  // "&-" is "&"
      out += '&';
      i = dash + 1;
      continue;
    }
    // Two encoded runs back to back must have been written as one.
    if (last_run_end == i) return R::fail("adjacent encoded runs");
    std::uint32_t bits = 0;
    int nbits = 0;
    std::uint16_t high = 0;  // pending high surrogate
    for (std::size_t k = i + 1; k < dash; ++k) {
      int v = b64_value(s[k]);
      if (v < 0) return R::fail("invalid base64 in name");
      bits = (bits << 6) | static_cast<std::uint32_t>(v);
      nbits += 6;
      if (nbits < 16) continue;
      nbits -= 16;
      auto u = static_cast<std::uint16_t>((bits >> nbits) & 0xffff);
      bits &= (1u << nbits) - 1;
      if (high) {
        if (u < 0xdc00 || u > 0xdfff) return R::fail("unpaired surrogate in name");
        put_utf8(out, 0x10000 + ((static_cast<std::uint32_t>(high) - 0xd800) << 10) +
                          (u - 0xdc00));
        high = 0;
      } else if (u >= 0xd800 && u <= 0xdbff) {
        high = u;
      } else if (u >= 0xdc00 && u <= 0xdfff) {
        return R::fail("unpaired surrogate in name");
      } else if (printable(u)) {
        return R::fail("printable ASCII must not be encoded");
      } else {
        put_utf8(out, u);
      }
    }
    if (high) return R::fail("unpaired surrogate in name");
    if (nbits >= 6 || bits != 0) return R::fail("bad base64 padding in name");
    i = dash + 1;
    last_run_end = i;
  }
  return R::ok(std::move(out));
}

}  // namespace ms::imap
