#include "indexer/index/index_writer.h"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <set>
#include <xxhash.h>

#include "common/analysis/field_terms.h"
#include "common/base/allocator.h"
#include "common/base/crash_point.h"
#include "common/base/thread.h"
#include "common/store/article_codec.h"
#include "indexer/index/segment_flush.h"
#include "indexer/index/segment_merger.h"

namespace morgue {
namespace fs = std::filesystem;

// A segment the writer knows: committed, or flushed since the last commit. `deletions` is
// the writer's current view, ahead of the reader's committed one until the next commit.
struct IndexWriter::Segment {
  SegmentMeta meta;
  std::shared_ptr<const SegmentReader> reader;
  DeletionSet deletions;
  bool deletions_changed = false;
  bool temporary_store = false;  // flushed fast for a build's final merge to rewrite
  // For segments this writer flushed or merged from such: the sorted id_hash() of every
  // article id in the segment (and maybe of some no longer in it). An id whose hash is not
  // here is not in the segment, and find_live() skips its dictionary: a build looks up
  // every new id in every flushed segment, and the pages those lookups touch (up to 41 MB
  // at a million articles) counted against the budget. Empty with has_id_hashes false for
  // segments opened from disk, which are looked up.
  bool has_id_hashes = false;
  std::vector<uint64_t> id_hashes;
};

namespace {

uint64_t id_hash(std::string_view id) { return XXH3_64bits(id.data(), id.size()); }

// The two in-memory segments, one filling while the other is flushed, take a third of the
// RAM budget each; the last third is for what runs beside them: the program, the articles
// analysed ahead of the writer, a flush's working set, the pages id lookups touch in the
// flushed segments (docs/INDEXING.md#memory-and-segments).
size_t buffer_limit_bytes(size_t ram_budget) { return ram_budget / 3; }

// The tiered merge policy: segments are grouped in tiers by size (a factor of
// kMergeFactor between tiers); a tier holding kMergeFactor segments is merged into one.
// Each document is then rewritten about log_kMergeFactor(N / flush size) times.
constexpr size_t kMergeFactor = 8;

size_t tier_of(uint64_t docs) {
  size_t tier = 0;
  while (docs >= kMergeFactor * 1000) {
    docs /= kMergeFactor;
    ++tier;
  }
  return tier;
}

}  // namespace

PreparedArticle prepare_article(Article article, Analyzer& analyzer) {
  PreparedArticle p;
  article_terms(article, analyzer, p.terms);
  p.stored = encode_article(article);
  p.article = std::move(article);
  return p;
}

Result<std::unique_ptr<IndexWriter>> IndexWriter::open(const std::string& dir,
                                                       const IndexWriterOptions& options) {
  std::unique_ptr<IndexWriter> w(new IndexWriter());
  w->dir_ = dir;
  w->options_ = options;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    if (!options.create_if_missing) return Status::not_found(dir + ": no such index directory");
    fs::create_directories(dir, ec);
    if (ec) return Status::io_error(dir + ": cannot create directory: " + ec.message());
  }
  MORGUE_ASSIGN_OR_RETURN(w->lock_, FileLock::acquire((fs::path(dir) / kLockFileName).string()));
  auto manifest = read_manifest(dir);
  if (manifest.is_ok()) {
    if (options.error_if_exists) {
      return Status::invalid_argument(dir + ": an index already exists here; use 'add' to add "
                                            "to it, or choose another directory");
    }
    w->manifest_ = std::move(manifest).value();
  } else if (manifest.status().code() == StatusCode::kNotFound && options.create_if_missing) {
    w->manifest_.index_uuid = random_uuid();
  } else {
    return manifest.status();
  }
  w->next_segment_number_ = w->manifest_.next_segment_number;
  for (const SegmentMeta& meta : w->manifest_.segments) {
    auto segment = std::make_unique<Segment>();
    segment->meta = meta;
    MORGUE_ASSIGN_OR_RETURN(segment->reader, SegmentReader::open(dir, meta, {}));
    segment->deletions = segment->reader->deletions();
    w->segments_.push_back(std::move(segment));
  }
  // Files left by a writer that crashed before its commit are garbage: nothing names them.
  MORGUE_RETURN_IF_ERROR(w->remove_unreferenced_files());
  return w;
}

IndexWriter::~IndexWriter() {
  // A flush in flight reads flushing_: let it end (its segment, never committed, is
  // garbage the next writer removes).
  if (flush_result_.valid()) flush_result_.wait();
}

