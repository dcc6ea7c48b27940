#pragma once
// The mail server's accounts: one Store per account (INBOX, Sent, Trash, Drafts, Junk), a
// password, a quota and the POP3 maildrop lock (RFC 1939 section 8: the server acquires an
// exclusive-access lock on the maildrop when entering the TRANSACTION state).
#include <functional>
#include <map>
#include <set>
#include <memory>
#include <string>

#include "model/store.hpp"

namespace ms {

struct Account {
  std::string name;
  std::string password;
  Store store;
  std::uint64_t quota = 0;     // bytes; 0 means unlimited
  bool pop3_locked = false;    // a POP3 session holds the maildrop
  std::set<std::uint32_t> pop3_popped;  // INBOX UIDs retrieved over POP3 (Gmail-style servers)
  std::map<std::uint32_t, Tick> pop3_retrieved;  // INBOX UID -> first RETR (for EXPIRE)
  explicit Account(std::string n) : name(n), store(std::move(n)) {}
  bool over_quota(std::size_t extra) const { return quota && store.bytes() + extra > quota; }
};

struct ServerSettings {
  std::string hostname = "mail.example.com";
  int retention_days = 0;        // RFC 2449 EXPIRE: 0 = NEVER (the server keeps mail)
  // Gmail-style POP: a message once retrieved is not offered again to any client, even
  // without DELE; logging in as "recent:NAME" ("recent mode") offers every message again.
  bool pop3_popped_once = false;
};

class MailServer {
 public:
  ServerSettings settings;
  // Called for a new account before its folders are created, so that an observer (the
  // world's trace) sees every folder being made.
  std::function<void(Account&)> on_new_account;
  // The driver's clock, for server policies that depend on time (RFC 2449 EXPIRE). Engines
  // read time only through this, so the simulation and the live listener give it theirs.
  std::function<Tick()> clock;
  // Creates the account with INBOX and the SPECIAL-USE folders (RFC 6154).
  Account& add_account(const std::string& name, const std::string& password,
                       std::uint32_t uidvalidity);
  Account* find(const std::string& name);
  const std::map<std::string, std::unique_ptr<Account>>& accounts() const { return accounts_; }

 private:
  std::map<std::string, std::unique_ptr<Account>> accounts_;
};

}  // namespace ms
