#include "tls/tls.hpp"

#include <openssl/bio.h>
#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/provider.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstdio>
#include <utility>
#include <stdexcept>

namespace ms::tls {

// ---- The seeded random source ---------------------------------------------------------------
//
// A RAND provider ("MAILSCOPE-SEEDED") added to each world's own OSSL_LIB_CTX and made that
// context's DRBG type, so that every random byte OpenSSL draws for the world (hello randoms,
// key shares, the certificate's key) comes from the world's seed. Chosen over the legacy
// RAND_METHOD, which is process-wide: two worlds (the POP3 and the IMAP world of one lesson)
// would share one stream and each world's bytes would depend on the other's. A provider costs
// about a hundred lines and keeps every world independent.
//
// The generator is SplitMix64: deterministic and fast, not secure. The simulated wire needs
// reproducible bytes, not secrecy (the key log hands out every secret anyway); live mode never
// uses this context.
namespace {

struct SeededRand {
  std::uint64_t state = 0;
  int st = EVP_RAND_STATE_UNINITIALISED;
};

std::uint64_t splitmix(std::uint64_t& s) {
  std::uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

constexpr const char* kSeedParam = "mailscope-seed";

void* rand_new(void*, void*, const OSSL_DISPATCH*) { return new SeededRand; }
void rand_free(void* v) { delete static_cast<SeededRand*>(v); }
int rand_instantiate(void* v, unsigned int, int, const unsigned char*, size_t, const OSSL_PARAM[]) {
  static_cast<SeededRand*>(v)->st = EVP_RAND_STATE_READY;
  return 1;
}
int rand_uninstantiate(void* v) {
  static_cast<SeededRand*>(v)->st = EVP_RAND_STATE_UNINITIALISED;
  return 1;
}
int rand_generate(void* v, unsigned char* out, size_t n, unsigned int, int, const unsigned char*,
                  size_t) {
  auto* r = static_cast<SeededRand*>(v);
  for (size_t i = 0; i < n; i += 8) {
    std::uint64_t x = splitmix(r->state);
    for (size_t k = 0; k < 8 && i + k < n; ++k) out[i + k] = static_cast<unsigned char>(x >> (8 * k));
  }
  return 1;
}
int rand_enable_locking(void*) { return 1; }  // one thread per world: nothing to lock
int rand_get_params(void* v, OSSL_PARAM params[]) {
  OSSL_PARAM* p;
  if ((p = OSSL_PARAM_locate(params, OSSL_RAND_PARAM_STATE)) &&
      !OSSL_PARAM_set_int(p, static_cast<SeededRand*>(v)->st))
    return 0;
  if ((p = OSSL_PARAM_locate(params, OSSL_RAND_PARAM_STRENGTH)) && !OSSL_PARAM_set_uint(p, 256))
    return 0;
  if ((p = OSSL_PARAM_locate(params, OSSL_RAND_PARAM_MAX_REQUEST)) &&
      !OSSL_PARAM_set_size_t(p, 1 << 16))
    return 0;
  return 1;
}
const OSSL_PARAM* rand_gettable(void*, void*) {
  static const OSSL_PARAM known[] = {OSSL_PARAM_int(OSSL_RAND_PARAM_STATE, nullptr),
                                     OSSL_PARAM_uint(OSSL_RAND_PARAM_STRENGTH, nullptr),
                                     OSSL_PARAM_size_t(OSSL_RAND_PARAM_MAX_REQUEST, nullptr),
                                     OSSL_PARAM_END};
  return known;
}
int rand_set_params(void* v, const OSSL_PARAM params[]) {
  const OSSL_PARAM* p = OSSL_PARAM_locate_const(params, kSeedParam);
  if (p) {
    std::uint64_t s = 0;
    if (!OSSL_PARAM_get_uint64(p, &s)) return 0;
    static_cast<SeededRand*>(v)->state = s;
  }
  return 1;
}
const OSSL_PARAM* rand_settable(void*, void*) {
  static const OSSL_PARAM known[] = {OSSL_PARAM_uint64(kSeedParam, nullptr), OSSL_PARAM_END};
  return known;
}

using Fn = void (*)(void);
const OSSL_DISPATCH kRandFns[] = {
    {OSSL_FUNC_RAND_NEWCTX, reinterpret_cast<Fn>(rand_new)},
    {OSSL_FUNC_RAND_FREECTX, reinterpret_cast<Fn>(rand_free)},
    {OSSL_FUNC_RAND_INSTANTIATE, reinterpret_cast<Fn>(rand_instantiate)},
    {OSSL_FUNC_RAND_UNINSTANTIATE, reinterpret_cast<Fn>(rand_uninstantiate)},
    {OSSL_FUNC_RAND_GENERATE, reinterpret_cast<Fn>(rand_generate)},
    {OSSL_FUNC_RAND_ENABLE_LOCKING, reinterpret_cast<Fn>(rand_enable_locking)},
    {OSSL_FUNC_RAND_GET_CTX_PARAMS, reinterpret_cast<Fn>(rand_get_params)},
    {OSSL_FUNC_RAND_GETTABLE_CTX_PARAMS, reinterpret_cast<Fn>(rand_gettable)},
    {OSSL_FUNC_RAND_SET_CTX_PARAMS, reinterpret_cast<Fn>(rand_set_params)},
    {OSSL_FUNC_RAND_SETTABLE_CTX_PARAMS, reinterpret_cast<Fn>(rand_settable)},
    {0, nullptr}};
const OSSL_ALGORITHM kRandAlgs[] = {
    {"MAILSCOPE-SEEDED", "provider=mailscope-seeded", kRandFns, nullptr},
    {nullptr, nullptr, nullptr, nullptr}};

const OSSL_ALGORITHM* provider_query(void*, int op, int* no_cache) {
  *no_cache = 0;
  return op == OSSL_OP_RAND ? kRandAlgs : nullptr;
}
const OSSL_DISPATCH kProviderFns[] = {
    {OSSL_FUNC_PROVIDER_QUERY_OPERATION, reinterpret_cast<Fn>(provider_query)}, {0, nullptr}};
int provider_init(const OSSL_CORE_HANDLE*, const OSSL_DISPATCH*, const OSSL_DISPATCH** out,
                  void** provctx) {
  *out = kProviderFns;
  *provctx = nullptr;
  return 1;
}

// OpenSSL's error queue as one line, then cleared.
std::string openssl_errors() {
  std::string s;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!s.empty()) s += "; ";
    s += buf;
  }
  return s;
}

[[noreturn]] void setup_failed(const char* what) {
  throw std::runtime_error(std::string("TLS setup: ") + what + ": " + openssl_errors());
}

}  // namespace

