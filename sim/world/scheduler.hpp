#pragma once
// Discrete-event scheduler (after ns-3's DefaultSimulatorImpl): integer microsecond ticks,
// events with equal times run in the order they were scheduled (an increasing sequence
// number), and it is an instance owned by one world, never a global.
#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

#include "model/message.hpp"

namespace ms {

constexpr Tick kMs = 1000;
constexpr Tick kSecond = 1000 * kMs;
constexpr Tick kMinute = 60 * kSecond;
constexpr Tick kHour = 60 * kMinute;
constexpr Tick kDay = 24 * kHour;

class Scheduler {
 public:
  using Fn = std::function<void()>;
  Tick now() const { return now_; }
  // Schedules fn at absolute time t (never in the past: earlier times run "now").
  std::uint64_t at(Tick t, Fn fn);
  std::uint64_t after(Tick delay, Fn fn) { return at(now_ + delay, std::move(fn)); }
  void cancel(std::uint64_t id);
  // Runs the next event; false when none is left.
  bool step();
  // Runs every event with time <= t, then sets the clock to t.
  void run_until(Tick t);
  // Runs until no event is left or the clock would pass `limit`.
  void run(Tick limit = INT64_MAX);
  bool empty() const { return q_.empty(); }
  Tick next_time() const { return q_.empty() ? INT64_MAX : q_.top().t; }

 private:
  struct Ev {
    Tick t;
    std::uint64_t seq;
    Fn fn;
  };
  struct Later {
    bool operator()(const Ev& a, const Ev& b) const {
      return a.t != b.t ? a.t > b.t : a.seq > b.seq;
    }
  };
  std::priority_queue<Ev, std::vector<Ev>, Later> q_;
  std::vector<std::uint64_t> cancelled_;  // sorted ids
  Tick now_ = 0;
  std::uint64_t seq_ = 0;
};

// A small, fully specified PRNG (SplitMix64) so that seeds reproduce on every platform and
// standard library; std::mt19937 distributions are not specified bit-for-bit.
class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) for n > 0.
  std::uint64_t below(std::uint64_t n) { return n ? next() % n : 0; }
  // A child stream, so that adding a consumer does not shift every other stream.
  Rng fork(std::uint64_t stream) { return Rng(next() ^ (stream * 0xD1B54A32D192ED03ull)); }

 private:
  std::uint64_t s_;
};

}  // namespace ms
