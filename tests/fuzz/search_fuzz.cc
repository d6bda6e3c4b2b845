// libFuzzer target for the search, against brute force. A small index of synthetic articles
// is built once (a merged segment of 1,400 whose frequent words span groups of posting
// blocks, a flushed one, a third holding replacements; deletions in the first), and every
// live article's terms, wdfs, positions and length are taken again from its stored article
// (article_terms, as the indexer does), without the postings. Each input is a query. Its
// last three bytes are a rank, a limit and a mode (FuzzedDataProvider takes integers from
// the end): a mode below 32 makes the bytes before them the query's text; any other lets
// them choose a query of words, phrases, fields, dates and operators from the index's own
// vocabulary, so that most queries match something. Properties, for every query that
// parses:
// - the exhaustive search matches exactly the documents brute force matches, with BM25
//   scores equal to 1e-9 relative, ordered by score then index order, the count exact;
// - pruned searches (several limits, offsets and exact-count limits) return the exhaustive
//   top bit for bit, with a count that is exact when they say so and never too high;
// - the date sorts return the oldest and newest matches;
// - every iterator's score_bound(), max_score() and window_max_score() are never below its
//   score, and an iterator given a threshold still yields every document scoring above it,
//   scored exactly.
// Any failure prints the query and aborts.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <unistd.h>
#include <vector>

#include "common/analysis/analyzer.h"
#include "common/analysis/article_terms.h"
#include "common/analysis/field_terms.h"
#include "common/base/time.h"
#include "common/index/index_reader.h"
#include "corpus/synth/synthetic_archive.h"
#include "indexer/index/index_writer.h"
#include "query/parser/parser.h"
#include "query/plan.h"
#include "query/search/doc_iterator.h"
#include "query/searcher.h"

using namespace morgue;
namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& query, const std::string& what) {
  std::fprintf(stderr, "fuzz_search: %s\n  query: %s\n", what.c_str(), query.c_str());
  std::abort();
}

void require(bool condition, const std::string& query, const std::string& what) {
  if (!condition) fail(query, what);
}

struct LiveDoc {
  uint64_t global = 0;
  int64_t published = 0;
  ArticleTerms terms;

  const TermOccurrences* find(const std::string& term) const {
    auto it = std::lower_bound(
        terms.terms.begin(), terms.terms.end(), term,
        [&](const TermOccurrences& t, const std::string& v) { return terms.term(t) < v; });
    return it != terms.terms.end() && terms.term(*it) == term ? &*it : nullptr;
  }
};

struct Fixture {
  std::string dir;
  std::shared_ptr<const IndexSnapshot> snapshot;
  std::vector<LiveDoc> live;              // in global order
  std::map<std::string, uint64_t> df;     // live documents holding each term
  double average_doclen = 0;
  // What queries are made of.
  std::vector<std::string> frequent_words, words, filters;
  std::vector<std::vector<std::string>> headlines, bodies;  // surface words, a few articles
  int64_t first_published = 0, last_published = 0;

  Fixture() {
    dir = (fs::temp_directory_path() / ("morgue-search-fuzz-" + std::to_string(::getpid()))).string();
    fs::remove_all(dir);
    build();
    auto opened = IndexSnapshot::open(dir);
    if (!opened.is_ok()) std::abort();
    snapshot = *opened;
    if (snapshot->segments().size() != 3) std::abort();  // as built below
    model();
  }
  ~Fixture() { fs::remove_all(dir); }

  void build() {
    SyntheticOptions options;
    options.seed = 5;
    options.articles = 1800;
    SyntheticArchive archive(options);
    Analyzer analyzer;
    IndexWriterOptions writer_options;
    writer_options.create_if_missing = true;
    auto writer = IndexWriter::open(dir, writer_options);
    if (!writer.is_ok()) std::abort();
    auto add = [&](const Article& a) {
      if (!(*writer)->add(prepare_article(a, analyzer)).is_ok()) std::abort();
    };
    for (uint64_t i = 0; i < 1400; ++i) add(archive.article(i));
    if (!(*writer)->merge_all().is_ok()) std::abort();
    for (uint64_t i = 1400; i < 1700; ++i) add(archive.article(i));
    if (!(*writer)->commit().is_ok()) std::abort();
    for (uint64_t i = 1700; i < options.articles; ++i) add(archive.article(i));
    for (uint64_t i = 0; i < 1400; i += 13) (void)(*writer)->remove(archive.article(i).id);
    for (uint64_t i = 5; i < 1400; i += 97) {  // replaced: a later version, another text
      Article a = archive.article(i);
      a.version = 1;
      a.body += " The figures were revised later.";
      add(a);
    }
    if (!(*writer)->commit().is_ok()) std::abort();
  }

