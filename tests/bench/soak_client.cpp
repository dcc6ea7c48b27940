// Soak load for `mailscope-cli serve` (a benchmark tool, not a test): CLIENTS threads each run
// IMAP sessions back to back for SECONDS, every session LOGIN, SELECT, FETCH, STORE, EXPUNGE,
// two APPENDs and LOGOUT, pipelined, on a new connection. scripts/soak.sh runs it and records
// the server's RSS (docs/performance.md). Prints sessions and commands per second at the end.
//   usage: mailscope-soak PORT SECONDS [CLIENTS]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kCommandsPerSession = 9;

std::atomic<long> g_sessions{0}, g_failures{0};

// One session on a new connection; false when the server closed early or never said BYE.
bool session(int port, int client, long n) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return false;
  }
  auto message = [&](int k) {
    return "From: soak" + std::to_string(client) + "@example.org\r\nTo: alice@example.com\r\n"
           "Subject: soak " + std::to_string(n) + "." + std::to_string(k) + "\r\n"
           "Message-ID: <" + std::to_string(client) + "." + std::to_string(n) + "." +
           std::to_string(k) + "@soak>\r\n\r\nA message of the soak load.\r\n";
  };
  std::string out = "a LOGIN alice secret\r\nb SELECT INBOX\r\nc FETCH 1:* (FLAGS RFC822.SIZE)\r\n"
                    "d STORE 1:2 +FLAGS.SILENT (\\Deleted)\r\ne EXPUNGE\r\n";
  for (int k = 0; k < 2; ++k) {
    std::string m = message(k);
    out += std::string(1, char('f' + k)) + " APPEND INBOX (\\Seen) {" + std::to_string(m.size()) +
           "+}\r\n" + m + "\r\n";
  }
  out += "h NOOP\r\nz LOGOUT\r\n";
  bool ok = send(fd, out.data(), out.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(out.size());
  std::string in;
  char buf[65536];
  while (ok && in.find("z OK") == std::string::npos) {
    ssize_t got = recv(fd, buf, sizeof buf, 0);
    if (got <= 0) {
      ok = false;
      break;
    }
    in.append(buf, static_cast<std::size_t>(got));
    if (in.size() > (1u << 16)) in.erase(0, in.size() - 16);
  }
  close(fd);
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: mailscope-soak PORT SECONDS [CLIENTS]\n");
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const int seconds = std::atoi(argv[2]);
  const int clients = argc > 3 ? std::atoi(argv[3]) : 10;
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c)
    threads.emplace_back([=] {
      for (long n = 0; std::chrono::steady_clock::now() < end; ++n) {
        if (session(port, c, n)) ++g_sessions;
        else ++g_failures;
      }
    });
  for (auto& t : threads) t.join();
  std::printf("%ld sessions (%ld commands, %.0f per second), %ld failed\n", g_sessions.load(),
              g_sessions.load() * kCommandsPerSession,
              double(g_sessions.load() * kCommandsPerSession) / seconds, g_failures.load());
  return g_failures.load() ? 1 : 0;
}
