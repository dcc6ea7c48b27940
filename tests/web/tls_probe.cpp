// TLS probe for the web build (scripts/web-test.sh): one TLS handshake between a client and a
// server over memory BIOs, with a seeded random source, printed byte for byte. Built natively
// against Debian's libssl and in wasm against OpenSSL built from Debian's source by
// scripts/web.sh (trimmed with no-* options); tls_probe.sh requires both outputs to be equal.
// That proves two things: the wasm OpenSSL is deterministic as the native one is, and the
// options left out of the wasm build change nothing a handshake sends.
//
// Usage: tls-probe SEED tls13|defaults
//   tls13:    TLS 1.3 only, as sim/tls sets it up.
//   defaults: the library's own lists (versions, cipher suites, groups, signature algorithms),
//             so that a no-* option removing anything the ClientHello offers shows as a
//             difference. No configuration file is read on either side (Debian's
//             /etc/ssl/openssl.cnf would otherwise change the native defaults).
// Output: every flight as "C>S n hex" / "S>C n hex", the key log, the negotiated version and
// cipher, and an FNV-1a hash of all wire bytes. The OpenSSL version goes to stderr (native and
// wasm may be different 3.0.x patch releases; the bytes must still agree).
#define OPENSSL_SUPPRESS_DEPRECATED  // RAND_METHOD: a process-wide source is enough for a probe
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

std::uint64_t g_state = 0;

std::uint64_t splitmix() {
  std::uint64_t z = (g_state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

int seeded_bytes(unsigned char* out, int n) {
  for (int i = 0; i < n; i += 8) {
    std::uint64_t x = splitmix();
    for (int k = 0; k < 8 && i + k < n; ++k) out[i + k] = static_cast<unsigned char>(x >> (8 * k));
  }
  return 1;
}
int seeded_status() { return 1; }

RAND_METHOD g_method = {nullptr, seeded_bytes, nullptr, nullptr, seeded_bytes, seeded_status};

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "tls-probe: %s\n", what);
  ERR_print_errors_fp(stderr);
  std::exit(1);
}

std::uint64_t g_hash = 0xcbf29ce484222325ULL;
std::size_t g_wire = 0;

// Moves what `from` wrote to `to`'s input, printing it as one flight.
void flight(BIO* from, BIO* to, const char* dir) {
  char buf[16384];
  std::string all;
  int n;
  while ((n = BIO_read(from, buf, sizeof buf)) > 0) all.append(buf, static_cast<std::size_t>(n));
  if (all.empty()) return;
  std::printf("%s %zu ", dir, all.size());
  for (unsigned char c : all) {
    std::printf("%02x", c);
    g_hash = (g_hash ^ c) * 0x100000001b3ULL;
  }
  std::printf("\n");
  g_wire += all.size();
  if (BIO_write(to, all.data(), static_cast<int>(all.size())) != static_cast<int>(all.size()))
    die("BIO_write");
}

