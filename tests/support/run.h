// Runs one of the project's programs as a user would, capturing its output and exit code.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace morgue::testing {

struct RunResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr, interleaved
};

// `command` is passed to /bin/sh; programs are named by their path in the build tree.
inline RunResult run(const std::string& command) {
  RunResult r;
  std::FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) r.output.append(buffer.data(), n);
  int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline std::string morgue_index() { return std::string(MORGUE_BINARY_DIR) + "/indexer/morgue-index"; }
inline std::string morgue_query() { return std::string(MORGUE_BINARY_DIR) + "/query/morgue-query"; }

}  // namespace morgue::testing
