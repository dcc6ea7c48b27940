#include "world/world.hpp"

#include "proto/imap/imap_server.hpp"
#include "proto/pop3/pop3_server.hpp"
#include "proto/smtp/smtp_backend.hpp"
#include "proto/smtp/smtp_client.hpp"
#include "proto/smtp/smtp_server.hpp"
#include "world/device.hpp"

namespace ms {

const char* device_kind_name(DeviceKind k) {
  switch (k) {
    case DeviceKind::Phone: return "phone";
    case DeviceKind::Desktop: return "desktop";
    case DeviceKind::Laptop: return "laptop";
    case DeviceKind::Tablet: return "tablet";
  }
  return "";
}
bool parse_device_kind(const std::string& s, DeviceKind& out) {
  for (auto k : {DeviceKind::Phone, DeviceKind::Desktop, DeviceKind::Laptop, DeviceKind::Tablet})
    if (s == device_kind_name(k)) {
      out = k;
      return true;
    }
  return false;
}

ActorKind actor_kind(DeviceKind k) {
  switch (k) {
    case DeviceKind::Phone: return ActorKind::Phone;
    case DeviceKind::Desktop: return ActorKind::Desktop;
    case DeviceKind::Laptop: return ActorKind::Laptop;
    case DeviceKind::Tablet: return ActorKind::Tablet;
  }
  return ActorKind::None;
}

void describe_event(Record& r, const EngineEvent& e) {
  r.kind = RecKind::Event;
  switch (e.kind) {
    case EngineEvent::StateChanged:
      r.ev = EventKind::StateChanged;
      r.old_state = e.old_state;
      r.new_state = e.new_state;
      break;
    case EngineEvent::LoggedIn: r.ev = EventKind::LoggedIn; break;
    case EngineEvent::MessageDownloaded: r.ev = EventKind::MessageDownloaded; break;
    case EngineEvent::HeadersDownloaded: r.ev = EventKind::HeadersDownloaded; break;
    case EngineEvent::FlagsSeen: r.ev = EventKind::FlagsSeen; break;
    case EngineEvent::MessageExpunged: r.ev = EventKind::MessageExpunged; break;
    case EngineEvent::MessageDeleted: r.ev = EventKind::MessageDeleted; break;
    case EngineEvent::MessageAppended: r.ev = EventKind::MessageAppended; break;
    case EngineEvent::MailboxSelected: r.ev = EventKind::MailboxSelected; break;
    case EngineEvent::Sent: r.ev = EventKind::Sent; break;
    case EngineEvent::Error: r.ev = EventKind::Error; break;
    case EngineEvent::Finished: r.ev = EventKind::Finished; break;
    case EngineEvent::Note: r.ev = EventKind::Note; break;
    case EngineEvent::MailboxSynced: r.ev = EventKind::MailboxSynced; break;
    case EngineEvent::ClientIdentified:
      r.ev = EventKind::ClientIdentified;
      // "Thunderbird 115.3": a version alone names nothing.
      r.name = e.id;
      if (!e.id.empty() && !e.data.empty()) r.name += " " + e.data;
      break;
    case EngineEvent::MessagePopped:
      r.ev = EventKind::MessagePopped;
      r.uid = e.uid;
      r.folder = e.folder;  // the caller adds the account's prefix (World::server_folder)
      break;
  }
  r.text = e.text;
}

// apply_client_preset and client_preset_title read assets/profiles.json: lesson/profiles.cpp.

// ---- Connection ---------------------------------------------------------------------------

std::string strip_starttls_offer(Proto proto, const std::string& unit) {
  std::vector<std::string> lines;
  for (std::size_t pos = 0; pos < unit.size();) {
    std::size_t eol = unit.find("\r\n", pos);
    std::size_t end = eol == std::string::npos ? unit.size() : eol + 2;
    lines.push_back(unit.substr(pos, end - pos));
    pos = end;
  }
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string& l = lines[i];
    switch (proto) {
      case Proto::IMAP:
        if (l.find("CAPABILITY") != std::string::npos)
          for (std::size_t p; (p = l.find(" STARTTLS")) != std::string::npos;) l.erase(p, 9);
        break;
      case Proto::POP3:
        if (l == "STLS\r\n" && i > 0 && lines[0].rfind("+OK", 0) == 0) l.clear();
        break;
      case Proto::SMTP:
        if (l == "250-STARTTLS\r\n") l.clear();
        if (l == "250 STARTTLS\r\n") {
          // The last line of the reply goes: the one before it becomes the last.
          l.clear();
          if (out.size() >= 2) {
            const std::size_t eol = out.rfind("\r\n", out.size() - 3);
            const std::size_t start = eol == std::string::npos ? 0 : eol + 2;
            if (out.compare(start, 4, "250-") == 0) out[start + 3] = ' ';
          }
        }
        break;
      default: break;
    }
    out += l;
  }
  return out;
}

