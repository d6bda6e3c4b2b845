// A decoded postings block's values to what the search reads, in place: document gaps to
// document numbers, stored frequencies to wdfs. Layout: docs/FORMAT.md#postings (a gap
// is the distance to the previous document minus one; a frequency is stored as wdf − 1).
// SSE2 where available (a block of 128 is the hot path of every skip-driven intersection
// and of scoring); a scalar loop otherwise.
#pragma once

#include <cstddef>
#include <cstdint>

namespace morgue {

// Rewrites values[0..n) from gaps to document numbers: values[i] becomes
// first + i + values[0] + ... + values[i], for n ≥ 1. Returns the last number computed in
// 64 bits. The caller checks it against its document count: when it fits
// in a u32, no number wrapped and the numbers rise strictly; otherwise values[] holds
// the numbers modulo 2^32 and must not be used.
uint64_t gaps_to_docs(uint32_t* values, size_t n, uint64_t first);

// Rewrites values[0..n) from stored frequencies (wdf − 1) to wdfs. Returns false, and the
// values must not be used, if one was UINT32_MAX (its wdf does not fit in a u32).
bool stored_to_wdfs(uint32_t* values, size_t n);

}  // namespace morgue
