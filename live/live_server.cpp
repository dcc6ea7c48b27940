#include "live/live_server.hpp"

#include <algorithm>
#include <array>
#include <asio.hpp>
#include <cctype>
#include <chrono>
#include <csignal>
#include <deque>
#include <map>
#include <optional>

namespace ms {

namespace {
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// Clients get one actor per connection ("127.0.0.1:54321"); the trace's actor ids are 16-bit,
// so a server that runs for days falls back to one actor per address instead of wrapping.
constexpr std::size_t kMaxActors = 60000;
// Client bytes are recorded per complete line; a partial line is recorded once it gets this
// long so that a peer that never sends LF still shows up (and the buffer stays bounded).
constexpr std::size_t kMaxPartialRecord = 8192;
// A client's name from IMAP ID (RFC 2971) is shown on its device box: keep it short.
constexpr std::size_t kMaxClientName = 40;

// A client's name from IMAP ID as shown on its device box: printable and short.
std::string client_name(const std::string& said) {
  std::string out;
  for (char ch : said)
    if (static_cast<unsigned char>(ch) >= 0x20 && ch != 0x7f) out += ch;
  if (out.size() > kMaxClientName) out = out.substr(0, kMaxClientName - 3) + "...";
  return out;
}
}  // namespace

bool parse_bind_address(const std::string& addr, bool& loopback) {
  asio::error_code ec;
  auto a = asio::ip::make_address(addr, ec);
  if (ec) return false;
  loopback = a.is_loopback();
  return true;
}

struct LiveServer::Impl {
  struct Conn {
    Conn(asio::io_context& io, tcp::socket s) : sock(std::move(s)), idle(io) {}
    std::uint32_t id = 0;
    Proto proto = Proto::None;
    tcp::socket sock;
    asio::steady_timer idle;
    Clock::time_point last_read;
    std::unique_ptr<Engine> engine;
    std::uint16_t actor = 0;
    std::deque<std::string> outq;
    std::vector<asio::const_buffer> sending;  // the gathered write in progress
    std::size_t queued = 0;
    bool reading = false, writing = false;
    bool closing = false;  // said goodbye: close once the queue is written
    bool closed = false;
    std::array<char, 16384> rbuf;
    std::string partial;  // client bytes not yet recorded (no LF seen yet)
    std::string name;     // what the client called itself (IMAP ID), if anything
  };
  using ConnPtr = std::shared_ptr<Conn>;

  struct Acceptor {
    Proto proto;
    tcp::acceptor acc;
  };

  Impl(World& w, LiveConfig c) : w(w), cfg(std::move(c)), sim_timer(io), deadline(io) {}

  World& w;
  LiveConfig cfg;
  asio::io_context io;
  std::vector<std::unique_ptr<Acceptor>> acceptors;
  std::map<std::uint32_t, ConnPtr> conns;
  asio::steady_timer sim_timer;
  asio::steady_timer deadline;
  std::optional<asio::signal_set> signals;
  Clock::time_point start;
  Tick base = 0;
  bool started = false, stopping = false;
  std::size_t finished = 0;  // connections that have ended

  // ---- time -------------------------------------------------------------------------------

  Tick real_now() const {
    return base +
           std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
  }

  // Brings the world's clock up to real time, running the simulation's due events (a lesson's
  // script, simulated devices) one at a time and handing their effects to live clients after
  // each, so that mail arriving in the simulation reaches an IDLEing real client at once.
  void advance() {
    if (!started) return;
    Tick t = real_now();
    while (w.sched().next_time() <= t) {
      w.sched().step();
      pump_all();
    }
    if (t > w.now()) w.sched().run_until(t);
    arm_sim_timer();
  }

  void arm_sim_timer() {
    if (stopping || w.sched().empty()) return;
    Tick next = w.sched().next_time();
    sim_timer.expires_at(start + std::chrono::microseconds(std::max<Tick>(next - base, 0)));
    sim_timer.async_wait([this](const asio::error_code& ec) {
      if (!ec) advance();
    });
  }

  // ---- records ----------------------------------------------------------------------------

  void wire(const Conn& c, bool from_client, std::string text) {
    const std::uint16_t s = w.server_actor();
    w.record({.t = w.now(), .t_end = w.now(), .kind = RecKind::Wire, .proto = c.proto,
              .actor = from_client ? c.actor : s, .peer = from_client ? s : c.actor,
              .conn = c.id, .text = std::move(text)});
  }
  void conn_event(const Conn& c, bool from_client, EventKind what, std::string text) {
    const std::uint16_t s = w.server_actor();
    w.record({.t = w.now(), .t_end = w.now(), .kind = RecKind::Event, .proto = c.proto,
              .actor = from_client ? c.actor : s, .peer = from_client ? s : c.actor,
              .conn = c.id, .ev = what, .text = std::move(text)});
  }
  void record_input(Conn& c, std::string_view bytes) {
    c.partial.append(bytes);
    auto lf = c.partial.rfind('\n');
    if (lf != std::string::npos) {
      wire(c, true, c.partial.substr(0, lf + 1));
      c.partial.erase(0, lf + 1);
    }
    if (c.partial.size() >= kMaxPartialRecord) {
      wire(c, true, std::move(c.partial));
      c.partial.clear();
    }
  }

