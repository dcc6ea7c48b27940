#pragma once
// Small text utilities shared by the protocol engines: base64 (RFC 4648, for SASL PLAIN),
// MD5 (RFC 1321, for POP3 APOP), case-insensitive comparison and number parsing that never
// throws (wire input is hostile).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ms {

std::string base64_encode(std::string_view in);
std::optional<std::string> base64_decode(std::string_view in);
std::string md5_hex(std::string_view in);

bool iequals(std::string_view a, std::string_view b);
std::string upper(std::string_view s);
// Parses a decimal number of at most `max_digits` digits with nothing else around it.
std::optional<std::uint64_t> parse_number(std::string_view s, std::size_t max_digits = 10);
// Splits on single spaces (empty fields kept, as POP3 and SMTP grammars are strict).
std::vector<std::string_view> split_spaces(std::string_view s);
// Shows bytes for a human: CR LF as-is, other control bytes as \xNN.
std::string printable(std::string_view s);

}  // namespace ms
