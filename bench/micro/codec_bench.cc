// What's measured: encode and decode speed (integers/s) and size (bytes/integer) of every
//   block codec, on blocks of 128 document gaps.
// Data model: geometric gaps with mean 2 (a frequent term), 16, and 500 (a rare term), and
//   wdf - 1 values (mostly 0); 4096 blocks each, fixed seed.
// Notes: decode is what queries pay; Debian's libstreamvbyte is built without SIMD.
// How to run: ./bench/morgue_micro_bench --benchmark_filter=Codec
#include <benchmark/benchmark.h>

#include <random>

#include "common/codec/block_codec.h"

namespace {

using morgue::kBlockSize;

std::vector<uint32_t> gaps(double mean, size_t blocks) {
  std::mt19937 rng(12345);
  std::geometric_distribution<uint32_t> dist(1.0 / mean);
  std::vector<uint32_t> out(blocks * kBlockSize);
  for (uint32_t& v : out) v = dist(rng);
  return out;
}

const morgue::BlockCodec& codec_arg(const benchmark::State& state) {
  return *morgue::all_codecs()[static_cast<size_t>(state.range(0))];
}

void BM_CodecDecode(benchmark::State& state) {
  const auto& codec = codec_arg(state);
  auto values = gaps(static_cast<double>(state.range(1)), 4096);
  std::string bytes;
  for (size_t b = 0; b < values.size(); b += kBlockSize) codec.encode(values.data() + b, bytes);
  uint32_t out[kBlockSize];
  for (auto _ : state) {
    std::string_view in = bytes;
    while (!in.empty()) {
      size_t used = codec.decode(in, out);
      benchmark::DoNotOptimize(out);
      in.remove_prefix(used);
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * values.size()));
  state.counters["bytes_per_int"] = static_cast<double>(bytes.size()) / values.size();
  state.SetLabel(std::string(codec.name()));
}

void BM_CodecEncode(benchmark::State& state) {
  const auto& codec = codec_arg(state);
  auto values = gaps(static_cast<double>(state.range(1)), 4096);
  std::string bytes;
  for (auto _ : state) {
    bytes.clear();
    for (size_t b = 0; b < values.size(); b += kBlockSize) codec.encode(values.data() + b, bytes);
    benchmark::DoNotOptimize(bytes.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * values.size()));
  state.SetLabel(std::string(codec.name()));
}

BENCHMARK(BM_CodecDecode)->ArgsProduct({{0, 1}, {2, 16, 500}});
BENCHMARK(BM_CodecEncode)->ArgsProduct({{0, 1}, {2, 16, 500}});

}  // namespace

BENCHMARK_MAIN();
