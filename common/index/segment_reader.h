// One segment of an index, opened read-only through memory maps: its term dictionary,
// postings, positions, document values, stored articles and deletions as of the manifest
// that named it. Every file is validated on open (header, footer, lengths, structure).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/file.h"
#include "common/codec/block_codec.h"
#include "common/format/deletions.h"
#include "common/format/doc_values.h"
#include "common/format/manifest.h"
#include "common/format/postings_reader.h"
#include "common/format/term_dict_reader.h"
#include "common/store/store_reader.h"

namespace morgue {

struct OpenOptions {
  // Verify every file's checksum on open (reads every byte; `verify` does this).
  bool verify_checksums = false;
};

class SegmentReader {
 public:
  // Opens the files of `meta` in `dir`. kNotFound if a file is missing (a writer may have
  // removed it after a newer commit: the caller re-reads the manifest), kCorruption naming
  // the file if one is damaged.
  static Result<std::shared_ptr<const SegmentReader>> open(const std::string& dir,
                                                           const SegmentMeta& meta,
                                                           const OpenOptions& options);

  const SegmentMeta& meta() const { return meta_; }
  const TermDictReader& terms() const { return *terms_; }
  const DocValuesReader& values() const { return *values_; }
  const StoreReader& store() const { return *store_; }
  const DeletionSet& deletions() const { return deletions_; }
  const BlockCodec& codec() const { return *codec_; }
  bool is_deleted(DocNum doc) const { return deletions_.is_deleted(doc); }

  // The postings and positions streams (file bodies) that TermInfo offsets point into.
  std::string_view postings_bytes() const { return postings_body_; }
  std::string_view positions_bytes() const { return positions_body_; }

  // Positions an iterator on a term's postings. kCorruption if its bounds are bad.
  Status open_postings(const TermInfo& info, PostingsIterator& out) const;
  // Adds the bytes of each part of a term's postings and positions to `out`
  // (measure_term_layout). kCorruption if they are damaged.
  Status measure_layout(const TermInfo& info, PostingsLayout& out) const;

  // The postings and positions files opened for pread through windows, for a reader
  // that streams through the segment once, term by term (a merge; RandomAccessFile and
  // WindowedFileReader say why). Opened on request so that only merges hold the two
  // descriptors and windows, not every query process.
  struct PostingsFiles {
    WindowedFileReader postings, positions;
  };
  // `window_bytes`: each file's window.
  Result<PostingsFiles> open_postings_files(size_t window_bytes) const;
  // A term's postings and positions, read by read_postings(): views into the files'
  // windows, valid until the next read from the same files.
  struct TermBytes {
    std::string_view postings, positions;
  };
  // Reads a term's bytes from `files` (this segment's open_postings_files()) rather than
  // through the maps. kCorruption if its bounds are bad.
  Status read_postings(const TermInfo& info, PostingsFiles& files, TermBytes& bytes) const;
  // Positions an iterator on a term's postings read by read_postings(); `bytes` must
  // outlive it.
  Status open_postings(const TermInfo& info, const TermBytes& bytes, PostingsIterator& out) const;

  // The term's info, or nullopt. kCorruption if the dictionary is damaged.
  Result<std::optional<TermInfo>> find(std::string_view term) const { return terms_->find(term); }

  // The live document with this article id, if any.
  Result<std::optional<DocNum>> find_article(std::string_view id) const;
  // The article id of every document, deleted or not, by number (`ids` is overwritten), from
  // the id terms: a prefix scan of the dictionary, no stored article decompressed.
  // kCorruption if an id term points past the last document or its postings are damaged.
  Status article_ids(std::vector<std::string>& ids) const;

  // Drops the pages of every file from this process's resident memory (MmapFile); for
  // readers that stream through a segment once, as a merge does.
  void drop_resident_pages() const;

  // Sizes of the segment's files by kind, for stats.
  uint64_t file_bytes(FileKind kind) const;

 private:
  SegmentMeta meta_;
  std::unique_ptr<TermDictReader> terms_;
  std::unique_ptr<DocValuesReader> values_;
  std::unique_ptr<StoreReader> store_;
  DeletionSet deletions_;
  MmapFile postings_file_;
  MmapFile positions_file_;
  std::string_view postings_body_;
  std::string_view positions_body_;
  const BlockCodec* codec_ = nullptr;
  uint64_t deletions_file_bytes_ = 0;
};

}  // namespace morgue
