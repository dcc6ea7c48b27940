// Issue 22 in lessons: the server's "require TLS" and a client that uses STARTTLS only when
// offered, set from lesson JSON; a network that strips STARTTLS; and "readable_on_wire"
// checks, decided from the bytes that crossed the wire.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "lesson/lesson.hpp"
#include "lesson_errors.hpp"
#include "run_cli.hpp"
#include "export/pcap.hpp"
#include "world/world.hpp"

using namespace ms;
using ms_test::error_of;

namespace {

// A one-device lesson in both worlds: the device fetches message 1 at 5 s; `device` and
// `server` are spliced into the JSON; `expect` is the expectation list.
std::string lesson_text(const std::string& device, const std::string& expect,
                        const std::string& server = "") {
  return std::string("{\"id\": \"t\", \"title\": \"t\", \"duration\": \"30s\",\n") +
         (server.empty() ? "" : "\"server\": " + server + ",\n") +
         "\"accounts\": [{\"name\": \"alice\", \"password\": \"pw-9173\"}],\n"
         "\"devices\": [{\"name\": \"laptop\", \"kind\": \"laptop\", " + device + "}],\n"
         "\"script\": [{\"at\": \"0s\", \"do\": \"mail arrives\", \"from\": \"b@x.example\", "
         "\"subject\": \"s\", \"text\": \"The door code is 4071.\"},\n"
         "{\"at\": \"5s\", \"device\": \"laptop\", \"do\": \"check mail\"}],\n"
         "\"expect\": [" + expect + "]}";
}

// Each world's check results as "pass"/"FAIL" words, in order (POP3 world first).
std::string outcomes(const std::string& text) {
  LessonRun run = run_lesson(parse_lesson(text, "t.json"));
  std::string out;
  for (const auto& w : run.worlds)
    for (const auto& c : w.checks) out += (c.pass ? "pass " : "FAIL ");
  return out;
}

std::string wire_of(World& w) {
  std::string all;
  for (const Record& r : w.trace().records())
    if (r.kind == RecKind::Wire && w.trace().actor_name(r.peer) == "laptop") all += r.text;
  return all;
}

const char* kReadable =
    "{\"where\": \"laptop\", \"readable_on_wire\": \"password\", \"readable\": true},"
    "{\"where\": \"laptop\", \"readable_on_wire\": \"message body\", \"readable\": true},"
    "{\"where\": \"laptop\", \"readable_on_wire\": \"server name\", \"readable\": true}";

}  // namespace

TEST_CASE("A STARTTLS-stripping middlebox deletes exactly the STARTTLS offer", "[tls][world]") {
  CHECK(strip_starttls_offer(Proto::IMAP, "* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] hi\r\n") ==
        "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n");
  CHECK(strip_starttls_offer(Proto::IMAP, "* 1 FETCH (BODY[] {9}\r\nSTARTTLS \r\n") ==
        "* 1 FETCH (BODY[] {9}\r\nSTARTTLS \r\n");
  CHECK(strip_starttls_offer(Proto::POP3, "+OK\r\nTOP\r\nSTLS\r\nUIDL\r\n.\r\n") ==
        "+OK\r\nTOP\r\nUIDL\r\n.\r\n");
  CHECK(strip_starttls_offer(Proto::SMTP, "250-mail\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n") ==
        "250-mail\r\n250 AUTH PLAIN\r\n");
  // The offer as the reply's last line: the line before it becomes the last (RFC 5321 4.2.1).
  CHECK(strip_starttls_offer(Proto::SMTP, "250-mail\r\n250-SIZE\r\n250 STARTTLS\r\n") ==
        "250-mail\r\n250 SIZE\r\n");
}