Connection::Connection(World& w, std::uint32_t id, Proto proto, std::uint16_t client,
                       std::uint16_t server, LinkSpec link, std::unique_ptr<Engine> c,
                       std::unique_ptr<Engine> s, Security security, tls::Context* tls)
    : w_(w), id_(id), proto_(proto), client_actor_(client), server_actor_(server), link_(link),
      client_(std::move(c)), server_(std::move(s)) {
  // The client checks the certificate against the simulation's clock, never the real one.
  client_end_ = std::make_unique<SecureEnd>(*client_, tls::Role::Client, security, tls,
                                            w_.unix_now());
  server_end_ = std::make_unique<SecureEnd>(*server_, tls::Role::Server, security, tls);
}

void Connection::start() {
  w_.record({.t = w_.now(), .t_end = w_.now(), .kind = RecKind::Event, .proto = proto_,
             .actor = client_actor_, .peer = server_actor_, .conn = id_,
             .ev = EventKind::Connected,
             .text = std::string("connects to the server (") + proto_name(proto_) + ")"});
  pump();
}

void Connection::pump() {
  if (!open_) return;
  for (auto& u : server_end_->take_units()) transmit(false, std::move(u));
  for (auto& u : client_end_->take_units()) transmit(true, std::move(u));
  take_events(true);
  if (!closing_ && (client_->wants_close() || server_->wants_close()) && !client_->has_output() &&
      !server_->has_output()) {
    closing_ = true;
    // Close after the last unit in flight has arrived.
    Tick t = std::max({w_.now(), free_up_, free_down_});
    w_.sched().at(t, [this] { finish(); });
  }
}

void Connection::transmit(bool from_client, SecureEnd::Unit unit) {
  if (strip_starttls && !from_client && !unit.tls) {
    std::string stripped = strip_starttls_offer(proto_, unit.wire);
    if (stripped != unit.wire) {
      unit.wire = unit.plain = std::move(stripped);
      w_.record({.t = w_.now(), .t_end = w_.now(), .kind = RecKind::Event, .proto = proto_,
                 .actor = client_actor_, .peer = server_actor_, .conn = id_,
                 .ev = EventKind::Note,
                 .text = "a middlebox on the network removed the server's STARTTLS offer"});
    }
  }
  Tick& free = from_client ? free_up_ : free_down_;
  Tick start = std::max(w_.now(), free);
  // The link carries what crosses it: over TLS the records, which are larger than the text.
  Tick done = start + link_.transfer_time(unit.wire.size());
  free = done;
  Tick arrive = done + link_.latency;
  Record r{.t = start, .t_end = arrive, .kind = RecKind::Wire, .proto = proto_,
           .actor = from_client ? client_actor_ : server_actor_,
           .peer = from_client ? server_actor_ : client_actor_, .conn = id_};
  if (unit.tls) {
    r.text = std::move(unit.plain);
    r.cipher = unit.wire;
  } else {
    r.text = unit.wire;
  }
  w_.record(std::move(r));
  w_.sched().at(arrive, [this, from_client, wire = std::move(unit.wire)] {
    if (open_) deliver(from_client, wire);
  });
}

void Connection::deliver(bool to_server, const std::string& wire) {
  (to_server ? server_end_ : client_end_)->receive(wire);
  check_tls(to_server);
  if (open_) pump();
}

