// Differential tests against Xapian, the correctness oracle (DESIGN.md): the Reuters corpus
// indexed by morgue, and a Xapian database built from the very same analysed terms,
// positions and frequencies (bench/xapian_mirror) with documents added in morgue's global
// order, so that Xapian's docids follow morgue's document numbers. Every query must match
// the same documents, and the top 20 must agree with scores equal to 1e-9 relative.
#include <catch2/catch.hpp>

#include <fstream>
#include <numeric>
#include <random>

#include "bench/xapian_mirror.h"
#include "bench/xapian_query.h"
#include "common/base/time.h"
#include "common/index/index_reader.h"
#include "indexer/index/index_writer.h"
#include "indexer/readers/input_walker.h"
#include "query/parser/parser.h"
#include "query/searcher.h"
#include "tests/support/paths.h"
#include "tests/support/pruned_search.h"
#include "tests/support/temp_dir.h"

using namespace morgue;
using morgue::testing::TempDir;

namespace {

struct Engines {
  TempDir dir;
  std::shared_ptr<const IndexSnapshot> snapshot;
  std::unique_ptr<Xapian::WritableDatabase> xapian;
  std::vector<Xapian::docid> xapian_docid;  // by morgue's global document number (0: deleted)
  std::vector<std::string> headlines;         // every article's, as read
};

// Builds morgue's index (one segment, or many with deletions) and the mirror.
std::unique_ptr<Engines> build_engines(bool many_segments) {
  auto e = std::make_unique<Engines>();
  std::vector<Article> articles;
  ArticleSink sink;
  sink.accept = [&](Article&& a, const SourceLocation&) { articles.push_back(std::move(a)); };
  ReadCounts counts;
  REQUIRE(read_inputs({morgue::testing::shared_path("corpus/reuters21578")}, {}, sink, counts).is_ok());
  for (const Article& a : articles) e->headlines.push_back(a.headline);
  IndexWriterOptions options;
  options.create_if_missing = true;
  // Many segments: a 4.5 MB budget flushes every 1.5 MB of buffered articles.
  options.ram_budget_bytes = many_segments ? (size_t{9} << 19) : (size_t{512} << 20);
  std::string index = e->dir.file("morgue");
  {
    auto writer = IndexWriter::open(index, options);
    REQUIRE(writer.is_ok());
    Analyzer analyzer;
    for (const Article& a : articles) REQUIRE((*writer)->add(prepare_article(a, analyzer)).is_ok());
    if (many_segments) {
      // Delete every 7th article and replace every 11th, so statistics must be live-only.
      for (size_t i = 0; i < articles.size(); i += 7) REQUIRE((*writer)->remove(articles[i].id).is_ok());
      for (size_t i = 3; i < articles.size(); i += 11) {
        Article a = articles[i];
        a.version = 1;
        a.body += " Corrected: the figures were revised.";
        REQUIRE((*writer)->add(prepare_article(a, analyzer)).is_ok());
      }
      REQUIRE((*writer)->commit().is_ok());
    } else {
      REQUIRE((*writer)->merge_all().is_ok());
    }
  }
  auto snapshot = IndexSnapshot::open(index);
  REQUIRE(snapshot.is_ok());
  e->snapshot = *snapshot;
  if (many_segments) REQUIRE(e->snapshot->segments().size() > 3);

  // The mirror holds the live documents in morgue's global order, so Xapian's docid order
  // (its tie-break) is morgue's. Docids are contiguous: leaving gaps for deleted documents
  // (or adding and deleting them) trips Xapian 1.4.22's glass backend on the longest
  // posting lists ("Unexpected end of posting list").
  e->xapian = std::make_unique<Xapian::WritableDatabase>(e->dir.file("xapian"),
                                                         Xapian::DB_CREATE_OR_OVERWRITE);
  Analyzer analyzer;
  for (size_t s = 0; s < e->snapshot->segments().size(); ++s) {
    const SegmentReader& segment = *e->snapshot->segments()[s];
    for (DocNum d = 0; d < segment.meta().doc_count; ++d) {
      e->xapian_docid.push_back(0);
      if (segment.is_deleted(d)) continue;
      auto article = segment.store().get_article(d);
      REQUIRE(article.is_ok());
      ArticleTerms terms;
      article_terms(*article, analyzer, terms);
      e->xapian_docid.back() = e->xapian->add_document(to_xapian_document(*article, terms));
    }
  }
  e->xapian->commit();
  REQUIRE(e->xapian->get_doccount() == e->snapshot->live_count());
  return e;
}

// The searcher passes over a document whose score_bound() cannot beat its worst kept hit
// without scoring it, so the bound must never fall below the score, bit for bit; nor may
// max_score(), which bounds every document's.
void check_score_bounds(const Engines& e, const Plan& plan) {
  for (size_t s = 0; s < e.snapshot->segments().size(); ++s) {
    auto it = build_iterator(*e.snapshot, s, plan);
    REQUIRE(it.is_ok());
    DocIterator& docs = **it;
    for (; docs.doc() != kEndDoc; docs.next()) {
      double bound = docs.score_bound(), score = docs.score();
      if (!(bound >= score)) FAIL("segment " << s << " doc " << docs.doc() << ": score "
                                             << score << " above its bound " << bound);
      if (!(docs.max_score() >= score))
        FAIL("segment " << s << " doc " << docs.doc() << ": score " << score
                        << " above max_score() " << docs.max_score());
    }
  }
}

void compare(const Engines& e, const std::string& query_text) {
  CAPTURE(query_text);
  ParseResult parsed = parse_query(query_text);
  REQUIRE(parsed.ok());
  Analyzer analyzer;
  auto plan = plan_query(*parsed.query, analyzer);
  if (!plan) return;  // nothing to search for
  CAPTURE(to_string(*plan));
  SearchOptions all;
  all.limit = e.snapshot->live_count();
  auto ours = search(*e.snapshot, *plan, all);
  REQUIRE(ours.is_ok());

  Xapian::Enquire enquire(*e.xapian);
  enquire.set_query(to_xapian_query(*plan));
  enquire.set_weighting_scheme(Xapian::BM25Weight());
  Xapian::doccount n = e.xapian->get_doccount();
  Xapian::MSet mset;
  try {
    mset = enquire.get_mset(0, n, n);
  } catch (const Xapian::Error& error) {
    FAIL("Xapian: " << error.get_description());
  }
  REQUIRE(mset.get_matches_estimated() == ours->total);
  REQUIRE(ours->total_exact);
  morgue::testing::require_pruned_top(*e.snapshot, *plan, *ours, false);
  check_score_bounds(e, *plan);

  // The same set of documents.
  std::vector<uint64_t> a, b;
  for (const Hit& h : ours->hits) a.push_back(e.xapian_docid[h.global]);
  for (auto it = mset.begin(); it != mset.end(); ++it) b.push_back(*it);
  std::vector<uint64_t> sa = a, sb = b;
  std::sort(sa.begin(), sa.end());
  std::sort(sb.begin(), sb.end());
  REQUIRE(sa == sb);

  // The same top 20 with the same scores; documents may swap only within a tie.
  size_t top = std::min<size_t>(20, a.size());
  size_t i = 0;
  for (auto it = mset.begin(); i < top; ++it, ++i) {
    double theirs = it.get_weight(), mine = ours->hits[i].score;
    CAPTURE(i);
    REQUIRE_THAT(mine, Catch::Matchers::WithinRel(theirs, 1e-9) || Catch::Matchers::WithinAbs(theirs, 1e-12));
    if (a[i] != b[i]) {
      // A tie: the document Xapian ranks here must score the same in morgue.
      auto other = std::find(a.begin(), a.end(), b[i]);
      REQUIRE(other != a.end());
      double other_score = ours->hits[static_cast<size_t>(other - a.begin())].score;
      REQUIRE_THAT(other_score, Catch::Matchers::WithinRel(mine, 1e-9));
    }
  }
}

std::vector<std::string> dev_queries() {
  std::ifstream in(morgue::testing::shared_path("queries/reuters-dev.tsv"));
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    size_t tab = line.find('\t');
    if (tab != std::string::npos) out.push_back(line.substr(tab + 1));
  }
  return out;
}