TEST_CASE("What an eavesdropper reads on the wire, per connection security", "[tls][lesson]") {
  GIVEN("no TLS") {
    THEN("the password, the message and the server's name are readable in both worlds") {
      CHECK(outcomes(lesson_text("\"security\": \"none\"", kReadable)) ==
            "pass pass pass pass pass pass ");
    }
  }
  GIVEN("SSL/TLS") {
    THEN("only the server's name (the ClientHello's SNI) is readable") {
      CHECK(outcomes(lesson_text("\"security\": \"tls\"", kReadable)) ==
            "FAIL FAIL pass FAIL FAIL pass ");
    }
  }
  GIVEN("STARTTLS that insists, on a network that strips the offer") {
    THEN("nothing secret crosses, and no mail is fetched") {
      CHECK(outcomes(lesson_text("\"security\": \"starttls\", \"network_strips_starttls\": true",
                                 std::string(kReadable) + ",{\"where\": \"laptop\", \"count\": 0}")) ==
            "FAIL FAIL pass pass FAIL FAIL pass pass ");
    }
  }
  GIVEN("STARTTLS only when offered, on the same network") {
    THEN("the device logs in in clear: password and message readable, mail fetched") {
      CHECK(outcomes(lesson_text("\"security\": \"starttls\", \"insist_on_tls\": false, "
                                 "\"network_strips_starttls\": true",
                                 std::string(kReadable) + ",{\"where\": \"laptop\", \"count\": 1}")) ==
            "pass pass pass pass pass pass pass pass ");
    }
  }
  GIVEN("STARTTLS only when offered, on a network that leaves the offer alone") {
    THEN("it upgrades: the password is not readable") {
      CHECK(outcomes(lesson_text("\"security\": \"starttls\", \"insist_on_tls\": false", kReadable)) ==
            "FAIL FAIL pass FAIL FAIL pass ");
    }
  }
}

TEST_CASE("server.require_tls refuses a password before TLS, set from the lesson",
          "[tls][lesson]") {
  Lesson L = parse_lesson(lesson_text("\"security\": \"none\"",
                                      "{\"where\": \"laptop\", \"count\": 0}",
                                      "{\"require_tls\": true}"),
                          "t.json");
  CHECK(L.require_tls);
  auto imap = build_world(L, Proto::IMAP, 1);
  imap->run_until(30 * kSecond);
  const std::string wire = wire_of(*imap);
  CHECK(wire.find("LOGINDISABLED") != std::string::npos);
  CHECK(wire.find("STARTTLS") != std::string::npos);
  auto pop3 = build_world(L, Proto::POP3, 1);
  pop3->run_until(30 * kSecond);
  CHECK(wire_of(*pop3).find("STLS\r\n") != std::string::npos);
  CHECK(run_lesson(L).all_pass());
  // The default: the password goes through.
  Lesson open = parse_lesson(lesson_text("\"security\": \"none\"",
                                         "{\"where\": \"laptop\", \"count\": 1}"), "t.json");
  CHECK_FALSE(open.require_tls);
  CHECK(run_lesson(open).all_pass());
}

TEST_CASE("A readable_on_wire check can fail: it is decided from the bytes", "[tls][lesson]") {
  // The same check that passes without TLS fails over SSL/TLS.
  const std::string x =
      "{\"where\": \"laptop\", \"readable_on_wire\": \"password\", \"readable\": false}";
  CHECK(outcomes(lesson_text("\"security\": \"tls\"", x)) == "pass pass ");
  CHECK(outcomes(lesson_text("\"security\": \"none\"", x)) == "FAIL FAIL ");
}