void Connection::check_tls(bool server_side) {
  SecureEnd& end = server_side ? *server_end_ : *client_end_;
  if (end.take_handshake_done() && !server_side) {
    // Recorded once per connection, when the client has checked the server's certificate.
    const tls::Session* s = end.session();
    w_.record({.t = w_.now(), .t_end = w_.now(), .kind = RecKind::Event, .proto = proto_,
               .actor = client_actor_, .peer = server_actor_, .conn = id_,
               .ev = EventKind::TlsStarted, .name = s->version() + " " + s->cipher(),
               .text = "TLS established (" + s->version() + ", " + s->cipher() +
                       "): the certificate of " + w_.tls_context().server_name() +
                       " checked"});
  }
  if (end.failed()) {
    // Send what the failing side still has (its alert), then end the connection.
    for (auto& u : end.take_units()) transmit(!server_side, std::move(u));
    close_both(EventKind::Dropped, ("TLS failed: " + end.error()).c_str());
  }
}

void Connection::take_events(bool record_client) {
  auto ev = client_->take_events();
  auto put = [&](const EngineEvent& e, std::uint16_t actor, std::uint16_t peer) {
    Record r{.t = w_.now(), .t_end = w_.now(), .proto = proto_, .actor = actor, .peer = peer,
             .conn = id_};
    describe_event(r, e);
    if (r.ev == EventKind::MessagePopped) r.folder = w_.server_folder(e.id, e.folder);
    w_.record(std::move(r));
  };
  for (const auto& e : server_->take_events()) put(e, server_actor_, client_actor_);
  if (record_client)
    for (const auto& e : ev)
      // A client's bookkeeping events without words are for its device, not for the trace.
      if (!e.text.empty()) put(e, client_actor_, server_actor_);
  if (!ev.empty() && on_client_events) on_client_events(std::move(ev));
}

void Connection::close_both(EventKind how, const char* why) {
  if (!open_) return;
  open_ = false;
  // Both ends see the connection close. Without a goodbye (a dropped link), RFC 1939 section
  // 6 applies: the POP3 server must not enter UPDATE; it releases the maildrop lock, and an
  // IMAP server stops watching the mailbox.
  server_->peer_closed();
  client_->peer_closed();
  w_.record({.t = w_.now(), .t_end = w_.now(), .kind = RecKind::Event, .proto = proto_,
             .actor = client_actor_, .peer = server_actor_, .conn = id_, .ev = how,
             .text = why});
  take_events(false);
  if (on_closed) on_closed();
}

void Connection::finish() { close_both(EventKind::Closed, "connection closed"); }

void Connection::drop() { close_both(EventKind::Dropped, "connection dropped (link down)"); }

// ---- World --------------------------------------------------------------------------------

World::World(std::string label, Proto proto, std::uint64_t seed)
    : label_(std::move(label)), proto_(proto), seed_(seed), rng_(seed) {
  server_actor_ = trace_.actor("server");
  trace_.actor("internet");
  // The server's Added record says which protocol the world's mail apps speak: the views
  // draw a POP3 or an IMAP world from the trace alone.
  record({.t = now(), .t_end = now(), .kind = RecKind::Device, .proto = proto_,
          .actor = server_actor_, .ev = EventKind::Added, .device = ActorKind::Server,
          .text = ev_name(EventKind::Added)});
  device_record("internet", EventKind::Added, ActorKind::Internet);
  server_.clock = [this] { return now(); };
  smtp_ = std::make_unique<MailServerSmtpBackend>(server_);
  smtp_->now = [this] { return now(); };
  smtp_->on_outside = [this](const MailServerSmtpBackend::OutsideMessage& m) {
    std::string to;
    for (const auto& r : m.rcpts) to += (to.empty() ? "" : ", ") + r;
    event("internet", EventKind::Outside,
          "receives \"" + (m.body ? m.body->subject : std::string()) + "\" for " + to,
          Proto::SMTP);
  };
  server_.on_new_account = [this](Account& a) {
    folder_prefix_[a.name] = server_.accounts().size() > 1 ? a.name + "/" : "";
    watch_store(a.store, "server", folder_prefix_[a.name]);
    // Another session's change may give an IMAP session something to push (IDLE, RFC 2177):
    // once the current event is done, every open connection sends what its engine queued.
    a.store.observe([this](const StoreChange&) {
      if (pump_scheduled_) return;
      pump_scheduled_ = true;
      sched_.after(0, [this] {
        pump_scheduled_ = false;
        for (auto& c : conns_)
          if (c->open()) c->pump();
      });
    });
  };
}