void keylog(const SSL*, const char* line) { std::printf("keylog %s\n", line); }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: tls-probe SEED tls13|defaults\n");
    return 2;
  }
  g_state = std::strtoull(argv[1], nullptr, 10);
  const bool tls13 = std::strcmp(argv[2], "tls13") == 0;
  if (!tls13 && std::strcmp(argv[2], "defaults") != 0) die("mode is tls13 or defaults");
  if (!OPENSSL_init_ssl(OPENSSL_INIT_NO_LOAD_CONFIG, nullptr)) die("OPENSSL_init_ssl");
  if (!RAND_set_rand_method(&g_method)) die("RAND_set_rand_method");
  std::fprintf(stderr, "tls-probe: %s\n", OpenSSL_version(OPENSSL_VERSION));

  // An Ed25519 key from the seed (its signatures are deterministic) and a self-signed
  // certificate with fixed dates.
  unsigned char sk[32];
  seeded_bytes(sk, sizeof sk);
  EVP_PKEY* key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, sk, sizeof sk);
  X509* cert = X509_new();
  if (!key || !cert) die("key or certificate");
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_NAME* name = X509_get_subject_name(cert);
  const auto* cn = reinterpret_cast<const unsigned char*>("mail.example.test");
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, cn, -1, -1, 0);
  X509_set_issuer_name(cert, name);
  ASN1_TIME_set_string(X509_getm_notBefore(cert), "20260101000000Z");
  ASN1_TIME_set_string(X509_getm_notAfter(cert), "20360101000000Z");
  X509_set_pubkey(cert, key);
  if (!X509_sign(cert, key, nullptr)) die("X509_sign");

  SSL_CTX* sctx = SSL_CTX_new(TLS_server_method());
  SSL_CTX* cctx = SSL_CTX_new(TLS_client_method());
  if (!sctx || !cctx) die("SSL_CTX_new");
  for (SSL_CTX* c : {sctx, cctx}) {
    SSL_CTX_set_num_tickets(c, 0);  // a ticket carries the time
    SSL_CTX_set_options(c, SSL_OP_NO_TICKET);
    SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_keylog_callback(c, keylog);
    if (tls13) SSL_CTX_set_min_proto_version(c, TLS1_3_VERSION);
  }
  if (SSL_CTX_use_certificate(sctx, cert) != 1 || SSL_CTX_use_PrivateKey(sctx, key) != 1)
    die("server certificate");
  X509_STORE_add_cert(SSL_CTX_get_cert_store(cctx), cert);
  SSL_CTX_set_verify(cctx, SSL_VERIFY_PEER, nullptr);
  X509_VERIFY_PARAM_set_time(SSL_CTX_get0_param(cctx), 1767225600);  // 2026-01-01

  SSL* client = SSL_new(cctx);
  SSL* server = SSL_new(sctx);
  BIO* c_in = BIO_new(BIO_s_mem());
  BIO* c_out = BIO_new(BIO_s_mem());
  BIO* s_in = BIO_new(BIO_s_mem());
  BIO* s_out = BIO_new(BIO_s_mem());
  SSL_set_bio(client, c_in, c_out);
  SSL_set_bio(server, s_in, s_out);
  SSL_set_tlsext_host_name(client, "mail.example.test");
  SSL_set1_host(client, "mail.example.test");
  SSL_set_connect_state(client);
  SSL_set_accept_state(server);

  for (int round = 0; round < 10 && !(SSL_is_init_finished(client) && SSL_is_init_finished(server));
       ++round) {
    SSL_do_handshake(client);
    flight(c_out, s_in, "C>S");
    SSL_do_handshake(server);
    flight(s_out, c_in, "S>C");
  }
  if (!SSL_is_init_finished(client) || !SSL_is_init_finished(server)) die("handshake");

  // An IMAP greeting and a command inside the tunnel (RFC 3501 section 7.1.1, 6.1.3).
  const char greeting[] = "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n";
  const char logout[] = "a1 LOGOUT\r\n";
  char buf[256];
  if (SSL_write(server, greeting, sizeof greeting - 1) <= 0) die("server write");
  flight(s_out, c_in, "S>C");
  int n = SSL_read(client, buf, sizeof buf);
  if (n != static_cast<int>(sizeof greeting - 1) || std::memcmp(buf, greeting, n) != 0)
    die("client read");
  if (SSL_write(client, logout, sizeof logout - 1) <= 0) die("client write");
  flight(c_out, s_in, "C>S");
  n = SSL_read(server, buf, sizeof buf);
  if (n != static_cast<int>(sizeof logout - 1)) die("server read");
  SSL_shutdown(client);
  flight(c_out, s_in, "C>S");

  std::printf("version %s cipher %s\n", SSL_get_version(client),
              SSL_CIPHER_get_name(SSL_get_current_cipher(client)));
  std::printf("wire %zu bytes fnv1a %016llx\n", g_wire, static_cast<unsigned long long>(g_hash));
  SSL_free(client);
  SSL_free(server);
  SSL_CTX_free(cctx);
  SSL_CTX_free(sctx);
  X509_free(cert);
  EVP_PKEY_free(key);
  return 0;
}