  void model() {
    Analyzer analyzer;
    std::map<std::string, uint64_t> word_df;
    uint64_t length_sum = 0;
    std::vector<AnalyzedToken> tokens;
    for (size_t s = 0; s < snapshot->segments().size(); ++s) {
      const SegmentReader& segment = *snapshot->segments()[s];
      for (DocNum d = 0; d < segment.meta().doc_count; ++d) {
        if (segment.is_deleted(d)) continue;
        auto article = segment.store().get_article(d);
        if (!article.is_ok()) std::abort();
        LiveDoc doc;
        doc.global = snapshot->base(s) + d;
        doc.published = *article->published;
        article_terms(*article, analyzer, doc.terms);
        // Sorted here for find()'s binary search (article_terms keeps first-occurrence order).
        std::sort(doc.terms.terms.begin(), doc.terms.terms.end(),
                  [&](const TermOccurrences& a, const TermOccurrences& b) {
                    return doc.terms.term(a) < doc.terms.term(b);
                  });
        length_sum += doc.terms.doclen;
        for (const TermOccurrences& t : doc.terms.terms) {
          std::string term(doc.terms.term(t));
          if (has_positions(term)) ++word_df[term];  // a word of the text
          ++df[std::move(term)];
        }
        if (live.size() % 40 == 0) {
          analyzer.analyze(article->headline, 0, tokens);
          headlines.emplace_back();
          for (const AnalyzedToken& t : tokens) headlines.back().push_back(t.surface.text);
          analyzer.analyze(article->body, 0, tokens);
          bodies.emplace_back();
          for (const AnalyzedToken& t : tokens) bodies.back().push_back(t.surface.text);
        }
        add_filters(*article);
        live.push_back(std::move(doc));
      }
    }
    if (live.size() != snapshot->live_count()) std::abort();
    average_doclen = static_cast<double>(length_sum) / static_cast<double>(live.size());
    std::vector<std::pair<uint64_t, std::string>> by_df;
    for (const auto& [word, n] : word_df) {
      by_df.emplace_back(n, word);
      words.push_back(word);
    }
    std::sort(by_df.rbegin(), by_df.rend());
    for (size_t i = 0; i < std::min<size_t>(40, by_df.size()); ++i) frequent_words.push_back(by_df[i].second);
    words.push_back("zyzzogeton");  // in no article
    std::sort(filters.begin(), filters.end());
    filters.erase(std::unique(filters.begin(), filters.end()), filters.end());
    first_published = live.front().published;
    last_published = live.front().published;
    for (const LiveDoc& d : live) {
      first_published = std::min(first_published, d.published);
      last_published = std::max(last_published, d.published);
    }
  }

  void add_filters(const Article& a) {
    auto add = [&](const std::string& field, const std::string& value) {
      if (value.find('"') == std::string::npos) filters.push_back(field + ":\"" + value + "\"");
    };
    if (filters.size() > 4000) return;
    for (const Entity& e : a.entities) {
      const char* field = e.type == EntityType::kPerson ? "person"
                          : e.type == EntityType::kOrg  ? "org"
                          : e.type == EntityType::kPlace ? "place"
                                                         : "entity";
      add(field, e.name);
      add("entity", e.name);
    }
    for (const std::string& t : a.topics) add("topic", t);
    for (const std::string& t : a.authors) add("author", t);
    add("source", a.source);
    if (live.size() % 50 == 0) add("id", a.id);
  }
};

// Builds a query from the input's bytes, from the fixture's vocabulary.
class QueryMaker {
 public:
  QueryMaker(FuzzedDataProvider& in, const Fixture& f) : in_(in), f_(f) {}

  std::string clause(int depth) {
    if (depth == 0 || in_.ConsumeIntegralInRange(0, 3) == 0) return leaf();
    switch (in_.ConsumeIntegralInRange(0, 6)) {
      case 0: return "(" + clause(depth - 1) + " AND " + clause(depth - 1) + ")";
      case 1: return "(" + clause(depth - 1) + " OR " + clause(depth - 1) + ")";
      case 2: return "(" + clause(depth - 1) + " NOT " + clause(depth - 1) + ")";
      case 3: return "(" + clause(depth - 1) + " " + clause(depth - 1) + ")";
      case 4: return "NOT " + clause(depth - 1);
      case 5: {  // a wide OR, where pruning works hardest
        std::string out = "(" + word();
        for (int n = in_.ConsumeIntegralInRange(1, 7); n > 0; --n)
          out += " OR " + (in_.ConsumeIntegralInRange(0, 5) == 0 ? phrase() : word());
        return out + ")";
      }
      default: return "headline:(" + word() + " OR " + word() + ")";
    }
  }