TEST_CASE("Bad connection-security and readable_on_wire fields are refused with their place",
          "[tls][lesson]") {
  CHECK_THAT(error_of(lesson_text("\"security\": \"none\", \"insist_on_tls\": false", "")),
             Catch::Contains("bad.json:3:87: field 'devices.0.insist_on_tls': 'insist_on_tls' needs \"security\": \"starttls\""));
  CHECK_THAT(error_of(lesson_text("\"security\": \"tls\"",
                                  "{\"where\": \"laptop\", \"readable_on_wire\": \"cookies\", \"readable\": true}")),
             Catch::Contains("field 'expect.0.readable_on_wire': unknown secret 'cookies' (password, message body, server name)"));
  CHECK_THAT(error_of(lesson_text("\"security\": \"tls\"",
                                  "{\"where\": \"laptop\", \"readable_on_wire\": \"password\"}")),
             Catch::Contains("field 'expect.0': missing required field 'readable'"));
  CHECK_THAT(error_of(lesson_text("\"security\": \"tls\"",
                                  "{\"where\": \"server\", \"readable_on_wire\": \"password\", \"readable\": true}")),
             Catch::Contains("field 'expect.0.where': 'readable_on_wire' needs a device"));
  CHECK_THAT(error_of(lesson_text("\"security\": \"tls\"",
                                  "{\"where\": \"laptop\", \"count\": 1, \"readable\": true}")),
             Catch::Contains("field 'expect.0.readable': 'readable' belongs to 'readable_on_wire'"));
  CHECK_THAT(error_of(lesson_text("\"security\": \"tls\"",
                                  "{\"where\": \"laptop\", \"readable_on_wire\": \"password\", \"readable\": true, \"message\": 2}")),
             Catch::Contains("field 'expect.0.message': 'message' belongs to"));
  CHECK_THAT(error_of(lesson_text("\"security\": \"tls\"", "", "{\"require_tls\": 1}")),
             Catch::Contains("bad.json:2:27: field 'server.require_tls': expected"));
}

TEST_CASE("The lesson who-can-read passes every check in both worlds", "[tls][lesson]") {
  std::ifstream f(std::string(MAILSCOPE_SOURCE_DIR) + "/lessons/who-can-read.json");
  std::stringstream ss;
  ss << f.rdbuf();
  LessonRun run = run_lesson(parse_lesson(ss.str(), "who-can-read.json"));
  REQUIRE(run.worlds.size() == 2);
  for (const auto& w : run.worlds) {
    CHECK(w.checks.size() == 17);
    for (const auto& c : w.checks) {
      INFO(w.world->label() << ": " << c.description << " observed " << c.observed);
      CHECK(c.pass);
    }
  }
}

TEST_CASE("The pcap of a TLS lesson carries TLS records, which its key log lets tshark decrypt",
          "[tls][export]") {
  if (ms_test::run_shell("command -v tshark >/dev/null 2>&1").code != 0) {
    WARN("tshark not installed");
    return;
  }
  std::ifstream f(std::string(MAILSCOPE_SOURCE_DIR) + "/lessons/who-can-read.json");
  std::stringstream ss;
  ss << f.rdbuf();
  LessonRun run = run_lesson(parse_lesson(ss.str(), "who-can-read.json"));
  std::vector<const World*> imap;
  for (const auto& w : run.worlds)
    if (w.world->proto() == Proto::IMAP) imap.push_back(w.world.get());
  const std::string dir = std::filesystem::temp_directory_path() / "mailscope_tls_pcap";
  std::filesystem::create_directories(dir);
  REQUIRE(write_pcap(pcap_frames(imap), dir + "/w.pcap") == "");
  const std::string keylog = tls_keylog(imap);
  CHECK(keylog.find("CLIENT_TRAFFIC_SECRET_0 ") != std::string::npos);
  std::ofstream(dir + "/keys.txt") << keylog;
  auto fields = [&](const std::string& args) {
    return ms_test::run_shell("tshark -r " + dir + "/w.pcap " + args + " 2>/dev/null").out;
  };
  // Without keys: TLS records on 993 (implicit TLS), the SNI in clear, no readable login.
  const std::string tls = fields("-Y 'tcp.port == 993 && tls' -T fields -e tls.record.content_type -e tls.handshake.extensions_server_name");
  CHECK(tls.find("22\tmail.example.test") != std::string::npos);
  // TLS 1.3 hides the real record type: encrypted records are "application data" outside.
  CHECK(fields("-Y 'tcp.port == 993 && tls' -T fields -e tls.record.opaque_type").find("23") !=
        std::string::npos);
  CHECK(fields("-Y 'tcp.port == 993 && imap.request' -T fields -e imap.request") == "");
  // With the key log, the IMAP session inside the tunnel: the desktop's LOGIN.
  const std::string inside = fields("-o tls.keylog_file:" + dir + "/keys.txt -Y 'tcp.port == 993 && imap.request' -T fields -e imap.request");
  CHECK(inside.find("LOGIN") != std::string::npos);
  CHECK(inside.find("hunter2-blue") != std::string::npos);
}
