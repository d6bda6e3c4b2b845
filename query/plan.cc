#include "query/plan.h"

#include "common/analysis/field_terms.h"
#include "common/base/time.h"

namespace morgue {
namespace {

std::string_view filter_prefix(FilterField field) {
  switch (field) {
    case FilterField::kEntity: return prefix::kEntity;
    case FilterField::kPerson: return prefix::kPerson;
    case FilterField::kOrg: return prefix::kOrg;
    case FilterField::kPlace: return prefix::kPlace;
    case FilterField::kTopic: return prefix::kTopic;
    case FilterField::kSource: return prefix::kSource;
    case FilterField::kId: return prefix::kId;
    case FilterField::kAuthor: return prefix::kAuthor;
  }
  return prefix::kEntity;
}

std::unique_ptr<Plan> make(Plan::Kind kind) {
  auto p = std::make_unique<Plan>();
  p->kind = kind;
  return p;
}

std::unique_ptr<Plan> term(std::string t, bool scoring) {
  auto p = make(Plan::Kind::kTerm);
  p->term = std::move(t);
  p->scoring = scoring;
  return p;
}

std::unique_ptr<Plan> plan_text(const Node& n, Analyzer& analyzer) {
  std::vector<AnalyzedToken> tokens;
  analyzer.analyze(n.text, 0, tokens);
  bool headline = n.text_field == TextField::kHeadline;
  if (tokens.empty()) return nullptr;
  if (tokens.size() == 1) {
    if (n.kind == NodeKind::kWord) {
      return term(make_term(headline ? prefix::kHeadlineStem : prefix::kTextStem, tokens[0].stem),
                  true);
    }
    return term(make_term(headline ? prefix::kHeadline : prefix::kText, tokens[0].surface.text), true);
  }
  auto p = make(Plan::Kind::kPhrase);
  for (const AnalyzedToken& t : tokens)
    p->terms.push_back(make_term(headline ? prefix::kHeadline : prefix::kText, t.surface.text));
  return p;
}

std::unique_ptr<Plan> combine(Plan::Kind kind, std::vector<std::unique_ptr<Plan>> parts) {
  std::erase(parts, nullptr);
  if (parts.empty()) return nullptr;
  if (parts.size() == 1) return std::move(parts[0]);
  auto p = make(kind);
  p->children = std::move(parts);
  return p;
}

std::string bound(int64_t seconds) { return format_iso8601(seconds); }

}  // namespace

std::unique_ptr<Plan> plan_query(const Node& n, Analyzer& analyzer) {
  switch (n.kind) {
    case NodeKind::kWord:
    case NodeKind::kPhrase: return plan_text(n, analyzer);
    case NodeKind::kFilter: return term(make_term(filter_prefix(n.filter), n.text), false);
    case NodeKind::kDateRange: {
      auto p = make(Plan::Kind::kDate);
      p->from = n.from;
      p->to = n.to;
      return p;
    }
    case NodeKind::kMatchAll: return make(Plan::Kind::kAll);
    case NodeKind::kAnd:
    case NodeKind::kOr: {
      std::vector<std::unique_ptr<Plan>> parts;
      for (const auto& c : n.children) parts.push_back(plan_query(*c, analyzer));
      return combine(n.kind == NodeKind::kAnd ? Plan::Kind::kAnd : Plan::Kind::kOr, std::move(parts));
    }
    case NodeKind::kAndNot: {
      auto positive = plan_query(*n.children[0], analyzer);
      auto negative = plan_query(*n.children[1], analyzer);
      if (!positive || !negative) return positive;
      auto p = make(Plan::Kind::kAndNot);
      p->children.push_back(std::move(positive));
      p->children.push_back(std::move(negative));
      return p;
    }
  }
  return nullptr;
}

std::string to_string(const Plan& p) {
  switch (p.kind) {
    case Plan::Kind::kTerm: return p.scoring ? p.term : "(FILTER " + p.term + ")";
    case Plan::Kind::kPhrase: {
      std::string out = "(PHRASE";
      for (const auto& t : p.terms) out += " " + t;
      return out + ")";
    }
    case Plan::Kind::kDate:
      return "(DATE " + (p.from == INT64_MIN ? "" : bound(p.from)) + ".." +
             (p.to == INT64_MAX ? "" : bound(p.to)) + ")";
    case Plan::Kind::kAll: return "(ALL)";
    case Plan::Kind::kAnd:
    case Plan::Kind::kOr:
    case Plan::Kind::kAndNot: {
      std::string out = p.kind == Plan::Kind::kAnd ? "(AND" : p.kind == Plan::Kind::kOr ? "(OR" : "(NOT";
      for (const auto& c : p.children) out += " " + to_string(*c);
      return out + ")";
    }
  }
  return "";
}

}  // namespace morgue
