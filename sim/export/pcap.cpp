// Ethernet II / IPv4 (RFC 791) / TCP (RFC 9293) framing of a run's connections, written with
// libpcap. Checksums per RFC 1071; TCP options MSS and window scale (RFC 7323 section 2) in the
// SYNs so that large transfers never look like a full window to an analyser.
#include "export/pcap.hpp"

#include <pcap/pcap.h>

#include <algorithm>
#include <limits>
#include <map>

#include "view/trace_index.hpp"

namespace ms {

namespace {

// Sim time 0 is 2014-03-03 09:00:00 UTC, the date the simulation's messages carry.
constexpr std::int64_t kEpochSeconds = 1393837200;
constexpr std::size_t kMss = 1460;
constexpr std::uint32_t kServerIp = 0x0A000001;  // 10.0.0.1
constexpr std::uint8_t kWindowShift = 7;

void put16(std::string& s, std::uint16_t v) {
  s += static_cast<char>(v >> 8);
  s += static_cast<char>(v & 0xff);
}
void put32(std::string& s, std::uint32_t v) {
  put16(s, static_cast<std::uint16_t>(v >> 16));
  put16(s, static_cast<std::uint16_t>(v & 0xffff));
}
void set16(std::string& s, std::size_t at, std::uint16_t v) {
  s[at] = static_cast<char>(v >> 8);
  s[at + 1] = static_cast<char>(v & 0xff);
}

enum : std::uint8_t { kFin = 0x01, kSyn = 0x02, kPsh = 0x08, kAck = 0x10 };

struct Endpoint {
  std::uint32_t ip = 0;
  std::uint16_t port = 0;
  std::uint32_t next_seq = 0;  // next sequence number this side sends
  std::uint32_t rcv_next = 0;  // next sequence number expected from the peer
  std::uint32_t acked = 0;     // last acknowledgement number this side sent
  std::uint16_t ip_id = 0;
};

std::string mac(std::uint32_t ip) {
  // Locally administered unicast addresses derived from the IP address.
  std::string m = {'\x02', '\x00'};
  put32(m, ip);
  return m;
}

std::string segment(Endpoint& from, const Endpoint& to, std::uint8_t flags, std::string_view data,
                    bool syn_options) {
  std::string tcp;
  put16(tcp, from.port);
  put16(tcp, to.port);
  put32(tcp, from.next_seq);
  put32(tcp, (flags & kAck) ? from.rcv_next : 0);
  std::size_t header = syn_options ? 28 : 20;
  tcp += static_cast<char>((header / 4) << 4);
  tcp += static_cast<char>(flags);
  put16(tcp, 0xffff);  // window: 65535 (scaled by 2^7 after the handshake)
  put16(tcp, 0);       // checksum, filled in below
  put16(tcp, 0);       // urgent pointer
  if (syn_options) {
    tcp += std::string{'\x02', '\x04'};
    put16(tcp, kMss);
    tcp += std::string{'\x01', '\x03', '\x03', static_cast<char>(kWindowShift)};
  }
  tcp.append(data);
  // Pseudo-header (RFC 9293 section 3.1): source, destination, zero, protocol, TCP length.
  std::uint32_t sum = (from.ip >> 16) + (from.ip & 0xffff) + (to.ip >> 16) + (to.ip & 0xffff) + 6 +
                      static_cast<std::uint32_t>(tcp.size());
  set16(tcp, 16, inet_checksum(tcp, sum));

  std::string ip;
  ip += '\x45';
  ip += '\x00';
  put16(ip, static_cast<std::uint16_t>(20 + tcp.size()));
  put16(ip, from.ip_id++);
  put16(ip, 0x4000);  // don't fragment
  ip += '\x40';       // TTL 64
  ip += '\x06';       // TCP
  put16(ip, 0);
  put32(ip, from.ip);
  put32(ip, to.ip);
  set16(ip, 10, inet_checksum(ip));

  std::string frame = mac(to.ip) + mac(from.ip);
  put16(frame, 0x0800);
  frame += ip;
  frame += tcp;

  std::uint32_t len = static_cast<std::uint32_t>(data.size());
  if (flags & (kSyn | kFin)) ++len;
  from.next_seq += len;
  if (flags & kAck) from.acked = from.rcv_next;
  return frame;
}

// `implicit_tls`: the connection is TLS from its first byte, on the RFC 8314 port.
std::uint16_t service_port(Proto p, bool from_internet, bool implicit_tls = false) {
  switch (p) {
    case Proto::POP3:
      return implicit_tls ? 995 : 110;
    case Proto::IMAP:
      return implicit_tls ? 993 : 143;
    case Proto::SMTP:
      return from_internet ? 25 : implicit_tls ? 465 : 587;
    default:
      return 0;
  }
}

// One TCP event of a connection, put in time order before being turned into frames.
struct Ev {
  Tick t;
  enum Kind { Syn, SynAck, HandshakeAck, Data, Deliver, Fin } kind;
  bool from_client = false;
  std::string_view data;  // Data: the payload
  std::uint32_t end = 0;  // Deliver: offset (from the sender's first data byte) now received
  bool push = false;      // Data: the last segment of a unit
};

struct ConnInfo {
  Proto proto = Proto::None;
  std::uint16_t client = 0;
  Tick open = -1, close = -1;
  bool dropped = false;
  std::vector<const Record*> wire;
};

std::uint32_t actor_ip(const view::TraceIndex& ix, std::uint16_t actor) {
  const std::uint32_t net = ix.proto() == Proto::IMAP ? 2 : 1;
  if (actor == ix.server()) return kServerIp;
  if (actor == ix.internet()) return 0xC0000200u | net;  // 192.0.2.x (RFC 5737 documentation range)
  // The world's own devices (those with settings) in join order; a real client (live mode)
  // gets an address from its actor.
  std::uint32_t i = 0;
  for (const view::TraceIndex::Device& d : ix.devices()) {
    if (d.settings.empty()) continue;
    if (d.id == actor) return 0x0A000000u | (net << 8) | (10 + i);
    ++i;
  }
  return 0x0A000000u | (net << 8) | (100 + actor % 150);
}

void connection_frames(const view::TraceIndex& ix, std::uint32_t id, const ConnInfo& c,
                       std::vector<PcapFrame>& out) {
  if (c.wire.empty()) return;
  Endpoint cl, sv;
  cl.ip = actor_ip(ix, c.client);
  sv.ip = kServerIp;
  cl.port = static_cast<std::uint16_t>(40000 + id % 20000);
  // Implicit TLS: the client's ClientHello, not the server's greeting, opens the connection.
  sv.port = service_port(c.proto, c.client == ix.internet(),
                         c.wire.front()->actor == c.client && !c.wire.front()->cipher.empty());
  cl.next_seq = 0x10000000u + id * 0x10000u;
  sv.next_seq = 0x80000000u + id * 0x10000u;

  // A one-way delay for the handshake and teardown: the quickest record's time on the wire.
  Tick ow = std::numeric_limits<Tick>::max();
  for (const Record* r : c.wire) ow = std::min(ow, std::max<Tick>(r->t_end - r->t, 1));
  Tick open = c.open >= 0 ? c.open : c.wire.front()->t;
  // A connection still open when the run ended gets no teardown.
  bool still_open = c.close < 0;
  Tick close = c.close;
  if (still_open)
    for (const Record* r : c.wire) close = std::max(close, r->t_end);

  std::vector<Ev> evs;
  evs.push_back({open - 2 * ow, Ev::Syn, true, {}, 0});
  evs.push_back({open - ow, Ev::SynAck, false, {}, 0});
  evs.push_back({open, Ev::HandshakeAck, true, {}, 0});
  std::uint32_t sent[2] = {0, 0};  // bytes sent so far by server (0) and client (1)
  for (const Record* r : c.wire) {
    bool fc = r->actor == c.client;
    // What crossed the link: over TLS the records, not the plaintext inside them.
    std::string_view text(r->cipher.empty() ? r->text : r->cipher);
    for (std::size_t off = 0; off < text.size(); off += kMss)  // nothing for an empty unit
      evs.push_back({r->t, Ev::Data, fc, text.substr(off, kMss), 0, off + kMss >= text.size()});
    sent[fc] += static_cast<std::uint32_t>(text.size());
    // A dropped link delivers nothing after the drop, so nothing is acknowledged either.
    if (!c.dropped || r->t_end <= close) evs.push_back({r->t_end, Ev::Deliver, !fc, {}, sent[fc]});
  }
  bool server_closes = c.wire.back()->actor != c.client;
  if (!c.dropped && !still_open) evs.push_back({close, Ev::Fin, !server_closes, {}, 0});
  std::stable_sort(evs.begin(), evs.end(), [](const Ev& a, const Ev& b) { return a.t < b.t; });

  const std::uint32_t base[2] = {sv.next_seq + 1, cl.next_seq + 1};  // first data byte
  for (std::size_t k = 0; k < evs.size(); ++k) {
    const Ev& e = evs[k];
    Endpoint& from = e.from_client ? cl : sv;
    Endpoint& to = e.from_client ? sv : cl;
    switch (e.kind) {
      case Ev::Syn:
        out.push_back({e.t, segment(cl, sv, kSyn, {}, true)});
        break;
      case Ev::SynAck:
        sv.rcv_next = cl.next_seq;
        out.push_back({e.t, segment(sv, cl, kSyn | kAck, {}, true)});
        break;
      case Ev::HandshakeAck:
        cl.rcv_next = sv.next_seq;
        out.push_back({e.t, segment(cl, sv, kAck, {}, false)});
        break;
      case Ev::Data:
        out.push_back({e.t, segment(from, to, e.push ? kAck | kPsh : kAck, e.data, false)});
        break;
      case Ev::Deliver: {
        // `from` is the receiver here: it acknowledges what the peer's record brought.
        std::uint32_t upto = base[!e.from_client] + e.end;
        if (upto - from.rcv_next < 0x80000000u) from.rcv_next = upto;
        // No separate ACK when the receiver answers at once: its data segment carries the ACK.
        bool answers = false;
        for (std::size_t j = k + 1; j < evs.size() && evs[j].t == e.t; ++j)
          answers |= evs[j].kind == Ev::Data && evs[j].from_client == e.from_client;
        if (from.rcv_next != from.acked && !answers)
          out.push_back({e.t, segment(from, to, kAck, {}, false)});
        break;
      }
      case Ev::Fin: {
        // The closer's FIN, the peer's FIN+ACK, and the closer's last ACK.
        out.push_back({e.t, segment(from, to, kFin | kAck, {}, false)});
        to.rcv_next = from.next_seq;
        out.push_back({e.t + ow, segment(to, from, kFin | kAck, {}, false)});
        from.rcv_next = to.next_seq;
        out.push_back({e.t + 2 * ow, segment(from, to, kAck, {}, false)});
        break;
      }
    }
  }
}

}  // namespace

std::uint16_t inet_checksum(std::string_view data, std::uint32_t sum) {
  std::uint64_t s = sum;
  for (std::size_t i = 0; i + 1 < data.size(); i += 2)
    s += (static_cast<std::uint8_t>(data[i]) << 8) | static_cast<std::uint8_t>(data[i + 1]);
  if (data.size() % 2) s += static_cast<std::uint8_t>(data.back()) << 8;
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return static_cast<std::uint16_t>(~s & 0xffff);
}

std::string pcap_actor_address(const World& w, std::uint16_t actor) {
  view::TraceIndex ix;
  ix.extend(w.trace());
  std::uint32_t ip = actor_ip(ix, actor);
  return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 0xff) + "." +
         std::to_string((ip >> 8) & 0xff) + "." + std::to_string(ip & 0xff);
}

