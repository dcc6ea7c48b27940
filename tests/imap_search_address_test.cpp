// IMAP server SEARCH FROM/TO/CC/BCC (RFC 3501 section 6.4.4) against scripted client bytes:
// address keys match the addresses of the field as an RFC 5322 address list reads them, not the
// header text. As in imap_server_test.cpp, every scenario runs twice, client lines fed whole
// and one byte at a time, with identical answers.
#include <catch2/catch.hpp>

#include <functional>

#include "imap_server_harness.hpp"
#include "model/account.hpp"
#include "proto/imap/imap_server.hpp"

using namespace ms;

namespace {

// 1: comments and spaces inside the address; 2: an RFC 2047 display name, a quoted name with a
// comma, a name in a comment; 3: two To fields and an address without a domain.
const std::string kMessages[] = {
    "From: <user-from (comment)@ (comment) domain.org>\r\n"
    "To: Team: erin@example.org;\r\n"
    "Subject: one\r\n\r\nx\r\n",
    "From: =?utf-8?q?J=C3=B6rg?= <joerg@x.de>\r\n"
    "To: \"Smith, Ann\" <ann@y.org>\r\n"
    "Cc: bob@z.org (Bob)\r\n"
    "Subject: two\r\n\r\nx\r\n",
    "From: Bob <bob@example.org>\r\n"
    "To: nodomain\r\n"
    "To: carol@y.org,\r\n dave@example.net\r\n"
    "Subject: three\r\n\r\nx\r\n",
};

struct Fixture {
  MailServer server;
  Fixture() {
    Account& alice = server.add_account("alice", "secret", 7);
    for (const auto& m : kMessages) alice.store.append("INBOX", make_body(m), {}, 0);
  }
};

// Each input's answer, after LOGIN and SELECT INBOX (their answers left out).
std::vector<std::string> selected(const std::vector<std::string>& inputs) {
  return test::either_way<Fixture>([&](Fixture& fx, const test::Feed& feed) {
    ImapServer s(fx.server);
    test::collect(s);
    feed(s, "L LOGIN alice secret\r\n");
    feed(s, "S SELECT INBOX\r\n");
    std::vector<std::string> out;
    for (const auto& in : inputs) out.push_back(feed(s, in));
    return out;
  });
}

std::string found(const std::string& tag, const std::string& numbers) {
  return "* SEARCH" + numbers + "\r\n" + tag + " OK SEARCH completed\r\n";
}

}  // namespace

TEST_CASE("SEARCH FROM finds an address whose comments and spaces the header hides",
          "[imap][search]") {
  auto out = selected({"s1 SEARCH FROM user-from@domain.org\r\n",
                       "s2 SEARCH FROM \"<USER-FROM@domain.org>\"\r\n",
                       "s3 SEARCH FROM comment\r\n"});
  CHECK(out[0] == found("s1", " 1"));
  // Without a display name the address is written bare: there are no angle brackets to find.
  CHECK(out[1] == found("s2", ""));
  // A comment is not part of any address.
  CHECK(out[2] == found("s3", ""));
}

TEST_CASE("SEARCH address keys match display names decoded and written before the address",
          "[imap][search]") {
  auto out = selected({"s1 SEARCH CHARSET UTF-8 FROM {5+}\r\nJ\xc3\xb6rg\r\n",
                       "s2 SEARCH FROM \"utf-8?q\"\r\n",
                       "s3 SEARCH TO \"Smith, Ann <ann@y.org>\"\r\n",
                       "s4 SEARCH CC bob@z.org\r\n",
                       "s5 SEARCH FROM \"bob <bob@example\"\r\n"});
  CHECK(out[0] == found("s1", " 2"));
  CHECK(out[1] == found("s2", ""));
  CHECK(out[2] == found("s3", " 2"));
  CHECK(out[3] == found("s4", " 2"));
  CHECK(out[4] == found("s5", " 3"));
}

TEST_CASE("SEARCH TO reads group members, every To field and addresses without a domain",
          "[imap][search]") {
  auto out = selected({"s1 SEARCH TO erin@example.org\r\n", "s2 SEARCH TO dave@example.net\r\n",
                       "s3 SEARCH TO carol\r\n", "s4 SEARCH TO nodomain\r\n",
                       "s5 SEARCH TO nodomain@\r\n", "s6 SEARCH OR TO y.org CC y.org\r\n",
                       "s7 SEARCH BCC x\r\n"});
  CHECK(out[0] == found("s1", " 1"));
  CHECK(out[1] == found("s2", " 3"));
  CHECK(out[2] == found("s3", " 3"));
  CHECK(out[3] == found("s4", " 3"));
  // No domain is made up for "nodomain" (vmime would give it the host name).
  CHECK(out[4] == found("s5", ""));
  CHECK(out[5] == found("s6", " 2 3"));
  // No Bcc field: nothing matches.
  CHECK(out[6] == found("s7", ""));
}

TEST_CASE("SEARCH address keys find the name an old-style comment gives a bare address",
          "[imap][search]") {
  // "bob@z.org (Bob)" is message 2's Cc; "<... (comment) ...>" in message 1 names nothing.
  auto out = selected({"s1 SEARCH CC \"bob <bob@z.org>\"\r\n", "s2 SEARCH CC \"B <B\"\r\n",
                       "s3 SEARCH FROM \"comment <\"\r\n"});
  CHECK(out[0] == found("s1", " 2"));
  CHECK(out[1] == found("s2", " 2"));
  CHECK(out[2] == found("s3", ""));
}
