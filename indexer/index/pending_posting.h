// One posting of a term gathered out of document order: the inverter decodes its buffered
// postings into these (numbered by arrival slot), a flush renumbers them by date, and the
// segment writer sorts them by document before encoding.
#pragma once

#include <cstdint>

namespace morgue {

struct PendingPosting {
  uint32_t doc;        // arrival slot until the flush renumbers it
  uint32_t wdf;
  uint32_t pos_begin;  // its positions: pos_count values from pos_begin in the caller's array
  uint32_t pos_count;
};

}  // namespace morgue
