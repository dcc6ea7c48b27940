#pragma once
// Shared by the IMAP server transcript tests: every scenario runs twice on a fresh fixture
// (a MailServer with its accounts), client lines fed whole and then one byte at a time, and
// both runs must answer with identical bytes.
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/imap/imap_server.hpp"

namespace ms::test {

using Feed = std::function<std::string(ImapServer&, std::string_view)>;

inline std::string collect(ImapServer& s) {
  std::string all;
  for (auto& u : s.take_output()) all += u;
  return all;
}

inline std::string feed_whole(ImapServer& s, std::string_view in) {
  s.receive(in);
  return collect(s);
}

inline std::string feed_bytes(ImapServer& s, std::string_view in) {
  for (char c : in) s.receive(std::string_view(&c, 1));
  return collect(s);
}

// Runs scenario(fixture, feed) with both feeds, each on its own fixture; the transcripts must
// be identical.
template <class Fixture>
std::vector<std::string> either_way(
    const std::function<std::vector<std::string>(Fixture&, const Feed&)>& scenario) {
  Fixture a, b;
  auto whole = scenario(a, feed_whole);
  auto bytes = scenario(b, feed_bytes);
  CHECK(whole == bytes);
  return whole;
}

}  // namespace ms::test
