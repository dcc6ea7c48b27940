// Message bytes -> the MIME view (ENVELOPE, BODY, BODYSTRUCTURE, BODY[section]). The first byte
// is the length (0..63) of a section string taken from the bytes after it; the rest is the
// message. A few fixed sections are tried too.
#include "fuzz_util.hpp"
#include "mime/mime.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in = ms::fuzz::as_view(data, size);
  std::size_t n = in.empty() ? 0 : static_cast<unsigned char>(in[0]) % 64;
  if (!in.empty()) in.remove_prefix(1);
  n = std::min(n, in.size());
  std::string_view section = in.substr(0, n);
  std::string_view raw = in.substr(n);
  (void)ms::imap_envelope(raw);
  (void)ms::imap_bodystructure(raw, true);
  (void)ms::imap_bodystructure(raw, false);
  for (std::string_view s : {section, std::string_view(""), std::string_view("TEXT"),
                             std::string_view("1"), std::string_view("1.2.MIME"),
                             std::string_view("2.HEADER.FIELDS (Subject To)")}) {
    (void)ms::imap_body_section(raw, s);
  }
  return 0;
}