 private:
  template <typename T>
  const T& pick(const std::vector<T>& from) {
    return from[in_.ConsumeIntegralInRange<size_t>(0, from.size() - 1)];
  }

  std::string word() {
    return in_.ConsumeBool() ? pick(f_.frequent_words) : pick(f_.words);
  }

  // 1-4 consecutive words of an article, in the headline field or the text, sometimes
  // reversed or with a word swapped for another.
  std::string phrase() {
    bool headline = in_.ConsumeIntegralInRange(0, 3) == 0;
    const auto& text = headline ? pick(f_.headlines) : pick(f_.bodies);
    if (text.empty()) return word();
    size_t n = std::min<size_t>(text.size(), in_.ConsumeIntegralInRange<size_t>(1, 4));
    size_t start = in_.ConsumeIntegralInRange<size_t>(0, text.size() - n);
    std::vector<std::string> words(text.begin() + static_cast<std::ptrdiff_t>(start),
                                   text.begin() + static_cast<std::ptrdiff_t>(start + n));
    switch (in_.ConsumeIntegralInRange(0, 5)) {
      case 0: std::reverse(words.begin(), words.end()); break;
      case 1: words[in_.ConsumeIntegralInRange<size_t>(0, n - 1)] = word(); break;
      default: break;
    }
    std::string out = headline && in_.ConsumeBool() ? "headline:\"" : "\"";
    for (size_t i = 0; i < words.size(); ++i) out += (i ? " " : "") + words[i];
    return out + "\"";
  }

  std::string date() {
    int64_t span = f_.last_published - f_.first_published + 1;
    int64_t from = f_.first_published - 86400 + in_.ConsumeIntegralInRange<int64_t>(0, span + 86400);
    int64_t to = from + in_.ConsumeIntegralInRange<int64_t>(0, 400) * 86400;
    std::string a = format_iso_date(from), b = format_iso_date(to);
    switch (in_.ConsumeIntegralInRange(0, 4)) {
      case 0: return "date:" + a + "..";
      case 1: return "date:.." + b;
      case 2: return "date:" + a.substr(0, 7);  // a month
      case 3: return "date:" + a.substr(0, 4);  // a year
      default: return "date:" + a + ".." + b;
    }
  }

  std::string leaf() {
    switch (in_.ConsumeIntegralInRange(0, 9)) {
      case 0: case 1: return phrase();
      case 2: return pick(f_.filters);
      case 3: return date();
      case 4: return "headline:" + word();
      case 5: return "\"" + word() + "\"";
      case 6: return "-" + word() + " " + word();
      default: return word();
    }
  }

  FuzzedDataProvider& in_;
  const Fixture& f_;
};

// Brute force: does the plan match the document, and with what score.
class BruteForce {
 public:
  explicit BruteForce(const Fixture& f) : f_(f) {}

  std::optional<double> eval(const Plan& p, const LiveDoc& d) {
    switch (p.kind) {
      case Plan::Kind::kTerm: {
        const TermOccurrences* t = d.find(p.term);
        if (!t) return std::nullopt;
        return p.scoring ? weight(p.term).score(t->wdf, d.terms.doclen) : 0.0;
      }
      case Plan::Kind::kPhrase: {
        std::vector<const TermOccurrences*> ts;
        for (const std::string& term : p.terms) {
          ts.push_back(d.find(term));
          if (!ts.back()) return std::nullopt;
        }
        bool found = false;
        for (uint32_t start : d.terms.positions_of(*ts[0])) {
          bool all = true;
          for (size_t i = 1; i < ts.size() && all; ++i) {
            std::span<const uint32_t> positions = d.terms.positions_of(*ts[i]);
            all = std::binary_search(positions.begin(), positions.end(), start + i);
          }
          if (all) {
            found = true;
            break;
          }
        }
        if (!found) return std::nullopt;
        double score = 0;
        for (size_t i = 0; i < ts.size(); ++i) score += weight(p.terms[i]).score(ts[i]->wdf, d.terms.doclen);
        return score;
      }
      case Plan::Kind::kDate:
        if (d.published < p.from || d.published > p.to) return std::nullopt;
        return 0.0;
      case Plan::Kind::kAll: return 0.0;
      case Plan::Kind::kAnd: {
        double score = 0;
        for (const auto& c : p.children) {
          auto s = eval(*c, d);
          if (!s) return std::nullopt;
          score += *s;
        }
        return score;
      }
      case Plan::Kind::kOr: {
        std::optional<double> score;
        for (const auto& c : p.children)
          if (auto s = eval(*c, d)) score = score.value_or(0) + *s;
        return score;
      }
      case Plan::Kind::kAndNot: {
        auto s = eval(*p.children[0], d);
        if (!s || eval(*p.children[1], d)) return std::nullopt;
        return s;
      }
    }
    return std::nullopt;
  }

