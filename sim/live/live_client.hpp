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

// Runs the session to its end or until `timeout` of real time has passed, blocking the
// calling thread (single-threaded, like LiveServer). The world's clock advances by the real
// time spent so that the records' times are honest.
LiveClientResult run_live_client(World& world, const std::string& actor, Proto proto,
                                 const std::string& host, int port,
                                 std::unique_ptr<Engine> client, Tick timeout = 30 * kSecond);

}  // namespace ms
