#pragma once
// Live mode, connect-out: a simulated client engine (POP3 or IMAP, the very engines the
// simulated devices use) runs one session against a real mail server over TCP, such as a
// throwaway Dovecot. Its bytes and events go into the world's trace like a simulated
// connection's: the device is one actor and the real server plays the world's "server" actor
// (its address is in the "connects to" event). The world's own simulated server stays idle.
#include <memory>
#include <string>
#include <vector>

#include "proto/engine.hpp"
#include "world/world.hpp"

namespace ms {

struct LiveClientResult {
  bool connected = false;
  bool finished = false;          // the engine ended the session (QUIT / LOGOUT answered)
  std::string error;              // connect failure, timeout, peer closed early
  std::vector<EngineEvent> events;
};

// One connect-out session, driven either by polling (a GUI frame loop: start(), then poll()
// every frame until done()) or by blocking in run(). Single-threaded like LiveServer: every
// handler runs on the caller's thread, the one that owns the world. The world's clock
// advances by the real time spent so that the records' times are honest. Asio stays out of
// this header (pimpl) so that the GUI can include it.
class LiveClient {
 public:
  LiveClient(World& world, std::string actor, Proto proto, std::string host, int port,
             std::unique_ptr<Engine> client, Tick timeout = 30 * kSecond);
  ~LiveClient();
  LiveClient(const LiveClient&) = delete;
  LiveClient& operator=(const LiveClient&) = delete;

  // Records the "connects to" event and starts connecting; never blocks.
  void start();
  // Runs whatever is ready without blocking; ends the session once the timeout has passed.
  // Returns true while the session is still going.
  bool poll();
  // Blocks until the session ends or times out.
  void run();
  bool done() const;
  const LiveClientResult& result() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Runs the session to its end or until `timeout` of real time has passed, blocking the
// calling thread: a thin loop over LiveClient.
LiveClientResult run_live_client(World& world, const std::string& actor, Proto proto,
                                 const std::string& host, int port,
                                 std::unique_ptr<Engine> client, Tick timeout = 30 * kSecond);

}  // namespace ms
