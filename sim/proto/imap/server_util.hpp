#pragma once
// Small helpers shared by the IMAP server's command files (not part of any public API).
#include <string>
#include <vector>

#include "model/message.hpp"
#include "proto/imap/codec.hpp"

namespace ms::imapsrv {

// Flag names as the codec returns them ("\Seen", "$Label") -> the model's Flags.
inline Flags to_flags(const std::vector<std::string>& names) {
  std::string joined;
  for (const auto& n : names) joined += (joined.empty() ? "" : " ") + n;
  return flags_from_imap(joined);
}

// A mailbox name for a response: modified UTF-7, always as a string (quoted when it can be),
// as the engine has always written it in LIST.
inline std::string wire_mailbox(const std::string& utf8) {
  auto enc = imap::mutf7_encode(utf8);
  return imap::write_string(enc ? *enc : utf8);
}

}  // namespace ms::imapsrv