 private:
  const Bm25& weight(const std::string& term) {
    auto it = weights_.find(term);
    if (it == weights_.end()) {
      auto n = f_.df.find(term);
      it = weights_.emplace(term, Bm25(f_.live.size(), n == f_.df.end() ? 0 : n->second,
                                       f_.average_doclen)).first;
    }
    return it->second;
  }

  const Fixture& f_;
  std::map<std::string, Bm25> weights_;
};

bool scores_agree(double a, double b) {
  return std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), std::fabs(b)) + 1e-12;
}

std::string describe(const Hit& h) {
  return "document " + std::to_string(h.global) + " score " + std::to_string(h.score);
}

// Pruned searches return the exhaustive top, bit for bit.
void check_pruned(const Fixture& f, const Plan& plan, const SearchResult& exhaustive,
                  size_t fuzzed_limit, const std::string& query) {
  struct Case {
    size_t limit, offset;
    uint64_t exact_count_limit;
  };
  for (Case c : {Case{10, 0, 0}, Case{1, 0, 0}, Case{20, 5, 0}, Case{10, 0, 100},
                 Case{fuzzed_limit, 0, 0}, Case{fuzzed_limit, 3, 7}}) {
    SearchOptions options;
    options.limit = c.limit;
    options.offset = c.offset;
    options.exact_count_limit = c.exact_count_limit;
    auto pruned = search(*f.snapshot, plan, options);
    std::string where = "pruned search (limit " + std::to_string(c.limit) + ", offset " +
                        std::to_string(c.offset) + ", exact to " + std::to_string(c.exact_count_limit) + ")";
    require(pruned.is_ok(), query, where + " failed");
    size_t expected = std::min(exhaustive.hits.size() - std::min(exhaustive.hits.size(), c.offset), c.limit);
    require(pruned->hits.size() == expected, query, where + ": wrong number of hits");
    for (size_t i = 0; i < expected; ++i) {
      const Hit &got = pruned->hits[i], &want = exhaustive.hits[c.offset + i];
      require(got.global == want.global && got.score == want.score, query,
              where + ": rank " + std::to_string(c.offset + i + 1) + " is " + describe(got) +
                  ", the exhaustive search's " + describe(want));
    }
    require(pruned->total <= exhaustive.total, query, where + ": count above the exact one");
    if (pruned->total_exact) require(pruned->total == exhaustive.total, query, where + ": count wrong");
    if (exhaustive.total < c.exact_count_limit)
      require(pruned->total_exact, query, where + ": count not exact under its limit");
  }
}

// The date sorts return the first and last matches by (date, index order).
void check_date_sorts(const Fixture& f, const Plan& plan, std::vector<const LiveDoc*> matches,
                      const std::string& query) {
  std::sort(matches.begin(), matches.end(), [](const LiveDoc* a, const LiveDoc* b) {
    return a->published != b->published ? a->published < b->published : a->global < b->global;
  });
  for (SortOrder sort : {SortOrder::kOldest, SortOrder::kNewest}) {
    SearchOptions options;
    options.limit = 7;
    options.sort = sort;
    auto result = search(*f.snapshot, plan, options);
    require(result.is_ok() && result->total == matches.size() && result->total_exact, query,
            "date sort: wrong count");
    size_t n = std::min<size_t>(7, matches.size());
    require(result->hits.size() == n, query, "date sort: wrong number of hits");
    for (size_t i = 0; i < n; ++i) {
      const LiveDoc* want = sort == SortOrder::kOldest ? matches[i] : matches[matches.size() - 1 - i];
      require(result->hits[i].global == want->global && result->hits[i].published == want->published,
              query, "date sort: rank " + std::to_string(i + 1) + " is document " +
                         std::to_string(result->hits[i].global) + ", not " + std::to_string(want->global));
    }
  }
}

