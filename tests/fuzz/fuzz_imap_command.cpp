// Client bytes -> ImapServer (RFC 3501 server side), in the fragmentation the first byte
// chooses, while a second session watches the same mailbox (so that changes are reported to
// it as untagged responses); and the same bytes -> imap::CommandReader and the typed argument
// parsers. Any crash, sanitizer report, leak or unbounded growth is a finding.
#include "fuzz_util.hpp"
#include "proto/imap/codec.hpp"
#include "proto/imap/imap_server.hpp"

using namespace ms;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in = fuzz::as_view(data, size);
  {
    MailServer server;
    fuzz::populate(server);
    ImapServer watcher(server);
    watcher.receive("w1 LOGIN alice secret\r\nw2 SELECT INBOX\r\n");
    ImapServer s(server);
    for (auto part : fuzz::chunks(in)) {
      s.receive(part);
      (void)s.take_output();
      (void)s.take_events();
      watcher.receive("w3 NOOP\r\n");
      (void)watcher.take_output();
      (void)watcher.take_events();
    }
    s.peer_closed();
    watcher.peer_closed();
  }
  {
    imap::CommandReader reader;
    for (auto part : fuzz::chunks(in)) {
      reader.feed(part);
      for (;;) {
        auto ev = reader.next();
        if (ev.kind == imap::CommandReader::Event::Kind::NeedMore) break;
        if (ev.kind != imap::CommandReader::Event::Kind::Command || !ev.parsed.command) continue;
        const imap::Command& c = *ev.parsed.command;
        if (c.name == "FETCH" || c.name == "UID FETCH") (void)imap::parse_fetch(c);
        else if (c.name == "STORE" || c.name == "UID STORE") (void)imap::parse_store(c);
        else if (c.name == "SEARCH" || c.name == "UID SEARCH") (void)imap::parse_search(c);
        for (const auto& t : c.args) {
          (void)imap::parse_mailbox(t);
          (void)imap::parse_flag_list(t, true);
          if (t.is_atom()) {
            (void)imap::parse_sequence_set(t.text);
            (void)imap::parse_date(t.text);
          }
          if (t.is_string()) (void)imap::parse_date_time(t.text);
        }
      }
    }
  }
  return 0;
}
