// The one translation of morgue's analysed articles into Xapian, shared by the test oracle
// and morgue-bench: same terms, same wdf, same positions, same document lengths.
// Xapian is GPL: only tests/ and bench/ link this (DESIGN.md "Licence").
#pragma once

#include <xapian.h>

#include "common/analysis/article_terms.h"
#include "common/article/article.h"

namespace morgue {

// Value slot holding the publication date, sortable_serialise()d, for date ranges.
inline constexpr Xapian::valueno kXapianDateSlot = 0;
// Value slot holding the article's version, sortable_serialise()d, for replacements.
inline constexpr Xapian::valueno kXapianVersionSlot = 1;

// A Xapian document holding exactly `terms`: filter terms as boolean terms (wdf 0, not in
// the length), text terms with their wdf and, where they have them, positions (shifted by
// one: Xapian positions start at 1). The document data is the article id.
Xapian::Document to_xapian_document(const Article& article, const ArticleTerms& terms);

}  // namespace morgue
