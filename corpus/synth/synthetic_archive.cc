#include "corpus/synth/synthetic_archive.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <random>
#include <set>

#include "common/analysis/folding.h"
#include "common/analysis/tokenizer.h"
#include "common/article/article_json.h"
#include "common/base/time.h"

namespace morgue {
namespace {

// splitmix64: decorrelates the per-article seeds, so article i does not depend on i - 1.
uint64_t mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// The most frequent words of news copy, so that the head of the distribution reads like it.
const char* const kCommonWords[] = {
    "the", "of", "to", "and", "a", "in", "said", "on", "for", "that", "is", "with", "was", "by",
    "it", "at", "from", "as", "its", "be", "has", "have", "will", "are", "an", "which", "would",
    "not", "this", "year", "percent", "but", "after", "were", "had", "been", "also", "more",
    "their", "government", "new", "up", "market", "two", "last", "officials", "people", "told",
    "over", "minister", "than", "about", "could", "first", "prices", "week", "president", "one",
    "company", "state", "police", "bank", "trade", "oil", "talks", "billion", "million", "shares",
    "since", "into", "against", "while", "report", "statement", "country", "security", "court",
    "election", "agreement", "workers", "strike", "rates", "growth", "exports", "meeting"};
const char* const kSyllables[] = {"ka", "lo", "mi", "tre", "van", "dor", "si", "pel", "ur", "an",
                                  "bri", "to", "ze", "mar", "qu", "en", "ol", "ri", "sta", "nu",
                                  "gal", "fe", "ho", "ix", "pra", "del", "mo", "cu", "ven", "ta"};
const char* const kOrgSuffixes[] = {"Holdings", "Ministry", "Bank", "Group", "Party", "Union",
                                    "Council", "Agency", "Airlines", "Energy"};
const char* const kSources[] = {"Reuters", "AP", "AFP", "Bloomberg", "Morgue Wire"};
const double kSourceWeights[] = {0.35, 0.25, 0.2, 0.12, 0.08};

// A table of Zipf weights over ranks 0..n-1, sampled by binary search on the cumulative sums.
class Zipf {
 public:
  Zipf(size_t n, double s) : cumulative_(n) {
    double total = 0;
    for (size_t r = 0; r < n; ++r) cumulative_[r] = total += 1.0 / std::pow(static_cast<double>(r + 1), s);
  }
  size_t operator()(std::mt19937_64& rng) const {
    double u = std::uniform_real_distribution<double>(0, cumulative_.back())(rng);
    return static_cast<size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), u) -
                               cumulative_.begin());
  }

 private:
  std::vector<double> cumulative_;
};

std::string made_up_word(std::mt19937_64& rng, size_t syllables) {
  std::string w;
  for (size_t i = 0; i < syllables; ++i) w += kSyllables[rng() % std::size(kSyllables)];
  return w;
}

std::string capitalized(std::string w) {
  if (!w.empty() && w[0] >= 'a' && w[0] <= 'z') w[0] = static_cast<char>(w[0] - 'a' + 'A');
  return w;
}