  // ---- listening --------------------------------------------------------------------------

  std::vector<LiveListener> listen() {
    std::vector<LiveListener> out;
    asio::error_code ec;
    auto addr = asio::ip::make_address(cfg.bind, ec);
    if (ec) throw LiveError("not an IP address: '" + cfg.bind + "'");
    for (auto [proto, port] : {std::pair{Proto::IMAP, cfg.imap_port},
                               std::pair{Proto::POP3, cfg.pop3_port},
                               std::pair{Proto::SMTP, cfg.smtp_port}}) {
      if (port < 0) continue;
      if (port > 65535) throw LiveError("port out of range: " + std::to_string(port));
      auto a = std::make_unique<Acceptor>(Acceptor{proto, tcp::acceptor(io)});
      tcp::endpoint ep(addr, static_cast<unsigned short>(port));
      try {
        a->acc.open(ep.protocol());
        a->acc.set_option(tcp::acceptor::reuse_address(true));
        a->acc.bind(ep);
        a->acc.listen();
      } catch (const std::system_error& e) {
        throw LiveError(std::string("cannot listen for ") + proto_name(proto) + " on " +
                        cfg.bind + ":" + std::to_string(port) + ": " + e.code().message());
      }
      out.push_back({proto, cfg.bind, a->acc.local_endpoint().port()});
      acceptors.push_back(std::move(a));
      accept(*acceptors.back());
    }
    catch_signals();
    return out;
  }

  void accept(Acceptor& a) {
    a.acc.async_accept([this, &a](const asio::error_code& ec, tcp::socket s) {
      if (stopping || ec == asio::error::operation_aborted) return;
      if (ec) {
        // Out of descriptors and the like: try again shortly instead of spinning.
        auto t = std::make_shared<asio::steady_timer>(io, std::chrono::milliseconds(100));
        t->async_wait([this, &a, t](const asio::error_code& e) {
          if (!e && !stopping) accept(a);
        });
        return;
      }
      advance();
      if (conns.size() >= cfg.max_connections) refuse(a.proto, std::move(s));
      else open(a.proto, std::move(s));
      accept(a);
    });
  }

  std::string peer_name(const tcp::socket& s) {
    asio::error_code ec;
    auto ep = s.remote_endpoint(ec);
    if (ec) return "unknown";
    std::string addr = ep.address().to_string();
    if (ep.address().is_v6()) addr = "[" + addr + "]";
    if (w.trace().actors().size() >= kMaxActors) return addr;
    return addr + ":" + std::to_string(ep.port());
  }

  // Over the connection limit: the protocol's own "try later" reply, then close.
  void refuse(Proto proto, tcp::socket s) {
    std::string host = w.server().settings.hostname;
    std::string reply = proto == Proto::POP3   ? "-ERR [SYS/TEMP] too many connections\r\n"
                        : proto == Proto::IMAP ? "* BYE Too many connections\r\n"
                                               : "421 4.7.0 " + host +
                                                     " Too many connections, try again later\r\n";
    w.event("server", EventKind::Refused,
            "refuses a connection from " + peer_name(s) + ": too many connections", proto);
    auto sock = std::make_shared<tcp::socket>(std::move(s));
    auto text = std::make_shared<std::string>(std::move(reply));
    asio::async_write(*sock, asio::buffer(*text),
                      [sock, text](const asio::error_code&, std::size_t) {
                        asio::error_code ignored;
                        sock->shutdown(tcp::socket::shutdown_both, ignored);
                        sock->close(ignored);
                      });
  }

  void open(Proto proto, tcp::socket s) {
    // Replies are written as soon as they are complete; Nagle's algorithm would hold a small
    // reply back until the client's delayed ACK, stalling pipelined sessions.
    asio::error_code ignored;
    s.set_option(tcp::no_delay(true), ignored);
    auto c = std::make_shared<Conn>(io, std::move(s));
    c->id = w.new_connection_id();
    c->proto = proto;
    std::string name = peer_name(c->sock);
    bool known = false;
    for (const auto& a : w.trace().actors()) known = known || a == name;
    c->actor = w.trace().actor(name);
    // Real clients are shown as desktops: nothing on the wire says what device they run on.
    if (!known) w.device_record(name, EventKind::Added, ActorKind::Desktop);
    conn_event(*c, true, EventKind::Connected,
               std::string("connects to the server (") + proto_name(proto) + ")");
    // Live clients use the submission port (RFC 6409): SMTP AUTH before MAIL.
    c->engine = w.make_server_engine(proto, true);
    c->last_read = Clock::now();
    conns[c->id] = c;
    pump(c);
    read(c);
    arm_idle(c);
  }

