// The timeline's time axis: long idle stretches drawn as short breaks, so that every step of
// a multi-day lesson can be reached by scrubbing.
#include <catch2/catch.hpp>

#include "lesson/lesson.hpp"
#include "view/time_axis.hpp"

using namespace ms;

SCENARIO("a lesson of a few busy seconds and two waits of days gets two breaks", "[gui][time]") {
  // pop3-details: polls in the first 40 s, then day 13 and day 15.
  const std::vector<Span> busy{{10 * kSecond, 12 * kSecond}, {14 * kSecond, 15 * kSecond},
                               {30 * kSecond, 40 * kSecond}, {13 * kDay, 13 * kDay + 10 * kSecond},
                               {15 * kDay, 15 * kDay + 10 * kSecond}};
  const Tick end = 15 * kDay + 10 * kSecond;
  const TimeAxis ax = compress_idle(busy, end, 660.0, 100.0);
  THEN("the two waits are the breaks, each 100 px wide, labelled in days") {
    REQUIRE(ax.breaks().size() == 2);
    CHECK(ax.breaks()[0].t0 == 40 * kSecond);
    CHECK(ax.breaks()[0].t1 == 13 * kDay);
    CHECK(ax.breaks()[1].t0 == 13 * kDay + 10 * kSecond);
    CHECK(ax.breaks()[1].t1 == 15 * kDay);
    CHECK(ax.breaks()[0].x1 - ax.breaks()[0].x0 == Approx(100.0));
    CHECK(gap_label(ax.breaks()[0].t1 - ax.breaks()[0].t0) == "13 days later");
    CHECK(gap_label(ax.breaks()[1].t1 - ax.breaks()[1].t0) == "2 days later");
  }
  THEN("the 60 busy seconds share the other 460 px linearly") {
    // 460 px / 60 s: the first 40 s end at 306.67 px, day 13's ten seconds are 76.67 px.
    CHECK(ax.x_of(0) == Approx(0.0));
    CHECK(ax.x_of(10 * kSecond) == Approx(76.6667).epsilon(1e-4));
    CHECK(ax.x_of(14 * kSecond) == Approx(107.3333).epsilon(1e-4));
    CHECK(ax.x_of(40 * kSecond) == Approx(306.6667).epsilon(1e-4));
    CHECK(ax.x_of(13 * kDay) == Approx(406.6667).epsilon(1e-4));
    CHECK(ax.x_of(15 * kDay) == Approx(583.3333).epsilon(1e-4));
    CHECK(ax.x_of(end) == 660.0);
  }
  THEN("every step is at least 30 px from the next, where a linear axis put the first three "
       "within 0.02 px of each other") {
    const Tick steps[] = {10 * kSecond, 14 * kSecond, 30 * kSecond, 13 * kDay, 15 * kDay};
    for (int i = 0; i + 1 < 5; ++i) CHECK(ax.x_of(steps[i + 1]) - ax.x_of(steps[i]) >= 30.0);
  }
  THEN("a position inside a break is a time inside the wait, and positions map back to times") {
    const double mid = (ax.breaks()[0].x0 + ax.breaks()[0].x1) / 2;
    CHECK(ax.t_of(mid) == 40 * kSecond + (13 * kDay - 40 * kSecond) / 2);
    for (Tick t : {Tick{0}, 12 * kSecond, 33 * kSecond, 13 * kDay + 5 * kSecond, end})
      CHECK(ax.t_of(ax.x_of(t)) == t);
    CHECK(ax.t_of(-5.0) == 0);
    CHECK(ax.t_of(700.0) == end);
  }
}

SCENARIO("short pauses stay linear", "[gui][time]") {
  GIVEN("a 50-second lesson with 10-second pauses") {
    const TimeAxis ax = compress_idle({{0, kSecond}, {10 * kSecond, 12 * kSecond},
                                       {30 * kSecond, 31 * kSecond}},
                                      50 * kSecond, 500.0, 80.0);
    THEN("no pause is cut and 10 px stand for a second") {
      CHECK(ax.breaks().empty());
      CHECK(ax.x_of(30 * kSecond) == Approx(300.0));
    }
  }
  GIVEN("an hour of polls every five minutes") {
    std::vector<Span> polls;
    for (int i = 0; i <= 12; ++i) polls.push_back({i * 5 * kMinute, i * 5 * kMinute + kSecond});
    THEN("five minutes are not worth a break in an hour") {
      CHECK(compress_idle(polls, kHour + kSecond, 600.0, 80.0).breaks().empty());
    }
  }
  GIVEN("a wait of two days at the very start") {
    const TimeAxis ax = compress_idle({{2 * kDay, 2 * kDay + 10 * kSecond}}, 2 * kDay + 10 * kSecond,
                                      300.0, 60.0);
    THEN("the axis opens with the break and gives the rest to the busy seconds") {
      REQUIRE(ax.breaks().size() == 1);
      CHECK(ax.breaks()[0].x0 == 0.0);
      CHECK(ax.x_of(2 * kDay) == Approx(60.0));
      CHECK(ax.x_of(2 * kDay + 5 * kSecond) == Approx(180.0));
    }
  }
}