World::~World() = default;

Account& World::add_account(const std::string& name, const std::string& password) {
  // UIDVALIDITY values come from a per-world counter, not the clock, so runs reproduce.
  std::uint32_t uv = next_uidvalidity_;
  next_uidvalidity_ += 100;
  return server_.add_account(name, password, 1000 + uv);
}

Device& World::add_device(const DeviceSpec& spec) {
  // A server some device reaches over TLS offers STARTTLS on its plain ports, as production
  // servers do; worlds without TLS keep their bytes.
  if (spec.security != Security::None) server_tls_.starttls = true;
  trace_.actor(spec.name);
  device_record(spec.name, EventKind::Added, actor_kind(spec.kind));
  settings_record(spec.name, spec);
  devices_.push_back(std::make_unique<Device>(*this, spec, proto_));
  Device& d = *devices_.back();
  d.app().start();
  return d;
}

Device* World::device(const std::string& name) {
  for (auto& d : devices_)
    if (d->name() == name) return d.get();
  return nullptr;
}

bool World::mail_arrives(const std::string& account, const std::string& from,
                         const std::string& subject, const std::string& text,
                         std::size_t attachment_kb, const std::string& filename) {
  int n = static_cast<int>(scenario_.size()) + 1;
  std::string mid = "<m" + std::to_string(n) + "." + std::to_string(now() / kSecond) +
                    "@outside.example>";
  std::string to = account + "@" + server_.settings.hostname;
  std::string raw;
  if (attachment_kb > 0) {
    // Attachment bytes from the world's seeded stream, so runs reproduce.
    std::string data(attachment_kb * 1024, '\0');
    for (auto& c : data) c = static_cast<char>(rng_.next() & 0xFF);
    raw = compose_with_attachment(from, to, subject, mid, now(), text,
                                  filename.empty() ? "attachment.bin" : filename, data);
  } else {
    raw = compose_message(from, to, subject, mid, now(), text);
  }
  Body b = make_body(std::move(raw));
  scenario_.push_back(b);
  // The sender's mail server relays it to ours over SMTP (RFC 5321), as on the Internet.
  SmtpClientConfig cfg;
  cfg.helo_name = "mx.outside.example";
  std::string addr = from;
  if (auto lt = addr.find('<'); lt != std::string::npos)
    addr = addr.substr(lt + 1, addr.find('>', lt) - lt - 1);
  std::vector<SmtpOutgoing> out{{addr, {to}, b->raw}};
  LinkSpec internet;
  internet.latency = 40 * kMs;
  internet.bits_per_second = 100'000'000;
  open_connection("internet", internet, Proto::SMTP,
                  std::make_unique<SmtpClient>(cfg, std::move(out)),
                  make_server_engine(Proto::SMTP, false));
  return server_.find(account) != nullptr;
}

tls::Context& World::tls_context() {
  // Its own stream of the world's seed: the world's Rng is not touched, so adding TLS to one
  // device changes nothing else the seed decides.
  if (!tls_) tls_ = std::make_unique<tls::Context>(seed_ ^ 0x544C53ULL, "mail.example.test");
  return *tls_;
}

std::int64_t World::unix_now() const { return tls::kSimEpoch + now() / kSecond; }

