// TLS in the simulated world: a device's connection security puts real TLS records on the
// link, and the trace keeps both what crossed the wire and what the engines said inside it.
#include <catch2/catch.hpp>

#include <string>

#include "tls/tls.hpp"
#include "world/device.hpp"
#include "world/world.hpp"

using namespace ms;

namespace {

std::string run_world(Proto proto, Security sec, std::uint64_t seed, World** keep = nullptr) {
  static std::unique_ptr<World> last;
  last = std::make_unique<World>("w", proto, seed);
  World& w = *last;
  w.add_account("alice", "secret");
  DeviceSpec d;
  d.name = "phone";
  d.account = "alice";
  d.password = "secret";
  d.security = sec;
  w.add_device(d);
  w.mail_arrives("alice", "Bob <bob@outside.example>", "Plans", "The secret plans.");
  w.device("phone")->app().check_mail();
  w.run_until(5 * kMinute);
  if (keep) *keep = &w;
  return w.trace().to_jsonl();
}

// Every byte that crossed the device's link, as an eavesdropper next to it reads them.
std::string on_the_wire(const World& w) {
  std::string all;
  for (const Record& r : w.trace().records())
    if (r.kind == RecKind::Wire && w.trace().actor_name(r.actor) != "internet" &&
        w.trace().actor_name(r.peer) != "internet")
      all += r.cipher.empty() ? r.text : r.cipher;
  return all;
}

}  // namespace

TEST_CASE("A device set to STARTTLS: greeting in clear, then only TLS records on its link",
          "[tls][world]") {
  for (Proto p : {Proto::IMAP, Proto::POP3}) {
    World* w = nullptr;
    std::string j = run_world(p, Security::StartTls, 11, &w);
    const std::string wire = on_the_wire(*w);
    CHECK(wire.find(p == Proto::IMAP ? "STARTTLS\r\n" : "STLS\r\n") != std::string::npos);
    CHECK(wire.find("secret") == std::string::npos);
    CHECK(wire.find("The secret plans") == std::string::npos);
    // Inside the tunnel the engines said it all: the trace's plaintext has the login.
    std::size_t tls_units = 0, started = 0;
    bool login_inside = false;
    for (const Record& r : w->trace().records()) {
      if (r.kind == RecKind::Wire && !r.cipher.empty()) {
        ++tls_units;
        login_inside = login_inside || r.text.find("secret") != std::string::npos;
      }
      started += r.kind == RecKind::Event && r.ev == EventKind::TlsStarted;
    }
    CHECK(tls_units > 4);
    CHECK(login_inside);
    CHECK(started >= 1);
    CHECK(j.find(R"("event":"tls-started")") != std::string::npos);
    CHECK(j.find(R"("tls":{"records":[[22,)") != std::string::npos);
    CHECK(j.find(R"("security":"starttls")") != std::string::npos);
  }
}

TEST_CASE("A device set to SSL/TLS shows nothing readable on its link", "[tls][world]") {
  World* w = nullptr;
  run_world(Proto::IMAP, Security::Tls, 12, &w);
  const std::string wire = on_the_wire(*w);
  CHECK(wire.find("OK") == std::string::npos);
  CHECK(wire.find("LOGIN") == std::string::npos);
  // Only the server's name, in the ClientHello's SNI (RFC 6066 section 3).
  CHECK(wire.find("mail.example.test") != std::string::npos);
  for (const Record& r : w->trace().records())
    if (r.kind == RecKind::Wire && w->trace().actor_name(r.actor) == "phone")
      CHECK_FALSE(r.cipher.empty());
}

TEST_CASE("A TLS world's trace is byte-identical for one seed and differs for another",
          "[tls][world]") {
  std::string a = run_world(Proto::IMAP, Security::StartTls, 21);
  std::string b = run_world(Proto::IMAP, Security::StartTls, 21);
  std::string c = run_world(Proto::IMAP, Security::StartTls, 22);
  CHECK(a == b);
  CHECK(a != c);
}

TEST_CASE("A device without TLS leaves the world exactly as before: no TLS anywhere",
          "[tls][world]") {
  World* w = nullptr;
  std::string j = run_world(Proto::IMAP, Security::None, 13, &w);
  CHECK(j.find("\"tls\"") == std::string::npos);
  CHECK(j.find("STARTTLS") == std::string::npos);
  CHECK(j.find("\"security\"") == std::string::npos);
  CHECK(on_the_wire(*w).find("LOGIN \"alice\" \"secret\"") != std::string::npos);
}
