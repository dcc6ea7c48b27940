// Live mode: starts `mailscope-cli serve` on free loopback ports and talks to it with real
// clients (curl, Python's poplib/imaplib/smtplib, fetchmail) and with hostile raw sockets.
// Every client runs under `timeout` and every socket read has a deadline, so a broken server
// fails a test instead of hanging it; the server is always killed at the end.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <sstream>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "live/live_client.hpp"
#include "proto/imap/imap_client.hpp"

namespace {

const std::string kLiveDir = std::string(MAILSCOPE_SOURCE_DIR) + "/tests/live/";

// A `mailscope-cli serve` process on ports picked by the system.
class Served {
 public:
  explicit Served(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{MAILSCOPE_CLI, "serve", "--imap-port", "0", "--pop3-port",
                                  "0", "--smtp-port", "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    int out[2];
    REQUIRE(pipe(out) == 0);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      dup2(out[1], 1);
      close(out[0]);
      close(out[1]);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    out_ = out[0];
    // The three "listening" lines come before the server accepts anything.
    std::string text;
    while (std::count(text.begin(), text.end(), '\n') < 3) {
      pollfd p{out_, POLLIN, 0};
      if (poll(&p, 1, 10000) <= 0) break;
      char buf[256];
      ssize_t n = read(out_, buf, sizeof buf);
      if (n <= 0) break;
      text.append(buf, static_cast<std::size_t>(n));
    }
    std::istringstream in(text);
    std::string word, proto, addr;
    while (in >> word >> proto >> addr) {
      REQUIRE(word == "listening");
      REQUIRE(addr.rfind("127.0.0.1:", 0) == 0);
      int port = std::stoi(addr.substr(10));
      (proto == "imap" ? imap : proto == "pop3" ? pop3 : smtp) = port;
    }
    REQUIRE(imap > 0);
    REQUIRE(pop3 > 0);
    REQUIRE(smtp > 0);
  }
  ~Served() { stop(); }
  Served(const Served&) = delete;
  Served& operator=(const Served&) = delete;

  bool running() { return pid_ > 0 && waitpid(pid_, &status_, WNOHANG) == 0; }
  // SIGTERM, then SIGKILL if it does not exit within 5 seconds; returns the exit code.
  int stop() {
    if (pid_ <= 0) return exit_;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 100; ++i) {
      if (waitpid(pid_, &status_, WNOHANG) == pid_) {
        pid_ = 0;
        break;
      }
      usleep(50000);
    }
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status_, 0);
      pid_ = 0;
    }
    close(out_);
    exit_ = WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
    return exit_;
  }
  // SIGKILL at once, as a crash would end it.
  void crash() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, &status_, 0);
    pid_ = 0;
    close(out_);
  }
  // Resident memory of the server in kB (0 if unknown).
  long rss_kb() const {
    std::ifstream f("/proc/" + std::to_string(pid_) + "/status");
    std::string line;
    while (std::getline(f, line))
      if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
    return 0;
  }

  int imap = 0, pop3 = 0, smtp = 0;

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  int status_ = 0;
  int exit_ = -1;
};

struct Result {
  int code;
  std::string out;
};
// Runs a shell command bounded to 60 seconds; stdout only unless the command redirects.
Result sh(const std::string& cmd) {
  std::string full = "timeout 60 " + cmd;
  FILE* p = popen(full.c_str(), "r");
  std::string out;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}
std::string py(const std::string& script, const std::string& args) {
  return "python3 " + kLiveDir + script + " " + args + " 2>&1";
}
void seed_two_messages(const Served& s) {
  Result r = sh(py("smtp_send.py", std::to_string(s.smtp) + " first second"));
  INFO(r.out);
  REQUIRE(r.code == 0);
}
std::string curl(const std::string& args) { return "curl -s -S --max-time 20 " + args; }

std::string temp_dir() {
  char tmpl[] = "/tmp/mailscope-live-XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  return tmpl;
}

// ---- raw sockets --------------------------------------------------------------------------

