#pragma once
// Internal helpers shared by the IMAP codec's source files (not part of the codec's API).
#include <cstdint>
#include <string>
#include <string_view>

namespace ms::imap::detail {

// RFC 3501 section 9 character classes.
bool is_ctl(unsigned char c);
bool is_atom_char(unsigned char c);
bool is_astring_char(unsigned char c);
bool is_tag_char(unsigned char c);
bool is_text_char(unsigned char c);  // TEXT-CHAR: any 7-bit CHAR except CR and LF (and NUL)

bool iequals(std::string_view a, std::string_view b);
// Decimal digits only, no sign, value <= max.
bool parse_u64(std::string_view s, std::uint64_t max, std::uint64_t& out);
// The tag at the start of a command ("a1 ..."), or empty when there is none.
std::string leading_tag(std::string_view unit);

}  // namespace ms::imap::detail
