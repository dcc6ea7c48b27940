// Client bytes -> SmtpServer (RFC 5321 / 6409 / 4954 / 1870) over the simulator's backend,
// in the fragmentation the first byte chooses. Limits are set low so that the fuzzer reaches
// the over-long-line, too-many-recipients and oversized-message paths.
#include "fuzz_util.hpp"
#include "proto/smtp/smtp_backend.hpp"
#include "proto/smtp/smtp_server.hpp"

using namespace ms;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in = fuzz::as_view(data, size);
  MailServer server;
  fuzz::populate(server);
  server.find("bob")->quota = 2000;
  MailServerSmtpBackend backend(server);
  SmtpServerConfig cfg;
  unsigned mode = in.empty() ? 0 : static_cast<unsigned char>(in[0]);
  if (!in.empty()) in.remove_prefix(1);
  cfg.submission = !(mode & 1);
  if (mode & 2) {
    cfg.max_message = 300;
    cfg.max_line = 64;
    cfg.max_data_line = 80;
    cfg.max_recipients = 3;
    cfg.max_errors = 5;
  }
  SmtpServer s(backend, cfg);
  fuzz::drive(s, in);
  return 0;
}
