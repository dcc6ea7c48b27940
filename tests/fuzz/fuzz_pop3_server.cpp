// Client bytes -> Pop3Server (RFC 1939, RFC 2449, RFC 5034), in the fragmentation the first
// byte chooses, against a maildrop with three messages.
#include "fuzz_util.hpp"
#include "proto/pop3/pop3_server.hpp"

using namespace ms;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  MailServer server;
  fuzz::populate(server);
  {
    Pop3Server s(server, "<1.2@mail.example.com>");
    fuzz::drive(s, fuzz::as_view(data, size));
  }
  // The session must have released the maildrop lock whatever happened (RFC 1939 section 8).
  if (server.find("alice")->pop3_locked) fuzz::roundtrip_failed("maildrop lock released", "false", "true");
  return 0;
}
