// Runs the mailscope-cli binary as a user would and checks its output and exit codes.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>
#include <sys/wait.h>

namespace {
struct Result {
  int code;
  std::string out;
};
Result run(const std::string& args) {
  std::string cmd = std::string(MAILSCOPE_CLI) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  while (std::size_t n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}
std::string lesson(const char* id) {
  return std::string(MAILSCOPE_SOURCE_DIR) + "/lessons/" + id + ".json";
}
}  // namespace

SCENARIO("mailscope-cli run prints both transcripts and every expectation, and exits 0 when all pass") {
  Result r = run("run " + lesson("mail-storage"));
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("=== POP3 world: Where does my mail live? ==="));
  CHECK_THAT(r.out, Catch::Contains("=== IMAP world: Where does my mail live? ==="));
  CHECK_THAT(r.out, Catch::Contains("00:00:10.880  phone -> server  POP3  C: RETR 1"));
  CHECK_THAT(r.out, Catch::Contains("PASS  [IMAP] step 3 at 00:00:15.000: the phone shows three "
                                    "messages that reside on the server"));
  CHECK_THAT(r.out, Catch::EndsWith("8 passed, 0 failed\n"));
}

SCENARIO("mailscope-cli run accepts a lesson id and a seed, and --json prints the trace") {
  Result a = run("run mail-storage --seed 3 --json");
  CHECK(a.code == 0);
  CHECK_THAT(a.out, Catch::StartsWith("{\"world\":\"POP3\",\"lesson\":\"mail-storage\",\"seed\":3,"
                                      "\"checks\":[{\"step\":2,\"t\":10000000,\"time\":\"00:00:10.000\","
                                      "\"pass\":true,\"says\":\"before the phone checks, the server "
                                      "holds all three messages"));
  CHECK_THAT(a.out, Catch::Contains("\"kind\":\"wire\""));
  CHECK(run("run mail-storage --seed 3 --json").out == a.out);
}

SCENARIO("mailscope-cli rejects bad arguments with usage and a non-zero exit") {
  Result none = run("");
  CHECK(none.code == 2);
  CHECK_THAT(none.out, Catch::Contains("usage: mailscope-cli"));
  CHECK(run("frobnicate").code == 2);
  CHECK(run("run").code == 2);
  Result seed = run("run mail-storage --seed lots");
  CHECK(seed.code == 2);
  CHECK_THAT(seed.out, Catch::Contains("--seed needs a whole number, not 'lots'"));
  CHECK(run("run mail-storage --bogus").code == 2);
  CHECK(run("--help").code == 0);
}

SCENARIO("mailscope-cli names the file and position of a malformed lesson") {
  std::string path = "/tmp/mailscope-bad-lesson.json";
  std::ofstream(path) << "{\n  \"id\": \"x\",\n  \"title\": \"y\",\n  \"accounts\": [{\"name\": \"a\"}]\n}\n";
  Result r = run("run " + path);
  CHECK(r.code == 1);
  CHECK_THAT(r.out, Catch::Contains(path + ":4:16: field 'accounts.0': missing required field 'password'"));
  Result missing = run("run /nonexistent.json");
  CHECK(missing.code == 1);
  CHECK_THAT(missing.out, Catch::Contains("/nonexistent.json: cannot open lesson file"));
}

SCENARIO("mailscope-cli choose takes the provider, as the GUI chooser's fifth answer does") {
  const std::string customer =
      "choose --devices 2 --connection always --offline no --storage plenty";
  GIVEN("Microsoft 365 / Exchange") {
    Result r = run(customer + " --provider microsoft </dev/null");
    CHECK(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("provider microsoft\n\nRecommendation: Exchange account "
                                      "(else IMAP)\n  Microsoft 365 / Exchange: the usual answer "
                                      "is neither POP3 nor IMAP."));
  }
  GIVEN("Gmail") {
    Result r = run(customer + " --provider=gmail </dev/null");
    CHECK(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("provider gmail\n\nRecommendation: IMAP\n  Gmail: sign in "
                                      "with OAuth2"));
    CHECK_THAT(r.out, Catch::Contains("Do not save copies of sent messages"));
  }
  GIVEN("no provider, outside a terminal") {
    Result r = run(customer + " </dev/null");
    CHECK(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("provider other\n\nRecommendation: IMAP\n\nWhy"));
    CHECK_THAT(r.out, Catch::Contains("Store sent messages on the server (Sent folder)."));
  }
  GIVEN("a provider it does not know") {
    Result r = run(customer + " --provider yahoo");
    CHECK(r.code == 2);
    CHECK_THAT(r.out, Catch::Contains("--provider takes other, gmail or microsoft, not 'yahoo'"));
    CHECK_THAT(r.out, Catch::Contains("[--provider other|gmail|microsoft]"));
  }
  THEN("the program's help names the option") {
    CHECK_THAT(run("--help").out, Catch::Contains("[--provider other|gmail|microsoft]"));
  }
}
