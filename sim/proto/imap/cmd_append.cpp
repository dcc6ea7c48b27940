// RFC 3501 section 6.3.11 (APPEND) with RFC 4315 APPENDUID; the literal may be synchronising
// ("{n}", after our "+" continuation) or not (RFC 7888 LITERAL+): the CommandReader has
// assembled it either way.
#include "proto/imap/imap_server.hpp"
#include "proto/imap/server_util.hpp"

namespace ms {

void ImapServer::cmd_append(const imap::Command& c) {
  const auto& a = c.args;
  if (a.size() < 2 || a.size() > 4 || a.back().kind != imap::Token::Kind::Literal)
    return tagged(c.tag, "BAD", "APPEND needs a mailbox and a literal");
  auto name = mailbox_arg(c, 0);
  if (!name) return tagged(c.tag, name.status, name.error);
  Flags flags;
  Tick date = 0;  // the engine has no clock: without a date-time, the simulation's epoch
  for (std::size_t i = 1; i + 1 < a.size(); ++i) {
    if (a[i].is_list() && i == 1) {
      auto fl = imap::parse_flag_list(a[i]);
      if (!fl) return tagged(c.tag, "BAD", fl.error);
      flags = imapsrv::to_flags(*fl);
    } else if (a[i].kind == imap::Token::Kind::Quoted) {
      auto dt = imap::parse_date_time(a[i].text);
      if (!dt) return tagged(c.tag, "BAD", dt.error);
      date = (dt->to_unix() - kEpochUnix) * 1'000'000;
    } else {
      return tagged(c.tag, "BAD", "APPEND takes flags, a date-time and a literal");
    }
  }
  const std::string& raw = a.back().text;
  Folder* f = account_->store.folder(*name);
  if (!f) return tagged(c.tag, "NO", "[TRYCREATE] Mailbox doesn't exist: " + *name);
  if (account_->over_quota(raw.size())) return tagged(c.tag, "NO", "[OVERQUOTA] Quota exceeded");
  std::uint32_t nu = account_->store.append(*name, make_body(raw), flags, date);
  report_changes(true);
  tagged(c.tag, "OK", "[APPENDUID " + std::to_string(f->uidvalidity) + " " + std::to_string(nu) +
                          "] APPEND completed");
}

}  // namespace ms