// ---- Context --------------------------------------------------------------------------------

struct ContextImpl {
  OSSL_LIB_CTX* lib = nullptr;
  OSSL_PROVIDER* seeded = nullptr;
  OSSL_PROVIDER* deflt = nullptr;
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  SSL_CTX* server = nullptr;
  SSL_CTX* client = nullptr;
  std::string name;
  std::vector<std::string> keylog;

  ~ContextImpl() {
    SSL_CTX_free(client);
    SSL_CTX_free(server);
    X509_free(cert);
    EVP_PKEY_free(key);
    if (deflt) OSSL_PROVIDER_unload(deflt);
    if (seeded) OSSL_PROVIDER_unload(seeded);
    OSSL_LIB_CTX_free(lib);
  }
};

namespace {

void keylog_line(const SSL* ssl, const char* line) {
  auto* c = static_cast<ContextImpl*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
  c->keylog.emplace_back(line);
}

ASN1_TIME* set_time(ASN1_TIME* t, std::int64_t when) {
  return ASN1_TIME_set(t, static_cast<time_t>(when));
}

// What both ends share: TLS 1.3 only (as the large providers negotiate it), no session
// tickets (a ticket carries the time it was issued: RFC 8446 section 4.6.1), no session cache.
SSL_CTX* new_ssl_ctx(ContextImpl& c, bool server) {
  SSL_CTX* ctx = SSL_CTX_new_ex(c.lib, nullptr, server ? TLS_server_method() : TLS_client_method());
  if (!ctx) setup_failed("SSL_CTX_new_ex");
  SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
  SSL_CTX_set_num_tickets(ctx, 0);
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_app_data(ctx, &c);
  SSL_CTX_set_keylog_callback(ctx, keylog_line);
  return ctx;
}

}  // namespace

