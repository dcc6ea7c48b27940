#include "bench_run.hpp"

#include <algorithm>
#include <string>

#include "world/device.hpp"

namespace ms {

namespace {

std::unique_ptr<World> bench_world(Proto proto, int messages, std::size_t min_records) {
  auto w = std::make_unique<World>(proto == Proto::IMAP ? "IMAP" : "POP3", proto, 1);
  Account& a = w->add_account("alice", "secret");
  // Small bodies: the GUI's cost depends on how many messages and records there are, not on
  // their size.
  const std::string text = "A synthetic message for the GUI benchmark.\n";
  for (int i = 1; i <= messages; ++i)
    a.store.append("INBOX",
                   make_body(compose_message("Bob <bob@outside.example>", "alice@mail.example.com",
                                             "Message " + std::to_string(i),
                                             "<bench" + std::to_string(i) + "@outside.example>",
                                             i, text)),
                   {}, 0);
  const DeviceKind kinds[] = {DeviceKind::Phone, DeviceKind::Desktop, DeviceKind::Laptop,
                              DeviceKind::Tablet};
  const char* names[] = {"phone", "desktop", "laptop", "tablet"};
  for (int k = 0; k < 4; ++k) {
    DeviceSpec d;
    d.name = names[k];
    d.kind = kinds[k];
    d.account = "alice";
    d.password = "secret";
    d.pop3.leave_on_server = true;
    w->add_device(d);
  }
  // Initial sync, staggered so that POP3 devices do not collide on the maildrop lock.
  Tick t = kSecond;
  for (const auto& d : w->devices()) {
    Device* dp = d.get();
    w->sched().at(t, [dp] { dp->check_mail(); });
    t += 10 * kMinute;
  }
  w->run();
  // Flag rounds: each device toggles \Flagged on its own slice of the mailbox, then every
  // device checks mail (IMAP devices pick up the others' changes).
  const int slice = std::max(1, std::min(messages, 500));
  for (int round = 0; w->trace().size() < min_records && messages > 0; ++round) {
    const std::size_t before = w->trace().size();
    Tick at = std::max(w->now(), t) + kMinute;
    for (int k = 0; k < 4; ++k) {
      const long long start = static_cast<long long>(round * 4 + k) * slice;
      const bool on = (start / messages) % 2 == 0;
      Device* dp = w->devices()[k].get();
      w->sched().at(at, [dp, start, on, slice, messages] {
        for (int j = 0; j < slice; ++j) {
          const auto uid = static_cast<std::uint32_t>((start + j) % messages + 1);
          dp->app().set_flag("INBOX", uid, kFlagged, on);
        }
      });
      at += 20 * kSecond;
    }
    for (const auto& d : w->devices()) {
      Device* dp = d.get();
      w->sched().at(at, [dp] { dp->check_mail(); });
      at += 20 * kSecond;
    }
    w->run();
    if (w->trace().size() < before + 16) break;  // nothing more happens: do not spin
  }
  return w;
}

}  // namespace

LessonRun make_benchmark_run(int messages, std::size_t min_records) {
  LessonRun run;
  Lesson& l = run.lesson;
  l.id = "benchmark";
  l.title = "Benchmark: " + std::to_string(messages) + " messages, 4 devices";
  l.summary = "A synthetic run built by mailscope --benchmark.";
  l.worlds = {Proto::POP3, Proto::IMAP};
  for (Proto p : l.worlds) {
    WorldRun wr;
    wr.world = bench_world(p, messages, min_records);
    l.duration = std::max(l.duration, wr.world->now());
    run.worlds.push_back(std::move(wr));
  }
  l.steps.push_back({0, "Initial sync", "Every device downloads the mailbox."});
  l.steps.push_back({l.duration / 2, "Flag changes", "Devices flag and unflag messages."});
  return run;
}

}  // namespace ms
