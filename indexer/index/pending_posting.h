// One posting of a term gathered out of document order: the inverter decodes its buffered
// postings into these (numbered by arrival slot), a flush renumbers them by date, and the
// segment writer sorts them by document before encoding.
#pragma once

#include <cstdint>
#include <vector>

namespace morgue {

struct PendingPosting {
  uint32_t doc;        // arrival slot until the flush renumbers it
  uint32_t wdf;
  uint32_t pos_begin;  // its positions: pos_count values from pos_begin in the caller's array
  uint32_t pos_count;
};

// Sorts `postings` by doc, stably, using `scratch` as working space (its contents are
// lost; keeping it between calls saves its allocation). A radix sort (radix_sort.h), 8
// bits of the document number a pass, for all but short lists: std::sort's comparisons
// were a sixth of a flush's CPU at a million articles, most of it in the long lists of
// frequent words.
void sort_by_doc(std::vector<PendingPosting>& postings, std::vector<PendingPosting>& scratch);

}  // namespace morgue