int dial(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  return fd;
}
void put(int fd, const std::string& s) {
  std::size_t off = 0;
  while (off < s.size()) {
    ssize_t n = send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return;  // the server may close on garbage; the caller checks what it got
    off += static_cast<std::size_t>(n);
  }
}
// One line including CRLF, or what arrived before EOF / the 10 s deadline.
std::string line(int fd) {
  std::string l;
  char c;
  while (l.size() < 100000 && recv(fd, &c, 1, 0) == 1) {
    l += c;
    if (c == '\n') break;
  }
  return l;
}
// Lines until one starts with `prefix` (an IMAP tag); returns that line.
std::string until(int fd, const std::string& prefix) {
  for (int i = 0; i < 100; ++i) {
    std::string l = line(fd);
    if (l.empty() || l.rfind(prefix, 0) == 0) return l;
  }
  return "";
}
bool closed_by_peer(int fd) {
  char c;
  return recv(fd, &c, 1, 0) == 0;
}
// A fresh POP3 session logs in: the server is still serving.
void pop3_still_serves(int port) {
  int fd = dial(port);
  CHECK(line(fd).rfind("+OK", 0) == 0);
  put(fd, "USER alice\r\n");
  CHECK(line(fd).rfind("+OK", 0) == 0);
  put(fd, "PASS secret\r\n");
  CHECK(line(fd).rfind("+OK", 0) == 0);
  put(fd, "QUIT\r\n");
  CHECK(line(fd).rfind("+OK", 0) == 0);
  close(fd);
}

}  // namespace

// ---- POP3 and SMTP: these must pass ---------------------------------------------------------

SCENARIO("curl lists, retrieves and deletes POP3 messages on the live server", "[live][pop3]") {
  Served s;
  seed_two_messages(s);
  std::string url = "pop3://127.0.0.1:" + std::to_string(s.pop3) + "/";
  Result list = sh(curl(url + " -u alice:secret"));
  CHECK(list.code == 0);
  std::istringstream in(list.out);
  std::string n1, n2, z1, z2;
  in >> n1 >> z1 >> n2 >> z2;
  CHECK(n1 == "1");
  CHECK(n2 == "2");
  Result retr = sh(curl(url + "1 -u alice:secret"));
  CHECK(retr.code == 0);
  CHECK_THAT(retr.out, Catch::Contains("Subject: first\r\n"));
  CHECK_THAT(retr.out, Catch::Contains("\r\n.starts with a dot\r\n"));
  CHECK(std::to_string(retr.out.size()) == z1);
  Result dele = sh(curl("-X DELE -I " + url + "1 -u alice:secret"));
  CHECK(dele.code == 0);
  Result after = sh(curl(url + " -u alice:secret"));
  CHECK(after.out == "1 " + z2 + "\r\n");
  CHECK(s.stop() == 0);
}

SCENARIO("Python's poplib runs a whole POP3 session against the live server", "[live][pop3]") {
  Served s;
  seed_two_messages(s);
  Result r = sh(py("pop3_session.py", std::to_string(s.pop3)));
  INFO(r.out);
  CHECK(r.code == 0);
  CHECK(r.out == "ok\n");
}

SCENARIO("fetchmail keeps messages on the live server and fetches them only once",
         "[live][pop3]") {
  Served s;
  seed_two_messages(s);
  std::string dir = temp_dir();
  const passwd* pw = getpwuid(getuid());
  REQUIRE(pw != nullptr);
  std::string rc = dir + "/fetchmailrc", mbox = dir + "/mbox";
  {
    std::ofstream f(rc);
    f << "poll 127.0.0.1 with proto POP3 service " << s.pop3
      << " user 'alice' there with password 'secret' is '" << pw->pw_name
      << "' here options keep no rewrite sslproto '' mda \"cat >> " << mbox << "\"\n";
  }
  chmod(rc.c_str(), 0600);
  // Run as root, fetchmail locks /var/run/fetchmail.pid whatever FETCHMAILHOME says: its own
  // lock file lets the two fetchmail tests run at the same time.
  std::string cmd = "env FETCHMAILHOME=" + dir + " fetchmail --pidfile " + dir +
                    "/fetchmail.pid -f " + rc + " >/dev/null 2>&1";
  WHEN("fetchmail runs twice with keep") {
    Result first = sh(cmd);
    Result second = sh(cmd);
    THEN("the first run delivers both, the second finds nothing new, the server keeps both") {
      CHECK(first.code == 0);
      CHECK(second.code == 1);  // fetchmail: no new mail
      std::ifstream m(mbox);
      std::string all((std::istreambuf_iterator<char>(m)), std::istreambuf_iterator<char>());
      CHECK_THAT(all, Catch::Contains("Subject: first"));
      CHECK_THAT(all, Catch::Contains("Subject: second"));
      Result list = sh(curl("pop3://127.0.0.1:" + std::to_string(s.pop3) + "/ -u alice:secret"));
      CHECK(std::count(list.out.begin(), list.out.end(), '\n') == 2);
    }
  }
  std::system(("rm -rf " + dir).c_str());
}