SCENARIO("many breaks in a narrow axis leave half of it to the busy time", "[gui][time]") {
  std::vector<Span> busy;
  for (int d = 0; d < 5; ++d) busy.push_back({d * kDay, d * kDay + kSecond});
  const TimeAxis ax = compress_idle(busy, 4 * kDay + kSecond, 200.0, 80.0);
  REQUIRE(ax.breaks().size() == 4);
  for (const TimeAxis::Break& b : ax.breaks()) CHECK(b.x1 - b.x0 == Approx(25.0));
  CHECK(ax.x_of(kSecond) == Approx(20.0));
  CHECK(ax.length() == 200.0);
}

SCENARIO("steps close together in linear time are pulled apart to be reachable", "[gui][time]") {
  // 10 px a second would put the steps at 10 s and 11 s 10 px apart.
  const TimeAxis ax = compress_idle({{0, 100 * kSecond}}, 100 * kSecond, 1000.0, 80.0,
                                    {10 * kSecond, 11 * kSecond, 50 * kSecond}, 30.0);
  CHECK(ax.breaks().empty());
  // The second between them takes 30 px; the other 99 s share 970 px.
  CHECK(ax.x_of(10 * kSecond) == Approx(97.9798).epsilon(1e-5));
  CHECK(ax.x_of(11 * kSecond) == Approx(127.9798).epsilon(1e-5));
  CHECK(ax.x_of(50 * kSecond) == Approx(510.1010).epsilon(1e-5));
  CHECK(ax.length() == 1000.0);
}

SCENARIO("several knots at one time: the position of that time is the last", "[gui][time]") {
  const TimeAxis ax({{0, 0.0}, {100, 10.0}, {100, 30.0}, {200, 40.0}});
  CHECK(ax.x_of(50) == Approx(5.0));
  CHECK(ax.x_of(100) == Approx(30.0));
  CHECK(ax.x_of(150) == Approx(35.0));
  CHECK(ax.t_of(20.0) == 100);
  CHECK(ax.t_of(35.0) == 150);
}

SCENARIO("gaps are named in the unit a teacher would say", "[gui][time]") {
  CHECK(gap_label(14 * kDay) == "14 days later");
  CHECK(gap_label(kDay + kHour) == "1 day later");
  CHECK(gap_label(3 * kHour + 10 * kMinute) == "3 hours later");
  CHECK(gap_label(kMinute + 10 * kSecond) == "1 minute later");
  CHECK(gap_label(12 * kSecond) == "12 s later");
  CHECK(gap_label(800 * kMs) == "0.8 s later");
  CHECK(gap_label(14 * kDay, true) == "14d later");
  CHECK(gap_label(5 * kMinute, true) == "5m later");
  CHECK(gap_label(2500 * kMs, true) == "2.5s later");
}

namespace {

// The timeline of a lesson run as the GUI draws it: records and steps busy, the run's end as
// the GUI takes it (the lesson's duration or the last arrival).
struct LessonTimeline {
  std::vector<Tick> steps;
  Tick end = 0;
  TimeAxis axis;
};

LessonTimeline lesson_timeline(const char* id, double width, double break_w) {
  const LessonRun run = run_lesson(load_lesson(std::string(MAILSCOPE_SOURCE_DIR) + "/lessons/" + id + ".json"));
  LessonTimeline tl;
  std::vector<const Trace*> traces;
  tl.end = run.lesson.duration;
  for (const WorldRun& w : run.worlds) {
    traces.push_back(&w.world->trace());
    for (const Record& r : w.world->trace().records()) tl.end = std::max(tl.end, r.t_end);
  }
  for (const Step& s : run.lesson.steps) tl.steps.push_back(s.at);
  tl.axis = compress_idle(busy_spans(traces, tl.steps), tl.end, width, break_w, tl.steps, 20.0);
  return tl;
}

}  // namespace

SCENARIO("every step of the multi-day lessons can be reached on a 700 px timeline",
         "[gui][time][lesson]") {
  for (const char* id : {"pop3-details", "client-defaults"}) {
    GIVEN(id) {
      const LessonTimeline tl = lesson_timeline(id, 700.0, 110.0);
      THEN("the markers (12 px wide) are at least 20 px apart, where linear time had the "
           "first two within a pixel") {
        for (std::size_t i = 0; i + 1 < tl.steps.size(); ++i) {
          INFO("steps " << i + 1 << " and " << i + 2);
          CHECK(tl.axis.x_of(tl.steps[i + 1]) - tl.axis.x_of(tl.steps[i]) >= 20.0 - 1e-9);
        }
        CHECK(700.0 * static_cast<double>(tl.steps[1] - tl.steps[0]) / tl.end < 1.0);
      }
      THEN("the waits of days are breaks saying how long") {
        std::vector<std::string> labels;
        for (const TimeAxis::Break& b : tl.axis.breaks()) labels.push_back(gap_label(b.t1 - b.t0));
        if (std::string(id) == "pop3-details")
          CHECK(labels == std::vector<std::string>{"13 days later", "2 days later"});
        else
          CHECK(labels == std::vector<std::string>{"8 days later", "2 days later", "4 minutes later"});
      }
    }
  }
}
