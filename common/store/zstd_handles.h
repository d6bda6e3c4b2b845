// Owning handles for zstd's contexts and digested dictionaries, each freed by its own
// function.
#pragma once

#include <zstd.h>

#include <memory>

namespace morgue {

struct ZstdFree {
  void operator()(ZSTD_CCtx* ctx) const { ZSTD_freeCCtx(ctx); }
  void operator()(ZSTD_DCtx* ctx) const { ZSTD_freeDCtx(ctx); }
  void operator()(ZSTD_CDict* dict) const { ZSTD_freeCDict(dict); }
};
using ZstdCCtxPtr = std::unique_ptr<ZSTD_CCtx, ZstdFree>;
using ZstdDCtxPtr = std::unique_ptr<ZSTD_DCtx, ZstdFree>;
using ZstdCDictPtr = std::unique_ptr<ZSTD_CDict, ZstdFree>;

}  // namespace morgue
