// Going through a lesson by its steps, as a teacher at the projector does: a step is shown by
// playing it to its end, so its outcome is on screen under its own caption; the keys mean the
// same in both modes; on from the last step comes the next lesson.
#include "steps.hpp"

#include <catch2/catch.hpp>

#include "trace/trace.hpp"
#include "world/world.hpp"

namespace {
const std::string kLessons = std::string(MAILSCOPE_SOURCE_DIR) + "/lessons";

ms::World& world(ms::LessonRun& run, ms::Proto p) {
  for (auto& w : run.worlds)
    if (w.world->proto() == p) return *w.world;
  FAIL("no such world");
  throw 0;
}

// How many messages in `who`'s INBOX are read at time t, from the trace (as the worlds view
// draws them).
int seen_at(ms::World& w, const std::string& who, ms::Tick t) {
  ms::Trace& tr = w.trace();
  std::size_t index = 0;
  while (index < tr.records().size() && tr.records()[index].t <= t) ++index;
  ms::Replay replay(tr);
  const ms::WorldView v = replay.at(index);
  const ms::ViewFolder* f = v.stores.at(tr.actor(who)).folder("INBOX");
  int n = 0;
  if (f)
    for (const ms::ViewEntry& e : f->entries) n += e.flags.has(ms::kSeen);
  return n;
}
}  // namespace

SCENARIO("going to a step plays it and stops at its end, with its outcome shown", "[steps]") {
  GIVEN("the synchronisation lesson, paused in step 2 (both devices download)") {
    ms::LessonRun run = ms::run_lesson(ms::load_lesson(ms::find_lesson("synchronisation", kLessons)));
    const auto& steps = run.lesson.steps;
    REQUIRE(steps.size() == 5);
    REQUIRE(steps[2].title == "The phone reads message 1");
    const ms::Tick duration = run.lesson.duration;
    WHEN("the teacher goes to the next step (PageDown)") {
      const ms::StepMove mv = ms::step_move(steps, 15 * ms::kSecond, duration, 1);
      THEN("the cursor goes to step 3's start and plays until just before step 4 begins") {
        CHECK(mv.seek == 29 * ms::kSecond);
        CHECK(mv.play_until == 40 * ms::kSecond - 1);
        CHECK_FALSE(mv.next_lesson);
        CHECK(ms::step_at(steps, mv.play_until) == 2);
      }
      THEN("at the step's start message 1 is unread; where playing stops, the phone has read it") {
        ms::World& pop3 = world(run, ms::Proto::POP3);
        ms::World& imap = world(run, ms::Proto::IMAP);
        CHECK(seen_at(pop3, "phone", mv.seek) == 0);
        CHECK(seen_at(pop3, "phone", mv.play_until) == 1);
        CHECK(seen_at(imap, "phone", mv.play_until) == 1);
        CHECK(seen_at(imap, "desktop", mv.play_until) == 1);
      }
    }
  }
}

SCENARIO("playback stops at the step's end, so the caption never switches mid-explanation",
         "[steps]") {
  const std::vector<ms::Step> steps = {{0, "a", ""}, {10 * ms::kSecond, "b", ""},
                                       {30 * ms::kSecond, "c", ""}};
  const ms::Tick duration = 40 * ms::kSecond;
  GIVEN("presenter mode's Play in the middle of step 2") {
    const ms::Tick until = ms::play_stop(steps, 12 * ms::kSecond, duration);
    THEN("it stops one tick before step 3") { CHECK(until == 30 * ms::kSecond - 1); }
    THEN("a frame that would pass that moment is held there and playback ends") {
      bool stop = false;
      CHECK(ms::clamp_playback(31 * ms::kSecond, until, duration, &stop) == until);
      CHECK(stop);
      CHECK(ms::clamp_playback(20 * ms::kSecond, until, duration, &stop) == 20 * ms::kSecond);
      CHECK_FALSE(stop);
    }
  }
  GIVEN("Play pressed again where the step ended") {
    THEN("the next step plays, to its own end (the run's end for the last)") {
      CHECK(ms::play_stop(steps, 30 * ms::kSecond - 1, duration) == duration);
      CHECK(ms::play_stop(steps, 10 * ms::kSecond - 1, duration) == 30 * ms::kSecond - 1);
    }
  }
  GIVEN("PageUp pressed again while step 2 plays after a step move") {
    const ms::StepMove mv = ms::step_move(steps, 10 * ms::kSecond + 300, duration, -1, true);
    THEN("it goes to step 1, not back to the start of step 2") {
      CHECK(mv.seek == 0);
      CHECK(mv.play_until == 10 * ms::kSecond - 1);
    }
  }
  GIVEN("going back inside step 2 (PageUp)") {
    const ms::StepMove mv = ms::step_move(steps, 12 * ms::kSecond, duration, -1);
    THEN("step 2 plays again from its start to its end") {
      CHECK(mv.seek == 10 * ms::kSecond);
      CHECK(mv.play_until == 30 * ms::kSecond - 1);
    }
  }
}

SCENARIO("PageDown on the last step shows its end, then offers the next lesson", "[steps]") {
  const std::vector<ms::Step> steps = {{0, "a", ""}, {10 * ms::kSecond, "b", ""}};
  const ms::Tick duration = 20 * ms::kSecond;
  WHEN("the last step has not been played to its end") {
    const ms::StepMove mv = ms::step_move(steps, 11 * ms::kSecond, duration, 1);
    THEN("PageDown plays it to the end of the run") {
      CHECK(mv.seek == 11 * ms::kSecond);
      CHECK(mv.play_until == duration);
      CHECK_FALSE(mv.next_lesson);
    }
  }
  WHEN("the last step is shown to its end") {
    const ms::StepMove mv = ms::step_move(steps, duration, duration, 1);
    THEN("PageDown asks for the next lesson") { CHECK(mv.next_lesson); }
  }
}

SCENARIO("the navigation keys mean the same in normal and presenter mode", "[steps]") {
  THEN("PageDown and Right both go to the next step, PageUp and Left to the previous") {
    CHECK(ms::nav_key(ms::NavKey::PageDown).steps == 1);
    CHECK(ms::nav_key(ms::NavKey::Right).steps == 1);
    CHECK(ms::nav_key(ms::NavKey::Right).units == 0);
    CHECK(ms::nav_key(ms::NavKey::PageUp).steps == -1);
    CHECK(ms::nav_key(ms::NavKey::Left).steps == -1);
  }
  THEN("'.' and ',' move by one protocol unit") {
    CHECK(ms::nav_key(ms::NavKey::Period).units == 1);
    CHECK(ms::nav_key(ms::NavKey::Comma).units == -1);
    CHECK(ms::nav_key(ms::NavKey::Period).steps == 0);
  }
}

SCENARIO("the speed control says it is a teaching pace, not real time", "[steps][pace]") {
  THEN("its note says so and how long the lesson really plays") {
    CHECK(ms::pace_note(50, 165, 1.0f) ==
          "Teaching pace, not real time: at 1x this lesson's 50 s play in about 2 min 45 s "
          "(packets slowed down to be watched, idle time skipped).");
    CHECK(ms::pace_note(20, 65.2, 1.0f).find("20 s play in about 1 min 5 s") != std::string::npos);
    CHECK(ms::pace_note(90, 30, 4.0f).find("at 4x this lesson's 1 min 30 s") != std::string::npos);
  }
}
