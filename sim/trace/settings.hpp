#pragma once
// A device's settings: its link and its mail app's policies. The world runs with them, and the
// trace records them (a Settings record when a device joins and whenever they change), so that
// what the views show of them comes from the trace like everything else.
#include <cstddef>
#include <cstdint>
#include <string>

#include "model/message.hpp"  // Tick

namespace ms {

// A network path between a device and the server. Time on the wire for a unit of n bytes is
// latency + n * 8 / bandwidth; units queue behind each other per direction.
struct LinkSpec {
  Tick latency = 20'000;  // 20 ms (the trace's clock counts microseconds)
  std::uint64_t bits_per_second = 20'000'000;  // broadband
  Tick transfer_time(std::size_t bytes) const {
    return static_cast<Tick>(bytes * 8ull * 1'000'000ull / (bits_per_second ? bits_per_second : 1));
  }
};

// POP3 client settings, named as mail apps name them.
struct Pop3Policy {
  bool leave_on_server = false;             // "Leave a copy of messages on the server"
  int delete_after_days = 0;                // "...until they are older than N days" (0: never)
  bool delete_when_deleted_locally = false; // "...until I delete them"
  int check_every_minutes = 0;              // "Check for new messages every N minutes" (0: manual)
  bool headers_first = false;               // "Download headers only" (TOP n 0), bodies on demand
  bool recent_mode = false;                 // Gmail: log in as "recent:user" (re-offers mail)
};

// IMAP client settings, named as mail apps name them.
struct ImapPolicy {
  enum class OnDelete : std::uint8_t { MoveToTrash, MarkDeleted, RemoveImmediately };
  OnDelete on_delete = OnDelete::MoveToTrash;  // "When I delete a message: move it to Trash"
  bool idle = true;                            // "Allow immediate server notifications" (IDLE)
  int check_every_minutes = 0;                 // polling interval when IDLE is off
  bool offline_cache = true;                   // "Keep messages for this account on this computer"
  bool save_sent_on_server = true;             // "Place a copy in Sent" (APPEND to \Sent)
  bool bodies_on_demand = false;               // headers first, bodies fetched when read
  // Resynchronise with CONDSTORE/QRESYNC (RFC 7162) when the server offers them; Thunderbird
  // names this pref "use_condstore". Off: every sync lists all UIDs and flags.
  bool use_condstore = true;
};
// "move to trash", "mark as deleted", "remove immediately": as lessons and profiles say it.
const char* on_delete_name(ImapPolicy::OnDelete d);

// Connection security as mail apps name it (Thunderbird: "None", "STARTTLS", "SSL/TLS"):
// none, STARTTLS on the plain port (RFC 3501 6.2.1, RFC 2595 4, RFC 3207), or TLS from the
// first byte on the implicit-TLS port (RFC 8314).
enum class Security : std::uint8_t { None, StartTls, Tls };
const char* security_name(Security s);   // "none", "starttls", "tls": as lessons and traces say
const char* security_title(Security s);  // "None", "STARTTLS", "SSL/TLS": as mail apps say
bool parse_security(const std::string& s, Security& out);

// What a device's Settings record holds: everything about it a view may show besides its
// store (the lesson's DeviceSpec adds its name, kind and login).
struct DeviceSettings {
  std::string client;  // the client preset's title ("Thunderbird"), shown on the device box
  LinkSpec link;
  Pop3Policy pop3;
  ImapPolicy imap;
  Security security = Security::None;  // every connection the device's apps open
};

}  // namespace ms
