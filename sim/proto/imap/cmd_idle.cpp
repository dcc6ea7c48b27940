// RFC 2177 IDLE: "+ idling", then untagged updates as other sessions make changes (see
// on_store_change), until the client's "DONE" line.
#include "proto/imap/imap_server.hpp"
#include "util/text.hpp"

namespace ms {

void ImapServer::cmd_idle(const imap::Command& c) {
  if (!c.args.empty()) return tagged(c.tag, "BAD", "IDLE takes no arguments");
  report_changes(true);
  out("+ idling\r\n");
  flush();
  mode_ = Mode::Idle;
  mode_tag_ = c.tag;
  reader_.expect_raw_line();
}

void ImapServer::idle_done(std::string_view line) {
  mode_ = Mode::Command;
  // RFC 2177 section 3: anything but DONE ends the IDLE with a BAD.
  if (!iequals(line, "DONE")) return tagged(mode_tag_, "BAD", "expected DONE");
  report_changes(true);
  tagged(mode_tag_, "OK", "IDLE terminated");
}

}  // namespace ms