std::vector<PcapFrame> pcap_frames(const std::vector<const World*>& worlds) {
  std::vector<PcapFrame> out;
  for (const World* w : worlds) {
    const Trace& tr = w->trace();
    view::TraceIndex ix;
    ix.extend(tr);
    const std::uint16_t server = ix.server();
    std::map<std::uint32_t, ConnInfo> conns;
    for (const auto& r : tr.records()) {
      if (!r.conn) continue;
      ConnInfo& c = conns[r.conn];
      if (r.kind == RecKind::Wire) {
        c.wire.push_back(&r);
        c.proto = r.proto;
        c.client = r.actor == server ? r.peer : r.actor;
      } else if (r.kind == RecKind::Event && r.actor != server) {
        if (r.ev == EventKind::Connected && c.open < 0) c.open = r.t;
        if (r.ev == EventKind::Closed) c.close = r.t;
        if (r.ev == EventKind::Dropped) c.close = r.t, c.dropped = true;
      }
    }
    for (const auto& [id, c] : conns) connection_frames(ix, id, c, out);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const PcapFrame& a, const PcapFrame& b) { return a.t < b.t; });
  return out;
}

std::string write_pcap(const std::vector<PcapFrame>& frames, const std::string& path) {
  pcap_t* p = pcap_open_dead(DLT_EN10MB, 65535);
  if (!p) return "cannot create a capture handle";
  pcap_dumper_t* d = pcap_dump_open(p, path.c_str());
  if (!d) {
    std::string err = pcap_geterr(p);
    pcap_close(p);
    return err;
  }
  for (const auto& f : frames) {
    pcap_pkthdr h{};
    std::int64_t us = kEpochSeconds * 1'000'000 + f.t;
    h.ts.tv_sec = static_cast<time_t>(us / 1'000'000);
    h.ts.tv_usec = static_cast<suseconds_t>(us % 1'000'000);
    h.caplen = h.len = static_cast<bpf_u_int32>(f.bytes.size());
    pcap_dump(reinterpret_cast<u_char*>(d), &h, reinterpret_cast<const u_char*>(f.bytes.data()));
  }
  bool ok = pcap_dump_flush(d) == 0;
  pcap_dump_close(d);
  pcap_close(p);
  return ok ? "" : "cannot write " + path;
}

std::string tls_keylog(const std::vector<const World*>& worlds) {
  std::string out;
  for (const World* w : worlds)
    if (const tls::Context* c = w->tls_context_if_used())
      for (const auto& line : c->keylog()) out += line + "\n";
  return out;
}

}  // namespace ms
