#include "indexer/index/pending_posting.h"

#include "indexer/index/radix_sort.h"

namespace morgue {

void sort_by_doc(std::vector<PendingPosting>& postings, std::vector<PendingPosting>& scratch) {
  radix_sort(postings, scratch, [](const PendingPosting& p) { return p.doc; });
}

}  // namespace morgue