const char* const kVocabulary[] = {
    "oil", "prices", "bank", "rate", "dollar", "trade", "japan", "profit", "loss", "shares",
    "company", "said", "year", "market", "government", "crude", "wheat", "gold", "export",
    "tonnes", "billion", "net", "dividend", "quarter", "offer", "stock", "growth", "interest",
    "cocoa", "coffee", "sugar", "grain", "corn", "debt", "tax", "strike", "told", "reuters"};
const char* const kPlaces[] = {"usa", "japan", "uk", "canada", "west-germany", "france", "brazil"};
const char* const kTopics[] = {"earn", "acq", "crude", "trade", "grain", "money-fx", "interest"};
const char* const kOtherFilters[] = {
    "person:reagan", "person:\"James Baker\"", "org:opec", "org:ec", "org:imf",
    "entity:nyse", "entity:nasdaq", "source:reuters", "id:1", "id:5000", "entity:usa"};

std::string random_clause(std::mt19937& rng, int depth);

std::string random_phrase(std::mt19937& rng) {
  std::string out = "\"";
  int n = 2 + static_cast<int>(rng() % 3);
  for (int i = 0; i < n; ++i) out += std::string(i ? " " : "") + kVocabulary[rng() % std::size(kVocabulary)];
  return out + "\"";
}