SCENARIO("fetchmail without keep downloads with TOP and deletes from the live server",
         "[live][pop3]") {
  Served s;
  seed_two_messages(s);
  std::string dir = temp_dir();
  const passwd* pw = getpwuid(getuid());
  REQUIRE(pw != nullptr);
  std::string rc = dir + "/fetchmailrc", mbox = dir + "/mbox";
  {
    std::ofstream f(rc);
    f << "poll 127.0.0.1 with proto POP3 service " << s.pop3
      << " user 'alice' there with password 'secret' is '" << pw->pw_name
      << "' here options no keep no rewrite sslproto '' mda \"cat >> " << mbox << "\"\n";
  }
  chmod(rc.c_str(), 0600);
  // Run as root, fetchmail locks /var/run/fetchmail.pid whatever FETCHMAILHOME says: its own
  // lock file lets the two fetchmail tests run at the same time.
  std::string cmd = "env FETCHMAILHOME=" + dir + " fetchmail --pidfile " + dir +
                    "/fetchmail.pid -f " + rc + " >/dev/null 2>&1";
  Result first = sh(cmd);
  CHECK(first.code == 0);
  std::ifstream m(mbox);
  std::string all((std::istreambuf_iterator<char>(m)), std::istreambuf_iterator<char>());
  CHECK_THAT(all, Catch::Contains("Subject: first"));
  CHECK_THAT(all, Catch::Contains("body of second"));
  Result list = sh(curl("pop3://127.0.0.1:" + std::to_string(s.pop3) + "/ -u alice:secret"));
  CHECK(list.code == 0);
  // No message lines (curl prints just the CRLF before the terminating dot).
  CHECK(list.out.find_first_of("0123456789") == std::string::npos);
  CHECK(sh(cmd).code == 1);
  std::system(("rm -rf " + dir).c_str());
}

SCENARIO("a lesson served live runs its script in real time", "[live][pop3]") {
  // mail-storage: Bob's message arrives at 0s through the simulated Internet relay; a real
  // POP3 client sees it a few milliseconds later (polled with a deadline, not a fixed wait).
  Served s({"--lesson", "mail-storage", "--world", "imap"});
  std::string url = "pop3://127.0.0.1:" + std::to_string(s.pop3) + "/1 -u alice:secret";
  Result r{};
  for (int i = 0; i < 50; ++i) {
    r = sh(curl(url) + " 2>/dev/null");
    if (r.code == 0) break;
    usleep(100000);
  }
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("Subject: Lunch on Friday?"));
}

