#pragma once
// One end of a connection as it meets the wire: an engine, with or without TLS between it and
// the link. Without TLS the engine's units go out as they are. With TLS (implicit from the
// first byte, RFC 8314, or after STARTTLS/STLS when the engine asks) every unit becomes TLS
// records, and what arrives is decrypted before the engine sees it. Sans-I/O like the engines:
// the simulated link and the tests carry the bytes.
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "proto/engine.hpp"
#include "tls/tls.hpp"
#include "trace/settings.hpp"  // Security

namespace ms {

// The standard port of a service under a connection security: IMAP 143/993, POP3 110/995,
// submission 587/465 (RFC 8314 section 3.3), relay 25 (which has no implicit-TLS port).
enum class Service : std::uint8_t { Imap, Pop3, Submission, Relay };
int standard_port(Service svc, Security s);

class SecureEnd {
 public:
  // `ctx` may be null only for Security::None. A client checks the certificate at `now`
  // (seconds since 1970, the simulation's clock).
  SecureEnd(Engine& engine, tls::Role role, Security security, tls::Context* ctx,
            std::int64_t now = tls::kSimEpoch);

  struct Unit {
    std::string wire;   // the bytes that cross the link
    std::string plain;  // what the engine said in them ("" for a TLS handshake flight)
    bool tls = false;   // `wire` is TLS records
  };
  // Bytes from the link.
  void receive(std::string_view wire);
  // What to send now, in order.
  std::vector<Unit> take_units();

  bool tls_on() const { return tls_ != nullptr; }
  const tls::Session* session() const { return tls_.get(); }
  // A TLS failure (bad certificate, garbage instead of a record): the connection must end.
  bool failed() const { return tls_ && tls_->failed(); }
  std::string error() const { return tls_ ? tls_->error() : std::string(); }
  // True once, when the handshake has just completed (for the carrier to record it).
  bool take_handshake_done() { return std::exchange(announce_, false); }

 private:
  void start_tls();
  Engine& engine_;
  tls::Role role_;
  tls::Context* ctx_;
  std::int64_t now_;
  std::unique_ptr<tls::Session> tls_;
  std::deque<std::string> held_;  // engine units waiting for the handshake
  bool started_ = false, announce_ = false;
};

}  // namespace ms
