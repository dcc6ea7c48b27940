#pragma once
// Small helpers shared by the IMAP server's command files (not part of any public API).
#include <string>
#include <vector>

#include "model/message.hpp"
#include "model/store.hpp"
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

// The UIDs among `known` (ascending, merged ranges) that were expunged after mod-sequence
// `since`, as a uid-set ("" when none). When the folder no longer remembers expunges that
// old, every known UID that does not exist is listed (RFC 7162 section 3.2.5.1 allows it).
std::string vanished_since(const Folder& f, std::uint64_t since,
                           const std::vector<imap::SeqRange>& known);

}  // namespace ms::imapsrv