Context::Context(std::uint64_t seed, std::string server_name) : impl_(new ContextImpl) {
  auto& c = *impl_;
  c.name = std::move(server_name);
  c.lib = OSSL_LIB_CTX_new();
  if (!c.lib) setup_failed("OSSL_LIB_CTX_new");
  // The DRBG type is chosen before the context's first random byte.
  if (!OSSL_PROVIDER_add_builtin(c.lib, "mailscope-seeded", provider_init) ||
      !RAND_set_DRBG_type(c.lib, "MAILSCOPE-SEEDED", nullptr, nullptr, nullptr))
    setup_failed("seeded random provider");
  c.seeded = OSSL_PROVIDER_load(c.lib, "mailscope-seeded");
  // Loading one provider explicitly stops the default one loading by itself.
  c.deflt = OSSL_PROVIDER_load(c.lib, "default");
  if (!c.seeded || !c.deflt) setup_failed("OSSL_PROVIDER_load");
  // OpenSSL draws from three generators (primary, public, private); each gets its own stream
  // of the seed, so the order in which OpenSSL first touches them does not matter.
  EVP_RAND_CTX* gens[] = {RAND_get0_primary(c.lib), RAND_get0_public(c.lib),
                          RAND_get0_private(c.lib)};
  std::uint64_t s = seed ^ 0x746C732D77697265ULL;  // "tls-wire"
  for (EVP_RAND_CTX* g : gens) {
    std::uint64_t v = splitmix(s);
    OSSL_PARAM p[] = {OSSL_PARAM_construct_uint64(kSeedParam, &v), OSSL_PARAM_END};
    if (!g || !EVP_RAND_CTX_set_params(g, p)) setup_failed("seeding the random source");
  }

  // The server's key and certificate: Ed25519, whose signatures need no random bytes.
  EVP_PKEY_CTX* kc = EVP_PKEY_CTX_new_from_name(c.lib, "ED25519", nullptr);
  if (!kc || EVP_PKEY_keygen_init(kc) <= 0 || EVP_PKEY_keygen(kc, &c.key) <= 0) {
    EVP_PKEY_CTX_free(kc);
    setup_failed("Ed25519 key");
  }
  EVP_PKEY_CTX_free(kc);
  c.cert = X509_new_ex(c.lib, nullptr);
  X509_set_version(c.cert, X509_VERSION_3);
  ASN1_INTEGER_set_uint64(X509_get_serialNumber(c.cert), (splitmix(s) >> 2) | 1);
  set_time(X509_getm_notBefore(c.cert), kCertNotBefore);
  set_time(X509_getm_notAfter(c.cert), kCertNotAfter);
  X509_NAME* n = X509_get_subject_name(c.cert);
  X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("Mailscope simulation"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(c.name.c_str()), -1, -1, 0);
  X509_set_issuer_name(c.cert, n);  // self-signed: the simulated clients trust it directly
  X509_set_pubkey(c.cert, c.key);
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, c.cert, c.cert, nullptr, nullptr, 0);
  std::string san = "DNS:" + c.name;
  for (auto [nid, value] : {std::pair<int, const char*>{NID_subject_alt_name, san.c_str()},
                            {NID_basic_constraints, "critical,CA:FALSE"},
                            {NID_key_usage, "critical,digitalSignature"},
                            {NID_ext_key_usage, "serverAuth"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, nid, value);
    if (!ext || !X509_add_ext(c.cert, ext, -1)) setup_failed("certificate extension");
    X509_EXTENSION_free(ext);
  }
  if (X509_sign(c.cert, c.key, nullptr) <= 0) setup_failed("signing the certificate");

  c.server = new_ssl_ctx(c, true);
  if (SSL_CTX_use_certificate(c.server, c.cert) != 1 || SSL_CTX_use_PrivateKey(c.server, c.key) != 1)
    setup_failed("server certificate");
  c.client = new_ssl_ctx(c, false);
  SSL_CTX_set_verify(c.client, SSL_VERIFY_PEER, nullptr);
  if (X509_STORE_add_cert(SSL_CTX_get_cert_store(c.client), c.cert) != 1)
    setup_failed("trusting the certificate");
}

Context::~Context() = default;

const std::string& Context::server_name() const { return impl_->name; }
const std::vector<std::string>& Context::keylog() const { return impl_->keylog; }

std::string Context::certificate_pem() const {
  BIO* b = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(b, impl_->cert);
  char* data = nullptr;
  long n = BIO_get_mem_data(b, &data);
  std::string s(data, static_cast<std::size_t>(n));
  BIO_free(b);
  return s;
}

std::string Context::fingerprint_sha256() const {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_MD* sha = EVP_MD_fetch(impl_->lib, "SHA256", nullptr);
  X509_digest(impl_->cert, sha, md, &n);
  EVP_MD_free(sha);
  std::string s;
  char hex[4];
  for (unsigned i = 0; i < n; ++i) {
    std::snprintf(hex, sizeof hex, i ? ":%02X" : "%02X", md[i]);
    s += hex;
  }
  return s;
}

// ---- Session --------------------------------------------------------------------------------

