// Simulation benchmarks: protocol engines in process, whole-world syncs of a large mailbox,
// the trace (append and seek), memory per message copy, and every lesson end to end.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <malloc.h>

#include "lesson/lesson.hpp"
#include "proto/imap/imap_server.hpp"
#include "proto/pop3/pop3_server.hpp"
#include "world/device.hpp"

using namespace ms;

namespace {

std::string sample_message(int i, std::size_t body_bytes = 2000) {
  std::string text(body_bytes, 'x');
  for (std::size_t k = 70; k < text.size(); k += 72) text[k] = '\n';
  return compose_message("Bob <bob@outside.example>", "alice@mail.example.com",
                         "Message " + std::to_string(i),
                         "<b" + std::to_string(i) + "@outside.example>", i * kSecond, text);
}

void fill(MailServer& server, int n, std::size_t body = 2000) {
  Account& a = server.add_account("alice", "secret", 1001);
  for (int i = 1; i <= n; ++i) a.store.append("INBOX", make_body(sample_message(i, body)), {}, 0);
}

// POP3 server: parse + execute + serialise one command, per command type.
void BM_Pop3Command(benchmark::State& st, const char* cmd) {
  MailServer server;
  fill(server, 1000);
  Pop3Server s(server);
  s.receive("USER alice\r\nPASS secret\r\n");
  s.take_output();
  std::string line = std::string(cmd) + "\r\n";
  std::size_t bytes = 0;
  for (auto _ : st) {
    s.receive(line);
    for (auto& u : s.take_output()) bytes += u.size();
  }
  st.SetItemsProcessed(st.iterations());
  st.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK_CAPTURE(BM_Pop3Command, STAT, "STAT");
BENCHMARK_CAPTURE(BM_Pop3Command, LIST_1, "LIST 1");
BENCHMARK_CAPTURE(BM_Pop3Command, UIDL_all_1000, "UIDL");
BENCHMARK_CAPTURE(BM_Pop3Command, RETR_2KB, "RETR 500");
BENCHMARK_CAPTURE(BM_Pop3Command, TOP_0, "TOP 500 0");
BENCHMARK_CAPTURE(BM_Pop3Command, NOOP, "NOOP");

// IMAP server, per command type.
void BM_ImapCommand(benchmark::State& st, const char* cmd) {
  MailServer server;
  fill(server, 1000);
  ImapServer s(server);
  s.receive("a LOGIN alice secret\r\nb SELECT INBOX\r\n");
  s.take_output();
  std::string line = std::string("t ") + cmd + "\r\n";
  std::size_t bytes = 0;
  for (auto _ : st) {
    s.receive(line);
    for (auto& u : s.take_output()) bytes += u.size();
  }
  st.SetItemsProcessed(st.iterations());
  st.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK_CAPTURE(BM_ImapCommand, NOOP, "NOOP");
BENCHMARK_CAPTURE(BM_ImapCommand, UID_FETCH_one_body, "UID FETCH 500 (FLAGS BODY.PEEK[])");
BENCHMARK_CAPTURE(BM_ImapCommand, UID_FETCH_flags_1000, "UID FETCH 1:* (FLAGS)");
BENCHMARK_CAPTURE(BM_ImapCommand, UID_STORE_one, "UID STORE 500 +FLAGS.SILENT (\\Flagged)");

// A 10,000-message mailbox synchronised to 4 devices (initial sync), in one world.
void BM_WorldInitialSync(benchmark::State& st, Proto proto) {
  for (auto _ : st) {
    st.PauseTiming();
    World w(proto == Proto::IMAP ? "IMAP" : "POP3", proto, 1);
    Account& a = w.add_account("alice", "secret");
    for (int i = 1; i <= 10000; ++i)
      a.store.append("INBOX", make_body(sample_message(i, 500)), {}, 0);
    for (const char* name : {"phone", "desktop", "laptop", "tablet"}) {
      DeviceSpec d;
      d.name = name;
      d.account = "alice";
      d.password = "secret";
      d.pop3.leave_on_server = true;
      d.link.latency = 0;
      w.add_device(d);
    }
    st.ResumeTiming();
    // Staggered so POP3 devices do not collide on the maildrop lock.
    Tick t = 0;
    for (const auto& d : w.devices()) {
      Device* dp = d.get();
      w.sched().at(t, [dp] { dp->check_mail(); });
      t += 10 * kMinute;
    }
    w.run();
    benchmark::DoNotOptimize(w.trace().size());
    if (w.devices()[3]->store().folder("INBOX")->entries.size() != 10000)
      st.SkipWithError("a device did not receive every message");
  }
}
BENCHMARK_CAPTURE(BM_WorldInitialSync, imap_10k_to_4_devices, Proto::IMAP)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_WorldInitialSync, pop3_10k_to_4_devices, Proto::POP3)->Unit(benchmark::kMillisecond);

// Trace append rate.
void BM_TraceAppend(benchmark::State& st) {
  Trace t;
  std::uint16_t a = t.actor("phone"), b = t.actor("server");
  Tick now = 0;
  for (auto _ : st) {
    t.append({.t = ++now, .t_end = now + 10, .kind = RecKind::Wire, .proto = Proto::IMAP,
              .actor = a, .peer = b, .conn = 1, .text = "A1 NOOP\r\n"});
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_TraceAppend);

// Seeking to random points of a 1,000,000-record trace (mostly store changes over 10k messages).
void BM_TraceSeek(benchmark::State& st) {
  static Trace* trace = [] {
    auto* t = new Trace();
    std::uint16_t server = t->actor("server"), phone = t->actor("phone");
    std::vector<Body> bodies;
    for (int i = 0; i < 10000; ++i) bodies.push_back(make_body(sample_message(i, 100)));
    Rng rng(1);
    std::uint32_t uid = 0;
    for (std::size_t i = 0; t->size() < 1'000'000; ++i) {
      Record r{.t = static_cast<Tick>(i), .t_end = static_cast<Tick>(i), .kind = RecKind::Store,
               .actor = (i % 2) ? phone : server, .folder = "INBOX"};
      if (uid < 10000 || rng.below(4) == 0) {
        r.op = StoreChange::Add;
        r.uid = ++uid;
        r.msg = t->message(bodies[uid % bodies.size()]);
        r.size = 100;
      } else {
        r.op = StoreChange::SetFlags;
        r.uid = static_cast<std::uint32_t>(rng.below(uid) + 1);
        r.flags.bits = kSeen;
      }
      t->append(std::move(r));
    }
    return t;
  }();
  static Replay replay(*trace);
  replay.at(trace->size());  // snapshots built once, as the GUI does on first seek
  Rng rng(7);
  for (auto _ : st) {
    WorldView v = replay.at(rng.below(trace->size()));
    benchmark::DoNotOptimize(v.stores.size());
  }
}
BENCHMARK(BM_TraceSeek)->Unit(benchmark::kMillisecond);

// Memory: 100,000 messages on the server and 8 devices holding copies. Reports the heap in
// use relative to the raw message bytes (copies must share one body).
void BM_MemoryCopies(benchmark::State& st) {
  for (auto _ : st) {
    // In-use heap bytes, including chunks glibc serves with mmap (hblkhd): large vectors land
    // there, and leaving them out would undercount.
    auto in_use = [] {
      struct mallinfo2 mi = mallinfo2();
      return mi.uordblks + mi.hblkhd;
    };
    std::size_t before = in_use();
    std::size_t raw = 0;
    {
      MailServer server;
      Account& a = server.add_account("alice", "secret", 1);
      std::vector<Store> devices;
      for (int d = 0; d < 8; ++d) devices.emplace_back("device" + std::to_string(d));
      for (auto& d : devices) d.add_folder("INBOX", Role::None, 1);
      for (int i = 1; i <= 100000; ++i) {
        Body b = make_body(sample_message(i, static_cast<std::size_t>(st.range(0))));
        raw += b->raw.size();
        a.store.append("INBOX", b, {}, 0);
        for (auto& d : devices) d.put("INBOX", static_cast<std::uint32_t>(i), b, {}, 0);
      }
      std::size_t used = in_use() - before;
      st.counters["raw_MB"] = static_cast<double>(raw) / 1e6;
      st.counters["heap_MB"] = static_cast<double>(used) / 1e6;
      st.counters["ratio"] = static_cast<double>(used) / static_cast<double>(raw);
      // What sharing saves: without it every copy would hold its own body.
      st.counters["per_copy_B"] = static_cast<double>(used - raw) / (100000.0 * 9);
    }
  }
}
// Body sizes: 1 KB (a short note) and 4 KB (a typical text message with its headers).
BENCHMARK(BM_MemoryCopies)->Arg(1000)->Arg(4000)->Unit(benchmark::kMillisecond)->Iterations(1);

// Every lesson, both worlds, end to end.
void BM_AllLessons(benchmark::State& st) {
  std::vector<Lesson> lessons;
  for (const auto& f : lesson_files(std::string(MAILSCOPE_SOURCE_DIR) + "/lessons"))
    lessons.push_back(load_lesson(f));
  for (auto _ : st)
    for (const auto& L : lessons) {
      LessonRun r = run_lesson(L);
      benchmark::DoNotOptimize(r.all_pass());
    }
  st.counters["lessons"] = static_cast<double>(lessons.size());
}
BENCHMARK(BM_AllLessons)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
