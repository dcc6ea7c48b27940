#pragma once
// Live mode: the simulated mail server answers real mail clients (Thunderbird, curl, fetchmail,
// Python's imaplib/poplib/smtplib) over TCP. The sans-I/O server engines of the simulation do
// all the protocol work; this driver only moves bytes between sockets and engines and records
// them in the world's trace exactly as a simulated connection would (Device "added", Wire per
// unit, Event per engine event), so a live session shows up like a simulated one. A client
// that names itself with IMAP ID (RFC 2971) gets a Device "renamed" record with that name.
//
// This is the only place with socket code; it is a separate library (mailscope_live) so that
// mailscope_sim stays headless (see sim/CMakeLists.txt). Asio stays out of this header (pimpl)
// so the GUI can include it without the Asio headers.
//
// Limits against hostile or broken peers: line lengths are enforced by the engines; at most
// `max_connections` at once (beyond that a client gets the protocol's "too busy" reply and is
// closed); an idle timeout per protocol at the RFCs' minimums (RFC 3501 section 5.4: 30 minutes,
// RFC 1939 section 3: 10 minutes, RFC 5321 section 4.5.3.2.7: 5 minutes); output queued for a
// connection beyond `max_output` stops reading from it until it drains, and beyond
// `drop_output` the connection is dropped.
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "world/world.hpp"

namespace ms {

struct LiveConfig {
  std::string bind = "127.0.0.1";
  // Port per protocol; 0 lets the system pick a free port; -1 disables that listener.
  int imap_port = 1143;
  int pop3_port = 1110;
  int smtp_port = 1587;
  std::size_t max_connections = 256;
  Tick idle_imap = 30 * kMinute;
  Tick idle_pop3 = 10 * kMinute;
  Tick idle_smtp = 5 * kMinute;
  std::size_t max_output = 1u << 20;     // pause reading above this much queued output
  std::size_t drop_output = 64u << 20;   // drop the connection above this
  bool handle_signals = true;            // run() returns on SIGINT / SIGTERM
};

struct LiveListener {
  Proto proto = Proto::None;
  std::string address;  // "127.0.0.1"
  int port = 0;
};

struct LiveError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// True when `addr` parses as an IP address; `loopback` tells whether it is 127.0.0.0/8 or ::1.
bool parse_bind_address(const std::string& addr, bool& loopback);

// Serves the world's mail server to real clients. Single-threaded: every handler runs on the
// thread that calls run() or poll(), the same one that owns the world, so no locking is needed
// and there is no data race for ThreadSanitizer to look for.
class LiveServer {
 public:
  LiveServer(World& world, LiveConfig cfg = {});
  ~LiveServer();
  LiveServer(const LiveServer&) = delete;
  LiveServer& operator=(const LiveServer&) = delete;

  // Binds and listens on every enabled port; throws LiveError naming the port on failure.
  std::vector<LiveListener> listen();
  // Serves until stop() or (with handle_signals) SIGINT/SIGTERM, then closes every
  // connection with the protocol's goodbye and returns. The world's clock follows real time
  // from the first call: one simulated tick per microsecond.
  void run();
  // Runs whatever is ready without blocking (for a GUI frame loop); false once stopped.
  bool poll();
  void stop();
  std::size_t connections() const;
  // Connections that have ended since listen() (closed by either side, dropped or timed out).
  std::size_t finished_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ms