std::string random_leaf(std::mt19937& rng) {
  switch (rng() % 10) {
    case 0: return random_phrase(rng);
    case 5: return kOtherFilters[rng() % std::size(kOtherFilters)];
    case 1: return std::string("place:") + kPlaces[rng() % std::size(kPlaces)];
    case 2: return std::string("topic:") + kTopics[rng() % std::size(kTopics)];
    case 3: {
      int64_t from = utc_seconds(1987, 2 + static_cast<int>(rng() % 9), 1 + static_cast<int>(rng() % 28));
      int64_t to = from + static_cast<int64_t>(rng() % 90) * 86400;
      return "date:" + format_iso_date(from) + ".." + format_iso_date(to);
    }
    case 4: return std::string("headline:") + kVocabulary[rng() % std::size(kVocabulary)];
    default: return kVocabulary[rng() % std::size(kVocabulary)];
  }
}

// A phrase of 2-4 consecutive words of a random article's headline, in the headline field
// or the text, sometimes reversed, sometimes with a word ANDed or ORed on. morgue reads a
// headline word's positions from its text word (the first wdf of them); Xapian's mirror
// holds the headline words' own.
std::string random_headline_phrase(std::mt19937& rng, const std::vector<std::string>& headlines,
                                   Analyzer& analyzer) {
  std::vector<AnalyzedToken> tokens;
  for (int tries = 0; tries < 100 && tokens.size() < 2; ++tries) {
    tokens.clear();
    analyzer.analyze(headlines[rng() % headlines.size()], 0, tokens);
  }
  size_t n = std::min<size_t>(tokens.size(), 2 + rng() % 3);
  size_t start = rng() % (tokens.size() - n + 1);
  std::vector<std::string> words;
  for (size_t i = start; i < start + n; ++i) words.push_back(tokens[i].surface.text);
  if (rng() % 5 == 0) std::reverse(words.begin(), words.end());
  std::string phrase = "\"";
  for (size_t i = 0; i < words.size(); ++i) phrase += (i ? " " : "") + words[i];
  phrase += "\"";
  switch (rng() % 6) {
    case 0: return phrase;
    case 1: return phrase + " OR " + kVocabulary[rng() % std::size(kVocabulary)];
    case 2: return "headline:" + phrase + " " + kVocabulary[rng() % std::size(kVocabulary)];
    default: return "headline:" + phrase;
  }
}

