#pragma once
// A world: one mail server, its accounts, the devices that use them, the links between them,
// a scheduler and the trace. A lesson runs the same script in a POP3 world and an IMAP world.
//
// Actors in the trace: "server", each device by name, and "internet" (outside senders and
// recipients). Their Device Added records carry what each is in `device` (phone, desktop,
// laptop, tablet, server, internet) so the GUI can pick an icon; the server's also carries
// the world's protocol, and each device's Settings record its client, link and policies.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/account.hpp"
#include "proto/engine.hpp"
#include "proto/secure.hpp"
#include "trace/settings.hpp"
#include "trace/trace.hpp"
#include "world/scheduler.hpp"

namespace ms {

enum class DeviceKind : std::uint8_t { Phone, Desktop, Laptop, Tablet };
const char* device_kind_name(DeviceKind k);
bool parse_device_kind(const std::string& s, DeviceKind& out);
ActorKind actor_kind(DeviceKind k);

// An engine event as a trace Event record's kind and fields (text included); the caller sets
// time, actors and connection.
void describe_event(Record& r, const EngineEvent& e);

// Client defaults of real mail apps, read from assets/profiles.json (lesson/profiles.hpp:
// the ids, each setting's source): "thunderbird", "thunderbird-android" (alias "k9"),
// "apple-mail", "ios-mail", "outlook", "webmail". Returns false for an unknown name. Throws
// ProfileError (a LessonError) when the profiles file is missing or malformed.
bool apply_client_preset(const std::string& name, Pop3Policy& pop3, struct ImapPolicy& imap);
// The preset's name as the app calls itself ("Thunderbird", "Apple Mail"); "" when unknown.
const char* client_preset_title(const std::string& name);

// A device as a lesson describes it: its settings (what the trace records of it: client,
// link, policies) and who it is.
struct DeviceSpec : DeviceSettings {
  std::string name;
  DeviceKind kind = DeviceKind::Phone;
  std::string account;
  std::string password;
  // With STARTTLS: false is "STARTTLS when offered" (log in in clear when the server does not
  // list it); true gives up instead, as Thunderbird's "STARTTLS" setting does.
  bool insist_on_tls = true;
  // The device's network has a middlebox that deletes STARTTLS/STLS from what the server
  // advertises in clear (the downgrade RFC 3207 section 6 and RFC 2595 section 2.2 warn of).
  bool network_strips_starttls = false;
};

class World;
class Device;

// What a STARTTLS-stripping middlebox makes of a server's plaintext unit: the STARTTLS
// capability of an IMAP CAPABILITY list (RFC 3501 section 7.2.1), the STLS line of a POP3
// CAPA reply (RFC 2449) or the STARTTLS line of an EHLO reply (RFC 3207 section 4) deleted;
// anything else unchanged.
std::string strip_starttls_offer(Proto proto, const std::string& unit);

// A connection between a device's client engine and a server engine over the device's link.
// Each unit an engine emits becomes one Wire record and arrives at the peer after the link's
// latency and transfer time; the link being down drops the connection.
class Connection {
 public:
  // `security`: the client's connection security; `tls` the world's TLS context (null only
  // for a connection that can never use TLS).
  Connection(World& w, std::uint32_t id, Proto proto, std::uint16_t client, std::uint16_t server,
             LinkSpec link, std::unique_ptr<Engine> client_engine,
             std::unique_ptr<Engine> server_engine, Security security = Security::None,
             tls::Context* tls = nullptr);
  void start();    // lets the server speak first (greeting)
  void drop();     // the link went down: both sides see the peer close, nothing more is sent
  bool open() const { return open_; }
  std::uint32_t id() const { return id_; }
  Proto proto() const { return proto_; }
  std::uint16_t client_actor() const { return client_actor_; }
  Engine& client() { return *client_; }
  Engine& server() { return *server_; }
  // Moves whatever either engine has to send onto the link (called after any engine input).
  void pump();
  // Callback when the client engine reported events (the device applies them).
  std::function<void(std::vector<EngineEvent>)> on_client_events;
  std::function<void()> on_closed;
  // A middlebox on this connection's path strips STARTTLS offers (set before start()).
  bool strip_starttls = false;

 private:
  void transmit(bool from_client, SecureEnd::Unit unit);
  void deliver(bool to_server, const std::string& wire);
  // After input: a completed handshake is recorded, a failed one ends the connection.
  void check_tls(bool server_side);
  void finish();
  void close_both(EventKind how, const char* why);
  // Records the server engine's events (and the client's when `record_client`), then hands
  // the client's to the device's app.
  void take_events(bool record_client);
  World& w_;
  std::uint32_t id_;
  Proto proto_;
  std::uint16_t client_actor_, server_actor_;
  LinkSpec link_;
  std::unique_ptr<Engine> client_, server_;
  // Between each engine and the link: plaintext, or TLS records (world/world.cpp).
  std::unique_ptr<SecureEnd> client_end_, server_end_;
  Tick free_up_ = 0, free_down_ = 0;  // when each direction's link is next idle
  bool open_ = true;
  bool closing_ = false;
};

class World {
 public:
  World(std::string label, Proto proto, std::uint64_t seed);
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  const std::string& label() const { return label_; }
  Proto proto() const { return proto_; }
  Scheduler& sched() { return sched_; }
  Tick now() const { return sched_.now(); }
  Rng& rng() { return rng_; }
  Trace& trace() { return trace_; }
  const Trace& trace() const { return trace_; }
  MailServer& server() { return server_; }
  const MailServer& server() const { return server_; }
  // The server's actor in the trace (its Device Added record says so to readers).
  std::uint16_t server_actor() const { return server_actor_; }

