// Live mode in the browser build: a web page cannot listen on or connect to TCP ports, so
// LiveServer and LiveClient keep their interface (live/*.hpp) and say why they cannot run.
// The CLI's `serve` and `fetch` and the GUI's live session then report that reason as they
// report any other failure to listen or connect.
#include <arpa/inet.h>

#include <algorithm>
#include <iterator>

#include "live/live_client.hpp"
#include "live/live_server.hpp"

namespace ms {

namespace {
const char* kWhy = "live mode needs the desktop app: a browser cannot open TCP sockets";
}

bool parse_bind_address(const std::string& addr, bool& loopback) {
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, addr.c_str(), &v4) == 1) {
    loopback = (ntohl(v4.s_addr) >> 24) == 127;
    return true;
  }
  if (inet_pton(AF_INET6, addr.c_str(), &v6) == 1) {
    static const in6_addr any_loop = IN6ADDR_LOOPBACK_INIT;
    loopback = std::equal(std::begin(v6.s6_addr), std::end(v6.s6_addr), any_loop.s6_addr);
    return true;
  }
  return false;
}

struct LiveServer::Impl {};

LiveServer::LiveServer(World&, LiveConfig) : impl_(std::make_unique<Impl>()) {}
LiveServer::~LiveServer() = default;
std::vector<LiveListener> LiveServer::listen() { throw LiveError(kWhy); }
void LiveServer::run() {}
bool LiveServer::poll() { return false; }
void LiveServer::stop() {}
std::size_t LiveServer::connections() const { return 0; }
std::size_t LiveServer::finished_connections() const { return 0; }

struct LiveClient::Impl {
  LiveClientResult result;
};

LiveClient::LiveClient(World&, std::string, Proto, std::string, int, std::unique_ptr<Engine>, Tick)
    : impl_(std::make_unique<Impl>()) {}
LiveClient::~LiveClient() = default;
void LiveClient::start() { impl_->result.error = kWhy; }
bool LiveClient::poll() { return false; }
void LiveClient::run() { start(); }
bool LiveClient::done() const { return true; }
const LiveClientResult& LiveClient::result() const { return impl_->result; }

LiveClientResult run_live_client(World&, const std::string&, Proto, const std::string&, int,
                                 std::unique_ptr<Engine>, Tick) {
  LiveClientResult r;
  r.error = kWhy;
  return r;
}

}  // namespace ms
