#pragma once
// Sync state at a glance: for one message, a badge on every copy of it in a world's view at the
// cursor (server account and device stores). Pure: no ImGui, so the rules are unit-tested.
#include <cstdint>
#include <string>
#include <vector>

#include "trace/trace.hpp"

namespace ms {

enum class Badge : std::uint8_t {
  Server,     // the server's copy: the reference the device copies are compared with
  InSync,     // IMAP device copy whose flags equal the server copy's
  Stale,      // IMAP device copy whose flags differ from the server copy's
  OwnCopy,    // POP3 download kept on one device while the server keeps the original
  LocalOnly,  // device copy with no copy on the server
  Duplicate,  // several devices each hold their own copy that no server copy ties together
  Lost,       // copy on a lost device: gone with the device
};

// Short text shown on the badge ("in sync", "stale", ...): meaning never rests on colour alone.
const char* badge_text(Badge b);
// One sentence for a tooltip.
const char* badge_explain(Badge b);

struct CopyBadge {
  std::uint16_t actor = 0;
  std::string folder;
  std::uint32_t uid = 0;
  Flags flags;
  Badge badge = Badge::Server;
};

// Badges of every copy of trace message `msg` in `v`, in actor order then folder order.
// `proto` is the world's mail-access protocol; `server` the server's actor id.
// Rules, per device copy (first match wins):
//   1. the device is lost                                    -> Lost
//   2. no server copy and 2+ live devices hold the message   -> Duplicate
//   3. no server copy                                        -> LocalOnly
//   4. POP3 and 2+ live devices hold the message             -> Duplicate (leave-on-server: each
//      device downloaded its own copy; the server never learns about them)
//   5. POP3                                                  -> OwnCopy
//   6. IMAP: flags equal the server copy's                   -> InSync, else Stale. The server
//      copy compared with is the one in the folder of the same name, else the first one.
// "Live devices" are present, not lost, and hold the message in any folder (a device counts
// once however many folders hold it). Server copies get Server.
void sync_badges(const WorldView& v, std::uint16_t server, Proto proto, std::uint32_t msg,
                 std::vector<CopyBadge>& out);

}  // namespace ms
