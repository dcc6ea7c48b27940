#pragma once
// SMTP server engine, sans-I/O. Implements:
//   RFC 5321  SMTP: greeting, EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT, VRFY
//   RFC 6409  Message submission: AUTH required before MAIL (530 5.7.0) when `submission`
//   RFC 4954  AUTH PLAIN (RFC 4616) and AUTH LOGIN, initial response or 334 challenge
//   RFC 3463 / RFC 2034  enhanced status codes on every reply except the greeting, the
//             EHLO/HELO replies, 354 and the 334 SASL challenges (RFC 2034 section 3)
//   RFC 1870  SIZE (declared size checked at MAIL and per recipient's quota at RCPT)
//   RFC 6152  8BITMIME (BODY=7BIT / BODY=8BITMIME accepted, the data is stored as is)
//   RFC 2920  PIPELINING: every complete line is answered in order, whatever the chunking
//
// States (state_name()): CONNECTED (greeted, no EHLO yet), READY (no transaction), AUTH (in
// a SASL exchange), MAIL (after MAIL FROM), RCPT (at least one recipient accepted), DATA
// (reading message data), CLOSED.
//
// Bounds on hostile input: command lines over `max_line` and data lines over `max_data_line`
// are discarded as they arrive (500 5.5.2 / the message refused), data beyond `max_message`
// is counted but not kept (552 5.3.4), at most `max_recipients` RCPTs (452 4.5.3), and after
// `max_errors` error replies the server says 421 and closes.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "proto/engine.hpp"
#include "proto/smtp/smtp_backend.hpp"

namespace ms {

struct SmtpServerConfig {
  std::string hostname = "mail.example.com";
  bool submission = true;                     // RFC 6409: AUTH before MAIL
  std::size_t max_message = 10 * 1024 * 1024;  // advertised as SIZE (RFC 1870)
  std::size_t max_line = 4096;                // command lines (RFC 5321 asks for >= 512)
  std::size_t max_data_line = 65536;          // data lines (RFC 5321 asks for >= 1000)
  std::size_t max_recipients = 100;           // RFC 5321 section 4.5.3.1.8 minimum
  int max_errors = 20;
  ServerTls tls;  // RFC 3207 STARTTLS offered; no AUTH before it when required
};

class SmtpServer;

// One row of the command table: lessons, tooltips and the GUI's help read the same rows.
struct SmtpCommandInfo {
  const char* name;
  void (SmtpServer::*handler)(std::string_view args);
  const char* rfc;   // where the command is specified
  const char* help;  // one line for learners
};

class SmtpServer : public Engine {
 public:
  enum class State : std::uint8_t { Connected, Ready, Auth, Mail, Rcpt, Data, Closed };

  explicit SmtpServer(SmtpBackend& backend, SmtpServerConfig cfg = {});
  void receive(std::string_view bytes) override;
  void peer_closed() override;
  std::string state_name() const override;
  State state() const { return state_; }
  const std::string& user() const { return user_; }

  static const std::vector<SmtpCommandInfo>& commands();

  // Command handlers (public so the table can name them; call through receive()).
  void cmd_ehlo(std::string_view args);
  void cmd_helo(std::string_view args);
  void cmd_auth(std::string_view args);
  void cmd_mail(std::string_view args);
  void cmd_rcpt(std::string_view args);
  void cmd_data(std::string_view args);
  void cmd_rset(std::string_view args);
  void cmd_noop(std::string_view args);
  void cmd_quit(std::string_view args);
  void cmd_vrfy(std::string_view args);
  void cmd_help(std::string_view args);
  void cmd_starttls(std::string_view args);
  void tls_started() override;
  void cmd_not_implemented(std::string_view args);

 private:
  void set_state(State s);
  void reply(int code, std::string_view text);
  void error(int code, std::string_view text);  // a 4xx/5xx reply, counted against max_errors
  void handle_line(std::string_view line);
  void handle_command(std::string_view line);
  // `initial`: the response came on the AUTH line (RFC 4954 section 4's initial-response).
  void handle_auth_line(std::string_view line, bool initial = false);
  void abort_auth(const std::string& text);
  void handle_data_line(std::string_view line);
  void finish_data();
  void finish_auth(const std::string& user, const std::string& pass);
  void reset_transaction();
  bool line_too_long(std::size_t n) const;
  void overlong_line(std::size_t n);

  SmtpBackend& backend_;
  SmtpServerConfig cfg_;
  LineBuffer lines_;
  State state_ = State::Connected;
  bool skipping_ = false;  // discarding the rest of an over-long line
  bool tls_begun_ = false;  // 220 to STARTTLS sent: input until the handshake is discarded
  bool esmtp_ = false;     // the client said EHLO (not HELO)
  std::string helo_;
  std::string user_;
  int errors_ = 0;
  // SASL exchange in progress (state Auth).
  enum class Sasl : std::uint8_t { Plain, LoginUser, LoginPass } sasl_ = Sasl::Plain;
  std::string sasl_user_;
  // Current transaction.
  std::string from_;
  std::size_t declared_size_ = 0;
  std::vector<std::string> rcpts_;
  std::string data_;
  std::size_t data_bytes_ = 0;  // counted even when not kept
  bool data_line_too_long_ = false;
};

}  // namespace ms
