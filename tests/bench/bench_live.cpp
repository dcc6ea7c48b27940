// Live listener throughput: several real TCP clients on loopback send a mixed
// FETCH/STORE/SEARCH load to the IMAP listener (the same engine the simulation uses).
#include <benchmark/benchmark.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "live/live_server.hpp"

using namespace ms;

namespace {

// One client: logs in, selects INBOX, then sends `commands` commands in pipelined batches and
// reads until every tagged reply has arrived. Returns false on any protocol surprise.
bool client(int port, int id, int commands) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return false;
  std::string in;
  char buf[65536];
  auto wait_for = [&](const std::string& needle) {
    while (in.find(needle) == std::string::npos) {
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return false;
      in.append(buf, static_cast<std::size_t>(n));
      if (in.size() > (1u << 20)) in.erase(0, in.size() - 4096);
    }
    in.erase(0, in.find(needle) + needle.size());
    return true;
  };
  std::string pre = "a LOGIN alice secret\r\nb SELECT INBOX\r\n";
  send(fd, pre.data(), pre.size(), 0);
  if (!wait_for("b OK")) return false;
  const int batch = 50;
  for (int done = 0; done < commands; done += batch) {
    std::string out;
    for (int k = 0; k < batch; ++k) {
      int n = done + k;
      std::string tag = "t" + std::to_string(id) + "_" + std::to_string(n);
      int uid = 1 + (n * 7 + id) % 100;
      switch (n % 3) {
        case 0: out += tag + " UID FETCH " + std::to_string(uid) + " (FLAGS RFC822.SIZE)\r\n"; break;
        case 1: out += tag + " UID STORE " + std::to_string(uid) + " +FLAGS.SILENT (\\Seen)\r\n"; break;
        default: out += tag + " UID SEARCH UNSEEN SUBJECT \"m\"\r\n"; break;
      }
    }
    send(fd, out.data(), out.size(), 0);
    std::string last = "t" + std::to_string(id) + "_" + std::to_string(done + batch - 1) + " OK";
    if (!wait_for(last)) return false;
  }
  close(fd);
  return true;
}

void BM_LiveImapMixedLoad(benchmark::State& st) {
  const int clients = static_cast<int>(st.range(0));
  const int per_client = 3000;
  for (auto _ : st) {
    st.PauseTiming();
    World w("IMAP", Proto::IMAP, 1);
    Account& acct = w.add_account("alice", "secret");
    for (int i = 1; i <= 100; ++i)
      acct.store.append("INBOX", make_body(compose_message("b@x", "alice@mail.example.com",
                                                           "m" + std::to_string(i),
                                                           "<" + std::to_string(i) + "@x>", 0, "hi")),
                        {}, 0);
    LiveConfig cfg;
    cfg.imap_port = 0;
    cfg.pop3_port = -1;
    cfg.smtp_port = -1;
    cfg.handle_signals = false;
    LiveServer server(w, cfg);
    int port = server.listen().at(0).port;
    std::atomic<bool> stop{false};
    std::thread loop([&] {
      while (!stop && server.poll()) {
      }
    });
    st.ResumeTiming();
    std::vector<std::thread> ts;
    std::atomic<int> ok{0};
    for (int c = 0; c < clients; ++c) ts.emplace_back([&, c] { ok += client(port, c, per_client); });
    for (auto& t : ts) t.join();
    st.PauseTiming();
    stop = true;
    server.stop();
    loop.join();
    if (ok != clients) st.SkipWithError("a client failed");
    st.ResumeTiming();
  }
  st.SetItemsProcessed(st.iterations() * clients * per_client);
}
BENCHMARK(BM_LiveImapMixedLoad)->Arg(4)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