std::string random_clause(std::mt19937& rng, int depth) {
  if (depth == 0 || rng() % 3 == 0) return random_leaf(rng);
  std::string a = random_clause(rng, depth - 1), b = random_clause(rng, depth - 1);
  switch (rng() % 4) {
    case 0: return "(" + a + " AND " + b + ")";
    case 1: return "(" + a + " OR " + b + ")";
    case 2: return "(" + a + " NOT " + b + ")";
    default: return "(" + a + " " + b + ")";
  }
}

// Wide ORs of distinct words, alone and under filters, where pruning works hardest.
// Phrases join them only when nothing is ANDed on: Xapian 1.4.22 adds the weight of a phrase
// in an OR under a filter to documents holding its words apart: for
// "(\"loss offer\" OR company OR year OR billion OR prices OR oil) place:usa", where no
// document holds the phrase, its best score is 14.46 against morgue's 10.92.
std::string random_disjunction(std::mt19937& rng) {
  std::string out = "(";
  int n = 2 + static_cast<int>(rng() % 5);
  unsigned shape = rng() % 4;
  std::vector<size_t> words(std::size(kVocabulary));
  std::iota(words.begin(), words.end(), size_t{0});
  std::shuffle(words.begin(), words.end(), rng);
  for (int i = 0; i < n; ++i) {
    out += i ? " OR " : "";
    bool phrase = shape == 3 && rng() % 4 == 0;
    out += phrase ? random_phrase(rng) : kVocabulary[words[static_cast<size_t>(i)]];
  }
  out += ")";
  switch (shape) {
    case 0: return out + " place:" + kPlaces[rng() % std::size(kPlaces)];
    case 1: return out + " " + kVocabulary[rng() % std::size(kVocabulary)];
    case 2: return out + " NOT " + kVocabulary[rng() % std::size(kVocabulary)];
    default: return out;
  }
}

// Random queries a test: 2,900. Under the sanitizers, whose job is memory errors and which
// run each query several times slower, a quarter as many (the same seeds: the first ones).
#ifdef MORGUE_SANITIZED
constexpr int kRandomClauses = 500, kRandomDisjunctions = 125, kRandomHeadlinePhrases = 100;
#else
constexpr int kRandomClauses = 2000, kRandomDisjunctions = 500, kRandomHeadlinePhrases = 400;
#endif

}  // namespace

TEST_CASE("oracle: every dev query and a seeded stream of random ones agree with Xapian on one segment",
          "[oracle]") {
  auto engines = build_engines(false);
  compare(*engines, "source:reuters");
  for (const std::string& q : dev_queries()) compare(*engines, q);
  std::mt19937 rng(20261124);
  for (int i = 0; i < kRandomClauses; ++i) compare(*engines, random_clause(rng, 3));
  for (int i = 0; i < kRandomDisjunctions; ++i) compare(*engines, random_disjunction(rng));
  Analyzer analyzer;
  for (int i = 0; i < kRandomHeadlinePhrases; ++i)
    compare(*engines, random_headline_phrase(rng, engines->headlines, analyzer));
}

TEST_CASE("oracle: the same on many segments with deleted and replaced articles",
          "[oracle]") {
  auto engines = build_engines(true);
  for (const std::string& q : dev_queries()) compare(*engines, q);
  std::mt19937 rng(7);
  for (int i = 0; i < kRandomClauses; ++i) compare(*engines, random_clause(rng, 3));
  for (int i = 0; i < kRandomDisjunctions; ++i) compare(*engines, random_disjunction(rng));
  Analyzer analyzer;
  for (int i = 0; i < kRandomHeadlinePhrases; ++i)
    compare(*engines, random_headline_phrase(rng, engines->headlines, analyzer));
}
