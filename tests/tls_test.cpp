// The sans-I/O TLS layer (sim/tls): real TLS 1.3 records, the same bytes for the same seed.
#include <catch2/catch.hpp>

#include <string>

#include "tls/tls.hpp"

using namespace ms::tls;

namespace {

struct Run {
  std::string wire;  // every byte both ends sent, in order, each flight tagged by direction
  std::string client_got, server_got;
  std::string client_error;
  bool done = false;
};

// Moves the flights between a client and a server until neither has anything to send.
void shuttle(Session& c, Session& s, std::string& wire) {
  for (int round = 0; round < 20; ++round) {
    std::string up = c.take_ciphertext();
    if (!up.empty()) {
      wire += "C>" + up;
      s.receive(up);
    }
    std::string down = s.take_ciphertext();
    if (!down.empty()) {
      wire += "S>" + down;
      c.receive(down);
    }
    if (up.empty() && down.empty()) return;
  }
}

Run handshake(std::uint64_t seed, std::int64_t now = kSimEpoch + 86400) {
  Context ctx(seed);
  Session c(ctx, Role::Client, now), s(ctx, Role::Server);
  Run r;
  c.start();
  s.start();
  shuttle(c, s, r.wire);
  r.done = c.handshake_done() && s.handshake_done();
  if (r.done) {
    s.send("* OK IMAP4rev1 ready\r\n");
    c.send("a1 CAPABILITY\r\n");
    shuttle(c, s, r.wire);
  }
  r.client_got = c.take_plaintext();
  r.server_got = s.take_plaintext();
  r.client_error = c.error();
  return r;
}

}  // namespace

TEST_CASE("A TLS 1.3 handshake over memory buffers carries the plaintext both ways", "[tls]") {
  Run r = handshake(7);
  REQUIRE(r.client_error == "");
  REQUIRE(r.done);
  CHECK(r.client_got == "* OK IMAP4rev1 ready\r\n");
  CHECK(r.server_got == "a1 CAPABILITY\r\n");
  // The ClientHello is a handshake record (type 22) of TLS 1.0's record version (RFC 8446
  // section 5.1), and the greeting is nowhere in clear on the wire.
  CHECK(r.wire.substr(0, 5) == std::string("C>\x16\x03\x01", 5));
  CHECK(r.wire.find("IMAP4rev1") == std::string::npos);
  CHECK(r.wire.find("CAPABILITY") == std::string::npos);
}

TEST_CASE("Two runs with one seed give byte-identical TLS bytes; another seed differs", "[tls]") {
  Run a = handshake(42), b = handshake(42), c = handshake(43);
  REQUIRE(a.done);
  CHECK(a.wire.size() > 500);
  CHECK(a.wire == b.wire);
  CHECK(a.wire != c.wire);
  // Same sizes: only the random bytes (hello randoms, key shares, key) differ.
  CHECK(a.wire.size() == c.wire.size());
}

TEST_CASE("A certificate checked before its start date fails the handshake clearly", "[tls]") {
  Run r = handshake(7, kCertNotBefore - 1);
  CHECK_FALSE(r.done);
  CHECK(r.client_error == "certificate verify failed: certificate is not yet valid");
  CHECK(r.client_got == "");
  Run late = handshake(7, kCertNotAfter + 1);
  CHECK(late.client_error == "certificate verify failed: certificate has expired");
}

TEST_CASE("The world's certificate and its fingerprint come from the seed", "[tls]") {
  Context a(5), b(5), c(6);
  CHECK(a.certificate_pem() == b.certificate_pem());
  CHECK(a.certificate_pem() != c.certificate_pem());
  CHECK(a.certificate_pem().rfind("-----BEGIN CERTIFICATE-----", 0) == 0);
  CHECK(a.fingerprint_sha256().size() == 32 * 3 - 1);
  CHECK(a.server_name() == "mail.example.test");
}

TEST_CASE("Each TLS 1.3 session leaves NSS key-log lines for Wireshark", "[tls]") {
  Context ctx(9);
  Session c(ctx, Role::Client), s(ctx, Role::Server);
  std::string wire;
  c.start();
  shuttle(c, s, wire);
  REQUIRE(c.handshake_done());
  CHECK(c.version() == "TLSv1.3");
  CHECK(c.cipher() == "TLS_AES_256_GCM_SHA384");
  // Client and server each log the four TLS 1.3 secrets (RFC 8446 section 7.1).
  REQUIRE(ctx.keylog().size() == 10);
  int chts = 0;
  for (const auto& l : ctx.keylog())
    if (l.rfind("CLIENT_HANDSHAKE_TRAFFIC_SECRET ", 0) == 0) ++chts;
  CHECK(chts == 2);
  // "<label> <64 hex digits of client random> <96 hex digits of a SHA-384 secret>"
  CHECK(ctx.keylog()[0].size() == ctx.keylog()[0].find(' ') + 1 + 64 + 1 + 96);
}

TEST_CASE("Ciphertext splits into its TLS records", "[tls]") {
  std::string two = std::string("\x16\x03\x01\x00\x02", 5) + "ab" +
                    std::string("\x17\x03\x03\x00\x01", 5) + "z";
  auto rs = records_of(two);
  REQUIRE(rs.size() == 2);
  CHECK((rs[0].type == 22 && rs[0].size == 7));
  CHECK((rs[1].type == 23 && rs[1].size == 6));
  auto cut = records_of(std::string("\x17\x03\x03\x00\x10xy", 7));
  REQUIRE(cut.size() == 1);
  CHECK(cut[0].size == 7);
}
