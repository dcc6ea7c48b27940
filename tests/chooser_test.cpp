#include <catch2/catch.hpp>

#include <algorithm>

#include "lesson/chooser.hpp"
#include "world/world.hpp"

using namespace ms;

SCENARIO("the chooser recommends IMAP for several devices on a good connection") {
  ChooserAnswers a;
  a.devices = 3;
  Recommendation r = recommend(a);
  CHECK(r.protocol == "IMAP");
  CHECK(r.demo_lesson == "synchronisation");
  CHECK_THAT(r.reasons.front(), Catch::Contains("same on all 3 devices"));
}

SCENARIO("the chooser recommends POP3 only for one device, a poor link and offline reading") {
  ChooserAnswers a;
  a.devices = 1;
  a.connection = ChooserAnswers::Connection::Limited;
  a.offline_reading = true;
  Recommendation r = recommend(a);
  CHECK(r.protocol == "POP3");
  CHECK(r.demo_lesson == "limited-connectivity");
  CHECK_THAT(r.reasons.back(), Catch::Contains("disaster recovery"));
  WHEN("a second device reads the same mailbox") {
    a.devices = 2;
    Recommendation r2 = recommend(a);
    THEN("duplicates make it IMAP with an offline cache") {
      CHECK(r2.protocol == "IMAP");
      CHECK_THAT(r2.reasons.front(), Catch::Contains("its own copy"));
    }
  }
  WHEN("the connection is always on") {
    a.connection = ChooserAnswers::Connection::Always;
    CHECK(recommend(a).protocol == "IMAP");
  }
}

SCENARIO("client presets reproduce real mail apps' defaults") {
  Pop3Policy p;
  ImapPolicy i;
  REQUIRE(apply_client_preset("thunderbird", p, i));
  CHECK(p.leave_on_server);
  CHECK(p.delete_after_days == 14);
  CHECK(p.delete_when_deleted_locally);
  CHECK(i.on_delete == ImapPolicy::OnDelete::MoveToTrash);
  CHECK(i.idle);
  CHECK_FALSE(i.use_condstore);  // mail.server.default.use_condstore is false
  REQUIRE(apply_client_preset("apple-mail", p, i));
  CHECK(p.delete_after_days == 7);
  CHECK(i.save_sent_on_server);
  REQUIRE(apply_client_preset("k9", p, i));
  CHECK(p.leave_on_server);
  CHECK(p.delete_after_days == 0);
  CHECK_FALSE(apply_client_preset("eudora", p, i));
}

SCENARIO("the chooser's customer profiles reach every way the recommendation is decided") {
  const auto& profiles = chooser_profiles();
  REQUIRE(profiles.size() == 6);
  // What each everyday customer gets, and the lesson that proves it (the first "Show me").
  const std::pair<const char*, const char*> kExpected[] = {
      {"IMAP", "synchronisation"},       {"IMAP", "disaster-recovery"},
      {"IMAP", "deleted-mail"},          {"POP3", "limited-connectivity"},
      {"POP3", "offline-access"},        {"IMAP", "synchronisation"},
  };
  for (std::size_t i = 0; i < profiles.size(); ++i) {
    INFO(profiles[i].label);
    const Recommendation r = recommend(profiles[i].answers);
    CHECK(r.protocol == kExpected[i].first);
    CHECK(r.demo_lesson == kExpected[i].second);
    REQUIRE_FALSE(r.why.empty());
    CHECK(r.why.front().lesson == r.demo_lesson);
  }
  THEN("the traveller with two devices is the case where offline reading does not mean POP3") {
    const Recommendation r = recommend(profiles[5].answers);
    CHECK_THAT(r.reasons.front(), Catch::StartsWith("Several devices read this mailbox: with POP3") &&
                                      Catch::Contains("A caching IMAP client also reads offline."));
  }
}

SCENARIO("every customer is at most four clicks from the start screen to the proving lesson") {
  // The GUI's form starts at the default answers; a profile fills all four in one click, each
  // answer changed after that is one click (a radio button), and "Show me" is the last click.
  auto differ = [](const ChooserAnswers& a, const ChooserAnswers& b) {
    return (a.devices != b.devices) + (a.connection != b.connection) +
           (a.offline_reading != b.offline_reading) +
           (a.server_storage_limited != b.server_storage_limited);
  };
  using C = ChooserAnswers::Connection;
  int worst = 0;
  for (int devices : {1, 2, 3})
    for (C connection : {C::Always, C::Limited, C::Rare})
      for (bool offline : {false, true})
        for (bool limited : {false, true}) {
          const ChooserAnswers want{devices, connection, offline, limited};
          int clicks = differ(want, ChooserAnswers{});
          for (const ChooserProfile& p : chooser_profiles())
            clicks = std::min(clicks, 1 + differ(want, p.answers));
          worst = std::max(worst, clicks + 1);
        }
  CHECK(worst == 4);
}
