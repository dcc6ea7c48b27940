#pragma once
// Shared pieces of the libFuzzer targets: splitting one input into several receive() calls,
// and the small mail server the server engines run against.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "model/account.hpp"
#include "model/message.hpp"
#include "proto/engine.hpp"

namespace ms::fuzz {

inline std::string_view as_view(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The first byte chooses how the rest is cut into receive() calls, so that the fuzzer explores
// fragmentation too (engines must give the same result for any split, one byte at a time
// included): 0 = all at once, otherwise chunks of 1..16 bytes growing with the byte's bits.
inline std::vector<std::string_view> chunks(std::string_view in) {
  std::vector<std::string_view> out;
  if (in.empty()) return out;
  unsigned mode = static_cast<unsigned char>(in[0]);
  in.remove_prefix(1);
  if (mode == 0 || in.empty()) {
    out.push_back(in);
    return out;
  }
  std::size_t step = (mode & 15) + 1;
  unsigned grow = mode >> 4;
  for (std::size_t pos = 0; pos < in.size();) {
    std::size_t n = std::min(step, in.size() - pos);
    out.push_back(in.substr(pos, n));
    pos += n;
    step = (step * (grow + 1)) % 97 + 1;
  }
  return out;
}

// Drives an engine with the chunks and drains it after each, as the simulated link would.
inline void drive(Engine& e, std::string_view in, bool close_at_end = true) {
  for (auto part : chunks(in)) {
    e.receive(part);
    (void)e.take_output();
    (void)e.take_events();
  }
  if (close_at_end) e.peer_closed();
  (void)e.take_output();
  (void)e.take_events();
}

inline const char* kPlainMessage =
    "From: Alice <alice@example.com>\r\n"
    "To: bob@example.com\r\n"
    "Subject: hello\r\n"
    "Message-ID: <1@example.com>\r\n"
    "Date: Mon, 3 Mar 2014 09:00:00 +0000\r\n"
    "\r\n"
    "Hi Bob,\r\n"
    ".a line starting with a dot\r\n"
    "bye\r\n";

inline const char* kMultipartMessage =
    "From: bob@example.com\r\n"
    "To: alice@example.com\r\n"
    "Subject: photo\r\n"
    "Message-ID: <2@example.com>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
    "\r\n"
    "--b1\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "see attached\r\n"
    "--b1\r\n"
    "Content-Type: image/png; name=x.png\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "iVBORw0KGgo=\r\n"
    "--b1--\r\n";

// A server with account alice/secret holding three messages (one multipart) in INBOX and one
// in Sent, so that FETCH, STORE, RETR, TOP... have something to work on.
inline void populate(MailServer& server) {
  Account& a = server.add_account("alice", "secret", 7);
  a.store.append("INBOX", make_body(kPlainMessage), {}, 0);
  a.store.append("INBOX", make_body(kMultipartMessage), Flags{kSeen, {"$Label"}}, 1000);
  a.store.append("INBOX", make_body("Subject: tiny\r\n\r\nx\r\n"), Flags{kDeleted, {}}, 2000);
  a.store.append("Sent", make_body(kPlainMessage), Flags{kSeen, {}}, 3000);
  server.add_account("bob", "hunter2", 9);
}

[[noreturn]] inline void roundtrip_failed(const char* what, std::string_view expected,
                                  std::string_view got) {
  std::fprintf(stderr, "round trip failed: %s\nexpected (%zu bytes): %.*s\ngot (%zu bytes): %.*s\n",
               what, expected.size(), static_cast<int>(std::min<std::size_t>(expected.size(), 400)),
               expected.data(), got.size(), static_cast<int>(std::min<std::size_t>(got.size(), 400)),
               got.data());
  std::abort();
}

}  // namespace ms::fuzz