  // ---- per connection ---------------------------------------------------------------------

  void pump(const ConnPtr& c) {
    if (c->closed) return;
    for (auto& u : c->engine->take_output()) {
      wire(*c, false, u);
      c->queued += u.size();
      c->outq.push_back(std::move(u));
    }
    pump_events(c);
    if (c->queued > cfg.drop_output) {
      conn_event(*c, false, EventKind::Note,
                 "drops the connection: the client does not read its responses");
      finish(c, EventKind::Dropped, "connection dropped (output limit)");
      return;
    }
    if (c->engine->wants_close()) c->closing = true;
    write(c);
    if (c->closing && c->outq.empty() && !c->writing)
      finish(c, EventKind::Closed, "connection closed");
  }

  void pump_all() {
    std::vector<ConnPtr> all;
    all.reserve(conns.size());
    for (auto& [id, c] : conns) all.push_back(c);
    for (auto& c : all) pump(c);
  }

  void read(const ConnPtr& c) {
    if (c->reading || c->closed || c->closing || stopping) return;
    // Back-pressure: a client that sends commands faster than it reads the answers waits.
    if (c->queued > cfg.max_output) return;
    c->reading = true;
    c->sock.async_read_some(asio::buffer(c->rbuf), [this, c](const asio::error_code& ec,
                                                             std::size_t n) {
      c->reading = false;
      if (c->closed) return;
      advance();
      if (c->closed) return;  // a simulation step may have ended the session
      if (ec) {
        if (c->closing) return;  // our goodbye is still being written
        c->engine->peer_closed();
        pump_events(c);
        finish(c, EventKind::Closed, "connection closed");
        return;
      }
      c->last_read = Clock::now();
      std::string_view bytes(c->rbuf.data(), n);
      record_input(*c, bytes);
      try {
        c->engine->receive(bytes);
      } catch (const std::exception& e) {
        conn_event(*c, false, EventKind::Error, std::string("internal error: ") + e.what());
        finish(c, EventKind::Dropped, "connection dropped (internal error)");
        return;
      }
      pump(c);
      // The command may have changed a mailbox other sessions watch (APPEND, EXPUNGE, a
      // message submitted over SMTP): their engines have untagged updates now.
      pump_all();
      read(c);
    });
  }

  void pump_events(const ConnPtr& c) {
    for (auto& e : c->engine->take_events()) {
      // A client that says who it is (IMAP ID) is named by it from then on: the trace keeps
      // the connection's actor (its address) and adds a "renamed" device record that the
      // GUI and the saved trace show.
      Record r{.t = w.now(), .t_end = w.now(), .proto = c->proto, .actor = w.server_actor(),
               .peer = c->actor, .conn = c->id};
      describe_event(r, e);
      if (r.ev == EventKind::MessagePopped) r.folder = w.server_folder(e.id, e.folder);
      std::string name = r.ev == EventKind::ClientIdentified ? client_name(r.name) : "";
      w.record(std::move(r));
      if (!name.empty() && name != c->name) {
        c->name = name;
        w.record({.t = w.now(), .t_end = w.now(), .kind = RecKind::Device, .proto = c->proto,
                  .actor = c->actor, .conn = c->id, .ev = EventKind::Renamed, .name = name,
                  .text = ev_name(EventKind::Renamed)});
      }
    }
  }

  void write(const ConnPtr& c) {
    if (c->writing || c->outq.empty() || c->closed) return;
    c->writing = true;
    // Everything queued goes out in one gathered write (one system call for a pipelined
    // batch of replies instead of one per reply).
    c->sending.clear();
    std::size_t units = 0, bytes = 0;
    for (const auto& u : c->outq) {
      c->sending.push_back(asio::buffer(u));
      bytes += u.size();
      if (++units == 64 || bytes > (256u << 10)) break;
    }
    asio::async_write(c->sock, c->sending,
                      [this, c, units](const asio::error_code& ec, std::size_t) {
                        c->writing = false;
                        if (c->closed) return;
                        if (ec) {
                          advance();
                          c->engine->peer_closed();
                          pump_events(c);
                          finish(c, EventKind::Closed, "connection closed");
                          return;
                        }
                        for (std::size_t k = 0; k < units; ++k) {
                          c->queued -= c->outq.front().size();
                          c->outq.pop_front();
                        }
                        if (!c->outq.empty()) return write(c);
                        if (c->closing) {
                          advance();
                          return finish(c, EventKind::Closed, "connection closed");
                        }
                        read(c);  // resumes a connection paused by back-pressure
                      });
  }

