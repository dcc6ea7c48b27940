#pragma once
// What an SMTP server engine needs from the mail system behind it: checking credentials,
// judging a recipient, and taking a message for delivery. The engine owns the protocol
// (which reply, which state); the backend owns the data (accounts, quotas, mailboxes).
//
// MailServerSmtpBackend is the simulator's backend over ms::MailServer:
//   - Local recipients are "name@<settings.hostname>" and "name@example.com" (the domain of
//     the simulated users' addresses), compared case-insensitively; `name` must be an account
//     name (exact, or lower-cased). Everything else is the outside world.
//   - Local mail is appended to the account's INBOX with the time from `now`, which the owner
//     sets (the engine never reads a clock).
//   - Outside mail is appended to `outside`, the simulator's "Internet".
//   - Delivery is all-or-nothing: if any local recipient's mailbox cannot take the message, no
//     copy is delivered and the whole DATA is refused, so that a retry never duplicates mail.
//   - No Received: trace field is prepended (RFC 5321 section 4.4 asks for one): lessons compare
//     the bytes a device sent with the bytes the server stored, and sizes must match exactly.
#include <functional>
#include <string>
#include <vector>

#include "model/account.hpp"
#include "model/message.hpp"

namespace ms {

// The backend's opinion of one recipient or one delivery.
enum class SmtpVerdict : std::uint8_t {
  Local,        // a local mailbox that can take the message
  Remote,       // not ours: deliverable only by relaying (authenticated submission)
  UnknownUser,  // a local domain but no such mailbox (550 5.1.1)
  MailboxFull,  // the mailbox is over its quota (552 5.2.2)
};

struct SmtpEnvelope {
  std::string helo;      // the client's EHLO/HELO name
  std::string user;      // the authenticated user, empty if none
  std::string from;      // reverse-path; empty for the null sender "<>"
  std::vector<std::string> rcpts;
};

class SmtpBackend {
 public:
  virtual ~SmtpBackend() = default;
  virtual bool authenticate(const std::string& user, const std::string& pass) = 0;
  // `size` is the size the client declared (RFC 1870 SIZE=) or 0 when unknown.
  virtual SmtpVerdict check_recipient(const std::string& address, std::size_t size) = 0;
  // Delivers to every recipient, or to none: returns Local/Remote on success, or the verdict
  // that stopped it. `failed` receives the recipient that stopped it.
  virtual SmtpVerdict deliver(const SmtpEnvelope& env, const std::string& raw,
                              std::string& failed) = 0;
};

class MailServerSmtpBackend : public SmtpBackend {
 public:
  struct OutsideMessage {
    std::string from;
    std::vector<std::string> rcpts;
    Body body;
    Tick at = 0;
  };

  explicit MailServerSmtpBackend(MailServer& server) : server_(server) {}

  // The simulated time used for INTERNALDATE of delivered mail; set by the driver.
  std::function<Tick()> now = [] { return Tick{0}; };
  // Mail that left for the Internet, in order.
  std::vector<OutsideMessage> outside;
  // Called after each message sent to the outside (the world records it under "internet").
  std::function<void(const OutsideMessage&)> on_outside;

  bool authenticate(const std::string& user, const std::string& pass) override;
  SmtpVerdict check_recipient(const std::string& address, std::size_t size) override;
  SmtpVerdict deliver(const SmtpEnvelope& env, const std::string& raw,
                      std::string& failed) override;

  // The local account an address names, or nullptr (also for non-local domains).
  Account* local_account(const std::string& address);
  bool is_local_domain(const std::string& domain) const;

 private:
  MailServer& server_;
};

}  // namespace ms
