#include "bench/xapian_query.h"

#include "bench/xapian_mirror.h"

namespace morgue {

Xapian::Query to_xapian_query(const Plan& p) {
  switch (p.kind) {
    case Plan::Kind::kTerm:
      if (p.scoring) return Xapian::Query(p.term);
      return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(p.term), 0.0);
    case Plan::Kind::kPhrase:
      return Xapian::Query(Xapian::Query::OP_PHRASE, p.terms.begin(), p.terms.end(),
                           static_cast<Xapian::termcount>(p.terms.size()));
    case Plan::Kind::kDate: {
      std::string from = Xapian::sortable_serialise(static_cast<double>(p.from));
      std::string to = Xapian::sortable_serialise(static_cast<double>(p.to));
      if (p.from == INT64_MIN && p.to == INT64_MAX)
        return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query::MatchAll, 0.0);
      if (p.from == INT64_MIN) return Xapian::Query(Xapian::Query::OP_VALUE_LE, kXapianDateSlot, to);
      if (p.to == INT64_MAX) return Xapian::Query(Xapian::Query::OP_VALUE_GE, kXapianDateSlot, from);
      return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, kXapianDateSlot, from, to);
    }
    case Plan::Kind::kAll:
      return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query::MatchAll, 0.0);
    case Plan::Kind::kAnd:
    case Plan::Kind::kOr: {
      std::vector<Xapian::Query> children;
      for (const auto& c : p.children) children.push_back(to_xapian_query(*c));
      return Xapian::Query(p.kind == Plan::Kind::kAnd ? Xapian::Query::OP_AND : Xapian::Query::OP_OR,
                           children.begin(), children.end());
    }
    case Plan::Kind::kAndNot:
      return Xapian::Query(Xapian::Query::OP_AND_NOT, to_xapian_query(*p.children[0]),
                           to_xapian_query(*p.children[1]));
  }
  return Xapian::Query();
}

}  // namespace morgue
