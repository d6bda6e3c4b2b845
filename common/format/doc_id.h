// Document numbers: segment-local, dense from 0, in publication order.
#pragma once

#include <cstdint>

namespace morgue {

using DocNum = uint32_t;

// The sentinel an exhausted iterator reports as its doc(): greater than every real DocNum,
// so loops need no separate end test (Lucene's NO_MORE_DOCS, tantivy's TERMINATED).
inline constexpr DocNum kEndDoc = UINT32_MAX;

}  // namespace morgue
