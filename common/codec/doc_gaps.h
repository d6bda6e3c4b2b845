// Document gaps to document numbers, in place, for a decoded postings block.
// Layout of the gaps: docs/FORMAT.md#postings (each gap is the distance to the previous
// document minus one, so consecutive documents have gap 0).
#pragma once

#include <cstddef>
#include <cstdint>

namespace morgue {

// Rewrites values[0..n) from gaps to document numbers: values[i] becomes
// first + i + values[0] + ... + values[i], for n ≥ 1. Returns the last number computed in
// 64 bits. The caller checks it against its document count: when it fits
// in a u32, no number wrapped and the numbers rise strictly; otherwise values[] holds
// the numbers modulo 2^32 and must not be used. SSE2 where available (a block of 128 is
// the hot path of every skip-driven intersection); a scalar loop otherwise.
uint64_t gaps_to_docs(uint32_t* values, size_t n, uint64_t first);

}  // namespace morgue
