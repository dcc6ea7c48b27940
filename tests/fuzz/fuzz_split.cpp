// Fragmentation independence (engine.hpp: "in any fragmentation (one byte at a time must
// work)"): the same bytes fed in one receive() call and in the chunks the second byte chooses
// must give the same output bytes, the same events, the same final state and the same close
// decision. The first byte picks the engine. A difference aborts.
#include "fuzz_util.hpp"
#include "proto/imap/imap_client.hpp"
#include "proto/imap/imap_server.hpp"
#include "proto/pop3/pop3_client.hpp"
#include "proto/pop3/pop3_server.hpp"
#include "proto/smtp/smtp_backend.hpp"
#include "proto/smtp/smtp_client.hpp"
#include "proto/smtp/smtp_server.hpp"

#include <functional>
#include <memory>

using namespace ms;

namespace {

struct Outcome {
  std::string out, events, state;
  bool close = false;
};

Outcome run(Engine& e, const std::vector<std::string_view>& parts) {
  Outcome o;
  auto drain = [&] {
    for (auto& u : e.take_output()) o.out += u;
    for (auto& ev : e.take_events())
      o.events += std::to_string(ev.kind) + "|" + ev.text + "|" + ev.id + "|" + ev.folder + "|" +
                  std::to_string(ev.uid) + "|" + std::to_string(ev.aux) + "|" +
                  flags_to_imap(ev.flags) + "|" + ev.data + "\n";
  };
  drain();
  for (auto p : parts) {
    e.receive(p);
    drain();
  }
  o.state = e.state_name();
  o.close = e.wants_close();
  return o;
}

struct World {
  MailServer server;
  std::unique_ptr<MailServerSmtpBackend> backend;
  std::unique_ptr<Engine> engine;
};

std::unique_ptr<World> make(unsigned which) {
  auto w = std::make_unique<World>();
  fuzz::populate(w->server);
  switch (which % 6) {
    case 0: w->engine = std::make_unique<ImapServer>(w->server); break;
    case 1: w->engine = std::make_unique<Pop3Server>(w->server, "<1.2@x>"); break;
    case 2:
      w->backend = std::make_unique<MailServerSmtpBackend>(w->server);
      w->engine = std::make_unique<SmtpServer>(*w->backend);
      break;
    case 3: {
      ImapPlan p;
      p.user = "alice";
      p.pass = "secret";
      p.mailboxes.push_back(ImapMailboxPlan{});
      p.appends.push_back({ImapOp::Append, 0, "Sent", "", "\\Seen", fuzz::kPlainMessage});
      w->engine = std::make_unique<ImapClient>(p);
      break;
    }
    case 4: {
      Pop3Plan p;
      p.user = "alice";
      p.pass = "secret";
      p.seen = {"a1"};
      w->engine = std::make_unique<Pop3Client>(p);
      break;
    }
    default: {
      SmtpClientConfig cfg;
      cfg.user = "alice";
      cfg.password = "secret";
      w->engine = std::make_unique<SmtpClient>(
          cfg, std::vector<SmtpOutgoing>{{"alice@example.com", {"bob@example.com"},
                                          fuzz::kPlainMessage}});
    }
  }
  return w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in = fuzz::as_view(data, size);
  if (in.size() < 2) return 0;
  unsigned which = static_cast<unsigned char>(in[0]);
  in.remove_prefix(1);
  auto parts = fuzz::chunks(in);
  std::string_view whole = in.substr(1);
  auto a = make(which);
  auto b = make(which);
  Outcome x = run(*a->engine, {whole});
  Outcome y = run(*b->engine, parts);
  if (x.out != y.out) fuzz::roundtrip_failed("same output whatever the split", x.out, y.out);
  if (x.events != y.events)
    fuzz::roundtrip_failed("same events whatever the split", x.events, y.events);
  if (x.state != y.state) fuzz::roundtrip_failed("same state whatever the split", x.state, y.state);
  if (x.close != y.close) fuzz::roundtrip_failed("same close decision", "", "");
  return 0;
}