Result<std::optional<std::pair<size_t, DocNum>>> IndexWriter::find_live(std::string_view id) const {
  uint64_t hash = id_hash(id);
  // One filter probe rules out every segment with id hashes; a hit (a replaced article, or
  // under 1% of new ids) searches their hashes one by one.
  bool in_no_hashed_segment = !id_filter_.may_contain(hash);
  // Newest segments first: at most one live document holds an id, and it is most often
  // a recent one.
  for (size_t i = segments_.size(); i-- > 0;) {
    const Segment& s = *segments_[i];
    if (s.has_id_hashes && (in_no_hashed_segment ||
                            !std::binary_search(s.id_hashes.begin(), s.id_hashes.end(), hash)))
      continue;
    MORGUE_ASSIGN_OR_RETURN(std::optional<TermInfo> info,
                            s.reader->find(make_term(prefix::kId, id)));
    if (!info) continue;
    PostingsIterator it;
    MORGUE_RETURN_IF_ERROR(s.reader->open_postings(*info, it));
    for (; it.doc() != kEndDoc; it.next()) {
      if (!s.deletions.is_deleted(it.doc())) return std::optional(std::pair(i, it.doc()));
    }
    MORGUE_RETURN_IF_ERROR(it.status());
  }
  return std::optional<std::pair<size_t, DocNum>>();
}

void IndexWriter::add_to_id_filter(const std::vector<uint64_t>& id_hashes) {
  if (id_filter_.needs_rebuild(id_hashes.size())) {
    size_t keys = id_hashes.size();
    for (const auto& s : segments_) keys += s->id_hashes.size();
    id_filter_.rebuild(keys);
    for (const auto& s : segments_)
      for (uint64_t h : s->id_hashes) id_filter_.add(h);
  }
  for (uint64_t h : id_hashes) id_filter_.add(h);
}

Status IndexWriter::delete_in_segment(size_t index, DocNum doc) {
  Segment& s = *segments_[index];
  // The deleted article's terms come from analysing its stored text again: the statistics
  // must drop exactly what it added.
  MORGUE_ASSIGN_OR_RETURN(Article article, s.reader->store().get_article(doc));
  ArticleTerms terms;
  article_terms(article, analyzer_, terms);
  std::vector<std::pair<std::string_view, uint32_t>> term_wdfs;
  term_wdfs.reserve(terms.terms.size());
  for (const TermOccurrences& t : terms.terms) term_wdfs.emplace_back(terms.term(t), t.wdf);
  if (terms.doclen != s.reader->values().doclen(doc)) {
    return Status::corruption(fmt::format(
        "segment {}: document {} re-analyses to length {} but was indexed with {} (the index "
        "was built by a morgue with different analysis; rebuild it)",
        s.meta.number, doc, terms.doclen, s.reader->values().doclen(doc)));
  }
  s.deletions.mark(doc, terms.doclen, term_wdfs);
  s.deletions_changed = true;
  return Status::ok();
}

Result<std::optional<uint32_t>> IndexWriter::find_buffered(std::string_view id) {
  if (auto slot = inverter_->find(id)) return slot;
  // Rare (an id sent twice within two buffers' worth of articles): wait for the flush so
  // that the older article is in a segment, where find_live() finds it.
  if (flushing_ && flushing_->find(id)) {
    ++counters_.flush_waits;
    MORGUE_RETURN_IF_ERROR(finish_flush());
  }
  return std::optional<uint32_t>();
}

Result<AddOutcome> IndexWriter::add(PreparedArticle&& p) {
  const Article& a = p.article;
  bool replaced = false;
  MORGUE_ASSIGN_OR_RETURN(std::optional<uint32_t> buffered, find_buffered(a.id));
  if (buffered) {
    if (inverter_->values(*buffered).version > a.version) {
      ++counters_.kept_newer;
      return AddOutcome::kKeptNewer;
    }
    inverter_->kill(*buffered);
    replaced = true;
  } else {
    MORGUE_ASSIGN_OR_RETURN(auto live, find_live(a.id));
    if (live) {
      auto [segment, doc] = *live;
      if (segments_[segment]->reader->values().version(doc) > a.version) {
        ++counters_.kept_newer;
        return AddOutcome::kKeptNewer;
      }
      MORGUE_RETURN_IF_ERROR(delete_in_segment(segment, doc));
      replaced = true;
    }
  }
  inverter_->add(a, p.terms, std::move(p.stored));
  if (replaced) {
    ++counters_.replaced;
  } else {
    ++counters_.added;
  }
  if (inverter_->memory_bytes() > buffer_limit_bytes(options_.ram_budget_bytes) ||
      inverter_->term_buffer_full())
    MORGUE_RETURN_IF_ERROR(start_flush(/*temporary=*/options_.defer_merges));
  return replaced ? AddOutcome::kReplaced : AddOutcome::kAdded;
}

Result<bool> IndexWriter::remove(std::string_view id) {
  MORGUE_ASSIGN_OR_RETURN(std::optional<uint32_t> buffered, find_buffered(id));
  if (buffered) {
    inverter_->kill(*buffered);
    ++counters_.deleted;
    return true;
  }
  MORGUE_ASSIGN_OR_RETURN(auto live, find_live(id));
  if (!live) return false;
  MORGUE_RETURN_IF_ERROR(delete_in_segment(live->first, live->second));
  ++counters_.deleted;
  return true;
}

