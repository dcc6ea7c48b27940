#pragma once
// SASL PLAIN (RFC 4616) for every engine: one reading of the client's message, so that POP3
// AUTH (RFC 5034 section 4), IMAP AUTHENTICATE (RFC 3501 section 6.2.2, RFC 4959) and SMTP
// AUTH (RFC 4954 section 4) give the same credentials the same answer and the same mistake the
// same kind of refusal. Each server only words the outcome in its own protocol.
#include <cstddef>
#include <string>
#include <string_view>

namespace ms::sasl {

// RFC 4616 section 2: message = [authzid UTF8NUL] authcid UTF8NUL passwd.
struct Plain {
  std::string authzid, authcid, passwd;
};

// What the client's response amounts to, before any password is checked. The kinds, as each
// protocol answers them:
//   Cancelled, NotBase64      the exchange failed: IMAP BAD, POP3 -ERR, SMTP 501
//   Malformed, NotPermitted   authentication failed, as for a wrong password: IMAP NO
//                             [AUTHENTICATIONFAILED], POP3 -ERR [AUTH], SMTP 535 5.7.8
enum class Outcome { Decoded, Cancelled, NotBase64, Malformed, NotPermitted };

struct Response {
  Outcome outcome = Outcome::Malformed;
  Plain plain;      // the credentials, when Decoded
  std::string why;  // what was wrong, for the server's trace note ("" when Decoded)
};

// RFC 4616 section 2 requires servers to accept at least this many octets in each part; a
// longer part is refused, so that every protocol bounds the same thing the same way.
inline constexpr std::size_t kMaxPart = 255;

// Reads the client's response line (its base64, without CRLF). "*" cancels (RFC 4422 section
// 3.5); an initial response of "=" is the empty message (RFC 4959, RFC 5034, RFC 4954). An
// authorization identity other than the authentication identity is NotPermitted: no account
// here may act as another.
Response read_response(std::string_view line, bool initial);

// The RFC 4616 section 2 grammar on the decoded message: exactly two NULs, a non-empty authcid
// and passwd, each part valid UTF-8 and at most kMaxPart octets. Sets `why` when it refuses.
bool parse_message(std::string_view message, Plain& out, std::string& why);

// What a client sends: base64 of NUL authcid NUL passwd (no authorization identity).
std::string client_response(std::string_view authcid, std::string_view passwd);

}  // namespace ms::sasl