SCENARIO("the live server records live sessions in the trace and exits 0 on SIGTERM",
         "[live][pop3]") {
  std::string dir = temp_dir();
  std::string file = dir + "/trace.jsonl";
  Served s({"--save-trace", file});
  int fd = dial(s.pop3);
  CHECK(line(fd).rfind("+OK", 0) == 0);
  put(fd, "USER alice\r\n");
  CHECK(line(fd) == "+OK send PASS\r\n");
  // An IMAP session still open at shutdown gets a BYE.
  int imap = dial(s.imap);
  CHECK(line(imap).rfind("* OK ", 0) == 0);
  put(fd, "QUIT\r\n");
  CHECK(line(fd).rfind("+OK", 0) == 0);
  close(fd);
  CHECK(s.stop() == 0);
  CHECK(line(imap) == "* BYE Server shutting down\r\n");
  close(imap);
  std::ifstream f(file);
  std::string all((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  CHECK_THAT(all, Catch::Contains(R"("kind":"device","actor":"127.0.0.1:)") &&
                      Catch::Contains(R"(,"text":"added")"));
  CHECK_THAT(all, Catch::Contains(R"("proto":"POP3","conn":1,"bytes":"USER alice\r\n"})"));
  CHECK_THAT(all, Catch::Contains(R"("bytes":"* BYE Server shutting down\r\n"})"));
  std::system(("rm -rf " + dir).c_str());
}

// ---- hostile input --------------------------------------------------------------------------

SCENARIO("a 100 KB line gets an error reply and the server keeps serving others", "[live]") {
  Served s;
  int fd = dial(s.pop3);
  CHECK(line(fd).rfind("+OK", 0) == 0);
  put(fd, std::string(100000, 'X') + "\r\n");
  CHECK(line(fd).rfind("-ERR", 0) == 0);
  close(fd);
  int smtp = dial(s.smtp);
  CHECK(line(smtp).rfind("220 ", 0) == 0);
  put(smtp, "EHLO " + std::string(100000, 'x') + "\r\n");
  CHECK(line(smtp).rfind("500 5.5.2", 0) == 0);
  close(smtp);
  int imap = dial(s.imap);
  CHECK(line(imap).rfind("* OK", 0) == 0);
  put(imap, "a1 NOOP " + std::string(100000, 'x') + "\r\na2 NOOP\r\n");
  std::string bad = line(imap);
  INFO(bad);
  CHECK((bad.rfind("a1 BAD", 0) == 0 || bad.rfind("* BAD", 0) == 0));
  CHECK(until(imap, "a2 ") == "a2 OK NOOP completed\r\n");
  close(imap);
  pop3_still_serves(s.pop3);
  CHECK(s.running());
}

SCENARIO("a 4 GB literal announcement is refused without allocating it", "[live][imap]") {
  Served s;
  int fd = dial(s.imap);
  CHECK(line(fd).rfind("* OK", 0) == 0);
  put(fd, "a1 LOGIN alice secret\r\n");
  CHECK(until(fd, "a1 ").rfind("a1 OK", 0) == 0);
  put(fd, "a2 APPEND INBOX {4294967296}\r\n");
  std::string reply = until(fd, "a2 ");
  INFO(reply);
  CHECK((reply.rfind("a2 NO", 0) == 0 || reply.rfind("a2 BAD", 0) == 0));
  CHECK(s.rss_kb() < 256 * 1024);
  close(fd);
  pop3_still_serves(s.pop3);
  CHECK(s.running());
}

SCENARIO("binary garbage on every port neither crashes nor stops the server", "[live]") {
  Served s;
  std::string junk;
  std::uint32_t x = 12345;
  for (int i = 0; i < 65536; ++i) {
    x = x * 1103515245u + 12345u;
    junk += static_cast<char>(x >> 24);
  }
  for (int port : {s.imap, s.pop3, s.smtp}) {
    int fd = dial(port);
    CHECK(!line(fd).empty());  // greeting
    put(fd, junk);
    close(fd);
  }
  int imap = dial(s.imap);
  CHECK(line(imap).rfind("* OK", 0) == 0);
  close(imap);
  int smtp = dial(s.smtp);
  CHECK(line(smtp).rfind("220 ", 0) == 0);
  close(smtp);
  pop3_still_serves(s.pop3);
  CHECK(s.running());
}

SCENARIO("over the connection limit a client gets the protocol's busy reply", "[live]") {
  Served s({"--max-connections", "1"});
  int first = dial(s.pop3);
  CHECK(line(first).rfind("+OK", 0) == 0);
  int pop3 = dial(s.pop3);
  CHECK(line(pop3) == "-ERR [SYS/TEMP] too many connections\r\n");
  CHECK(closed_by_peer(pop3));
  int imap = dial(s.imap);
  CHECK(line(imap) == "* BYE Too many connections\r\n");
  CHECK(closed_by_peer(imap));
  int smtp = dial(s.smtp);
  CHECK(line(smtp) == "421 4.7.0 mail.example.com Too many connections, try again later\r\n");
  CHECK(closed_by_peer(smtp));
  for (int fd : {first, pop3, imap, smtp}) close(fd);
}

SCENARIO("mailscope-cli serve refuses an account without a password and a public address",
         "[live]") {
  std::string cli = std::string(MAILSCOPE_CLI) + " serve --imap-port 0 --pop3-port 0 "
                                                 "--smtp-port 0 ";
  Result empty = sh(cli + "--account alice: 2>&1");
  CHECK(empty.code == 2);
  CHECK_THAT(empty.out, Catch::Contains("--account needs NAME:PASSWORD"));
  CHECK(sh(cli + "--account alice 2>&1").code == 2);
  CHECK(sh(cli + "--account :secret 2>&1").code == 2);
  Result pub = sh(cli + "--bind 0.0.0.0 2>&1");
  CHECK(pub.code == 2);
  CHECK_THAT(pub.out, Catch::Contains("--i-know-this-is-not-loopback"));
  CHECK(sh(cli + "--bind nowhere 2>&1").code == 2);
  CHECK(sh(cli + "--imap-port 70000 2>&1").code == 2);
}

// ---- IMAP with real clients -----------------------------------------------------------------

SCENARIO("smtplib submits a message that imaplib then finds in INBOX", "[live][imap][smtp]") {
  Served s;
  Result r = sh(py("imap_after_smtp.py", std::to_string(s.imap) + " " + std::to_string(s.smtp)));
  INFO(r.out);
  CHECK(r.code == 0);
  CHECK(r.out == "ok\n");
}

SCENARIO("Python's imaplib runs a whole IMAP session against the live server",
         "[live][imap]") {
  Served s;
  seed_two_messages(s);
  Result r = sh(py("imap_session.py", std::to_string(s.imap)));
  INFO(r.out);
  CHECK(r.code == 0);
  CHECK(r.out == "ok\n");
}

SCENARIO("serve streams the trace to --save-trace as it grows, so a crash loses nothing",
         "[live][pop3]") {
  std::string dir = temp_dir();
  std::string file = dir + "/trace.jsonl";
  auto saved = [&] {
    std::ifstream f(file);
    return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  };
  Served s({"--save-trace", file});
  int fd = dial(s.pop3);
  CHECK(line(fd).rfind("+OK", 0) == 0);
  put(fd, "USER alice\r\n");
  CHECK(line(fd) == "+OK send PASS\r\n");
  // Once the reply has arrived, the server has recorded both units: they are in the file.
  const std::string before = saved();
  CHECK_THAT(before, Catch::Contains(R"("proto":"POP3","conn":1,"bytes":"USER alice\r\n"})"));
  CHECK_THAT(before, Catch::Contains(R"("proto":"POP3","conn":1,"bytes":"+OK send PASS\r\n"})"));
  s.crash();
  close(fd);
  const std::string after = saved();
  CHECK(after == before);
  // Every line is a whole record, numbered from 0 without a gap.
  std::istringstream lines(after);
  std::size_t n = 0;
  for (std::string l; std::getline(lines, l); ++n)
    CHECK(l.rfind("{\"i\":" + std::to_string(n) + ",", 0) == 0);
  CHECK(n >= 4);
  std::system(("rm -rf " + dir).c_str());
}

SCENARIO("serve refuses a --save-trace file it cannot write before it listens", "[live]") {
  Result r = sh(std::string(MAILSCOPE_CLI) +
                " serve --imap-port 0 --pop3-port 0 --smtp-port 0 --save-trace "
                "/nonexistent-dir/trace.jsonl 2>&1");
  CHECK(r.code == 1);
  CHECK(r.out ==
        "mailscope-cli: cannot write /nonexistent-dir/trace.jsonl: No such file or directory\n");
}

SCENARIO("a real client that names itself with IMAP ID is named by it in the saved trace",
         "[live][imap]") {
  std::string dir = temp_dir();
  std::string file = dir + "/trace.jsonl";
  Served s({"--save-trace", file});
  seed_two_messages(s);
  Result r = sh(py("imap_id.py", std::to_string(s.imap) + " pytest"));
  INFO(r.out);
  CHECK(r.code == 0);
  CHECK(r.out == "ok\n");
  CHECK(s.stop() == 0);
  std::ifstream f(file);
  std::string all((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  // The connection's actor stays its address; one device record gives it the client's name,
  // right after the server's note of the ID.
  // (Found with find, not a regex over the whole file: libstdc++'s std::regex recurses per
  // character and overflows the stack on a trace this long under AddressSanitizer.)
  const std::string id_text =
      "\"text\":\"client ID: name=pytest\",\"event\":\"client-identified\",\"name\":\"pytest\"}\n";
  const std::size_t at = all.find(id_text);
  REQUIRE(at != std::string::npos);
  const std::size_t line0 = all.rfind('\n', at) + 1;  // npos + 1 == 0: the first line
  const std::string id_line = all.substr(line0, at + id_text.size() - line0);
  CHECK_THAT(id_line, Catch::Contains("\"kind\":\"event\",\"actor\":\"server\",\"proto\":\"IMAP\","
                                      "\"conn\":"));
  const std::size_t next0 = at + id_text.size();
  const std::string next = all.substr(next0, all.find('\n', next0) - next0);
  CHECK_THAT(next, Catch::Contains("\"kind\":\"device\",\"actor\":\"127.0.0.1:") &&
                       Catch::Contains("\"proto\":\"IMAP\",\"conn\":") &&
                       Catch::EndsWith("\"text\":\"renamed\",\"change\":\"renamed\",\"name\":\"pytest\"}"));
  // The smtplib session that seeded the mail said nothing about itself: it keeps its address.
  std::size_t renames = 0;
  for (std::size_t p = all.find("\"change\":\"renamed\""); p != std::string::npos;
       p = all.find("\"change\":\"renamed\"", p + 1))
    ++renames;
  CHECK(renames == 1);
  std::system(("rm -rf " + dir).c_str());
}

// curl logs in with AUTHENTICATE PLAIN and SASL-IR (RFC 3501 section 6.2.2, RFC 4959).
SCENARIO("curl lists, fetches, flags, searches and appends over IMAP on the live server",
         "[live][imap]") {
  Served s;
  seed_two_messages(s);
  std::string base = "imap://127.0.0.1:" + std::to_string(s.imap) + "/";
  Result list = sh(curl(base + " -u alice:secret"));
  CHECK(list.code == 0);
  CHECK_THAT(list.out, Catch::Contains("INBOX"));
  Result fetch = sh(curl("'" + base + "INBOX;UID=1' -u alice:secret"));
  CHECK(fetch.code == 0);
  CHECK_THAT(fetch.out, Catch::Contains("Subject: first"));
  Result flag = sh(curl("-X 'UID STORE 1 +FLAGS (\\Flagged)' " + base + "INBOX -u alice:secret"));
  CHECK(flag.code == 0);
  CHECK_THAT(flag.out, Catch::Contains("\\Flagged"));
  Result search = sh(curl("'" + base + "INBOX?SUBJECT%20second' -u alice:secret"));
  CHECK(search.code == 0);
  CHECK(search.out == "* SEARCH 2\r\n");
  std::string dir = temp_dir();
  {
    std::ofstream f(dir + "/msg.eml", std::ios::binary);
    f << "From: alice@mail.example.com\r\nSubject: appended by curl\r\n\r\nhello\r\n";
  }
  Result append = sh(curl("-T " + dir + "/msg.eml " + base + "INBOX -u alice:secret"));
  CHECK(append.code == 0);
  Result got = sh(curl("'" + base + "INBOX;UID=3' -u alice:secret"));
  CHECK_THAT(got.out, Catch::Contains("Subject: appended by curl"));
  std::system(("rm -rf " + dir).c_str());
}

SCENARIO("an idle session is closed: IMAP with a BYE, SMTP with 421, POP3 silently", "[live]") {
  Served s({"--idle-timeout", "1"});
  int imap = dial(s.imap), pop3 = dial(s.pop3), smtp = dial(s.smtp);
  CHECK(line(imap).rfind("* OK", 0) == 0);
  CHECK(line(pop3).rfind("+OK", 0) == 0);
  CHECK(line(smtp).rfind("220 ", 0) == 0);
  // Each read below waits (up to its 10 s deadline) for the server to give up on the client.
  CHECK(line(imap) == "* BYE Autologout; idle for too long\r\n");
  CHECK(closed_by_peer(imap));
  CHECK(line(smtp) == "421 4.4.2 mail.example.com Idle for too long\r\n");
  CHECK(closed_by_peer(smtp));
  CHECK(closed_by_peer(pop3));
  for (int fd : {imap, pop3, smtp}) close(fd);
  pop3_still_serves(s.pop3);
}

// IDLE (RFC 2177): mail arriving in the simulation (here: submitted over SMTP) reaches the
// IDLEing client without a command.
SCENARIO("new mail reaches an IDLEing real IMAP client at once", "[live][imap]") {
  Served s;
  int fd = dial(s.imap);
  CHECK(line(fd).rfind("* OK", 0) == 0);
  put(fd, "a1 LOGIN alice secret\r\n");
  CHECK(until(fd, "a1 ").rfind("a1 OK", 0) == 0);
  put(fd, "a2 SELECT INBOX\r\n");
  CHECK(until(fd, "a2 ").rfind("a2 OK", 0) == 0);
  put(fd, "a3 IDLE\r\n");
  REQUIRE(line(fd).rfind("+ ", 0) == 0);
  Result r = sh(py("smtp_send.py", std::to_string(s.smtp) + " pushed"));
  CHECK(r.code == 0);
  CHECK(line(fd) == "* 1 EXISTS\r\n");
  put(fd, "DONE\r\n");
  CHECK(until(fd, "a3 ").rfind("a3 OK", 0) == 0);
  close(fd);
}

// ---- connect-out: the simulated client engines against a real Dovecot ----------------------

namespace {
int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}
bool accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  close(fd);
  return ok;
}
// A throwaway Dovecot (it needs root to start) with alice/secret and two messages.
struct Dovecot {
  Dovecot() : dir(temp_dir()), imap(free_port()), pop3(free_port()) {
    Result r = sh(kLiveDir + "dovecot_up.sh " + dir + " " + std::to_string(imap) + " " +
                  std::to_string(pop3) + " 2>&1");
    INFO(r.out);
    REQUIRE(r.code == 0);
    // In the foreground, as our child, so that the destructor can stop and reap it.
    pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      int null = open("/dev/null", O_RDWR);
      dup2(null, 0);
      dup2(null, 1);
      dup2(null, 2);
      std::string conf = dir + "/dovecot.conf";
      execlp("dovecot", "dovecot", "-F", "-c", conf.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 100 && !(accepts(imap) && accepts(pop3)); ++i) usleep(50000);
  }
  ~Dovecot() {
    kill(pid, SIGTERM);
    int status = 0;
    for (int i = 0; i < 100 && waitpid(pid, &status, WNOHANG) == 0; ++i) usleep(50000);
    if (waitpid(pid, &status, WNOHANG) == 0) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
    }
    std::system(("rm -rf " + dir).c_str());
  }
  std::string dir;
  int imap, pop3;
  pid_t pid = -1;
};
std::string fetch(const std::string& args) {
  return std::string(MAILSCOPE_CLI) + " fetch " + args + " --user alice --password secret";
}
}  // namespace

SCENARIO("the simulated POP3 and IMAP client engines fetch mail from a real Dovecot",
         "[live][dovecot]") {
  Dovecot d;
  std::string imap = "127.0.0.1:" + std::to_string(d.imap);
  std::string pop3 = "127.0.0.1:" + std::to_string(d.pop3);
  Result sync = sh(fetch("--imap " + imap));
  INFO(sync.out);
  CHECK(sync.code == 0);
  CHECK_THAT(sync.out,
             Catch::Contains("mailscope -> server  IMAP  C: A1 LOGIN \"alice\" \"secret\""));
  CHECK_THAT(sync.out, Catch::Contains("server -> mailscope  IMAP  S: Subject: dovecot 2"));
  CHECK_THAT(sync.out, Catch::EndsWith("downloaded 2 message(s)\n"));
  Result keep = sh(fetch("--pop3 " + pop3 + " --keep"));
  CHECK(keep.code == 0);
  CHECK_THAT(keep.out, Catch::Contains("C: UIDL"));
  CHECK_THAT(keep.out, Catch::EndsWith("downloaded 2 message(s)\n"));
  Result take = sh(fetch("--pop3 " + pop3));
  CHECK(take.code == 0);
  CHECK_THAT(take.out, Catch::Contains("C: DELE 2"));
  CHECK_THAT(take.out, Catch::EndsWith("downloaded 2 message(s)\n"));
  Result empty = sh(fetch("--pop3 " + pop3));
  CHECK(empty.code == 0);
  CHECK_THAT(empty.out, Catch::Contains("S: +OK 0 0"));
  CHECK_THAT(empty.out, Catch::EndsWith("downloaded 0 message(s)\n"));
}

// RFC 7162 section 3.2.5 against a production server: the device's second session tells
// Dovecot what it holds (UIDVALIDITY, HIGHESTMODSEQ, known UIDs) and hears only the changes made
// meanwhile by another client, ending with the same mailbox a full listing would give.
SCENARIO("the simulated IMAP client resynchronises from a real Dovecot with QRESYNC",
         "[live][dovecot][qresync]") {
  Dovecot d;
  auto session = [&](const ms::ImapPlan& plan, ms::World& w) {
    ms::LiveClientResult r = ms::run_live_client(w, "mailscope", ms::Proto::IMAP, "127.0.0.1",
                                                 d.imap, std::make_unique<ms::ImapClient>(plan));
    INFO(r.error);
    REQUIRE(r.connected);
    REQUIRE(r.finished);
    return r.events;
  };
  auto wire = [](const ms::World& w) {
    std::string all;
    for (const auto& rec : w.trace().records())
      if (rec.kind == ms::RecKind::Wire) all += rec.text;
    return all;
  };
  ms::ImapPlan plan;
  plan.user = "alice";
  plan.pass = "secret";
  plan.mailboxes.push_back({});

  // First session: a new device downloads both messages and remembers the mailbox's state.
  ms::World w1("live", ms::Proto::IMAP, 1);
  ms::ImapMailboxPlan& inbox = plan.mailboxes[0];
  for (const auto& e : session(plan, w1)) {
    if (e.kind == ms::EngineEvent::MailboxSelected) inbox.uidvalidity = e.uid;
    if (e.kind == ms::EngineEvent::MailboxSynced) inbox.highestmodseq = e.aux;
    if (e.kind == ms::EngineEvent::MessageDownloaded || e.kind == ms::EngineEvent::FlagsSeen)
      inbox.known[e.uid] = e.flags;
  }
  REQUIRE(inbox.uidvalidity != 0);
  REQUIRE(inbox.highestmodseq != 0);
  REQUIRE(inbox.known.size() == 2);
  CHECK(inbox.known.count(1));
  CHECK(inbox.known.count(2));

  // Meanwhile another client reads message 1 and deletes message 2.
  int fd = dial(d.imap);
  line(fd);
  put(fd, "x1 LOGIN alice secret\r\n");
  CHECK_THAT(until(fd, "x1 "), Catch::StartsWith("x1 OK"));
  put(fd, "x2 SELECT INBOX\r\nx3 UID STORE 1 +FLAGS (\\Seen)\r\n"
          "x4 UID STORE 2 +FLAGS (\\Deleted)\r\nx5 EXPUNGE\r\n");
  CHECK_THAT(until(fd, "x5 "), Catch::StartsWith("x5 OK"));
  put(fd, "x6 LOGOUT\r\n");
  until(fd, "x6 ");
  close(fd);

  // Second session: QRESYNC, not a full listing.
  ms::World w2("live", ms::Proto::IMAP, 1);
  std::vector<ms::EngineEvent> ev = session(plan, w2);
  const std::string bytes = wire(w2);
  INFO(bytes);
  CHECK_THAT(bytes, Catch::Contains("ENABLE QRESYNC\r\n"));
  CHECK_THAT(bytes, Catch::Contains("SELECT \"INBOX\" (QRESYNC (" +
                                    std::to_string(inbox.uidvalidity) + " " +
                                    std::to_string(inbox.highestmodseq) + " 1:2))\r\n"));
  CHECK_THAT(bytes, Catch::Contains("* VANISHED (EARLIER) 2\r\n"));
  CHECK_THAT(bytes, !Catch::Contains("UID FETCH 1:* (FLAGS)\r\n"));
  bool gone2 = false, read1 = false, downloaded = false;
  for (const auto& e : ev) {
    gone2 |= e.kind == ms::EngineEvent::MessageExpunged && e.uid == 2;
    read1 |= e.kind == ms::EngineEvent::FlagsSeen && e.uid == 1 && e.flags.has(ms::kSeen);
    downloaded |= e.kind == ms::EngineEvent::MessageDownloaded;
  }
  CHECK(gone2);
  CHECK(read1);
  CHECK_FALSE(downloaded);
}

SCENARIO("mailscope-cli fetch fails cleanly when nothing listens or the password is wrong",
         "[live]") {
  Served s;
  int unused = free_port();
  Result none = sh(fetch("--pop3 127.0.0.1:" + std::to_string(unused)) + " 2>&1");
  CHECK(none.code == 1);
  CHECK_THAT(none.out, Catch::Contains("cannot connect to 127.0.0.1:" + std::to_string(unused)));
  Result bad = sh(std::string(MAILSCOPE_CLI) + " fetch --pop3 127.0.0.1:" +
                  std::to_string(s.pop3) + " --user alice --password wrong 2>&1");
  CHECK(bad.code == 1);
  CHECK_THAT(bad.out, Catch::Contains("C: PASS wrong"));
  CHECK_THAT(bad.out, Catch::Contains("S: -ERR"));
  CHECK(sh(std::string(MAILSCOPE_CLI) + " fetch --pop3 10.1.2.3:110 --user a --password b 2>&1")
            .code == 2);
}
