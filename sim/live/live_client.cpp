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

LiveClientResult run_live_client(World& w, const std::string& actor, Proto proto,
                                 const std::string& host, int port,
                                 std::unique_ptr<Engine> client, Tick timeout) {
  LiveClientResult res;
  asio::io_context io;
  tcp::socket sock(io);
  const auto start = Clock::now();
  const Tick base = w.now();
  auto sync_clock = [&] {
    w.run_until(base + std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start)
                           .count());
  };
  const std::uint32_t conn = w.new_connection_id();
  const std::uint16_t me = w.trace().actor(actor);
  const std::string server_name = host + ":" + std::to_string(port);
  // The real server takes the place of the world's "server" actor, so transcripts and the GUI
  // show it as the server side (the connect event names its address).
  const std::uint16_t peer = w.trace().actor("server");
  auto record = [&](RecKind kind, bool from_client, std::string text) {
    w.record({.t = w.now(), .t_end = w.now(), .kind = kind, .proto = proto,
              .actor = from_client ? me : peer, .peer = from_client ? peer : me, .conn = conn,
              .text = std::move(text)});
  };

  asio::error_code ec;
  auto addr = asio::ip::make_address(host, ec);
  if (ec) {
    res.error = "not an IP address: " + host;
    return res;
  }
  std::deque<std::string> outq;
  bool writing = false, done = false;
  std::array<char, 16384> buf;
  std::string partial;  // server bytes not yet recorded (recorded per complete line)

  std::function<void()> pump, read, write;
  auto finish = [&](const std::string& why) {
    if (done) return;
    done = true;
    if (!partial.empty()) record(RecKind::Wire, false, std::move(partial));
    record(RecKind::Event, true, why);
    asio::error_code ignored;
    sock.shutdown(tcp::socket::shutdown_both, ignored);
    sock.close(ignored);
  };
  pump = [&] {
    for (auto& u : client->take_output()) {
      record(RecKind::Wire, true, u);
      outq.push_back(std::move(u));
    }
    for (auto& e : client->take_events()) {
      if (!e.text.empty()) record(RecKind::Event, true, e.text);
      if (e.kind == EngineEvent::Finished) res.finished = true;
      res.events.push_back(std::move(e));
    }
    write();
    if (client->wants_close() && outq.empty() && !writing) finish("connection closed");
  };
  write = [&] {
    if (writing || outq.empty() || done) return;
    writing = true;
    asio::async_write(sock, asio::buffer(outq.front()), [&](const asio::error_code& e,
                                                            std::size_t) {
      writing = false;
      if (done) return;
      if (e) {
        res.error = "write failed: " + e.message();
        return finish("connection closed");
      }
      outq.pop_front();
      sync_clock();
      pump();
    });
  };
  read = [&] {
    if (done) return;
    sock.async_read_some(asio::buffer(buf), [&](const asio::error_code& e, std::size_t n) {
      if (done) return;
      sync_clock();
      if (e) {
        client->peer_closed();
        if (!client->wants_close() && !res.finished)
          res.error = "the server closed the connection";
        pump();
        return finish("connection closed");
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
  };

  record(RecKind::Event, true,
         std::string("connects to ") + server_name + " (" + proto_name(proto) + ")");
  sock.async_connect(tcp::endpoint(addr, static_cast<unsigned short>(port)),
                     [&](const asio::error_code& e) {
                       sync_clock();
                       if (e) {
                         res.error = "cannot connect to " + server_name + ": " + e.message();
                         return finish("connection failed");
                       }
                       res.connected = true;
                       pump();
                       read();
                     });
  io.run_for(std::chrono::microseconds(timeout));
  sync_clock();
  if (!done) {
    res.error = "timed out";
    finish("connection closed (timeout)");
    io.poll();  // let the cancelled handlers run before the state they capture goes away
  }
  return res;
}

}  // namespace ms
