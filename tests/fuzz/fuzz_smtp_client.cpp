// Server bytes -> SmtpClient (RFC 5321, 4954 AUTH PLAIN/LOGIN, 1870 SIZE, 6152 8BITMIME)
// submitting two messages, one with 8-bit bytes and two recipients.
#include "fuzz_util.hpp"
#include "proto/smtp/smtp_client.hpp"

using namespace ms;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in = fuzz::as_view(data, size);
  unsigned mode = in.empty() ? 0 : static_cast<unsigned char>(in[0]);
  if (!in.empty()) in.remove_prefix(1);
  SmtpClientConfig cfg;
  if (mode & 1) {
    cfg.user = "alice";
    cfg.password = "secret";
  }
  std::vector<SmtpOutgoing> msgs;
  msgs.push_back({"alice@example.com", {"bob@example.com"}, fuzz::kPlainMessage});
  msgs.push_back({"alice@example.com", {"bob@example.com", "carol@example.org"},
                  "Subject: caf\xc3\xa9\n\n.\n..\nx"});
  SmtpClient c(cfg, msgs);
  fuzz::drive(c, in);
  return 0;
}
