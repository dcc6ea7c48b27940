// sim/tls's own handshake for the web build's comparison (tls_probe.sh): a world's Context from
// a seed, a client and a server Session, one IMAP greeting and one command inside the tunnel.
// Prints every flight in hex, the key log and the certificate's fingerprint: natively (Debian's
// libssl) and in wasm (OpenSSL from Debian's source) they must be the same bytes.
// Usage: tls-sim-probe SEED sim
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

#include "tls/tls.hpp"

namespace {

void flight(const char* dir, const std::string& bytes, ms::tls::Session& to) {
  if (bytes.empty()) return;
  std::printf("%s %zu ", dir, bytes.size());
  for (unsigned char c : bytes) std::printf("%02x", c);
  std::printf("\n");
  to.receive(bytes);
}

void shuttle(ms::tls::Session& c, ms::tls::Session& s) {
  for (int round = 0; round < 20; ++round) {
    std::string up = c.take_ciphertext();
    flight("C>S", up, s);
    std::string down = s.take_ciphertext();
    flight("S>C", down, c);
    if (up.empty() && down.empty()) return;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || std::strcmp(argv[2], "sim") != 0) {
    std::fprintf(stderr, "usage: tls-sim-probe SEED sim\n");
    return 2;
  }
  try {
    ms::tls::Context ctx(std::strtoull(argv[1], nullptr, 10));
    ms::tls::Session c(ctx, ms::tls::Role::Client), s(ctx, ms::tls::Role::Server);
    c.start();
    s.start();
    shuttle(c, s);
    if (!c.handshake_done() || !s.handshake_done()) {
      std::fprintf(stderr, "tls-sim-probe: handshake: %s %s\n", c.error().c_str(),
                   s.error().c_str());
      return 1;
    }
    s.send("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n");  // RFC 3501 section 7.1.1
    c.send("a1 LOGOUT\r\n");
    shuttle(c, s);
    std::printf("client got %zu bytes, server got %zu bytes\n", c.take_plaintext().size(),
                s.take_plaintext().size());
    for (const std::string& line : ctx.keylog()) std::printf("keylog %s\n", line.c_str());
    std::printf("fingerprint %s\nversion %s cipher %s\n", ctx.fingerprint_sha256().c_str(),
                c.version().c_str(), c.cipher().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tls-sim-probe: %s\n", e.what());
    return 1;
  }
  std::fprintf(stderr, "tls-sim-probe: sim/tls\n");
  return 0;
}
