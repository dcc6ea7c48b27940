// Server bytes -> ImapClient running a small plan (an APPEND, a flag change, a move, then the
// UID/flag listing and body downloads), and the same bytes -> imap::ResponseReader.
#include "fuzz_util.hpp"
#include "proto/imap/codec.hpp"
#include "proto/imap/imap_client.hpp"

using namespace ms;

namespace {
ImapPlan plan() {
  ImapPlan p;
  p.user = "alice";
  p.pass = "secret";
  ImapMailboxPlan inbox;
  inbox.uidvalidity = 7;
  inbox.known[1] = Flags{kSeen, {}};
  inbox.known[2] = Flags{0, {"$Label"}};
  inbox.ops.push_back({ImapOp::Store, 1, "INBOX", "+FLAGS.SILENT", "\\Flagged", ""});
  inbox.ops.push_back({ImapOp::Move, 2, "INBOX", "Trash", "", ""});
  inbox.ops.push_back({ImapOp::Expunge, 0, "INBOX", "", "", ""});
  p.mailboxes.push_back(inbox);
  ImapMailboxPlan sent;
  sent.name = "Sent";
  p.mailboxes.push_back(sent);
  p.appends.push_back({ImapOp::Append, 0, "Sent", "", "\\Seen", fuzz::kPlainMessage});
  return p;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in = fuzz::as_view(data, size);
  {
    ImapClient c(plan());
    fuzz::drive(c, in);
  }
  {
    imap::ResponseReader reader;
    for (auto part : fuzz::chunks(in)) {
      reader.feed(part);
      for (;;) {
        auto ev = reader.next();
        if (ev.kind == imap::ResponseReader::Event::Kind::NeedMore) break;
        if (ev.kind == imap::ResponseReader::Event::Kind::Response && ev.response.fetch) {
          (void)ev.response.fetch->body("");
          (void)ev.response.fetch->body("HEADER");
          (void)ev.response.fetch->item_string("ENVELOPE");
        }
        if (ev.response.code) {
          (void)ev.response.code->number(0);
          (void)ev.response.code->number64(1);
        }
      }
    }
  }
  return 0;
}
