#include "proto/secure.hpp"

namespace ms {

int standard_port(Service svc, Security s) {
  const bool implicit = s == Security::Tls;
  switch (svc) {
    case Service::Imap: return implicit ? 993 : 143;        // RFC 8314 section 7.3
    case Service::Pop3: return implicit ? 995 : 110;        // RFC 8314 section 7.3
    case Service::Submission: return implicit ? 465 : 587;  // RFC 8314 section 7.3, RFC 6409
    case Service::Relay: return 25;                         // RFC 5321: no implicit TLS port
  }
  return 0;
}

SecureEnd::SecureEnd(Engine& engine, tls::Role role, Security security, tls::Context* ctx,
                     std::int64_t now)
    : engine_(engine), role_(role), ctx_(ctx), now_(now) {
  if (security == Security::Tls) start_tls();
}

void SecureEnd::start_tls() {
  tls_ = std::make_unique<tls::Session>(*ctx_, role_, now_);
  tls_->start();
}

void SecureEnd::receive(std::string_view wire) {
  if (!tls_) return engine_.receive(wire);
  const bool was_done = tls_->handshake_done();
  tls_->receive(wire);
  if (!was_done && tls_->handshake_done()) {
    announce_ = true;
    engine_.tls_started();
  }
  std::string plain = tls_->take_plaintext();
  if (!plain.empty()) engine_.receive(plain);
}

std::vector<SecureEnd::Unit> SecureEnd::take_units() {
  std::vector<Unit> units;
  if (!tls_) {
    for (auto& u : engine_.take_output()) {
      std::string w = u;
      units.push_back({std::move(w), std::move(u), false});
    }
    // STARTTLS: everything taken so far was the last plaintext; the handshake begins now.
    if (engine_.take_tls_request()) start_tls();
    else return units;
  }
  for (auto& u : engine_.take_output()) held_.push_back(std::move(u));
  // The handshake's own flight first, then each unit of the engine as its own records.
  if (std::string hs = tls_->take_ciphertext(); !hs.empty())
    units.push_back({std::move(hs), "", true});
  if (tls_->handshake_done() && !tls_->failed())
    while (!held_.empty()) {
      std::string plain = std::move(held_.front());
      held_.pop_front();
      tls_->send(plain);
      units.push_back({tls_->take_ciphertext(), std::move(plain), true});
    }
  return units;
}

}  // namespace ms
