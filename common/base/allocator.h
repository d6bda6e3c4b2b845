// The process's heap: which allocator serves it, and handing its freed memory back.
//
// morgue's programs link jemalloc (MORGUE_ALLOCATOR=jemalloc, the default) unless they are
// built with sanitizers or for fuzzing, which bring their own allocator; then glibc's
// malloc serves them. docs/INDEXING.md#the-allocator says why and what it bought.
#pragma once

#include <string_view>

namespace morgue {

// "jemalloc" or "glibc": the allocator this binary was built with.
std::string_view allocator_name();

// Called once by a program that indexes articles, before its threads start: asks the
// allocator to hand large freed blocks back to the system rather than keep them resident.
void tune_allocator_for_indexing();

// Hands freed memory that the allocator still holds back to the system, so that the
// process's footprint stays at the RAM budget after a flush or a merge frees its buffers.
void return_freed_memory();

}  // namespace morgue
