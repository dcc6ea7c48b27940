#include "proto/smtp/smtp_backend.hpp"

#include <cctype>

#include "proto/smtp/smtp_codec.hpp"
#include "util/text.hpp"

namespace ms {

namespace {
std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
}  // namespace

bool MailServerSmtpBackend::is_local_domain(const std::string& domain) const {
  return iequals(domain, server_.settings.hostname) || iequals(domain, "example.com");
}

Account* MailServerSmtpBackend::local_account(const std::string& address) {
  auto at = address.rfind('@');
  if (at == std::string::npos || !is_local_domain(address.substr(at + 1))) return nullptr;
  const std::string name = address.substr(0, at);
  if (Account* a = server_.find(name)) return a;
  return server_.find(lower(name));
}

bool MailServerSmtpBackend::authenticate(const std::string& user, const std::string& pass) {
  // Users may log in as "alice" or as their address "alice@example.com".
  Account* a = server_.find(user);
  if (!a) a = local_account(user);
  return a && a->password == pass;
}

SmtpVerdict MailServerSmtpBackend::check_recipient(const std::string& address, std::size_t size) {
  auto at = address.rfind('@');
  if (at == std::string::npos || !is_local_domain(address.substr(at + 1)))
    return SmtpVerdict::Remote;
  Account* a = local_account(address);
  if (!a) return SmtpVerdict::UnknownUser;
  // Without a declared size, a mailbox already at its quota can take nothing more.
  return a->over_quota(size ? size : 1) ? SmtpVerdict::MailboxFull : SmtpVerdict::Local;
}

SmtpVerdict MailServerSmtpBackend::deliver(const SmtpEnvelope& env, const std::string& raw,
                                           std::string& failed) {
  // Check every recipient first: all-or-nothing (see the header).
  std::vector<Account*> local;
  std::vector<std::string> remote;
  for (const auto& r : env.rcpts) {
    SmtpVerdict v = check_recipient(r, raw.size());
    if (v == SmtpVerdict::Remote) {
      remote.push_back(r);
      continue;
    }
    if (v != SmtpVerdict::Local) {
      failed = r;
      return v;
    }
    Account* a = local_account(r);
    bool dup = false;
    for (Account* x : local) dup = dup || x == a;
    if (!dup) local.push_back(a);  // one copy per mailbox, however many aliases named it
  }
  Body body = make_body(raw);
  const Tick t = now();
  for (Account* a : local) a->store.append("INBOX", body, {}, t);
  if (!remote.empty()) {
    outside.push_back({env.from, remote, body, t});
    if (on_outside) on_outside(outside.back());
  }
  return local.empty() ? SmtpVerdict::Remote : SmtpVerdict::Local;
}

}  // namespace ms
