// Key taps shorter than a frame: the queue spreads a key's press and release over two frames,
// keeping the order of everything else.
#include <catch2/catch.hpp>

#include "key_queue.hpp"

using namespace ms;

namespace {
constexpr int kRelease = 0, kPress = 1, kRepeat = 2;
constexpr int kA = 65, kS = 83, kCtrl = 341;
}  // namespace

TEST_CASE("a press and release inside one frame arrive in two frames", "[gui][keys]") {
  KeyQueue q;
  q.push({kA, 0, kPress, 0});
  q.push({kA, 0, kRelease, 0});
  const auto first = q.take_frame();
  REQUIRE(first.size() == 1);
  CHECK(first[0].action == kPress);
  CHECK_FALSE(q.empty());
  const auto second = q.take_frame();
  REQUIRE(second.size() == 1);
  CHECK(second[0].action == kRelease);
  CHECK(q.empty());
  CHECK(q.take_frame().empty());
}

TEST_CASE("Ctrl+S tapped within one frame is seen with Ctrl held", "[gui][keys]") {
  KeyQueue q;
  q.push({kCtrl, 0, kPress, 0});
  q.push({kS, 0, kPress, 2});
  q.push({kS, 0, kRelease, 2});
  q.push({kCtrl, 0, kRelease, 0});
  const auto first = q.take_frame();
  REQUIRE(first.size() == 2);
  CHECK(first[0].key == kCtrl);
  CHECK(first[1].key == kS);
  CHECK(first[1].action == kPress);
  const auto second = q.take_frame();
  REQUIRE(second.size() == 2);
  CHECK(second[0].key == kS);
  CHECK(second[0].action == kRelease);
  CHECK(second[1].key == kCtrl);
  CHECK(second[1].action == kRelease);
}

TEST_CASE("a modifier released with the key it modified waits for the next frame",
          "[gui][keys]") {
  // Ctrl arrived in one frame; S pressed, Ctrl released and S released arrive in the next.
  KeyQueue q;
  q.push({kCtrl, 0, kPress, 0});
  CHECK(q.take_frame().size() == 1);
  q.push({kS, 0, kPress, 2});
  q.push({kCtrl, 0, kRelease, 0});
  q.push({kS, 0, kRelease, 0});
  const auto with_ctrl = q.take_frame();
  REQUIRE(with_ctrl.size() == 1);
  CHECK(with_ctrl[0].key == kS);
  const auto releases = q.take_frame();
  REQUIRE(releases.size() == 2);
  CHECK(releases[0].key == kCtrl);
  CHECK(releases[1].key == kS);
}

TEST_CASE("a release before any press passes in the same frame as later presses",
          "[gui][keys]") {
  KeyQueue q;
  q.push({kCtrl, 0, kRelease, 0});
  q.push({kA, 0, kPress, 0});
  CHECK(q.take_frame().size() == 2);
}

TEST_CASE("different keys and repeats pass in the same frame", "[gui][keys]") {
  KeyQueue q;
  q.push({kA, 0, kPress, 0});
  q.push({kA, 0, kRepeat, 0});
  q.push({kS, 0, kPress, 0});
  CHECK(q.take_frame().size() == 3);
  CHECK(q.empty());
}

TEST_CASE("two taps of one key in a frame become four frames, in order", "[gui][keys]") {
  KeyQueue q;
  for (int i = 0; i < 2; ++i) {
    q.push({kA, 0, kPress, 0});
    q.push({kA, 0, kRelease, 0});
  }
  for (int action : {kPress, kRelease, kPress, kRelease}) {
    const auto f = q.take_frame();
    REQUIRE(f.size() == 1);
    CHECK(f[0].action == action);
  }
  CHECK(q.empty());
}
