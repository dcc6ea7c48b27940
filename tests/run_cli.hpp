#pragma once
// Runs the mailscope-cli binary (MAILSCOPE_CLI) through the shell and captures its output and
// exit code, for tests that use the program as a user would.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace ms_test {

struct CliResult {
  int code;
  std::string out;
};

// `args` is passed through the shell; stderr is captured too unless `with_stderr` is false.
inline CliResult run_cli(const std::string& args, bool with_stderr = true) {
  std::string cmd = std::string(MAILSCOPE_CLI) + " " + args + (with_stderr ? " 2>&1" : "");
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return {-1, ""};
  std::string out;
  std::array<char, 4096> buf;
  while (std::size_t n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// Runs any shell command, capturing its stdout (add 2>&1 to the command for stderr too).
inline CliResult run_shell(const std::string& cmd) {
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return {-1, ""};
  std::string out;
  std::array<char, 4096> buf;
  while (std::size_t n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

}  // namespace ms_test
