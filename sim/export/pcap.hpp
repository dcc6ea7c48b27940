#pragma once
// Packet capture export: every connection of a run framed as real Ethernet/IPv4/TCP, so that
// Wireshark or tshark dissect the POP3, IMAP and SMTP exchanges exactly as they would on a
// network. The simulation has no TCP (engines exchange whole units); the TCP framing here is
// synthesised from the trace: a three-way handshake when a connection opens, each Wire record
// as data segments (at most 1460 octets, RFC 879 default MSS) sent at the record's time and
// acknowledged by the peer when it arrived (t_end), and a FIN exchange when it closes.
#include <cstdint>
#include <string>
#include <vector>

#include "world/world.hpp"

namespace ms {

struct PcapFrame {
  Tick t = 0;         // sim time; the file's clock starts at 2014-03-03 09:00:00 UTC
  std::string bytes;  // a whole Ethernet II frame
};

// Addresses: the server is 10.0.0.1; devices in the POP3 world are 10.0.1.x and in the IMAP
// world 10.0.2.x (x = 10, 11, ... in the order devices joined); "internet" (outside mail
// servers) is 192.0.2.1 in the POP3 world and 192.0.2.2 in the IMAP world. Ports: POP3 110,
// IMAP 143, SMTP submission 587 from devices, SMTP relay 25 from the internet; a connection
// in TLS from its first byte uses the implicit-TLS port (RFC 8314: 995, 993, 465). Over TLS
// the TCP payload is the TLS records (the trace's `cipher`), which a key log decrypts.
std::string pcap_actor_address(const World& w, std::uint16_t actor);

// The frames of every connection of the given worlds, in time order.
std::vector<PcapFrame> pcap_frames(const std::vector<const World*>& worlds);

// Writes the frames with libpcap (LINKTYPE_ETHERNET). Returns "" or an error message.
std::string write_pcap(const std::vector<PcapFrame>& frames, const std::string& path);

// The NSS key log of every TLS session of the worlds (for Wireshark's tls.keylog_file); ""
// when no world used TLS.
std::string tls_keylog(const std::vector<const World*>& worlds);

// RFC 1071 Internet checksum over `data` with an initial partial sum.
std::uint16_t inet_checksum(std::string_view data, std::uint32_t sum = 0);

}  // namespace ms