// Every bound an iterator gives is at least its score; given a threshold, it still yields
// every document scoring above it, with its exact score.
void check_iterators(const Fixture& f, const Plan& plan, const std::map<uint64_t, double>& scores,
                     double threshold, const std::string& query) {
  for (size_t s = 0; s < f.snapshot->segments().size(); ++s) {
    const SegmentReader& segment = *f.snapshot->segments()[s];
    auto walked = build_iterator(*f.snapshot, s, plan);
    require(walked.is_ok(), query, "build_iterator failed");
    DocIterator& it = **walked;
    for (; it.doc() != kEndDoc; it.next()) {
      DocNum d = it.doc(), window_end = 0;
      double window = it.window_max_score(d, window_end);
      double bound = it.score_bound(), score = it.score();
      std::string at = "segment " + std::to_string(s) + " document " + std::to_string(d) + " scores " +
                       std::to_string(score);
      require(window_end >= d && window >= score, query, at + " above its window's bound");
      require(bound >= score, query, at + " above its score_bound()");
      require(it.max_score() >= score, query, at + " above its max_score()");
    }
    require(it.status().is_ok(), query, "iterator failed");

    auto pruned = build_iterator(*f.snapshot, s, plan);
    require(pruned.is_ok(), query, "build_iterator failed");
    (*pruned)->set_min_competitive(threshold);
    uint64_t base = f.snapshot->base(s);
    auto expect = scores.lower_bound(base);
    for (; (*pruned)->doc() != kEndDoc; (*pruned)->next()) {
      DocNum d = (*pruned)->doc();
      if (segment.is_deleted(d)) continue;
      uint64_t global = base + d;
      for (; expect != scores.end() && expect->first < global; ++expect)
        require(!(expect->second > threshold), query,
                "document " + std::to_string(expect->first) + " scoring " + std::to_string(expect->second) +
                    " skipped under the threshold " + std::to_string(threshold));
      require(expect != scores.end() && expect->first == global, query,
              "document " + std::to_string(global) + " yielded under a threshold but not a match");
      require((*pruned)->score() == expect->second, query,
              "document " + std::to_string(global) + " scored differently under a threshold");
      ++expect;
    }
    for (; expect != scores.end() && expect->first < base + segment.meta().doc_count; ++expect)
      require(!(expect->second > threshold), query,
              "document " + std::to_string(expect->first) + " skipped at the end under the threshold");
  }
}

void check(const Fixture& f, const std::string& query, size_t fuzzed_limit, size_t fuzzed_rank) {
  ParseResult parsed = parse_query(query);
  if (!parsed.ok()) return;
  Analyzer analyzer;
  auto plan = plan_query(*parsed.query, analyzer);
  if (!plan) return;

  BruteForce brute(f);
  std::vector<const LiveDoc*> matches;
  std::map<uint64_t, double> brute_scores;
  for (const LiveDoc& d : f.live) {
    if (auto score = brute.eval(*plan, d)) {
      matches.push_back(&d);
      brute_scores[d.global] = *score;
    }
  }

  SearchOptions all;
  all.limit = f.live.size();
  auto exhaustive = search(*f.snapshot, *plan, all);
  require(exhaustive.is_ok(), query, "exhaustive search failed");
  require(exhaustive->total_exact && exhaustive->total == matches.size() &&
              exhaustive->hits.size() == matches.size(),
          query, "exhaustive search counts " + std::to_string(exhaustive->total) + ", brute force " +
                     std::to_string(matches.size()));
  std::map<uint64_t, double> scores;  // the engine's, by global number
  for (size_t i = 0; i < exhaustive->hits.size(); ++i) {
    const Hit& h = exhaustive->hits[i];
    auto want = brute_scores.find(h.global);
    require(want != brute_scores.end(), query, describe(h) + " is not a match by brute force");
    require(scores_agree(h.score, want->second), query,
            describe(h) + " against brute force's " + std::to_string(want->second));
    if (i > 0) {
      const Hit& before = exhaustive->hits[i - 1];
      require(before.score > h.score || (before.score == h.score && before.global < h.global), query,
              "hits out of order at rank " + std::to_string(i + 1));
    }
    scores[h.global] = h.score;
  }
  check_pruned(f, *plan, *exhaustive, fuzzed_limit, query);
  check_date_sorts(f, *plan, matches, query);
  double threshold = exhaustive->hits.empty()
                         ? 0
                         : exhaustive->hits[std::min(fuzzed_rank, exhaustive->hits.size() - 1)].score;
  check_iterators(f, *plan, scores, threshold, query);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture fixture;
  FuzzedDataProvider in(data, size);
  uint8_t mode = in.ConsumeIntegral<uint8_t>();
  size_t limit = in.ConsumeIntegralInRange<size_t>(1, 40);
  size_t rank = in.ConsumeIntegralInRange<size_t>(0, 30);
  std::string query;
  if (mode < 32) {
    query = in.ConsumeRemainingBytesAsString();
  } else {
    QueryMaker maker(in, fixture);
    query = maker.clause(mode % 5);
  }
  check(fixture, query, limit, rank);
  return 0;
}
