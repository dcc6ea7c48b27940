#include "world/submit.hpp"

#include <memory>

#include "proto/smtp/smtp_client.hpp"

namespace ms {

void submit(Device& d, Body message, std::function<void(bool)> done) {
  World& w = d.world();
  if (!d.online()) {
    w.event(d.name(), EventKind::Note, "cannot send: offline (the message waits in the Outbox)");
    if (done) done(false);
    return;
  }
  SmtpClientConfig cfg;
  cfg.helo_name = d.name() + ".home.example";
  cfg.user = d.spec().account;
  cfg.password = d.spec().password;
  cfg.starttls = d.spec().security == Security::StartTls;
  cfg.starttls_required = d.spec().insist_on_tls;
  std::string from = d.spec().account + "@" + w.server().settings.hostname;
  std::string to = message->to;
  if (auto lt = to.find('<'); lt != std::string::npos)
    to = to.substr(lt + 1, to.find('>', lt) - lt - 1);
  std::vector<SmtpOutgoing> out{{from, {to}, message->raw}};
  Connection& c = w.connect(d, Proto::SMTP, std::make_unique<SmtpClient>(cfg, std::move(out)));
  // Shared between the two callbacks so `done` runs exactly once.
  auto finished = std::make_shared<bool>(false);
  c.on_client_events = [done, finished](std::vector<EngineEvent> ev) {
    for (const auto& e : ev) {
      if (*finished) return;
      if (e.kind == EngineEvent::Sent || e.kind == EngineEvent::Error) {
        *finished = true;
        if (done) done(e.kind == EngineEvent::Sent);
      }
    }
  };
  c.on_closed = [done, finished] {
    if (*finished) return;
    *finished = true;
    if (done) done(false);
  };
}

}  // namespace ms