Status IndexWriter::flush() {
  MORGUE_RETURN_IF_ERROR(start_flush(/*temporary=*/false));
  return finish_flush();
}

Status IndexWriter::start_flush(bool temporary) {
  MORGUE_RETURN_IF_ERROR(finish_flush());
  if (inverter_->live_count() == 0) {
    inverter_->clear();
    return Status::ok();
  }
  flushing_ = std::exchange(inverter_, std::make_unique<Inverter>());
  flushing_number_ = next_segment_number_++;
  // A segment the final merge will rewrite is written in the codec fastest to write and to
  // read back; that merge writes options_.codec.
  const BlockCodec* codec =
      codec_by_id(static_cast<uint8_t>(temporary ? CodecId::kBitPack128 : options_.codec));
  flush_result_ = std::async(std::launch::async, [this, temporary, codec] {
    name_thread("morgue-flush");
    return FlushResult{flush_segment(dir_, flushing_number_, *flushing_, *codec, temporary),
                       temporary};
  });
  return Status::ok();
}

Status IndexWriter::finish_flush() {
  if (!flush_result_.valid()) return Status::ok();
  FlushResult flushed = flush_result_.get();
  std::vector<uint64_t> id_hashes;
  if (flushed.meta.is_ok()) {
    id_hashes.reserve(flushing_->live_count());
    for (uint32_t slot = 0; slot < flushing_->size(); ++slot)
      if (flushing_->is_live(slot)) id_hashes.push_back(id_hash(flushing_->id(slot)));
    std::sort(id_hashes.begin(), id_hashes.end());
  }
  flushing_.reset();
  return_freed_memory();
  if (!flushed.meta.is_ok()) return flushed.meta.status();
  crash_point("flush-written");
  SegmentMeta meta = std::move(flushed.meta).value();
  auto segment = std::make_unique<Segment>();
  segment->meta = meta;
  segment->has_id_hashes = true;
  segment->id_hashes = std::move(id_hashes);
  MORGUE_ASSIGN_OR_RETURN(segment->reader, SegmentReader::open(dir_, meta, {}));
  segment->deletions = DeletionSet(meta.doc_count);
  segment->temporary_store = flushed.temporary_store;
  add_to_id_filter(segment->id_hashes);
  segments_.push_back(std::move(segment));
  // Opening a segment checks its document values and dictionary index in place, and id
  // lookups touch its dictionary: pages that stayed counted in the process's memory, 50 MB
  // over a million-article build. Dropping them (they stay in the page cache) at every
  // flush keeps only what the lookups since the last flush touched.
  for (const auto& s : segments_) s->reader->drop_resident_pages();
  ++counters_.flushes;
  if (flushed.temporary_store) ++counters_.fast_flushes;
  if (options_.defer_merges && segments_.size() < kMaxDeferredSegments) return Status::ok();
  return maybe_merge();
}

Status IndexWriter::commit() {
  MORGUE_RETURN_IF_ERROR(flush());
  Manifest next = manifest_;
  next.generation = manifest_.generation + 1;
  next.next_segment_number = next_segment_number_;
  next.segments.clear();
  for (auto& s : segments_) {
    if (s->deletions_changed) {
      if (s->deletions.deleted_count() == s->meta.doc_count) continue;  // nothing live: drop
      std::string path =
          (fs::path(dir_) / deletions_file_name(s->meta.number, next.generation)).string();
      MORGUE_RETURN_IF_ERROR(s->deletions.write(path, s->meta.uuid));
      s->meta.deleted_count = s->deletions.deleted_count();
      s->meta.deleted_doclen = s->deletions.deleted_doclen();
      s->meta.deletions_generation = next.generation;
    }
    next.segments.push_back(s->meta);
  }
  MORGUE_RETURN_IF_ERROR(sync_directory(dir_));
  crash_point("commit-before-manifest");
  MORGUE_RETURN_IF_ERROR(write_manifest(dir_, next));  // the commit point
  crash_point("commit-after-manifest");
  manifest_ = std::move(next);
  std::erase_if(segments_, [](const auto& s) {
    return s->deletions.deleted_count() == s->meta.doc_count;
  });
  for (auto& s : segments_) s->deletions_changed = false;
  return remove_unreferenced_files();
}

