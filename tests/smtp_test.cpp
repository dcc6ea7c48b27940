// SMTP engines: codec helpers, the server against scripted bytes, the client against scripted
// replies, and both engines talking to each other in memory. Every exchange is also fed one
// byte at a time and must give the same bytes.
#include <catch2/catch.hpp>

#include <functional>
#include <memory>

#include "model/account.hpp"
#include "proto/smtp/smtp_backend.hpp"
#include "proto/smtp/smtp_client.hpp"
#include "proto/smtp/smtp_codec.hpp"
#include "proto/smtp/smtp_server.hpp"

using namespace ms;

namespace {

const char* const kGreeting = "220 mail.example.com ESMTP Mailscope\r\n";
const char* const kEhloReply =
    "250-mail.example.com Hello client.example.com\r\n"
    "250-PIPELINING\r\n"
    "250-SIZE 10485760\r\n"
    "250-8BITMIME\r\n"
    "250-ENHANCEDSTATUSCODES\r\n"
    "250 AUTH PLAIN LOGIN\r\n";
// AUTH PLAIN initial response for alice / secret: base64("\0alice\0secret").
const char* const kAliceLogin = "AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n";

// A mail server with two accounts, and the SMTP backend over it.
struct Fixture {
  MailServer server;
  MailServerSmtpBackend backend{server};
  Fixture() {
    server.add_account("alice", "secret", 100);
    server.add_account("bob", "hunter2", 200);
    backend.now = [] { return Tick{42}; };
  }
  const Folder& inbox(const std::string& who) { return *server.find(who)->store.folder("INBOX"); }
};

void feed(Engine& e, std::string_view bytes, bool bytewise) {
  if (!bytewise) {
    e.receive(bytes);
    return;
  }
  for (char c : bytes) e.receive(std::string_view(&c, 1));
}

std::string joined(Engine& e) {
  std::string out;
  for (auto& u : e.take_output()) out += u;
  return out;
}

// One server session against scripted input, on a fresh fixture.
struct ServerRun {
  std::unique_ptr<Fixture> fx = std::make_unique<Fixture>();
  std::unique_ptr<SmtpServer> server;
  std::string output;
  std::vector<EngineEvent> events;
};

ServerRun serve_once(std::string_view input, bool bytewise, const SmtpServerConfig& cfg,
                     const std::function<void(Fixture&)>& setup) {
  ServerRun r;
  if (setup) setup(*r.fx);
  r.server = std::make_unique<SmtpServer>(r.fx->backend, cfg);
  feed(*r.server, input, bytewise);
  r.output = joined(*r.server);
  r.events = r.server->take_events();
  return r;
}

// Runs the input in one chunk and one byte at a time; both must answer the same bytes.
ServerRun serve(std::string_view input, const SmtpServerConfig& cfg = {},
                const std::function<void(Fixture&)>& setup = {}) {
  ServerRun whole = serve_once(input, false, cfg, setup);
  ServerRun bytes = serve_once(input, true, cfg, setup);
  CHECK(bytes.output == whole.output);
  CHECK(bytes.server->state_name() == whole.server->state_name());
  return whole;
}

bool has_event(const std::vector<EngineEvent>& ev, EngineEvent::Kind k, std::string_view text) {
  for (const auto& e : ev)
    if (e.kind == k && e.text.find(text) != std::string::npos) return true;
  return false;
}

// Moves units between a client and a server until neither has anything to say. The
// transcript holds every unit prefixed with "S: " or "C: ".
std::string pump(Engine& client, Engine& server, bool bytewise) {
  std::string t;
  for (int guard = 0; guard < 10000; ++guard) {
    bool moved = false;
    for (auto& u : server.take_output()) {
      t += "S: " + u;
      feed(client, u, bytewise);
      moved = true;
    }
    for (auto& u : client.take_output()) {
      t += "C: " + u;
      feed(server, u, bytewise);
      moved = true;
    }
    if (!moved) break;
  }
  return t;
}

// Feeds the client one scripted reply at a time and records the conversation.
std::string drive_client(SmtpClient& c, const std::vector<std::string>& replies, bool bytewise) {
  std::string t;
  for (const auto& r : replies) {
    t += "S: " + r;
    feed(c, r, bytewise);
    for (auto& u : c.take_output()) t += "C: " + u;
  }
  return t;
}

std::string message(const std::string& body) {
  return "From: alice@example.com\r\nTo: bob@example.com\r\nSubject: Hi\r\n"
         "Message-ID: <1@example.com>\r\n\r\n" +
         body;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Codec

TEST_CASE("an SMTP reply of several lines uses a hyphen after the code on all but the last",
          "[smtp]") {
  CHECK(smtp::format_reply(250, std::vector<std::string>{"a", "b", "c"}) ==
        "250-a\r\n250-b\r\n250 c\r\n");
  CHECK(smtp::format_reply(334, "") == "334 \r\n");
  CHECK(smtp::format_reply(221, "2.0.0 Bye") == "221 2.0.0 Bye\r\n");
}

TEST_CASE("the reply parser joins continuation lines and rejects what is not a reply", "[smtp]") {
  smtp::ReplyParser p;
  smtp::Reply r;
  CHECK(p.feed("250-first", r) == smtp::ReplyParser::Incomplete);
  CHECK(p.feed("250-SIZE 10", r) == smtp::ReplyParser::Incomplete);
  REQUIRE(p.feed("250 last", r) == smtp::ReplyParser::Complete);
  CHECK(r.code == 250);
  CHECK(r.lines == std::vector<std::string>{"first", "SIZE 10", "last"});
  CHECK(p.feed("354", r) == smtp::ReplyParser::Complete);
  CHECK(r.code == 354);
  CHECK(p.feed("250-a", r) == smtp::ReplyParser::Incomplete);
  CHECK(p.feed("251 b", r) == smtp::ReplyParser::Malformed);  // code changed mid-reply
  CHECK(p.feed("hello", r) == smtp::ReplyParser::Malformed);
  CHECK(p.feed("25", r) == smtp::ReplyParser::Malformed);
  CHECK(p.feed("250xyz", r) == smtp::ReplyParser::Malformed);
  CHECK(p.feed("650 no such class", r) == smtp::ReplyParser::Malformed);
}

TEST_CASE("dot-stuffing doubles a leading dot, ends with a lone dot and normalises line ends",
          "[smtp]") {
  CHECK(smtp::dot_stuff("a\r\n.hidden\r\n.\r\nb\r\n") == "a\r\n..hidden\r\n..\r\nb\r\n.\r\n");
  CHECK(smtp::dot_stuff("bare\nlf\n.x") == "bare\r\nlf\r\n..x\r\n.\r\n");
  CHECK(smtp::dot_stuff("") == ".\r\n");
  CHECK(smtp::dot_stuff("no final line end") == "no final line end\r\n.\r\n");
  CHECK(smtp::wire_size("a\n.b") == 7);  // "a\r\n.b\r\n": stuffing dots are not counted
}

TEST_CASE("MAIL and RCPT arguments give the address and the ESMTP parameters", "[smtp]") {
  auto p = smtp::parse_path_arg("FROM:<a@b.c> SIZE=123 body=8BITMIME", "FROM");
  REQUIRE(p);
  CHECK(p->address == "a@b.c");
  REQUIRE(p->params.size() == 2);
  CHECK(p->params[0] == std::pair<std::string, std::string>{"SIZE", "123"});
  CHECK(p->params[1] == std::pair<std::string, std::string>{"BODY", "8BITMIME"});
  CHECK(smtp::parse_path_arg("from: <>", "FROM")->address.empty());
  CHECK(smtp::parse_path_arg("TO:<@relay.example:bob@example.com>", "TO")->address ==
        "bob@example.com");
  CHECK_FALSE(smtp::parse_path_arg("FROM:a@b.c", "FROM"));
  CHECK_FALSE(smtp::parse_path_arg("TO:<a@b.c>", "FROM"));
  CHECK_FALSE(smtp::parse_path_arg("FROM:<a@b.c", "FROM"));
  CHECK_FALSE(smtp::parse_path_arg("FROM:<a@b.c>SIZE=1", "FROM"));
  CHECK_FALSE(smtp::parse_path_arg("FROM:<a@b.c> SIZE=", "FROM"));
  CHECK(smtp::valid_mailbox("alice@example.com"));
  CHECK_FALSE(smtp::valid_mailbox("alice"));
  CHECK_FALSE(smtp::valid_mailbox("@example.com"));
  CHECK_FALSE(smtp::valid_mailbox("a b@example.com"));
  CHECK_FALSE(smtp::valid_mailbox("a@b@c"));
}

// ---------------------------------------------------------------------------------------------
// Client and server together

SCENARIO("a submission client hands a message to the server, which delivers it locally and "
         "to the outside world", "[smtp]") {
  const std::string raw = message(
      "Hello Bob,\r\n.hidden line starting with a dot\r\n.\r\nThat was a lone dot.\r\n");
  const std::string expected =
      std::string("S: ") + kGreeting +
      "C: EHLO client.example.com\r\n"
      "S: " + kEhloReply +
      "C: " + kAliceLogin +
      "S: 235 2.7.0 Authentication successful\r\n"
      "C: MAIL FROM:<alice@example.com> SIZE=" + std::to_string(raw.size()) + "\r\n"
      "S: 250 2.1.0 Ok\r\n"
      "C: RCPT TO:<bob@example.com>\r\n"
      "S: 250 2.1.5 Ok\r\n"
      "C: RCPT TO:<carol@elsewhere.org>\r\n"
      "S: 250 2.1.5 Ok\r\n"
      "C: DATA\r\n"
      "S: 354 End data with <CR><LF>.<CR><LF>\r\n"
      "C: From: alice@example.com\r\nTo: bob@example.com\r\nSubject: Hi\r\n"
      "Message-ID: <1@example.com>\r\n\r\n"
      "Hello Bob,\r\n..hidden line starting with a dot\r\n..\r\nThat was a lone dot.\r\n.\r\n"
      "S: 250 2.0.0 Ok: queued\r\n"
      "C: QUIT\r\n"
      "S: 221 2.0.0 Bye\r\n";
  for (bool bytewise : {false, true}) {
    GIVEN((bytewise ? "bytes delivered one at a time" : "whole units")) {
      Fixture fx;
      SmtpServer server(fx.backend);
      SmtpClient client({"client.example.com", "alice", "secret"},
                        {{"alice@example.com", {"bob@example.com", "carol@elsewhere.org"}, raw}});
      WHEN("the engines talk") {
        std::string t = pump(client, server, bytewise);
        THEN("the conversation is exactly the RFC 5321 submission dialogue") {
          CHECK(t == expected);
          CHECK(client.state_name() == "DONE");
          CHECK(server.state_name() == "CLOSED");
          CHECK(client.wants_close());
          CHECK(server.wants_close());
        }
        THEN("bob's INBOX holds the message un-stuffed, byte for byte") {
          const Folder& in = fx.inbox("bob");
          REQUIRE(in.entries.size() == 1);
          CHECK(in.entries[0].body->raw == raw);
          CHECK(in.entries[0].internal_date == 42);
          CHECK(in.entries[0].body->message_id == "<1@example.com>");
        }
        THEN("the outside recipient's copy went to the Internet sink") {
          REQUIRE(fx.backend.outside.size() == 1);
          CHECK(fx.backend.outside[0].rcpts == std::vector<std::string>{"carol@elsewhere.org"});
          CHECK(fx.backend.outside[0].from == "alice@example.com");
          CHECK(fx.backend.outside[0].body->raw == raw);
        }
        THEN("the client reports the message sent and the session finished") {
          auto ev = client.take_events();
          CHECK(has_event(ev, EngineEvent::LoggedIn, "alice"));
          CHECK(has_event(ev, EngineEvent::Sent, "250 2.0.0 Ok: queued"));
          CHECK(has_event(ev, EngineEvent::Finished, "1 of 1 messages sent"));
          CHECK_FALSE(has_event(ev, EngineEvent::Error, ""));
          for (const auto& e : ev)
            if (e.kind == EngineEvent::Sent) CHECK(e.id == "<1@example.com>");
          CHECK(client.capabilities().pipelining);
          CHECK(client.capabilities().size_max == 10485760);
          CHECK(client.capabilities().auth == std::vector<std::string>{"PLAIN", "LOGIN"});
        }
        THEN("the server reports what it did") {
          auto ev = server.take_events();
          CHECK(has_event(ev, EngineEvent::LoggedIn, "alice authenticated"));
          CHECK(has_event(ev, EngineEvent::Note,
                          "message queued for bob@example.com, carol@elsewhere.org"));
          CHECK(has_event(ev, EngineEvent::StateChanged, "RCPT -> DATA"));
          CHECK(has_event(ev, EngineEvent::StateChanged, "READY -> CLOSED"));
        }
      }
    }
  }
}

SCENARIO("a client with two messages sends both in one session; a full mailbox refuses one",
         "[smtp]") {
  Fixture fx;
  fx.server.find("bob")->quota = 150;
  SmtpServer server(fx.backend);
  const std::string small = "Subject: s\r\nMessage-ID: <s@x>\r\n\r\nhi\r\n";
  const std::string big = message(std::string(200, 'x') + "\r\n");
  SmtpClient client({"client.example.com", "alice", "secret"},
                    {{"alice@example.com", {"bob@example.com"}, big},
                     {"alice@example.com", {"bob@example.com"}, small}});
  std::string t = pump(client, server, false);
  CHECK(t.find("C: RCPT TO:<bob@example.com>\r\nS: 552 5.2.2 <bob@example.com>: Mailbox full\r\n"
               "C: RSET\r\nS: 250 2.0.0 Ok\r\nC: MAIL FROM:<alice@example.com> SIZE=") !=
        std::string::npos);
  auto ev = client.take_events();
  CHECK(has_event(ev, EngineEvent::Error, "recipient <bob@example.com> rejected: 552 5.2.2"));
  CHECK(has_event(ev, EngineEvent::Sent, "queued"));
  CHECK(has_event(ev, EngineEvent::Finished, "1 of 2 messages sent"));
  REQUIRE(fx.inbox("bob").entries.size() == 1);
  CHECK(fx.inbox("bob").entries[0].body->raw == small);
  CHECK(client.sent_count() == 1);
}

// ---------------------------------------------------------------------------------------------
// Server against scripted bytes

SCENARIO("the server answers pipelined commands sent in one chunk, in order", "[smtp]") {
  const std::string input =
      std::string("EHLO client.example.com\r\n") + kAliceLogin +
      "MAIL FROM:<alice@example.com>\r\nRCPT TO:<bob@example.com>\r\n"
      "RCPT TO:<nobody@example.com>\r\nRCPT TO:<alice@example.com>\r\nDATA\r\n"
      "Subject: x\r\n\r\nbody\r\n.\r\nNOOP\r\nVRFY bob\r\nRSET\r\nQUIT\r\n";
  ServerRun r = serve(input);
  CHECK(r.output == std::string(kGreeting) + kEhloReply +
                        "235 2.7.0 Authentication successful\r\n"
                        "250 2.1.0 Ok\r\n"
                        "250 2.1.5 Ok\r\n"
                        "550 5.1.1 <nobody@example.com>: Recipient address rejected: User "
                        "unknown\r\n"
                        "250 2.1.5 Ok\r\n"
                        "354 End data with <CR><LF>.<CR><LF>\r\n"
                        "250 2.0.0 Ok: queued\r\n"
                        "250 2.0.0 Ok\r\n"
                        "252 2.5.2 Cannot VRFY user, but will accept message and attempt "
                        "delivery\r\n"
                        "250 2.0.0 Ok\r\n"
                        "221 2.0.0 Bye\r\n");
  CHECK(r.server->wants_close());
  CHECK(r.fx->inbox("bob").entries.size() == 1);
  CHECK(r.fx->inbox("alice").entries.size() == 1);
  CHECK(r.fx->inbox("bob").entries[0].body->raw == "Subject: x\r\n\r\nbody\r\n");
  CHECK(has_event(r.events, EngineEvent::Note, "rejected: unknown user nobody@example.com"));
}

SCENARIO("the server un-stuffs dots, keeps a lone-dot line and takes bare LF line ends",
         "[smtp]") {
  const std::string input = std::string("EHLO c\r\n") + kAliceLogin +
                            "MAIL FROM:<alice@example.com>\r\nRCPT TO:<bob@example.com>\r\n"
                            "DATA\r\n..\r\n...two\r\n.one\nplain\r\n.\r\n";
  ServerRun r = serve(input);
  REQUIRE(r.fx->inbox("bob").entries.size() == 1);
  CHECK(r.fx->inbox("bob").entries[0].body->raw == ".\r\n..two\r\none\r\nplain\r\n");
  CHECK(r.output.ends_with("354 End data with <CR><LF>.<CR><LF>\r\n250 2.0.0 Ok: queued\r\n"));
  CHECK(r.server->state_name() == "READY");
}

TEST_CASE("the server's sequence errors are 503 5.5.1", "[smtp]") {
  CHECK(serve("MAIL FROM:<alice@example.com>\r\n").output ==
        std::string(kGreeting) + "503 5.5.1 Error: send HELO/EHLO first\r\n");
  const std::string hello = std::string("EHLO c\r\n") + kAliceLogin;
  const std::string prefix = std::string(kGreeting) +
                             "250-mail.example.com Hello c\r\n250-PIPELINING\r\n"
                             "250-SIZE 10485760\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n"
                             "250 AUTH PLAIN LOGIN\r\n235 2.7.0 Authentication successful\r\n";
  CHECK(serve(hello + "RCPT TO:<bob@example.com>\r\n").output ==
        prefix + "503 5.5.1 Error: need MAIL command\r\n");
  CHECK(serve(hello + "DATA\r\n").output == prefix + "503 5.5.1 Error: need MAIL command\r\n");
  CHECK(serve(hello + "MAIL FROM:<a@b.c>\r\nDATA\r\n").output ==
        prefix + "250 2.1.0 Ok\r\n503 5.5.1 Error: need RCPT command\r\n");
  CHECK(serve(hello + "MAIL FROM:<a@b.c>\r\nMAIL FROM:<a@b.c>\r\n").output ==
        prefix + "250 2.1.0 Ok\r\n503 5.5.1 Error: nested MAIL command\r\n");
  CHECK(serve(hello + kAliceLogin).output ==
        prefix + "503 5.5.1 Error: already authenticated\r\n");
  CHECK(serve("HELO c\r\n" + std::string(kAliceLogin)).output ==
        std::string(kGreeting) + "250 mail.example.com\r\n503 5.5.1 Error: send EHLO first\r\n");
}

TEST_CASE("the server's syntax errors are 501 5.5.4 and unknown commands 500 or 502", "[smtp]") {
  const std::string hello = std::string("EHLO c\r\n") + kAliceLogin;
  auto last = [](const ServerRun& r) {
    auto pos = r.output.rfind("\r\n", r.output.size() - 3);
    return r.output.substr(pos + 2);
  };
  CHECK(last(serve("EHLO\r\n")) == "501 5.5.4 Syntax: EHLO hostname\r\n");
  CHECK(last(serve("HELO\r\n")) == "501 5.5.4 Syntax: HELO hostname\r\n");
  CHECK(last(serve(hello + "MAIL FROM:alice@example.com\r\n")) ==
        "501 5.5.4 Syntax: MAIL FROM:<address>\r\n");
  CHECK(last(serve(hello + "MAIL TO:<alice@example.com>\r\n")) ==
        "501 5.5.4 Syntax: MAIL FROM:<address>\r\n");
  CHECK(last(serve(hello + "MAIL FROM:<not an address>\r\n")) ==
        "501 5.1.7 Bad sender address syntax\r\n");
  CHECK(last(serve(hello + "MAIL FROM:<a@b.c> SIZE=abc\r\n")) ==
        "501 5.5.4 Syntax: SIZE=number\r\n");
  CHECK(last(serve(hello + "MAIL FROM:<a@b.c> BODY=BINARYMIME\r\n")) ==
        "501 5.5.4 Syntax: BODY=7BIT or BODY=8BITMIME\r\n");
  CHECK(last(serve(hello + "MAIL FROM:<a@b.c> FOO=1\r\n")) ==
        "555 5.5.4 Unsupported option: FOO\r\n");
  CHECK(last(serve(hello + "MAIL FROM:<a@b.c>\r\nRCPT TO:bob\r\n")) ==
        "501 5.5.4 Syntax: RCPT TO:<address>\r\n");
  CHECK(last(serve(hello + "MAIL FROM:<a@b.c>\r\nRCPT TO:<bob>\r\n")) ==
        "501 5.1.3 Bad recipient address syntax\r\n");
  CHECK(last(serve(hello + "MAIL FROM:<a@b.c>\r\nRCPT TO:<bob@example.com>\r\nDATA now\r\n")) ==
        "501 5.5.4 Syntax: DATA\r\n");
  CHECK(last(serve("RSET all\r\n")) == "501 5.5.4 Syntax: RSET\r\n");
  CHECK(last(serve("VRFY\r\n")) == "501 5.5.4 Syntax: VRFY address\r\n");
  CHECK(last(serve("\r\n")) == "500 5.5.2 Error: bad syntax\r\n");
  CHECK(last(serve("FROB\r\n")) == "500 5.5.1 Error: command not recognized\r\n");
  CHECK(last(serve("EXPN staff\r\n")) == "502 5.5.1 Error: command not implemented\r\n");
  CHECK(last(serve("STARTTLS\r\n")) == "502 5.5.1 Error: command not implemented\r\n");
  CHECK(last(serve("noop\r\n")) == "250 2.0.0 Ok\r\n");
  CHECK(last(serve("HELP\r\n")) ==
        "214 2.0.0 Commands: EHLO HELO AUTH MAIL RCPT DATA RSET VRFY HELP NOOP QUIT\r\n");
}

SCENARIO("the submission server requires AUTH before MAIL", "[smtp]") {
  ServerRun r = serve("EHLO c\r\nMAIL FROM:<alice@example.com>\r\n");
  CHECK(r.output.ends_with("250 AUTH PLAIN LOGIN\r\n530 5.7.0 Authentication required\r\n"));
}

SCENARIO("AUTH PLAIN works with the initial response or after a 334 challenge", "[smtp]") {
  const std::string ehlo = std::string(kGreeting) +
                           "250-mail.example.com Hello c\r\n250-PIPELINING\r\n"
                           "250-SIZE 10485760\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n"
                           "250 AUTH PLAIN LOGIN\r\n";
  WHEN("the credentials come after the challenge") {
    ServerRun r = serve("EHLO c\r\nAUTH PLAIN\r\nAGFsaWNlAHNlY3JldA==\r\n");
    CHECK(r.output == ehlo + "334 \r\n235 2.7.0 Authentication successful\r\n");
    CHECK(r.server->user() == "alice");
  }
  WHEN("the password is wrong") {
    ServerRun r = serve("EHLO c\r\nAUTH PLAIN AGFsaWNlAHdyb25n\r\n");
    CHECK(r.output == ehlo + "535 5.7.8 Authentication credentials invalid\r\n");
    CHECK(r.server->user().empty());
    CHECK(has_event(r.events, EngineEvent::Note, "rejected: bad credentials for alice"));
  }
  WHEN("the client cancels with *") {
    ServerRun r = serve("EHLO c\r\nAUTH PLAIN\r\n*\r\nNOOP\r\n");
    CHECK(r.output == ehlo + "334 \r\n501 5.7.0 Authentication aborted\r\n250 2.0.0 Ok\r\n");
  }
  WHEN("the response is not base64") {
    ServerRun r = serve("EHLO c\r\nAUTH PLAIN not-base64!\r\n");
    CHECK(r.output == ehlo + "501 5.5.2 Cannot decode response\r\n");
  }
  WHEN("the client asks to act as another user") {
    ServerRun r = serve("EHLO c\r\nAUTH PLAIN Ym9iAGFsaWNlAHNlY3JldA==\r\n");
    CHECK(r.output == ehlo + "535 5.7.8 Authentication credentials invalid\r\n");
  }
  WHEN("the mechanism is unknown") {
    ServerRun r = serve("EHLO c\r\nAUTH CRAM-MD5\r\n");
    CHECK(r.output == ehlo + "504 5.5.4 Unrecognized authentication type\r\n");
  }
  WHEN("AUTH LOGIN asks for the user name and the password in turn") {
    ServerRun r = serve("EHLO c\r\nAUTH LOGIN\r\nYWxpY2U=\r\nc2VjcmV0\r\n");
    CHECK(r.output == ehlo + "334 VXNlcm5hbWU6\r\n334 UGFzc3dvcmQ6\r\n"
                             "235 2.7.0 Authentication successful\r\n");
  }
}

SCENARIO("the server refuses messages over its SIZE limit, declared or actual", "[smtp]") {
  SmtpServerConfig cfg;
  cfg.max_message = 100;
  const std::string hello = std::string("EHLO c\r\n") + kAliceLogin;
  WHEN("the client declares a size over the limit") {
    ServerRun r = serve(hello + "MAIL FROM:<alice@example.com> SIZE=101\r\n", cfg);
    CHECK(r.output.ends_with("250 AUTH PLAIN LOGIN\r\n235 2.7.0 Authentication successful\r\n"
                             "552 5.3.4 Message size exceeds fixed maximum message size\r\n"));
    CHECK(r.output.find("250-SIZE 100\r\n") != std::string::npos);
  }
  WHEN("the data turns out bigger than the limit") {
    ServerRun r = serve(hello + "MAIL FROM:<alice@example.com>\r\nRCPT TO:<bob@example.com>\r\n"
                                "DATA\r\n" + std::string(60, 'a') + "\r\n" +
                            std::string(60, 'b') + "\r\n.\r\nNOOP\r\n",
                        cfg);
    CHECK(r.output.ends_with("354 End data with <CR><LF>.<CR><LF>\r\n"
                             "552 5.3.4 Message size exceeds fixed maximum message size\r\n"
                             "250 2.0.0 Ok\r\n"));
    CHECK(r.fx->inbox("bob").entries.empty());
    CHECK(r.server->state_name() == "READY");
  }
}

SCENARIO("a recipient whose mailbox is over quota is refused with 552 5.2.2", "[smtp]") {
  auto small_quota = [](Fixture& f) { f.server.find("bob")->quota = 50; };
  const std::string hello = std::string("EHLO c\r\n") + kAliceLogin;
  WHEN("the declared size does not fit") {
    ServerRun r = serve(hello + "MAIL FROM:<alice@example.com> SIZE=80\r\n"
                                "RCPT TO:<bob@example.com>\r\n",
                        {}, small_quota);
    CHECK(r.output.ends_with("250 2.1.0 Ok\r\n552 5.2.2 <bob@example.com>: Mailbox full\r\n"));
    CHECK(has_event(r.events, EngineEvent::Note, "rejected: mailbox full (bob@example.com)"));
  }
  WHEN("no size was declared and the data does not fit") {
    ServerRun r = serve(hello + "MAIL FROM:<alice@example.com>\r\nRCPT TO:<bob@example.com>\r\n"
                                "RCPT TO:<alice@example.com>\r\nDATA\r\n" +
                            std::string(80, 'z') + "\r\n.\r\n",
                        {}, small_quota);
    CHECK(r.output.ends_with("354 End data with <CR><LF>.<CR><LF>\r\n"
                             "552 5.2.2 <bob@example.com>: Mailbox full\r\n"));
    THEN("nobody gets a copy, so that a retry cannot duplicate it") {
      CHECK(r.fx->inbox("bob").entries.empty());
      CHECK(r.fx->inbox("alice").entries.empty());
    }
  }
}

SCENARIO("an MX server (not submission) takes local mail without AUTH and refuses to relay",
         "[smtp]") {
  SmtpServerConfig cfg;
  cfg.submission = false;
  ServerRun r = serve("HELO mx.elsewhere.org\r\nMAIL FROM:<carol@elsewhere.org>\r\n"
                      "RCPT TO:<dave@elsewhere.org>\r\nRCPT TO:<Bob@MAIL.example.com>\r\n"
                      "DATA\r\nSubject: hi\r\n\r\nyo\r\n.\r\n",
                      cfg);
  CHECK(r.output == std::string(kGreeting) +
                        "250 mail.example.com\r\n"
                        "250 2.1.0 Ok\r\n"
                        "550 5.7.1 <dave@elsewhere.org>: Relay access denied\r\n"
                        "250 2.1.5 Ok\r\n"
                        "354 End data with <CR><LF>.<CR><LF>\r\n"
                        "250 2.0.0 Ok: queued\r\n");
  CHECK(r.fx->inbox("bob").entries.size() == 1);
  CHECK(r.fx->backend.outside.empty());
}

SCENARIO("an over-long line is refused without holding it, and the session goes on", "[smtp]") {
  WHEN("a command line exceeds the limit") {
    ServerRun r = serve("NOOP " + std::string(5000, 'x') + "\r\nNOOP\r\n");
    CHECK(r.output == std::string(kGreeting) + "500 5.5.2 Error: line too long\r\n" +
                          "250 2.0.0 Ok\r\n");
  }
  WHEN("a peer sends a megabyte without any line end") {
    Fixture fx;
    SmtpServer s(fx.backend);
    std::string chunk(4096, 'y');
    for (int i = 0; i < 256; ++i) s.receive(chunk);
    s.receive("\r\nNOOP\r\n");
    CHECK(joined(s) == std::string(kGreeting) + "500 5.5.2 Error: line too long\r\n" +
                           "250 2.0.0 Ok\r\n");
  }
  WHEN("a data line exceeds the data line limit") {
    SmtpServerConfig cfg;
    cfg.max_data_line = 1000;
    ServerRun r = serve(std::string("EHLO c\r\n") + kAliceLogin +
                            "MAIL FROM:<alice@example.com>\r\nRCPT TO:<bob@example.com>\r\n"
                            "DATA\r\nshort\r\n" + std::string(1500, 'q') + "\r\n.\r\nNOOP\r\n",
                        cfg);
    CHECK(r.output.ends_with("354 End data with <CR><LF>.<CR><LF>\r\n"
                             "554 5.6.0 Error: message line too long\r\n250 2.0.0 Ok\r\n"));
    CHECK(r.fx->inbox("bob").entries.empty());
  }
}

SCENARIO("a peer that only produces errors is disconnected with 421", "[smtp]") {
  SmtpServerConfig cfg;
  cfg.max_errors = 3;
  ServerRun r = serve("A\r\nB\r\nC\r\nNOOP\r\n", cfg);
  CHECK(r.output == std::string(kGreeting) + "500 5.5.1 Error: command not recognized\r\n" +
                        "500 5.5.1 Error: command not recognized\r\n" +
                        "500 5.5.1 Error: command not recognized\r\n" +
                        "421 4.7.0 mail.example.com Error: too many errors\r\n");
  CHECK(r.server->wants_close());
}

SCENARIO("after QUIT the server ignores anything more", "[smtp]") {
  ServerRun r = serve("QUIT\r\nNOOP\r\n");
  CHECK(r.output == std::string(kGreeting) + "221 2.0.0 Bye\r\n");
  CHECK(r.server->state_name() == "CLOSED");
}

SCENARIO("a connection lost during DATA delivers nothing", "[smtp]") {
  Fixture fx;
  SmtpServer s(fx.backend);
  s.receive(std::string("EHLO c\r\n") + kAliceLogin +
            "MAIL FROM:<alice@example.com>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\nhalf\r\n");
  s.peer_closed();
  CHECK(fx.inbox("bob").entries.empty());
  CHECK(s.state_name() == "CLOSED");
  CHECK(has_event(s.take_events(), EngineEvent::Note, "unfinished message discarded"));
}

// ---------------------------------------------------------------------------------------------
// Client against scripted replies

namespace {
// Runs a scripted exchange whole and byte by byte; both must produce the same transcript.
std::string client_script(const SmtpClientConfig& cfg, const std::vector<SmtpOutgoing>& msgs,
                          const std::vector<std::string>& replies,
                          std::vector<EngineEvent>* events = nullptr) {
  SmtpClient a(cfg, msgs), b(cfg, msgs);
  std::string whole = drive_client(a, replies, false);
  std::string bytes = drive_client(b, replies, true);
  CHECK(whole == bytes);
  CHECK(a.state_name() == b.state_name());
  if (events) *events = a.take_events();
  return whole;
}
const SmtpClientConfig kAlice{"laptop.example.com", "alice", "secret"};
}  // namespace

SCENARIO("the client reads a multi-line EHLO reply in any fragmentation and submits", "[smtp]") {
  std::vector<EngineEvent> ev;
  std::string t = client_script(
      kAlice, {{"alice@example.com", {"bob@example.com"}, "Subject: t\n\n.\n..x\n"}},
      {"220 mx ESMTP\r\n",
       "250-mx Hello\r\n250-SIZE\r\n250-8BITMIME\r\n250 AUTH=PLAIN\r\n",
       "235 2.7.0 ok\r\n", "250 2.1.0 ok\r\n", "250 2.1.5 ok\r\n", "354 go\r\n",
       "250 2.0.0 queued as 7\r\n", "221 2.0.0 bye\r\n"},
      &ev);
  CHECK(t == "S: 220 mx ESMTP\r\n"
             "C: EHLO laptop.example.com\r\n"
             "S: 250-mx Hello\r\n250-SIZE\r\n250-8BITMIME\r\n250 AUTH=PLAIN\r\n"
             "C: AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n"
             "S: 235 2.7.0 ok\r\n"
             "C: MAIL FROM:<alice@example.com> SIZE=22\r\n"
             "S: 250 2.1.0 ok\r\n"
             "C: RCPT TO:<bob@example.com>\r\n"
             "S: 250 2.1.5 ok\r\n"
             "C: DATA\r\n"
             "S: 354 go\r\n"
             "C: Subject: t\r\n\r\n..\r\n...x\r\n.\r\n"
             "S: 250 2.0.0 queued as 7\r\n"
             "C: QUIT\r\n"
             "S: 221 2.0.0 bye\r\n");
  CHECK(has_event(ev, EngineEvent::Sent, "250 2.0.0 queued as 7"));
  CHECK(has_event(ev, EngineEvent::Finished, "1 of 1"));
}

SCENARIO("the client stops with QUIT when authentication fails", "[smtp]") {
  std::vector<EngineEvent> ev;
  std::string t = client_script(
      kAlice, {{"alice@example.com", {"bob@example.com"}, "x\r\n"}},
      {"220 mx\r\n", "250-mx\r\n250 AUTH PLAIN LOGIN\r\n",
       "535 5.7.8 Authentication credentials invalid\r\n", "221 2.0.0 Bye\r\n"},
      &ev);
  CHECK(t == "S: 220 mx\r\nC: EHLO laptop.example.com\r\n"
             "S: 250-mx\r\n250 AUTH PLAIN LOGIN\r\n"
             "C: AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n"
             "S: 535 5.7.8 Authentication credentials invalid\r\n"
             "C: QUIT\r\nS: 221 2.0.0 Bye\r\n");
  CHECK(has_event(ev, EngineEvent::Error,
                  "authentication failed: 535 5.7.8 Authentication credentials invalid"));
  CHECK(has_event(ev, EngineEvent::Finished, "0 of 1"));
}

SCENARIO("the client uses AUTH LOGIN when PLAIN is not offered, and HELO when EHLO fails",
         "[smtp]") {
  WHEN("only LOGIN is offered") {
    std::string t = client_script(kAlice, {},
                                  {"220 mx\r\n", "250-mx\r\n250 AUTH LOGIN\r\n",
                                   "334 VXNlcm5hbWU6\r\n", "334 UGFzc3dvcmQ6\r\n",
                                   "235 2.7.0 ok\r\n", "221 bye\r\n"});
    CHECK(t == "S: 220 mx\r\nC: EHLO laptop.example.com\r\nS: 250-mx\r\n250 AUTH LOGIN\r\n"
               "C: AUTH LOGIN\r\nS: 334 VXNlcm5hbWU6\r\nC: YWxpY2U=\r\n"
               "S: 334 UGFzc3dvcmQ6\r\nC: c2VjcmV0\r\nS: 235 2.7.0 ok\r\nC: QUIT\r\n"
               "S: 221 bye\r\n");
  }
  WHEN("the server does not know EHLO and the client has no credentials") {
    std::string t = client_script({"pc", "", ""}, {{"a@b.c", {"d@e.f"}, "hi\r\n"}},
                                  {"220 old\r\n", "500 what?\r\n", "250 old\r\n", "250 ok\r\n",
                                   "250 ok\r\n", "354 go\r\n", "250 ok\r\n", "221 bye\r\n"});
    CHECK(t == "S: 220 old\r\nC: EHLO pc\r\nS: 500 what?\r\nC: HELO pc\r\nS: 250 old\r\n"
               "C: MAIL FROM:<a@b.c>\r\nS: 250 ok\r\nC: RCPT TO:<d@e.f>\r\nS: 250 ok\r\n"
               "C: DATA\r\nS: 354 go\r\nC: hi\r\n.\r\nS: 250 ok\r\nC: QUIT\r\nS: 221 bye\r\n");
  }
}

SCENARIO("the client reports refused recipients and messages and carries on", "[smtp]") {
  std::vector<EngineEvent> ev;
  std::string t = client_script(
      {"pc", "", ""},
      {{"a@b.c", {"x@y.z", "bob@example.com"}, "one\r\n"}, {"a@b.c", {"x@y.z"}, "two\r\n"}},
      {"220 mx\r\n", "250 mx\r\n", "250 ok\r\n", "550 5.1.1 no such user\r\n", "250 ok\r\n",
       "354 go\r\n", "552 5.2.2 Mailbox full\r\n", "250 ok\r\n",
       "550 5.1.1 no such user\r\n", "250 2.0.0 ok\r\n", "221 bye\r\n"},
      &ev);
  CHECK(t == "S: 220 mx\r\nC: EHLO pc\r\nS: 250 mx\r\n"
             "C: MAIL FROM:<a@b.c>\r\nS: 250 ok\r\n"
             "C: RCPT TO:<x@y.z>\r\nS: 550 5.1.1 no such user\r\n"
             "C: RCPT TO:<bob@example.com>\r\nS: 250 ok\r\n"
             "C: DATA\r\nS: 354 go\r\nC: one\r\n.\r\nS: 552 5.2.2 Mailbox full\r\n"
             "C: MAIL FROM:<a@b.c>\r\nS: 250 ok\r\n"
             "C: RCPT TO:<x@y.z>\r\nS: 550 5.1.1 no such user\r\n"
             "C: RSET\r\nS: 250 2.0.0 ok\r\n"
             "C: QUIT\r\nS: 221 bye\r\n");
  CHECK(has_event(ev, EngineEvent::Error, "recipient <x@y.z> rejected: 550 5.1.1 no such user"));
  CHECK(has_event(ev, EngineEvent::Error, "message rejected: 552 5.2.2 Mailbox full"));
  CHECK(has_event(ev, EngineEvent::Error, "no recipient was accepted"));
  CHECK(has_event(ev, EngineEvent::Finished, "0 of 2"));
}

SCENARIO("the client does not send a message bigger than the server's SIZE", "[smtp]") {
  std::vector<EngineEvent> ev;
  std::string t = client_script(
      {"pc", "", ""}, {{"a@b.c", {"d@e.f"}, std::string(50, 'x') + "\r\n"}},
      {"220 mx\r\n", "250-mx\r\n250 SIZE 40\r\n", "221 bye\r\n"}, &ev);
  CHECK(t == "S: 220 mx\r\nC: EHLO pc\r\nS: 250-mx\r\n250 SIZE 40\r\nC: QUIT\r\nS: 221 bye\r\n");
  CHECK(has_event(ev, EngineEvent::Error, "message of 52 bytes is over the server's limit"));
}

SCENARIO("the client gives up on a refused greeting, a 421 or a malformed reply", "[smtp]") {
  std::vector<EngineEvent> ev;
  WHEN("the greeting is 554") {
    std::string t = client_script(kAlice, {}, {"554 go away\r\n", "221 bye\r\n"}, &ev);
    CHECK(t == "S: 554 go away\r\nC: QUIT\r\nS: 221 bye\r\n");
    CHECK(has_event(ev, EngineEvent::Error, "server refused the session: 554 go away"));
  }
  WHEN("the server closes with 421 mid-session") {
    std::string t = client_script(kAlice, {}, {"220 mx\r\n", "421 4.3.2 shutting down\r\n"}, &ev);
    CHECK(t == "S: 220 mx\r\nC: EHLO laptop.example.com\r\nS: 421 4.3.2 shutting down\r\n");
    CHECK(has_event(ev, EngineEvent::Error, "421 4.3.2 shutting down"));
    CHECK(has_event(ev, EngineEvent::Finished, ""));
  }
  WHEN("the server sends something that is not a reply") {
    SmtpClient c(kAlice, {});
    c.receive("HTTP/1.1 400 Bad Request\r\n");
    CHECK(c.state_name() == "DONE");
    CHECK(c.wants_close());
    CHECK_FALSE(c.has_output());
    CHECK(has_event(c.take_events(), EngineEvent::Error, "malformed reply"));
  }
  WHEN("the server sends an endless line") {
    SmtpClient c(kAlice, {});
    c.receive(std::string(10000, '2'));
    CHECK(c.state_name() == "DONE");
    CHECK(has_event(c.take_events(), EngineEvent::Error, "too long"));
  }
  WHEN("the connection drops before QUIT") {
    SmtpClient c(kAlice, {});
    c.receive("220 mx\r\n");
    c.peer_closed();
    auto e = c.take_events();
    CHECK(has_event(e, EngineEvent::Error, "closed the connection"));
    CHECK(has_event(e, EngineEvent::Finished, "connection closed"));
  }
}

SCENARIO("a large message arriving in one chunk is delivered intact", "[smtp]") {
  // 40,000 lines of 76 characters, as a base64 attachment would be: about 3 MB.
  std::string body;
  for (int i = 0; i < 40000; ++i)
    body += (i % 7 ? std::string(76, 'A') : "." + std::string(75, 'B')) + "\r\n";
  const std::string raw = message(body);
  Fixture fx;
  SmtpServer server(fx.backend);
  SmtpClient client({"pc", "alice", "secret"}, {{"alice@example.com", {"bob@example.com"}, raw}});
  pump(client, server, false);
  REQUIRE(fx.inbox("bob").entries.size() == 1);
  CHECK(fx.inbox("bob").entries[0].body->raw == raw);
  CHECK(client.sent_count() == 1);
}
