// What's measured: encode and decode speed (integers/s) and size (bytes/integer) of every
//   block codec, on blocks of 128 document gaps; decode alone and decode to document numbers.
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

// Times `decode_block(in, out, first_of_pass)`, which decodes the block at the front of
// `in` and returns its bytes, over passes of 4096 encoded blocks of the state's gaps.
template <typename DecodeBlock>
void time_decoding(benchmark::State& state, DecodeBlock decode_block) {
  const auto& codec = codec_arg(state);
  auto values = gaps(static_cast<double>(state.range(1)), 4096);
  std::string bytes;
  for (size_t b = 0; b < values.size(); b += kBlockSize) codec.encode(values.data() + b, bytes);
  uint32_t out[kBlockSize];
  for (auto _ : state) {
    std::string_view in = bytes;
    for (bool first_of_pass = true; !in.empty(); first_of_pass = false) {
      in.remove_prefix(decode_block(in, out, first_of_pass));
      benchmark::DoNotOptimize(out);
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * values.size()));
  state.counters["bytes_per_int"] = static_cast<double>(bytes.size()) / values.size();
  state.SetLabel(std::string(codec.name()));
}

void BM_CodecDecode(benchmark::State& state) {
  const auto& codec = codec_arg(state);
  time_decoding(state, [&](std::string_view in, uint32_t* out, bool) { return codec.decode(in, out); });
}

// Gaps to document numbers in one pass, as a posting block is loaded (decode_docs).
void BM_CodecDecodeDocs(benchmark::State& state) {
  const auto& codec = codec_arg(state);
  uint64_t first = 0;
  time_decoding(state, [&](std::string_view in, uint32_t* out, bool first_of_pass) {
    if (first_of_pass) first = 0;  // a pass's numbers stay far below 2^32
    uint64_t last = 0;
    size_t used = codec.decode_docs(in, out, first, last);
    first = last + 1;
    return used;
  });
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

BENCHMARK(BM_CodecDecode)->ArgsProduct({{0, 1, 2}, {2, 16, 500}});
BENCHMARK(BM_CodecDecodeDocs)->ArgsProduct({{0, 1, 2}, {2, 16, 500}});
BENCHMARK(BM_CodecEncode)->ArgsProduct({{0, 1, 2}, {2, 16, 500}});

}  // namespace

BENCHMARK_MAIN();
