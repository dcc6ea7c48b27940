// Server bytes -> Pop3Client (RFC 1939) running a plan that downloads, deletes and fetches
// headers, so that every reply kind is awaited at some point.
#include "fuzz_util.hpp"
#include "proto/pop3/pop3_client.hpp"

using namespace ms;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in = fuzz::as_view(data, size);
  // The first byte picks the policy; chunks() then uses the next byte for fragmentation.
  unsigned policy = in.empty() ? 0 : static_cast<unsigned char>(in[0]);
  if (!in.empty()) in.remove_prefix(1);
  Pop3Plan p;
  p.user = "alice";
  p.pass = "secret";
  p.seen = {"a1", "a2"};
  p.to_delete = {"a2"};
  p.want_body = {"a1"};
  p.delete_after_download = policy & 1;
  p.headers_only = policy & 2;
  Pop3Client c(p);
  fuzz::drive(c, in);
  return 0;
}
