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

SCENARIO("the chooser's customer profiles reach every way the recommendation is decided") {
  const auto& profiles = chooser_profiles();
  REQUIRE(profiles.size() == 8);
  // What each everyday customer gets, and the lesson that proves it (the first "Show me").
  const std::pair<const char*, const char*> kExpected[] = {
      {"IMAP", "synchronisation"},       {"IMAP", "disaster-recovery"},
      {"IMAP", "deleted-mail"},          {"POP3", "limited-connectivity"},
      {"POP3", "offline-access"},        {"IMAP", "synchronisation"},
      {"IMAP", "synchronisation"},       {"Exchange", "synchronisation"},
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
  // The GUI's form starts at the default answers; a profile fills every answer in one click, each
  // answer changed after that is one click (a radio button), and "Show me" is the last click.
  auto differ = [](const ChooserAnswers& a, const ChooserAnswers& b) {
    return (a.devices != b.devices) + (a.connection != b.connection) +
           (a.offline_reading != b.offline_reading) +
           (a.server_storage_limited != b.server_storage_limited) + (a.provider != b.provider);
  };
  using C = ChooserAnswers::Connection;
  int worst = 0;
  for (int devices : {1, 2, 3})
    for (C connection : {C::Always, C::Limited, C::Rare})
      for (bool offline : {false, true})
        for (bool limited : {false, true}) {
          const ChooserAnswers want{devices, connection, offline, limited,
                                    ChooserAnswers::Provider::Other};
          int clicks = differ(want, ChooserAnswers{});
          for (const ChooserProfile& p : chooser_profiles())
            clicks = std::min(clicks, 1 + differ(want, p.answers));
          worst = std::max(worst, clicks + 1);
        }
  CHECK(worst == 4);
}

namespace {

bool any_contains(const std::vector<std::string>& v, const std::string& what) {
  return std::any_of(v.begin(), v.end(),
                     [&](const std::string& s) { return s.find(what) != std::string::npos; });
}

// Every combination of answers the form can give.
std::vector<ChooserAnswers> every_customer() {
  using C = ChooserAnswers::Connection;
  using P = ChooserAnswers::Provider;
  std::vector<ChooserAnswers> out;
  for (int devices : {1, 2, 3})
    for (C connection : {C::Always, C::Limited, C::Rare})
      for (bool offline : {false, true})
        for (bool limited : {false, true})
          for (P provider : {P::Other, P::Gmail, P::Microsoft})
            out.push_back({devices, connection, offline, limited, provider});
  return out;
}

}  // namespace

SCENARIO("the chooser's settings never contradict the needs that led to them, for every customer") {
  for (const ChooserAnswers& a : every_customer()) {
    const Recommendation r = recommend(a);
    INFO(format_recommendation(a, r));
    const auto& s = r.settings;
    // Offline reading needs whole messages on the computer: headers-first leaves unopened
    // mail unreadable without a connection.
    if (a.offline_reading) {
      CHECK(any_contains(s, "whole messages"));
      CHECK_FALSE(any_contains(s, "ownload headers first"));
      CHECK_FALSE(any_contains(s, "bodies on demand"));
      CHECK_FALSE(any_contains(s, "bodies fetched when opened"));
    }
    // With POP3 the deletion policy works on what was downloaded: whole messages.
    if (r.mail_protocol == "POP3") {
      CHECK(any_contains(s, "Download whole messages"));
      CHECK(any_contains(s, "Remove messages from the server once downloaded") ==
            a.server_storage_limited);
      CHECK(any_contains(s, "Leave a copy on the server") == !a.server_storage_limited);
    } else {
      REQUIRE(r.mail_protocol == "IMAP");
      // A small quota counts Trash too.
      CHECK(any_contains(s, "empty Trash regularly") == a.server_storage_limited);
    }
    // Gmail files sent mail itself: a client copy would be a second one.
    if (a.provider == ChooserAnswers::Provider::Gmail) {
      CHECK_FALSE(any_contains(s, "Store sent messages on the server"));
      CHECK(any_contains(r.provider_notes, "OAuth2"));
    }
    // Microsoft 365 / Exchange: neither protocol is the usual answer.
    if (a.provider == ChooserAnswers::Provider::Microsoft) {
      CHECK(r.protocol == "Exchange");
      CHECK(any_contains(r.provider_notes, "neither POP3 nor IMAP"));
      CHECK(any_contains(r.provider_notes, "OAuth2"));
    } else {
      CHECK(r.protocol == r.mail_protocol);
      CHECK((a.provider == ChooserAnswers::Provider::Gmail) == !r.provider_notes.empty());
    }
  }
}

SCENARIO("the provider is a fifth, optional answer of --answers") {
  ChooserAnswers a;
  REQUIRE(parse_answers("2 limited yes plenty microsoft", a));
  CHECK(a.provider == ChooserAnswers::Provider::Microsoft);
  REQUIRE(parse_answers("1 always no limited", a));
  CHECK(a.provider == ChooserAnswers::Provider::Other);
  std::string why;
  CHECK_FALSE(parse_answers("1 always no limited yahoo", a, &why));
  CHECK(why == "provider: 'yahoo' is not gmail, microsoft or other");
}