  Account& add_account(const std::string& name, const std::string& password);
  Device& add_device(const DeviceSpec& spec);
  Device* device(const std::string& name);
  const std::vector<std::unique_ptr<Device>>& devices() const { return devices_; }

  // Mail from outside reaches `account`'s INBOX (scenario message number n, 1-based, so that
  // lessons can name "message 2" in either world). Returns false if it was rejected.
  // With attachment_kb > 0 the message carries an attachment of that size (seeded bytes).
  bool mail_arrives(const std::string& account, const std::string& from,
                    const std::string& subject, const std::string& text,
                    std::size_t attachment_kb = 0, const std::string& filename = "");
  // The scenario's messages in arrival order: message n is messages()[n-1].
  const std::vector<Body>& scenario_messages() const { return scenario_; }
  void note_scenario_message(Body b) { scenario_.push_back(std::move(b)); }

  // Opens a connection from a device to the server for the given protocol.
  Connection& connect(Device& d, Proto proto, std::unique_ptr<Engine> client);
  // Opens a connection from any actor ("internet" for outside senders) over `link`.
  Connection& open_connection(const std::string& client_actor, const LinkSpec& link, Proto proto,
                              std::unique_ptr<Engine> client, std::unique_ptr<Engine> server,
                              Security security = Security::None,
                              bool strip_starttls = false);
  // Drops every open connection of an actor (its link went down).
  void drop_connections(const std::string& actor);
  // Creates the server engine for a protocol (used by connect and by the live listener).
  // SMTP from a device is submission (RFC 6409, port 587); from "internet" it is relay
  // (RFC 5321, port 25, no authentication, local recipients only).
  // `security` is the client's: an implicit-TLS port (RFC 8314) offers no STARTTLS.
  std::unique_ptr<Engine> make_server_engine(Proto proto, bool submission = true,
                                             Security security = Security::None);
  // How the server offers TLS on its plain ports (STARTTLS, and whether it refuses a password
  // before TLS). Off unless a device uses TLS (add_device turns STARTTLS on) or a lesson says.
  const ServerTls& server_tls() const { return server_tls_; }
  void set_server_tls(const ServerTls& t) { server_tls_ = t; }
  // The world's TLS: its seeded random source and the server's certificate, made on first use
  // so that a world without TLS does no TLS work at all.
  tls::Context& tls_context();
  const tls::Context* tls_context_if_used() const { return tls_.get(); }
  // The simulation clock as a date (seconds since 1970), for certificate checks.
  std::int64_t unix_now() const;
  // A connection number for a connection the world does not own (the live listener's), so
  // that trace records of simulated and live connections never share a number.
  std::uint32_t new_connection_id() { return ++next_conn_; }
  class MailServerSmtpBackend& smtp_backend() { return *smtp_; }

  // Trace helpers: every record goes through these so time and ordering are uniform.
  void record(Record r);
  void event(const std::string& actor, EventKind what, const std::string& text,
             Proto proto = Proto::None, std::uint32_t conn = 0);
  // A Device record: `what` is Added (with the actor's `kind`), Online, Offline or Lost.
  void device_record(const std::string& actor, EventKind what, ActorKind kind = ActorKind::None);
  // A Settings record: the device's settings in force from now on.
  void settings_record(const std::string& actor, const DeviceSettings& s);
  // Forwards a store's changes to the trace under the given actor; folder names get `prefix`
  // (the server shows a second account's folders as "bob/INBOX").
  void watch_store(Store& s, const std::string& actor, const std::string& prefix = "");
  // An account's folder as the trace names it under the server ("bob/INBOX"; the account
  // created first has no prefix).
  std::string server_folder(const std::string& account, const std::string& folder) const;

  void run_until(Tick t) { sched_.run_until(t); }
  void run() { sched_.run(); }

 private:
  std::string label_;
  Proto proto_;
  Scheduler sched_;
  std::uint64_t seed_;
  Rng rng_;
  ServerTls server_tls_;
  std::unique_ptr<tls::Context> tls_;
  Trace trace_;
  MailServer server_;
  std::vector<std::unique_ptr<Device>> devices_;
  std::vector<std::unique_ptr<Connection>> conns_;
  std::vector<Body> scenario_;
  std::unique_ptr<class MailServerSmtpBackend> smtp_;
  std::uint32_t next_conn_ = 0;
  std::uint16_t server_actor_ = 0;
  bool pump_scheduled_ = false;
  std::uint32_t next_uidvalidity_ = 1;
  std::map<std::string, std::string> folder_prefix_;  // by account: its folders' prefix
};

}  // namespace ms
