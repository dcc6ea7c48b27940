#pragma once
// SMTP submission client engine, sans-I/O. Implements the client side of:
//   RFC 5321  greeting, EHLO (HELO fallback, section 3.2), MAIL, RCPT, DATA, RSET, QUIT
//   RFC 6409  submission: authenticate, then submit
//   RFC 4954  AUTH PLAIN with an initial response (preferred), AUTH LOGIN if PLAIN is absent
//   RFC 1870  SIZE=: declared when advertised; a message over the server's limit is not sent
//   RFC 6152  BODY=8BITMIME for messages with 8-bit bytes, when advertised
//
// One command at a time, even to a PIPELINING server (RFC 2920 allows it): every command's
// reply is read before the next is sent, so a transcript reads as a conversation, which is
// what learners should see first.
//
// Flow: GREETING (wait 220) -> EHLO -> AUTH -> for each message: MAIL -> RCPT... -> DATA ->
// BODY (the dot-stuffed message) -> next message or QUIT -> DONE. A failed transaction is
// reported as Error and cleared with RSET before the next message; a failed greeting, EHLO and
// HELO, or AUTH ends the session with QUIT. A 421 reply at any point ends it at once.
//
// Events: LoggedIn after 235; Sent per message accepted (id = its Message-ID, aux = its index
// in the queue, text = the server's reply); Error per 4xx/5xx (same id/aux, text = the reply);
// Finished when the session is over.
#include <cstddef>
#include <string>
#include <vector>

#include "proto/engine.hpp"
#include "proto/smtp/smtp_codec.hpp"

namespace ms {

struct SmtpOutgoing {
  std::string from;                // envelope sender (MAIL FROM)
  std::vector<std::string> rcpts;  // envelope recipients (RCPT TO)
  std::string raw;                 // the RFC 5322 message; line ends are normalised to CRLF
};

struct SmtpClientConfig {
  std::string helo_name = "client.example.com";  // what EHLO says
  std::string user;                              // empty: do not authenticate
  std::string password;
  // Connection security "STARTTLS" (RFC 3207): upgrade after EHLO, and give up rather than
  // send the password in clear when the server does not offer it.
  bool starttls = false;
  // False: STARTTLS only when offered; otherwise AUTH in clear (see ImapPlan).
  bool starttls_required = true;
};

// What the server said in its EHLO reply (RFC 5321 section 4.1.1.1).
struct SmtpCapabilities {
  bool esmtp = false;  // EHLO was accepted
  bool pipelining = false;
  bool eightbitmime = false;
  bool enhanced_status_codes = false;
  bool size = false;
  std::size_t size_max = 0;  // 0 with `size`: no fixed limit (RFC 1870 section 4)
  std::vector<std::string> auth;  // mechanisms, upper-case
  bool starttls = false;          // RFC 3207
};

class SmtpClient : public Engine {
 public:
  enum class State : std::uint8_t {
    Greeting, Ehlo, Helo, StartTls, TlsWait, Auth, AuthUser, AuthPass, Mail, Rcpt, Data, Body, Rset, Quit, Done
  };

  SmtpClient(SmtpClientConfig cfg, std::vector<SmtpOutgoing> messages);
  void receive(std::string_view bytes) override;
  void peer_closed() override;
  std::string state_name() const override;
  State state() const { return state_; }
  const SmtpCapabilities& capabilities() const { return caps_; }
  std::size_t sent_count() const { return sent_; }
  void tls_started() override;

 private:
  void set_state(State s);
  void command(std::string line, State next);
  void on_reply(const smtp::Reply& r);
  void parse_capabilities(const smtp::Reply& r);
  void authenticate_or_submit();
  void next_message();
  void next_recipient();
  void fail(const smtp::Reply& r, const std::string& what);
  void fail_transaction(const smtp::Reply& r, const std::string& what);
  void quit();
  void finish(const std::string& why);
  EngineEvent message_event(EngineEvent::Kind k, std::string text) const;

  SmtpClientConfig cfg_;
  std::vector<SmtpOutgoing> msgs_;
  LineBuffer lines_{4096};
  smtp::ReplyParser parser_;
  SmtpCapabilities caps_;
  State state_ = State::Greeting;
  std::size_t idx_ = 0;       // current message
  std::size_t rcpt_idx_ = 0;  // next recipient of the current message
  std::size_t accepted_ = 0;  // recipients of the current message the server accepted
  std::size_t sent_ = 0;
};

}  // namespace ms
