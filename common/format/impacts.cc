#include "common/format/impacts.h"

#include <algorithm>

namespace morgue {

std::vector<Impact> impact_frontier(std::span<const uint32_t> wdfs,
                                    std::span<const uint32_t> doclens) {
  // The shortest document for each wdf (small wdfs in a table, as nearly all are; the
  // rest sorted), then a sweep from the highest wdf down keeping each pair shorter than
  // every pair above it. Linear for the common case: this runs for every block indexed.
  constexpr uint32_t kSmall = 64;
  uint32_t shortest[kSmall];
  std::fill(shortest, shortest + kSmall, UINT32_MAX);
  std::vector<Impact> large;
  for (size_t i = 0; i < wdfs.size(); ++i) {
    if (wdfs[i] < kSmall) {
      shortest[wdfs[i]] = std::min(shortest[wdfs[i]], doclens[i]);
    } else {
      large.push_back({wdfs[i], doclens[i]});
    }
  }
  std::sort(large.begin(), large.end(), [](const Impact& a, const Impact& b) {
    return a.wdf != b.wdf ? a.wdf > b.wdf : a.doclen < b.doclen;
  });
  std::vector<Impact> frontier;  // highest wdf first while building
  auto consider = [&](Impact p) {
    if (frontier.empty() || p.doclen < frontier.back().doclen) frontier.push_back(p);
  };
  for (const Impact& p : large) consider(p);
  for (uint32_t w = kSmall; w-- > 0;)
    if (shortest[w] != UINT32_MAX) consider({w, shortest[w]});
  std::reverse(frontier.begin(), frontier.end());
  return frontier;
}

void merge_frontiers(std::span<const Impact> a, std::span<const Impact> b,
                     std::vector<Impact>& out) {
  // From the highest wdf down, as impact_frontier() sweeps: of equal wdfs the shorter
  // first, and a pair is kept if it is shorter than every pair kept before it.
  out.clear();
  size_t i = a.size(), j = b.size();
  while (i > 0 || j > 0) {
    bool from_a = j == 0 || (i > 0 && (a[i - 1].wdf != b[j - 1].wdf
                                            ? a[i - 1].wdf > b[j - 1].wdf
                                            : a[i - 1].doclen <= b[j - 1].doclen));
    Impact p = from_a ? a[--i] : b[--j];
    if (out.empty() || p.doclen < out.back().doclen) out.push_back(p);
  }
  std::reverse(out.begin(), out.end());
}

std::vector<Impact> coarsen_impacts(std::vector<Impact> frontier) {
  while (frontier.size() > kMaxImpacts) {
    size_t best = 0;
    for (size_t i = 1; i + 1 < frontier.size(); ++i) {
      if (frontier[i + 1].doclen - frontier[i].doclen <
          frontier[best + 1].doclen - frontier[best].doclen) {
        best = i;
      }
    }
    frontier[best + 1].doclen = frontier[best].doclen;
    frontier.erase(frontier.begin() + static_cast<std::ptrdiff_t>(best));
  }
  return frontier;
}

std::vector<Impact> compute_impacts(std::span<const uint32_t> wdfs,
                                    std::span<const uint32_t> doclens) {
  return coarsen_impacts(impact_frontier(wdfs, doclens));
}

void encode_impacts(std::span<const Impact> impacts, std::string& out) {
  put_varint(out, impacts.size());
  for (size_t i = 0; i < impacts.size(); ++i) {
    if (i == 0) {
      put_varint(out, impacts[0].wdf);
      put_varint(out, impacts[0].doclen);
    } else {
      put_varint(out, impacts[i].wdf - impacts[i - 1].wdf - 1);
      put_varint(out, impacts[i].doclen - impacts[i - 1].doclen - 1);
    }
  }
}

bool decode_impacts(ByteReader& in, Impact (&out)[kMaxImpacts], size_t& count) {
  uint64_t n = in.varint();
  if (!in.ok() || n == 0 || n > kMaxImpacts) return false;
  count = static_cast<size_t>(n);
  uint64_t wdf = 0, doclen = 0;
  for (size_t i = 0; i < count; ++i) {
    uint64_t w = in.varint(), l = in.varint();
    wdf = i == 0 ? w : wdf + w + 1;
    doclen = i == 0 ? l : doclen + l + 1;
    if (!in.ok() || wdf == 0 || wdf > UINT32_MAX || doclen > UINT32_MAX) return false;
    out[i] = {static_cast<uint32_t>(wdf), static_cast<uint32_t>(doclen)};
  }
  return true;
}

}  // namespace morgue