std::unique_ptr<Engine> World::make_server_engine(Proto proto, bool submission,
                                                  Security security) {
  // On an implicit-TLS port the session is inside TLS from the first byte: nothing to offer.
  const ServerTls t = security == Security::Tls ? ServerTls{} : server_tls_;
  switch (proto) {
    case Proto::POP3:
      // The APOP timestamp (RFC 1939 section 7) must differ per session; the connection
      // counter and the clock make it unique and reproducible.
      return std::make_unique<Pop3Server>(
          server_, "<" + std::to_string(next_conn_ + 1) + "." + std::to_string(now()) + "@" +
                       server_.settings.hostname + ">", t);
    case Proto::IMAP: return std::make_unique<ImapServer>(server_, t);
    case Proto::SMTP: {
      SmtpServerConfig cfg;
      cfg.hostname = server_.settings.hostname;
      cfg.submission = submission;
      cfg.tls = t;
      return std::make_unique<SmtpServer>(*smtp_, cfg);
    }
    default: break;
  }
  return nullptr;
}

Connection& World::connect(Device& d, Proto proto, std::unique_ptr<Engine> client) {
  return open_connection(d.name(), d.spec().link, proto, std::move(client),
                         make_server_engine(proto, true, d.spec().security), d.spec().security,
                         d.spec().network_strips_starttls);
}

Connection& World::open_connection(const std::string& client_actor, const LinkSpec& link,
                                   Proto proto, std::unique_ptr<Engine> client,
                                   std::unique_ptr<Engine> server, Security security,
                                   bool strip_starttls) {
  tls::Context* tls = security != Security::None || server_tls_.starttls ? &tls_context() : nullptr;
  auto c = std::make_unique<Connection>(*this, ++next_conn_, proto, trace_.actor(client_actor),
                                        server_actor_, link, std::move(client),
                                        std::move(server), security, tls);
  conns_.push_back(std::move(c));
  Connection& ref = *conns_.back();
  ref.strip_starttls = strip_starttls;
  ref.start();
  return ref;
}

void World::drop_connections(const std::string& actor) {
  std::uint16_t id = trace_.actor(actor);
  for (auto& c : conns_)
    if (c->open() && c->client_actor() == id) c->drop();
}

std::string World::server_folder(const std::string& account, const std::string& folder) const {
  auto it = folder_prefix_.find(account);
  return (it == folder_prefix_.end() ? "" : it->second) + folder;
}

void World::record(Record r) {
  if (r.t_end < r.t) r.t_end = r.t;
  // Where the program's wording enters the trace (wire bytes and the lesson's own step titles
  // are not its wording; engine texts were passed through already, and pass again unharmed).
  if (r.kind == RecKind::Event || r.kind == RecKind::Device || r.kind == RecKind::Check ||
      r.kind == RecKind::Settings)
    r.text = display_text(std::move(r.text));
  trace_.append(std::move(r));
}

void World::event(const std::string& actor, EventKind what, const std::string& text, Proto proto,
                  std::uint32_t conn) {
  record({.t = now(), .t_end = now(), .kind = RecKind::Event, .proto = proto,
          .actor = trace_.actor(actor), .conn = conn, .ev = what, .text = text});
}

void World::device_record(const std::string& actor, EventKind what, ActorKind kind) {
  // The change's own name is its text (version 1 traces said just this).
  record({.t = now(), .t_end = now(), .kind = RecKind::Device, .actor = trace_.actor(actor),
          .ev = what, .device = kind, .text = ev_name(what)});
}

void World::settings_record(const std::string& actor, const DeviceSettings& s) {
  record({.t = now(), .t_end = now(), .kind = RecKind::Settings, .proto = proto_,
          .actor = trace_.actor(actor), .text = "settings",
          .settings = std::make_shared<const DeviceSettings>(s)});
}

void World::watch_store(Store& s, const std::string& actor, const std::string& prefix) {
  std::uint16_t id = trace_.actor(actor);
  s.observe([this, id, &s, prefix](const StoreChange& c) {
    Record r{.t = now(), .t_end = now(), .kind = RecKind::Store, .actor = id, .op = c.op,
             .uid = c.uid, .msg = trace_.message(c.body),
             .size = c.body ? static_cast<std::uint32_t>(c.body->raw.size()) : 0u,
             .flags = c.flags, .folder = c.op == StoreChange::Wipe ? "" : prefix + c.folder};
    if (c.op == StoreChange::FolderAdd)
      if (const Folder* f = s.folder(c.folder)) r.role = f->role;
    trace_.append(std::move(r));
  });
}

}  // namespace ms
