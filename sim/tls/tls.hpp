#pragma once
// TLS for the simulated wire: a sans-I/O layer over OpenSSL (docs/tls-library.md). Ciphertext
// from the peer goes in, plaintext for the engine comes out, and the engine's plaintext comes
// back as genuine TLS records for the link. Nothing here opens a socket, starts a thread or
// reads a clock: the web build compiles this file as it is.
//
// Determinism: every world owns a Context, and the Context owns its own OpenSSL library
// context whose only random source is a generator seeded from the world's seed. Session
// tickets are off (they carry the time) and certificates are checked against the time the
// caller gives (the simulation clock), so the same seed gives byte-identical records.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

// OpenSSL's own types, declared here so that users of this header need not include OpenSSL.
struct ssl_st;
struct bio_st;

namespace ms::tls {

// 2014-03-03T09:00:00Z: the simulation's tick 0 as a date (ImapServer::kEpochUnix), for
// certificate checks. Simulated certificates are valid from two days before it for ten years.
constexpr std::int64_t kSimEpoch = 1393837200;
constexpr std::int64_t kCertNotBefore = kSimEpoch - 2LL * 24 * 3600;
constexpr std::int64_t kCertNotAfter = kSimEpoch + 10LL * 365 * 24 * 3600;

struct ContextImpl;

// One world's TLS: its seeded random source, its server's key and self-signed certificate
// (Ed25519: the signature itself is deterministic), and the key-log lines of every session.
class Context {
 public:
  // `server_name`: the DNS name in the certificate, which clients check.
  Context(std::uint64_t seed, std::string server_name = "mail.example.test");
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  const std::string& server_name() const;
  // The certificate as PEM, and its SHA-256 fingerprint as "AB:CD:...".
  std::string certificate_pem() const;
  std::string fingerprint_sha256() const;
  // NSS key-log lines ("CLIENT_HANDSHAKE_TRAFFIC_SECRET <client random> <secret>"), one per
  // secret of every session so far, in order: what `--tls-keylog` will write.
  const std::vector<std::string>& keylog() const;

  ContextImpl& impl() { return *impl_; }

 private:
  std::unique_ptr<ContextImpl> impl_;
};

enum class Role : std::uint8_t { Client, Server };

// One TLS connection end. Feed it what arrived from the peer; take what to send.
class Session {
 public:
  // `now`: the time certificates are checked against, in seconds since 1970 (a client only).
  Session(Context& ctx, Role role, std::int64_t now = kSimEpoch);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Starts the handshake (a client writes its ClientHello; a server waits).
  void start();
  // Ciphertext from the peer, in any fragmentation.
  void receive(std::string_view ciphertext);
  // Plaintext to protect; held back until the handshake is done.
  void send(std::string_view plaintext);
  // Sends close_notify.
  void close();

  // The ciphertext to put on the wire (whole TLS records), "" when nothing is due.
  std::string take_ciphertext();
  // The plaintext the peer sent, "" when none.
  std::string take_plaintext();

  bool handshake_done() const { return done_; }
  bool failed() const { return !error_.empty(); }
  // Why the handshake or a record failed ("certificate verify failed: certificate is not yet
  // valid"), "" while all is well.
  const std::string& error() const { return error_; }
  bool peer_closed() const { return peer_closed_; }
  // After the handshake: "TLSv1.3", "TLS_AES_256_GCM_SHA384".
  std::string version() const;
  std::string cipher() const;

 private:
  void advance();
  void fail(const char* what, int ssl_error);
  Context& ctx_;
  Role role_;
  ::ssl_st* ssl_ = nullptr;
  ::bio_st* in_ = nullptr;   // ciphertext from the peer (OpenSSL reads it)
  ::bio_st* out_ = nullptr;  // ciphertext for the peer (OpenSSL writes it)
  std::vector<std::string> pending_;  // plaintext units waiting for the handshake
  std::string plain_;             // plaintext received
  std::string error_;
  bool started_ = false, done_ = false, peer_closed_ = false;
};

// A TLS record as it crosses the wire: its content type (20 change_cipher_spec, 21 alert,
// 22 handshake, 23 application_data) and its length including the 5-byte header.
struct RecordInfo {
  std::uint8_t type = 0;
  std::uint32_t size = 0;
};
// Splits ciphertext into its records; a trailing incomplete record is reported with the bytes
// present.
std::vector<RecordInfo> records_of(std::string_view ciphertext);

}  // namespace ms::tls
