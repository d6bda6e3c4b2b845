// The allocator the build chose, and return_freed_memory handing freed heap back.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <vector>

#include "common/base/allocator.h"

using namespace morgue;

#ifndef MORGUE_SANITIZED
namespace {

// The process's resident memory now, from /proc/self/statm (its second field, in pages).
uint64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  uint64_t size_pages = 0, resident_pages = 0;
  statm >> size_pages >> resident_pages;
  REQUIRE(statm);
  return resident_pages * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
}

}  // namespace
#endif

TEST_CASE("the allocator is the one the build configured", "[allocator]") {
#if MORGUE_WITH_JEMALLOC
  CHECK(allocator_name() == "jemalloc");
#else
  CHECK(allocator_name() == "glibc");
#endif
}

TEST_CASE("return_freed_memory hands freed small blocks back to the system", "[allocator]") {
#ifdef MORGUE_SANITIZED
  WARN("sanitizer build: its allocator keeps freed blocks in quarantine; not checked");
#else
  // 96 MiB in 1 KiB blocks, as the inverter allocates, written so that their pages are
  // resident; then all freed but every 256th, which pins the heap's top and leaves no page
  // whole at either end: neither glibc's automatic trim nor a mapping's unmap returns them.
  constexpr size_t kBlock = 1024, kBlocks = 96 * 1024;
  std::vector<std::unique_ptr<char[]>> blocks(kBlocks);
  for (auto& b : blocks) {
    b.reset(new char[kBlock]);
    std::memset(b.get(), 0x5a, kBlock);
  }
  const uint64_t holding = resident_bytes();
  for (size_t i = 0; i < kBlocks; ++i)
    if (i % 256 != 0) blocks[i].reset();
  return_freed_memory();
  const uint64_t after = resident_bytes();
  CAPTURE(holding, after);
  // 95.6 MiB were freed; at least 64 MiB of it must leave the process.
  CHECK(holding >= after + (uint64_t{64} << 20));
#endif
}
