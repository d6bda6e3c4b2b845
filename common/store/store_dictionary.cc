// A store's zstd dictionary: how large, on how many sample bytes, and its training
// (declared in store_writer.h; docs/FORMAT.md#store, "Choices").
//
// For ZDICT_optimizeTrainFromBuffer_fastCover, zstd's "experimental" dictionary API, which
// libzstd 1.5 exports: ZDICT_trainFromBuffer runs its search over k on one thread, and
// its own threads could pick either of two candidates that tie.
#define ZDICT_STATIC_LINKING_ONLY
#include <zdict.h>
#include <zstd.h>

#include <algorithm>
#include <atomic>
#include <limits>
#include <thread>

#include "common/store/store_writer.h"
#include "common/store/zstd_handles.h"

namespace morgue {
namespace {

constexpr size_t kMinDictBytes = 1024;
// Below this many bytes of articles a dictionary is not worth training: ZDICT's fixed cost
// (tens of ms, mostly clearing its tables) dwarfs compressing so little, and the dictionary
// would take a good part of the small store it serves.
constexpr uint64_t kMinTrainingBytes = 256 * 1024;
constexpr size_t kMinSamples = 16;
constexpr uint64_t kSerialisedBytesPerDictByte = 512;

// ZDICT_trainFromBuffer's search (zstd 1.5): fastCover with d = 8 over k from 50 to 2000
// in 4 steps (50, 537, 1024, 1511, 1998), each dictionary trained on the first 3/4 of the
// samples and judged by its own size plus the compressed size of the last quarter at the
// default level; the smallest wins, the first of equals.
constexpr unsigned kSearchMinK = 50;
constexpr unsigned kSearchMaxK = 2000;
constexpr unsigned kSearchSteps = 4;
constexpr unsigned kSearchD = 8;
constexpr double kSearchTrainShare = 0.75;

// What ZDICT's search scores a candidate: its bytes plus those of the samples from
// `first_test` on, each compressed alone with it at the default level.
size_t search_score(const std::string& dict, std::string_view concatenated,
                    const std::vector<size_t>& sizes, size_t first_test) {
  constexpr size_t kFailed = std::numeric_limits<size_t>::max();
  ZstdCDictPtr cdict(ZSTD_createCDict(dict.data(), dict.size(), ZSTD_CLEVEL_DEFAULT));
  ZstdCCtxPtr cctx(ZSTD_createCCtx());
  if (!cdict || !cctx) return kFailed;
  size_t offset = 0;
  for (size_t i = 0; i < first_test; ++i) offset += sizes[i];
  std::string out;
  size_t total = dict.size();
  for (size_t i = first_test; i < sizes.size(); ++i) {
    out.resize(ZSTD_compressBound(sizes[i]));
    size_t n = ZSTD_compress_usingCDict(cctx.get(), out.data(), out.size(),
                                        concatenated.data() + offset, sizes[i], cdict.get());
    if (ZSTD_isError(n)) return kFailed;
    total += n;
    offset += sizes[i];
  }
  return total;
}

// ZDICT_trainFromBuffer's dictionary, its candidates trained and judged on `threads`
// threads. Each candidate k is trained alone (ZDICT's search given that k) and scored
// here as ZDICT scores it, and the choice is made once all are in, so the dictionary does
// not depend on the threads. Empty if every candidate failed.
std::string search_dictionary(std::string_view concatenated, const std::vector<size_t>& sizes,
                              size_t dict_bytes, unsigned threads) {
  std::vector<unsigned> ks;
  for (unsigned k = kSearchMinK; k <= kSearchMaxK; k += (kSearchMaxK - kSearchMinK) / kSearchSteps)
    ks.push_back(k);
  const auto first_test =
      static_cast<size_t>(static_cast<double>(sizes.size()) * kSearchTrainShare);
  struct Candidate {
    std::string dict;
    size_t score = std::numeric_limits<size_t>::max();
  };
  std::vector<Candidate> candidates(ks.size());
  std::atomic<size_t> next{0};
  auto train = [&] {
    for (size_t i; (i = next.fetch_add(1)) < ks.size();) {
      ZDICT_fastCover_params_t params{};
      params.k = ks[i];
      params.d = kSearchD;
      params.steps = kSearchSteps;
      params.splitPoint = kSearchTrainShare;
      params.zParams.compressionLevel = ZSTD_CLEVEL_DEFAULT;
      std::string dict(dict_bytes, '\0');
      size_t n = ZDICT_optimizeTrainFromBuffer_fastCover(dict.data(), dict.size(),
                                                         concatenated.data(), sizes.data(),
                                                         static_cast<unsigned>(sizes.size()),
                                                         &params);
      if (ZDICT_isError(n)) continue;
      dict.resize(n);
      candidates[i].score = search_score(dict, concatenated, sizes, first_test);
      candidates[i].dict = std::move(dict);
    }
  };
  std::vector<std::jthread> helpers;
  for (unsigned t = 1; t < std::min<size_t>(threads, ks.size()); ++t) helpers.emplace_back(train);
  train();
  helpers.clear();  // joins
  const Candidate* best = nullptr;
  for (const Candidate& c : candidates)
    if (!c.dict.empty() && (best == nullptr || c.score < best->score)) best = &c;
  return best == nullptr ? std::string() : best->dict;
}

}  // namespace

size_t store_dictionary_bytes(uint64_t serialised_bytes) {
  return static_cast<size_t>(std::clamp<uint64_t>(serialised_bytes / kSerialisedBytesPerDictByte,
                                                  kStoreDictionaryBytes, kStoreMaxDictionaryBytes));
}

size_t store_training_bytes(size_t dict_bytes) {
  return std::min(kStoreTrainingBytesPerDictByte * dict_bytes, kStoreMaxTrainingBytes);
}

std::string train_store_dictionary(std::string_view concatenated, const std::vector<size_t>& sizes,
                                   size_t max_dict_bytes, unsigned threads) {
  size_t dict_bytes = std::min<uint64_t>(max_dict_bytes, concatenated.size() / 10);
  if (concatenated.size() < kMinTrainingBytes || dict_bytes < kMinDictBytes ||
      sizes.size() < kMinSamples) {
    return {};
  }
  if (threads <= 1) {
    // The same search in ZDICT, which scores each candidate once where search_dictionary
    // scores it again: on one thread, ZDICT's is faster (1.24 s against 1.45-1.55 s at a
    // million articles).
    std::string dict(dict_bytes, '\0');
    size_t n = ZDICT_trainFromBuffer(dict.data(), dict.size(), concatenated.data(),
                                     sizes.data(), static_cast<unsigned>(sizes.size()));
    if (ZDICT_isError(n)) return {};
    dict.resize(n);
    return dict;
  }
  return search_dictionary(concatenated, sizes, dict_bytes, threads);
}

std::string train_store_dictionary(const std::vector<std::string_view>& samples,
                                   size_t max_dict_bytes) {
  uint64_t total = 0;
  for (std::string_view s : samples) total += std::min(s.size(), kStoreMaxSampleBytes);
  // Take every k-th sample (k ≥ 1) so that the samples fit the budget and spread over the
  // whole segment rather than its first articles.
  uint64_t budget = store_training_bytes(max_dict_bytes);
  uint64_t stride = std::max<uint64_t>(1, (total + budget - 1) / budget);
  std::string buffer;
  std::vector<size_t> sizes;
  for (size_t i = 0; i < samples.size(); i += stride) {
    std::string_view s = samples[i].substr(0, kStoreMaxSampleBytes);
    if (s.empty()) continue;
    buffer.append(s);
    sizes.push_back(s.size());
  }
  return train_store_dictionary(buffer, sizes, max_dict_bytes);
}

}  // namespace morgue
