#include <catch2/catch.hpp>

#include "world/scheduler.hpp"

using namespace ms;

SCENARIO("events scheduled for the same tick run in the order they were scheduled") {
  Scheduler s;
  std::string order;
  s.at(10, [&] { order += 'b'; });
  s.at(5, [&] { order += 'a'; });
  s.at(10, [&] { order += 'c'; });
  s.at(10, [&] { order += 'd'; });
  s.run();
  CHECK(order == "abcd");
  CHECK(s.now() == 10);
}

SCENARIO("an event scheduled in the past runs now, after those already due") {
  Scheduler s;
  std::string order;
  s.at(100, [&] {
    order += '1';
    s.at(50, [&] { order += '3'; });
  });
  s.at(100, [&] { order += '2'; });
  s.run();
  CHECK(order == "123");
  CHECK(s.now() == 100);
}

SCENARIO("a cancelled event never runs") {
  Scheduler s;
  int hits = 0;
  auto id = s.after(5, [&] { ++hits; });
  s.after(6, [&] { hits += 10; });
  s.cancel(id);
  s.run();
  CHECK(hits == 10);
}

SCENARIO("run_until stops at the given time and advances the clock to it") {
  Scheduler s;
  int hits = 0;
  s.at(5, [&] { ++hits; });
  s.at(15, [&] { ++hits; });
  s.run_until(10);
  CHECK(hits == 1);
  CHECK(s.now() == 10);
  CHECK(s.next_time() == 15);
}

SCENARIO("the same seed gives the same random stream, another seed a different one") {
  Rng a(42), b(42), c(43);
  for (int i = 0; i < 100; ++i) {
    auto x = a.next();
    CHECK(x == b.next());
  }
  CHECK(Rng(42).next() != c.next());
}