Session::Session(Context& ctx, Role role, std::int64_t now) : ctx_(ctx), role_(role) {
  auto& c = ctx.impl();
  ssl_ = SSL_new(role == Role::Server ? c.server : c.client);
  if (!ssl_) setup_failed("SSL_new");
  in_ = BIO_new(BIO_s_mem());
  out_ = BIO_new(BIO_s_mem());
  // An empty input buffer means "wait for more", not end of stream.
  BIO_set_mem_eof_return(in_, -1);
  SSL_set_bio(ssl_, in_, out_);
  if (role == Role::Client) {
    SSL_set_connect_state(ssl_);
    SSL_set_tlsext_host_name(ssl_, c.name.c_str());  // SNI: the one name an eavesdropper reads
    X509_VERIFY_PARAM* p = SSL_get0_param(ssl_);
    X509_VERIFY_PARAM_set_time(p, static_cast<time_t>(now));  // the simulation's clock
    X509_VERIFY_PARAM_set1_host(p, c.name.c_str(), 0);
  } else {
    SSL_set_accept_state(ssl_);
  }
}

Session::~Session() { SSL_free(ssl_); }  // frees both BIOs

void Session::fail(const char* what, int ssl_error) {
  if (!error_.empty()) return;
  long v = SSL_get_verify_result(ssl_);
  if (role_ == Role::Client && v != X509_V_OK)
    error_ = std::string("certificate verify failed: ") + X509_verify_cert_error_string(v);
  else {
    std::string e = openssl_errors();
    error_ = std::string(what) + " failed (SSL error " + std::to_string(ssl_error) + ")" +
             (e.empty() ? "" : ": " + e);
  }
  ERR_clear_error();
}

void Session::start() {
  if (started_) return;
  started_ = true;
  advance();
}

void Session::advance() {
  if (failed()) return;
  if (!done_) {
    int r = SSL_do_handshake(ssl_);
    if (r == 1) {
      done_ = true;
    } else {
      int e = SSL_get_error(ssl_, r);
      if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) return fail("TLS handshake", e);
      return;
    }
  }
  for (const auto& unit : std::exchange(pending_, {})) {
    std::size_t n = 0;
    if (SSL_write_ex(ssl_, unit.data(), unit.size(), &n) != 1)
      return fail("TLS write", SSL_get_error(ssl_, 0));
  }
  char buf[4096];
  for (;;) {
    std::size_t n = 0;
    if (SSL_read_ex(ssl_, buf, sizeof buf, &n) == 1) {
      plain_.append(buf, n);
      continue;
    }
    int e = SSL_get_error(ssl_, 0);
    if (e == SSL_ERROR_ZERO_RETURN) peer_closed_ = true;
    else if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) fail("TLS read", e);
    break;
  }
}

void Session::receive(std::string_view ciphertext) {
  if (!ciphertext.empty()) BIO_write(in_, ciphertext.data(), static_cast<int>(ciphertext.size()));
  started_ = true;
  advance();
}

void Session::send(std::string_view plaintext) {
  // Each unit is written by itself, so one command or response is one record, as a server
  // writing each reply at once sends it.
  if (done_ && pending_.empty() && !failed()) {
    std::size_t n = 0;
    if (SSL_write_ex(ssl_, plaintext.data(), plaintext.size(), &n) != 1)
      fail("TLS write", SSL_get_error(ssl_, 0));
    return;
  }
  pending_.emplace_back(plaintext);
}

void Session::close() {
  if (done_ && !failed()) SSL_shutdown(ssl_);
}

std::string Session::take_ciphertext() {
  std::string s(BIO_ctrl_pending(out_), '\0');
  if (!s.empty()) BIO_read(out_, s.data(), static_cast<int>(s.size()));
  return s;
}

std::string Session::take_plaintext() { return std::exchange(plain_, {}); }

std::string Session::version() const { return done_ ? SSL_get_version(ssl_) : ""; }
std::string Session::cipher() const {
  return done_ ? SSL_CIPHER_get_name(SSL_get_current_cipher(ssl_)) : "";
}

std::vector<RecordInfo> records_of(std::string_view c) {
  std::vector<RecordInfo> out;
  std::size_t i = 0;
  while (i < c.size()) {
    RecordInfo r{.type = static_cast<std::uint8_t>(c[i])};
    std::size_t len = 5;
    if (i + 5 <= c.size())
      len += (static_cast<std::size_t>(static_cast<unsigned char>(c[i + 3])) << 8) |
             static_cast<unsigned char>(c[i + 4]);
    len = std::min(len, c.size() - i);
    r.size = static_cast<std::uint32_t>(len);
    out.push_back(r);
    i += len;
  }
  return out;
}

}  // namespace ms::tls