// Makes `count` distinct strings with `make`.
template <typename Make>
std::vector<std::string> distinct(size_t count, std::mt19937_64& rng, Make make) {
  std::set<std::string> seen;
  std::vector<std::string> out;
  while (out.size() < count) {
    std::string s = make(rng);
    if (seen.insert(s).second) out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

struct SyntheticArchive::Model {
  std::vector<std::string> words;
  std::vector<std::vector<std::string>> phrases;  // recurring 2-3 word collocations
  std::vector<std::string> people, orgs, places, topics;
  Zipf word_rank{1, 1.0}, phrase_rank{1, 1.0}, person_rank{1, 1.0}, org_rank{1, 1.0},
      place_rank{1, 1.0}, topic_rank{1, 1.0};
  std::vector<double> year_weights;
};

SyntheticArchive::SyntheticArchive(const SyntheticOptions& options)
    : options_(options), model_(new Model()) {
  std::mt19937_64 rng(mix(options.seed));
  Model& m = *model_;
  std::set<std::string> seen(std::begin(kCommonWords), std::end(kCommonWords));
  m.words.assign(std::begin(kCommonWords), std::end(kCommonWords));
  while (m.words.size() < 60000) {
    std::string w = made_up_word(rng, 1 + rng() % 4);
    if (w.size() >= 3 && seen.insert(w).second) m.words.push_back(std::move(w));
  }
  m.word_rank = Zipf(m.words.size(), 1.05);
  for (size_t i = 0; i < 4000; ++i) {
    std::vector<std::string> phrase;
    size_t n = 2 + rng() % 2;
    for (size_t k = 0; k < n; ++k) phrase.push_back(m.words[40 + rng() % 8000]);
    m.phrases.push_back(std::move(phrase));
  }
  m.phrase_rank = Zipf(m.phrases.size(), 1.0);
  // Each draw is a statement of its own: the operands of one + may be evaluated in either
  // order, and the archive must be the same whatever the compiler. The order is the one
  // GCC took when they shared an expression, so that archives stay what they were.
  m.people = distinct(8000, rng, [](std::mt19937_64& r) {
    std::string last = capitalized(made_up_word(r, 2 + r() % 2));
    return capitalized(made_up_word(r, 2)) + " " + last;
  });
  m.orgs = distinct(3000, rng, [](std::mt19937_64& r) {
    const char* suffix = kOrgSuffixes[r() % std::size(kOrgSuffixes)];
    return capitalized(made_up_word(r, 2 + r() % 2)) + " " + suffix;
  });
  m.places = distinct(600, rng, [](std::mt19937_64& r) { return capitalized(made_up_word(r, 2 + r() % 2)); });
  m.topics = distinct(80, rng, [](std::mt19937_64& r) { return made_up_word(r, 2); });
  m.person_rank = Zipf(m.people.size(), 1.1);
  m.org_rank = Zipf(m.orgs.size(), 1.1);
  m.place_rank = Zipf(m.places.size(), 1.2);
  m.topic_rank = Zipf(m.topics.size(), 1.0);
  // Archives hold more of recent years: weight grows with the square of the year's rank.
  for (int y = options.first_year; y <= options.last_year; ++y) {
    double rank = y - options.first_year + 1;
    m.year_weights.push_back(rank * rank);
  }
}

SyntheticArchive::~SyntheticArchive() { delete model_; }

Article SyntheticArchive::article(uint64_t i) const {
  const Model& m = *model_;
  std::mt19937_64 rng(mix(options_.seed ^ mix(i + 1)));
  Article a;
  a.id = fmt::format("syn-{:09}", i);
  std::discrete_distribution<int> year(m.year_weights.begin(), m.year_weights.end());
  int y = options_.first_year + year(rng);
  int64_t start = utc_seconds(y, 1, 1), end = utc_seconds(y + 1, 1, 1);
  a.published = start + static_cast<int64_t>(rng() % static_cast<uint64_t>(end - start));
  std::discrete_distribution<int> source(std::begin(kSourceWeights), std::end(kSourceWeights));
  a.source = kSources[source(rng)];
  size_t n_people = rng() % 3, n_orgs = rng() % 3, n_places = 1 + rng() % 2;
  for (size_t k = 0; k < n_people; ++k) a.entities.push_back({EntityType::kPerson, m.people[m.person_rank(rng)]});
  for (size_t k = 0; k < n_orgs; ++k) a.entities.push_back({EntityType::kOrg, m.orgs[m.org_rank(rng)]});
  for (size_t k = 0; k < n_places; ++k) a.entities.push_back({EntityType::kPlace, m.places[m.place_rank(rng)]});
  a.topics.push_back(m.topics[m.topic_rank(rng)]);
  if (rng() % 3 == 0) a.topics.push_back(m.topics[m.topic_rank(rng)]);

  auto sentence = [&](size_t words, bool headline) {
    std::string s;
    size_t n = 0;
    while (n < words) {
      if (!s.empty()) s += ' ';
      uint64_t roll = rng() % 100;
      if (roll < 12) {  // a recurring phrase, which makes phrase queries meaningful
        const auto& p = m.phrases[m.phrase_rank(rng)];
        for (size_t k = 0; k < p.size(); ++k) s += (k ? " " : "") + p[k];
        n += p.size();
      } else if (roll < 16 && !a.entities.empty()) {
        s += a.entities[rng() % a.entities.size()].name;
        n += 2;
      } else {
        s += m.words[m.word_rank(rng)];
        ++n;
      }
    }
    if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
    if (!headline) s += rng() % 10 == 0 ? ", officials said." : ".";
    return s;
  };
  a.headline = sentence(6 + rng() % 6, true);
  const Entity& place = a.entities[n_people + n_orgs];
  std::string dateline = place.name;
  for (char& c : dateline) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  a.dateline = dateline;
  size_t paragraphs = 2 + rng() % 5;
  for (size_t p = 0; p < paragraphs; ++p) {
    if (p) a.body += "\n\n";
    size_t sentences = 1 + rng() % 3;
    for (size_t k = 0; k < sentences; ++k) a.body += (k ? " " : "") + sentence(8 + rng() % 16, false);
  }
  return a;
}

Status write_synthetic_archive(const SyntheticOptions& options, std::FILE* out) {
  SyntheticArchive archive(options);
  for (uint64_t i = 0; i < options.articles; ++i) {
    std::string line = article_to_json(archive.article(i));
    line += '\n';
    if (std::fwrite(line.data(), 1, line.size(), out) != line.size())
      return Status::io_error("write failed");
  }
  return Status::ok();
}

Status write_synthetic_queries(const SyntheticOptions& options, size_t per_kind, std::FILE* out) {
  SyntheticArchive archive(options);
  std::mt19937_64 rng(mix(options.seed * 31 + 7));
  auto body_words = [&](const Article& a) {
    std::vector<Token> tokens;
    tokenize(a.body, 0, tokens);
    std::vector<std::string> words;
    for (Token& t : tokens) words.push_back(std::move(t.text));
    return words;
  };
  // As in the archive, each draw is a statement of its own, in the order GCC took.
  auto pick = [&](const std::vector<std::string>& words) { return words[rng() % words.size()]; };
  auto random_article = [&]() { return archive.article(rng() % options.articles); };
  const char* const kinds[] = {"term", "and2", "and3", "or2", "or3", "phrase2", "phrase3",
                               "field", "date", "bool", "phrase_and"};
  for (const char* kind : kinds) {
    std::string k = kind;
    for (size_t n = 0; n < per_kind; ++n) {
      Article a = random_article();
      std::vector<std::string> w = body_words(a);
      std::string q;
      if (k == "term") {
        q = pick(w);
      } else if (k == "and2" || k == "and3") {
        std::string second = pick(w);
        q = pick(w) + " AND " + second;
        if (k == "and3") q += " AND " + pick(w);
      } else if (k == "or2" || k == "or3") {
        std::string second = pick(body_words(random_article()));
        q = pick(w) + " OR " + second;
        if (k == "or3") q += " OR " + pick(body_words(random_article()));
      } else if (k == "phrase2" || k == "phrase3" || k == "phrase_and") {
        size_t len = k == "phrase3" ? 3 : 2;
        size_t at = rng() % (w.size() - len + 1);
        q = "\"";
        for (size_t i = 0; i < len; ++i) q += (i ? " " : "") + w[at + i];
        q += "\"";
        if (k == "phrase_and") q += " AND " + pick(w);
      } else if (k == "field") {
        std::string place;
        for (const Entity& e : a.entities)
          if (e.type == EntityType::kPlace) place = normalize_name(e.name);
        q = pick(w) + " AND place:" + place;
      } else if (k == "date") {
        int64_t from = *a.published - static_cast<int64_t>(rng() % 60) * 86400;
        int64_t to = *a.published + static_cast<int64_t>(rng() % 60) * 86400;
        q = pick(w) + " AND date:" + format_iso_date(from) + ".." + format_iso_date(to);
      } else {  // bool
        std::string excluded = pick(body_words(random_article()));
        std::string required = pick(w);
        std::string second = pick(w);
        q = "(" + pick(w) + " OR " + second + ") AND " + required + " NOT " + excluded;
      }
      fmt::print(out, "{}\t{}\n", k, q);
    }
  }
  return Status::ok();
}

}  // namespace morgue
