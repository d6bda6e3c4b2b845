// Thread scheduling helpers: lowering one thread's priority leaves the others', is capped
// at the lowest, and is inherited by the threads it starts; a name shows in /proc.
#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <string>
#include <thread>

#include "common/base/thread.h"

using namespace morgue;

namespace {

// Not a nice value: getpriority() failed.
constexpr int kUnknownNice = 100;

// Called on the threads below, so it asserts nothing itself (Catch2's assertions are for
// the test's own thread): the tests check what it returns.
int nice_of_this_thread() {
  errno = 0;
  int nice = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
  return errno == 0 ? nice : kUnknownNice;
}

// Runs `body` on a thread of its own and returns what it returns.
template <class Body>
auto on_new_thread(Body body) {
  decltype(body()) result{};
  std::thread([&] { result = body(); }).join();
  return result;
}

}  // namespace

TEST_CASE("lower_thread_priority lowers the calling thread alone", "[base][thread]") {
  const int before = nice_of_this_thread();
  REQUIRE(before != kUnknownNice);
  const int lowered = on_new_thread([] {
    lower_thread_priority(3);
    return nice_of_this_thread();
  });
  CHECK(lowered == std::min(before + 3, kLowestThreadPriority));
  CHECK(nice_of_this_thread() == before);
}

TEST_CASE("lower_thread_priority stops at the lowest priority", "[base][thread]") {
  CHECK(on_new_thread([] {
          lower_thread_priority(100);
          return nice_of_this_thread();
        }) == kLowestThreadPriority);
  // Asking again, or for no steps or fewer, changes nothing.
  CHECK(on_new_thread([] {
          lower_thread_priority(kLowestThreadPriority);
          lower_thread_priority(1);
          lower_thread_priority(0);
          lower_thread_priority(-5);
          return nice_of_this_thread();
        }) == kLowestThreadPriority);
}

TEST_CASE("a thread started by a lowered thread inherits its priority", "[base][thread]") {
  const int before = nice_of_this_thread();
  REQUIRE(before != kUnknownNice);
  const int child = on_new_thread([] {
    lower_thread_priority(2);
    return on_new_thread([] { return nice_of_this_thread(); });
  });
  CHECK(child == std::min(before + 2, kLowestThreadPriority));
}

TEST_CASE("name_thread names the calling thread, cut to 15 bytes", "[base][thread]") {
  auto comm = [] {
    std::ifstream in("/proc/self/task/" + std::to_string(gettid()) + "/comm");
    std::string name;
    std::getline(in, name);
    return name;
  };
  CHECK(on_new_thread([&] {
          name_thread("morgue-test");
          return comm();
        }) == "morgue-test");
  CHECK(on_new_thread([&] {
          name_thread("morgue-a-rather-long-name");
          return comm();
        }) == "morgue-a-rather");
}
