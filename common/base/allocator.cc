#include "common/base/allocator.h"

#if MORGUE_WITH_JEMALLOC
#include <jemalloc/jemalloc.h>
#else
#include <malloc.h>
#endif

#if MORGUE_WITH_JEMALLOC
// jemalloc reads this at start-up (before main; the MALLOC_CONF environment variable is
// read after it and may override it). Freed pages go back to the system after about a
// second rather than ten: an indexing process's buffers are freed in bulk at each flush,
// and the RAM budget is measured as the process's peak resident memory.
const char* malloc_conf = "dirty_decay_ms:1000,muzzy_decay_ms:0";
#endif

namespace morgue {

#if MORGUE_WITH_JEMALLOC

std::string_view allocator_name() { return "jemalloc"; }

void tune_allocator_for_indexing() {}

void return_freed_memory() {
  // "arena.<MALLCTL_ARENAS_ALL>.purge": every arena's unused dirty pages, at once. A
  // failure leaves them to the decay above, which returns them anyway.
  static constexpr char kPurgeAll[] = "arena.4096.purge";
  static_assert(MALLCTL_ARENAS_ALL == 4096, "kPurgeAll names MALLCTL_ARENAS_ALL");
  ::mallctl(kPurgeAll, nullptr, nullptr, nullptr, 0);
}

#else

std::string_view allocator_name() { return "glibc"; }

// glibc raises its mmap threshold (up to 32 MB) whenever a large block is freed; from then
// on big buffers come from the heap, and once freed their pages stay resident until a
// malloc_trim. A million-article build held 50–70 MB of freed heap that way in its final
// merge. Fixed thresholds (which turn the raising off) hand blocks of 256 KB or more back
// to the system when freed, and trim the heap's top beyond 1 MB.
void tune_allocator_for_indexing() {
  ::mallopt(M_MMAP_THRESHOLD, 256 << 10);
  ::mallopt(M_TRIM_THRESHOLD, 1 << 20);
}

// The inverter frees its buffer as millions of small blocks; glibc keeps freed memory
// resident unless it sits at the top of the heap.
void return_freed_memory() { ::malloc_trim(0); }

#endif

}  // namespace morgue
