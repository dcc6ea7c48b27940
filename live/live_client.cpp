#include "live/live_client.hpp"

#include <array>
#include <asio.hpp>
#include <chrono>
#include <deque>

namespace ms {

namespace {
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;
}  // namespace

struct LiveClient::Impl {
  Impl(World& w, std::string actor, Proto proto, std::string host, int port,
       std::unique_ptr<Engine> client, Tick timeout)
      : w(w), proto(proto), host(std::move(host)), port(port), client(std::move(client)),
        timeout(timeout), sock(io), actor(std::move(actor)) {}

  World& w;
  Proto proto;
  std::string host;
  int port;
  std::unique_ptr<Engine> client;
  Tick timeout;
  asio::io_context io;
  tcp::socket sock;
  std::string actor;
  LiveClientResult res;
  Clock::time_point start_at, deadline;
  Tick base = 0;
  std::uint32_t conn = 0;
  std::uint16_t me = 0, peer = 0;
  std::deque<std::string> outq;
  bool started = false, writing = false, done = false;
  std::array<char, 16384> buf;
  std::string partial;  // server bytes not yet recorded (recorded per complete line)

  std::string server_name() const { return host + ":" + std::to_string(port); }

  void sync_clock() {
    const Tick t =
        base + std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start_at)
                   .count();
    // Another driver (a LiveServer on the same world) may have moved the clock already.
    if (t > w.now()) w.run_until(t);
  }

  void record(RecKind kind, bool from_client, std::string text) {
    w.record({.t = w.now(), .t_end = w.now(), .kind = kind, .proto = proto,
              .actor = from_client ? me : peer, .peer = from_client ? peer : me, .conn = conn,
              .text = std::move(text)});
  }

  void finish(EventKind how, const std::string& why) {
    if (done) return;
    done = true;
    if (!partial.empty()) record(RecKind::Wire, false, std::move(partial));
    partial.clear();
    w.record({.t = w.now(), .t_end = w.now(), .kind = RecKind::Event, .proto = proto,
              .actor = me, .peer = peer, .conn = conn, .ev = how, .text = why});
    asio::error_code ignored;
    sock.shutdown(tcp::socket::shutdown_both, ignored);
    sock.close(ignored);
  }

  void pump() {
    for (auto& u : client->take_output()) {
      record(RecKind::Wire, true, u);
      outq.push_back(std::move(u));
    }
    for (auto& e : client->take_events()) {
      if (!e.text.empty()) {
        Record r{.t = w.now(), .t_end = w.now(), .proto = proto, .actor = me, .peer = peer,
                 .conn = conn};
        describe_event(r, e);
        w.record(std::move(r));
      }
      if (e.kind == EngineEvent::Finished) res.finished = true;
      res.events.push_back(std::move(e));
    }
    write();
    if (client->wants_close() && outq.empty() && !writing)
      finish(EventKind::Closed, "connection closed");
  }

  void write() {
    if (writing || outq.empty() || done) return;
    writing = true;
    asio::async_write(sock, asio::buffer(outq.front()),
                      [this](const asio::error_code& e, std::size_t) {
                        writing = false;
                        if (done) return;
                        if (e) {
                          res.error = "write failed: " + e.message();
                          return finish(EventKind::Closed, "connection closed");
                        }
                        outq.pop_front();
                        sync_clock();
                        pump();
                      });
  }

  void read() {
    if (done) return;
    sock.async_read_some(asio::buffer(buf), [this](const asio::error_code& e, std::size_t n) {
      if (done) return;
      sync_clock();
      if (e) {
        client->peer_closed();
        if (!client->wants_close() && !res.finished)
          res.error = "the server closed the connection";
        pump();
        return finish(EventKind::Closed, "connection closed");
      }
      std::string_view bytes(buf.data(), n);
      partial.append(bytes);
      if (auto lf = partial.rfind('\n'); lf != std::string::npos) {
        record(RecKind::Wire, false, partial.substr(0, lf + 1));
        partial.erase(0, lf + 1);
      }
      client->receive(bytes);
      pump();
      read();
    });
  }

  void start() {
    if (started) return;
    started = true;
    start_at = Clock::now();
    deadline = start_at + std::chrono::microseconds(timeout);
    base = w.now();
    conn = w.new_connection_id();
    // The device appears in the trace like a simulated one (GUI and `fetch --save-trace`
    // alike); connect-out devices are laptops, real clients on the listeners desktops.
    w.device_record(actor, EventKind::Added, ActorKind::Laptop);
    me = w.trace().actor(actor);
    // The real server takes the place of the world's "server" actor, so transcripts and the
    // GUI show it as the server side (the connect event names its address).
    peer = w.server_actor();
    asio::error_code ec;
    auto addr = asio::ip::make_address(host, ec);
    if (ec) {
      res.error = "not an IP address: " + host;
      done = true;
      return;
    }
    w.record({.t = w.now(), .t_end = w.now(), .kind = RecKind::Event, .proto = proto,
              .actor = me, .peer = peer, .conn = conn, .ev = EventKind::Connected,
              .text = std::string("connects to ") + server_name() + " (" + proto_name(proto) +
                      ")"});
    sock.async_connect(tcp::endpoint(addr, static_cast<unsigned short>(port)),
                       [this](const asio::error_code& e) {
                         sync_clock();
                         if (e) {
                           res.error = "cannot connect to " + server_name() + ": " + e.message();
                           return finish(EventKind::Dropped, "connection failed");
                         }
                         res.connected = true;
                         pump();
                         read();
                       });
  }

  void check_timeout() {
    if (done || Clock::now() < deadline) return;
    sync_clock();
    res.error = "timed out";
    finish(EventKind::Dropped, "connection closed (timeout)");
    io.poll();  // let the cancelled handlers run before the state they capture goes away
  }
};

LiveClient::LiveClient(World& world, std::string actor, Proto proto, std::string host, int port,
                       std::unique_ptr<Engine> client, Tick timeout)
    : impl_(std::make_unique<Impl>(world, std::move(actor), proto, std::move(host), port,
                                   std::move(client), timeout)) {}
LiveClient::~LiveClient() {
  if (impl_->started && !impl_->done) {
    impl_->finish(EventKind::Closed, "connection closed");
    impl_->io.poll();
  }
}

void LiveClient::start() { impl_->start(); }

bool LiveClient::poll() {
  if (!impl_->started) return true;
  if (impl_->io.stopped()) impl_->io.restart();
  impl_->io.poll();
  impl_->check_timeout();
  return !impl_->done;
}

void LiveClient::run() {
  start();
  while (!impl_->done) {
    impl_->io.restart();
    impl_->io.run_until(impl_->deadline);
    impl_->check_timeout();
    if (!impl_->done && impl_->io.stopped() && Clock::now() < impl_->deadline) {
      // Nothing left to wait for yet the session is open: cannot happen while a read is
      // pending, but never spin on it.
      impl_->res.error = "stalled";
      impl_->finish(EventKind::Closed, "connection closed");
    }
  }
}

bool LiveClient::done() const { return impl_->done; }
const LiveClientResult& LiveClient::result() const { return impl_->res; }

LiveClientResult run_live_client(World& world, const std::string& actor, Proto proto,
                                 const std::string& host, int port,
                                 std::unique_ptr<Engine> client, Tick timeout) {
  LiveClient c(world, actor, proto, host, port, std::move(client), timeout);
  c.run();
  return c.result();
}

}  // namespace ms