  // Sends a unit the driver itself writes (timeouts, shutdown) and closes afterwards.
  void goodbye(const ConnPtr& c, const std::string& unit) {
    if (c->closed || c->closing) return;
    c->engine->peer_closed();
    pump_events(c);
    c->engine->take_output();  // nothing more from the engine: the session is over
    c->closing = true;
    if (!unit.empty()) {
      wire(*c, false, unit);
      c->queued += unit.size();
      c->outq.push_back(unit);
    }
    write(c);
    if (c->outq.empty() && !c->writing) finish(c, EventKind::Closed, "connection closed");
  }

  Tick idle_limit(Proto p) const {
    return p == Proto::IMAP ? cfg.idle_imap : p == Proto::POP3 ? cfg.idle_pop3 : cfg.idle_smtp;
  }

  void arm_idle(const ConnPtr& c) {
    auto limit = std::chrono::microseconds(idle_limit(c->proto));
    c->idle.expires_at(c->last_read + limit);
    c->idle.async_wait([this, c, limit](const asio::error_code& ec) {
      if (ec || c->closed || c->closing) return;
      if (Clock::now() - c->last_read < limit) return arm_idle(c);
      advance();
      conn_event(*c, false, EventKind::Note, "closes the connection: idle for too long");
      std::string host = w.server().settings.hostname;
      // RFC 3501 section 5.4 (autologout with BYE), RFC 5321 section 4.5.3.2.7 (421); POP3
      // (RFC 1939 section 3) just closes, without entering the UPDATE state.
      goodbye(c, c->proto == Proto::IMAP   ? "* BYE Autologout; idle for too long\r\n"
                 : c->proto == Proto::SMTP ? "421 4.4.2 " + host + " Idle for too long\r\n"
                                           : "");
    });
  }

  void finish(const ConnPtr& c, EventKind how, const std::string& why) {
    if (c->closed) return;
    c->closed = true;
    if (!c->partial.empty()) wire(*c, true, std::move(c->partial));
    c->partial.clear();
    asio::error_code ignored;
    c->idle.cancel();
    c->sock.shutdown(tcp::socket::shutdown_both, ignored);
    c->sock.close(ignored);
    conn_event(*c, true, how, why);
    conns.erase(c->id);
    ++finished;
    if (stopping && conns.empty()) deadline.cancel();
  }

  // ---- lifecycle --------------------------------------------------------------------------

  // Catches SIGINT/SIGTERM from the moment the listeners exist: a signal that arrives between
  // printing "listening" and run() still shuts down cleanly (it is handled in run()).
  void catch_signals() {
    if (!cfg.handle_signals || signals) return;
    signals.emplace(io, SIGINT, SIGTERM);
    signals->async_wait([this](const asio::error_code& ec, int) {
      if (!ec) stop();
    });
  }

  void begin() {
    if (started) return;
    started = true;
    start = Clock::now();
    base = w.now();
    catch_signals();
    advance();
  }

  void stop() {
    if (stopping) return;
    advance();
    stopping = true;
    asio::error_code ignored;
    for (auto& a : acceptors) a->acc.close(ignored);
    sim_timer.cancel();
    if (signals) signals->cancel(ignored);
    std::string host = w.server().settings.hostname;
    std::vector<ConnPtr> all;
    for (auto& [id, c] : conns) all.push_back(c);
    for (auto& c : all) {
      conn_event(*c, false, EventKind::Note, "closes the connection: server shutting down");
      goodbye(c, c->proto == Proto::IMAP   ? "* BYE Server shutting down\r\n"
                 : c->proto == Proto::SMTP ? "421 4.3.2 " + host + " Service shutting down\r\n"
                                           : "");
    }
    if (conns.empty()) return;
    // A client that does not read its goodbye must not keep the server from exiting.
    deadline.expires_after(std::chrono::seconds(2));
    deadline.async_wait([this](const asio::error_code& ec) {
      if (ec) return;
      std::vector<ConnPtr> rest;
      for (auto& [id, c] : conns) rest.push_back(c);
      for (auto& c : rest) finish(c, EventKind::Closed, "connection closed");
    });
  }
};

LiveServer::LiveServer(World& world, LiveConfig cfg)
    : impl_(std::make_unique<Impl>(world, std::move(cfg))) {}
LiveServer::~LiveServer() = default;

std::vector<LiveListener> LiveServer::listen() { return impl_->listen(); }

void LiveServer::run() {
  impl_->begin();
  impl_->io.run();
}

bool LiveServer::poll() {
  impl_->begin();
  impl_->io.poll();
  return !impl_->io.stopped();
}

void LiveServer::stop() { impl_->stop(); }

std::size_t LiveServer::connections() const { return impl_->conns.size(); }
std::size_t LiveServer::finished_connections() const { return impl_->finished; }

}  // namespace ms
