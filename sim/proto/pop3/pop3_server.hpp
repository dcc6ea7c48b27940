#pragma once
// POP3 server engine, sans-I/O.
//   RFC 1939  Post Office Protocol - Version 3 (states, commands, byte-stuffing, UPDATE)
//   RFC 2449  POP3 Extension Mechanism (CAPA, response codes [IN-USE] [AUTH], EXPIRE,
//             LOGIN-DELAY, PIPELINING, IMPLEMENTATION)
//   RFC 5034  POP3 SASL Authentication Mechanism (AUTH PLAIN, continuation "+ ")
//   RFC 2595  section 4: STLS (TLS inside the POP3 session)
// Commands are registered in one table (name, handler, states, RFC section), which the GUI's
// help and the tests read too.
#include <string>
#include <vector>

#include "model/account.hpp"
#include "proto/engine.hpp"

namespace ms {

class Pop3Server : public Engine {
 public:
  enum class State : std::uint8_t { Authorization, Transaction, Update, Closed };
  // `apop_token` is the greeting's timestamp (RFC 1939 section 7, APOP): "<conn.tick@host>".
  explicit Pop3Server(MailServer& server, std::string apop_token = "", ServerTls tls = {});
  void tls_started() override;
  ~Pop3Server() override;
  void receive(std::string_view bytes) override;
  void peer_closed() override;
  std::string state_name() const override;
  State state() const { return state_; }

  struct Command {
    const char* name;
    void (Pop3Server::*handler)(std::string_view args);
    bool in_authorization;
    bool in_transaction;
    const char* rfc;  // where it is specified
  };
  static const std::vector<Command>& commands();

  static constexpr std::size_t kMaxLine = 512;  // RFC 2449 section 4: 255 octets + slack

 private:
  struct Msg {
    std::uint32_t uid;
    Body body;               // shared with the store: a session copies no message
    std::size_t octets = 0;  // pop3_canonical(raw).size(), the size STAT, LIST and RETR report
    bool deleted = false;
  };
  void line(std::string_view l);
  void set_state(State s, const std::string& why);
  void reply_ok(const std::string& text) {
    send(text.empty() ? "+OK\r\n" : "+OK " + text + "\r\n");
  }
  void reply_err(const std::string& text) { send("-ERR " + text + "\r\n"); }
  void multiline(const std::string& first, const std::string& body);
  // Replies -ERR itself when the argument is bad; `number` gets the message number.
  Msg* msg_arg(std::string_view arg, std::size_t* number = nullptr);
  bool login(const std::string& user, const std::string& pass, bool apop_ok);
  std::string unique_id(const Msg& m) const;
  std::size_t live_count() const;
  std::size_t live_octets() const;
  void release();
  void expire_retrieved();

  void cmd_stls(std::string_view);
  bool plaintext_refused();
  void cmd_user(std::string_view);
  void cmd_pass(std::string_view);
  void cmd_apop(std::string_view);
  void cmd_auth(std::string_view);
  void auth_plain(std::string_view response, bool initial);
  void cmd_capa(std::string_view);
  void cmd_stat(std::string_view);
  void cmd_list(std::string_view);
  void cmd_retr(std::string_view);
  void cmd_top(std::string_view);
  void cmd_dele(std::string_view);
  void cmd_noop(std::string_view);
  void cmd_rset(std::string_view);
  void cmd_uidl(std::string_view);
  void cmd_quit(std::string_view);

  MailServer& server_;
  std::string token_;
  ServerTls tls_;
  bool tls_begun_ = false;  // STLS answered: input until the handshake is discarded
  LineBuffer in_;
  bool skipping_ = false;  // inside an over-long line, dropping bytes up to its LF
  State state_ = State::Authorization;
  std::string user_;
  Account* account_ = nullptr;
  std::uint32_t uidvalidity_ = 0;
  std::vector<Msg> msgs_;
  bool sasl_pending_ = false;  // AUTH PLAIN sent "+ ", waiting for the response line
  int failed_logins_ = 0;
};

// Byte-stuffs a message for a POP3 multi-line response (RFC 1939 section 3): every line
// beginning with "." gets another "."; the result ends with CRLF (the terminator is added by
// the caller).
std::string pop3_stuff(std::string_view raw);
// The size of pop3_canonical(raw) without building it.
std::size_t pop3_octets(std::string_view raw);
// The message with CRLF line ends and a final CRLF: the octets RFC 1939 sizes count.
std::string pop3_canonical(std::string_view raw);

}  // namespace ms