Status IndexWriter::remove_unreferenced_files() const {
  std::set<std::string> keep = {kManifestFileName, kLockFileName};
  for (const SegmentMeta& m : manifest_.segments) {
    for (FileKind kind : {FileKind::kTermDict, FileKind::kPostings, FileKind::kPositions,
                          FileKind::kDocValues, FileKind::kStore})
      keep.insert(segment_file_name(m.number, kind));
    if (m.deletions_generation != 0)
      keep.insert(deletions_file_name(m.number, m.deletions_generation));
  }
  // Segments flushed but not yet committed are in use too.
  for (const auto& s : segments_) {
    for (FileKind kind : {FileKind::kTermDict, FileKind::kPostings, FileKind::kPositions,
                          FileKind::kDocValues, FileKind::kStore})
      keep.insert(segment_file_name(s->meta.number, kind));
  }
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    std::string name = entry.path().filename().string();
    bool ours = name.starts_with("seg-") || name == std::string(kManifestFileName) + ".tmp";
    if (ours && !keep.count(name)) fs::remove(entry.path(), ec);
  }
  return Status::ok();
}

Status IndexWriter::merge_segments(size_t first, size_t count) {
  std::vector<MergeInput> inputs;
  for (size_t i = first; i < first + count; ++i)
    inputs.push_back({segments_[i]->reader.get(), &segments_[i]->deletions});
  uint64_t number = next_segment_number_++;
  MORGUE_ASSIGN_OR_RETURN(
      SegmentMeta meta,
      merge_into_segment(dir_, number, inputs, *codec_by_id(static_cast<uint8_t>(options_.codec))));
  crash_point("merge-written");
  auto merged = std::make_unique<Segment>();
  merged->meta = meta;
  // The inputs' hashes, when all have them: a superset of the merged ids (deleted articles'
  // stay), which is all find_live() needs.
  merged->has_id_hashes = std::all_of(segments_.begin() + static_cast<std::ptrdiff_t>(first),
                                      segments_.begin() + static_cast<std::ptrdiff_t>(first + count),
                                      [](const auto& s) { return s->has_id_hashes; });
  if (merged->has_id_hashes) {
    // Reserved exactly and sorted in place: no growth copies or merge buffers (8 MB of
    // hashes at a million articles).
    size_t total = 0;
    for (size_t i = first; i < first + count; ++i) total += segments_[i]->id_hashes.size();
    merged->id_hashes.reserve(total);
    for (size_t i = first; i < first + count; ++i) {
      const std::vector<uint64_t>& in = segments_[i]->id_hashes;
      merged->id_hashes.insert(merged->id_hashes.end(), in.begin(), in.end());
    }
    std::sort(merged->id_hashes.begin(), merged->id_hashes.end());
  }
  if (meta.doc_count > 0) {
    MORGUE_ASSIGN_OR_RETURN(merged->reader, SegmentReader::open(dir_, meta, {}));
    merged->deletions = DeletionSet(meta.doc_count);
    merged->reader->drop_resident_pages();  // opening checked its values: 22 MB at a million
  }
  segments_.erase(segments_.begin() + static_cast<std::ptrdiff_t>(first),
                  segments_.begin() + static_cast<std::ptrdiff_t>(first + count));
  if (meta.doc_count > 0)
    segments_.insert(segments_.begin() + static_cast<std::ptrdiff_t>(first), std::move(merged));
  ++counters_.merges;
  return_freed_memory();
  return Status::ok();
}

Status IndexWriter::merge_all() {
  // A build's last buffer is written fast like the ones before it when there are ones
  // before it: the merge below rewrites it with them. Written as final, its store was
  // trained and compressed at level 9 only to be thrown away, while the merge waited.
  // The flush in flight is finished first, so that segments_ holds it.
  MORGUE_RETURN_IF_ERROR(finish_flush());
  MORGUE_RETURN_IF_ERROR(start_flush(/*temporary=*/options_.defer_merges && !segments_.empty()));
  MORGUE_RETURN_IF_ERROR(finish_flush());
  // A lone segment is rewritten too if it has deletions to purge or a fast-written store.
  bool rewrite = std::any_of(segments_.begin(), segments_.end(), [](const auto& s) {
    return s->deletions.deleted_count() > 0 || s->temporary_store;
  });
  if (segments_.size() > 1 || rewrite) {
    MORGUE_RETURN_IF_ERROR(merge_segments(0, segments_.size()));
  }
  return commit();
}

Status IndexWriter::maybe_merge() {
  // Merge runs of adjacent segments of one tier; adjacency keeps the global order.
  for (bool again = true; again;) {
    again = false;
    for (size_t i = 0; i < segments_.size(); ++i) {
      size_t tier = tier_of(segments_[i]->meta.live_count());
      size_t j = i;
      while (j < segments_.size() && tier_of(segments_[j]->meta.live_count()) == tier) ++j;
      if (j - i >= kMergeFactor) {
        MORGUE_RETURN_IF_ERROR(merge_segments(i, j - i));
        again = true;
        break;
      }
    }
  }
  return Status::ok();
}

}  // namespace morgue
