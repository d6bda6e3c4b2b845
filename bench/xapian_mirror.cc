#include "bench/xapian_mirror.h"

#include "common/analysis/field_terms.h"

namespace morgue {

Xapian::Document to_xapian_document(const Article& article, const ArticleTerms& terms) {
  Xapian::Document doc;
  for (const TermOccurrences& t : terms.terms) {
    const std::string term(terms.term(t));
    if (is_filter_term(term)) {
      doc.add_boolean_term(term);
      continue;
    }
    // Positions first with no wdf, then the wdf in one step: a headline occurrence weighs
    // kHeadlineWdf, so wdf is not the number of positions.
    for (uint32_t p : terms.positions_of(t)) doc.add_posting(term, p + 1, 0);
    doc.add_term(term, t.wdf);
  }
  doc.add_value(kXapianDateSlot, Xapian::sortable_serialise(static_cast<double>(*article.published)));
  doc.add_value(kXapianVersionSlot, Xapian::sortable_serialise(static_cast<double>(article.version)));
  doc.set_data(article.id);
  return doc;
}

}  // namespace morgue
