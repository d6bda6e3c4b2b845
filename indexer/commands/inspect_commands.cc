#include "indexer/commands/inspect_commands.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "common/analysis/field_terms.h"
#include "common/index/index_reader.h"

namespace morgue {
namespace {

int fail(const Status& s, std::FILE* err) {
  fmt::print(err, "morgue-index: error: {}\n", s.message());
  return 1;
}

std::string mb(uint64_t bytes) { return fmt::format("{:.2f} MB", bytes / 1e6); }

// Whether a frontier holds a pair with at least the posting's wdf and at most its length.
bool covers(std::span<const Impact> bounds, Impact posting) {
  return std::any_of(bounds.begin(), bounds.end(), [&](const Impact& p) {
    return p.wdf >= posting.wdf && p.doclen <= posting.doclen;
  });
}

// Checks one term's postings against its dictionary entry and the segment.
Status check_term(const SegmentReader& s, std::string_view term, const TermInfo& info,
                  std::vector<std::string>& ids_seen) {
  auto where = [&](std::string_view what) {
    return Status::corruption(fmt::format("segment {}: term '{}': {}", s.meta().number, term, what));
  };
  PostingsIterator it;
  MORGUE_RETURN_IF_ERROR(s.open_postings(info, it));
  uint64_t df = 0, cf = 0;
  DocNum last = 0;
  bool freqs = !is_filter_term(term), positional = has_positions(term);
  for (; it.doc() != kEndDoc; it.next()) {
    DocNum d = it.doc();
    if (df > 0 && d <= last) return where(fmt::format("documents not increasing at {}", d));
    if (d >= s.meta().doc_count) return where(fmt::format("document {} out of range", d));
    last = d;
    ++df;
    if (freqs) {
      if (it.tf() == 0) return where(fmt::format("zero frequency in document {}", d));
      cf += it.tf();
      // Pruning skips whatever these bounds rule out, so a bound that misses a posting
      // would silently drop it from the top hits.
      it.shallow_seek(d);
      Impact posting{it.tf(), s.values().doclen(d)};
      for (auto [kind, bounds] : {std::pair{"term", it.term_impacts()}, {"block", it.block_impacts()},
                                  {"group", it.group_impacts()}}) {
        MORGUE_RETURN_IF_ERROR(it.status());
        if (!covers(bounds, posting)) {
          return where(fmt::format("the {} score bounds miss document {} (wdf {}, length {})",
                                   kind, d, posting.wdf, posting.doclen));
        }
      }
    }
    if (positional) {
      auto pos = it.positions();
      if (pos.empty()) return where(fmt::format("no positions in document {}", d));
      for (size_t i = 1; i < pos.size(); ++i)
        if (pos[i] <= pos[i - 1]) return where(fmt::format("positions not increasing in {}", d));
    }
    if (term.starts_with(prefix::kId)) {
      if (!ids_seen[d].empty()) return where(fmt::format("document {} has two ids", d));
      ids_seen[d] = std::string(term.substr(prefix::kId.size()));
    }
  }
  MORGUE_RETURN_IF_ERROR(it.status());
  if (df != info.df) return where(fmt::format("df {} but {} postings", info.df, df));
  if (freqs && cf != info.cf) return where(fmt::format("cf {} but frequencies sum to {}", info.cf, cf));
  return Status::ok();
}

// The kind of a term, by its prefix (common/analysis/field_terms.h), for --layout.
std::string_view term_kind(std::string_view term) {
  if (has_positions(term)) return "text words";
  if (term.starts_with(prefix::kHeadlineStem)) return "headline stems";
  if (term.starts_with(prefix::kTextStem)) return "text stems";
  if (term.starts_with(prefix::kHeadline)) return "headline words";
  if (term.starts_with(prefix::kEntity)) return "entities";
  if (term.starts_with(prefix::kPerson)) return "people";
  if (term.starts_with(prefix::kOrg)) return "organisations";
  if (term.starts_with(prefix::kPlace)) return "places";
  if (term.starts_with(prefix::kTopic)) return "topics";
  if (term.starts_with(prefix::kSource)) return "sources";
  if (term.starts_with(prefix::kAuthor)) return "authors";
  if (term.starts_with(prefix::kId)) return "ids";
  return "other";
}

}  // namespace

Result<IndexLayout> measure_index_layout(const IndexSnapshot& snap) {
  IndexLayout layout;
  for (const auto& s : snap.segments()) {
    // Lists are written in term order, each where the last ended, but for a shared one,
    // which points back at an earlier term's: it starts before this frontier.
    uint64_t frontier = 0;
    auto it = s->terms().begin();
    for (; it.valid(); it.next()) {
      const TermInfo& info = it.info();
      PostingsLayout term;
      MORGUE_RETURN_IF_ERROR(s->measure_layout(info, term));
      if (info.postings_offset < frontier) term = term.positions_only();
      frontier = std::max(frontier, info.postings_offset + info.postings_length);
      layout.parts += term;
      IndexLayout::KindBytes& kind = layout.by_kind[std::string(term_kind(it.term()))];
      ++kind.terms;
      kind.postings += term.postings();
      kind.positions += term.positions();
    }
    MORGUE_RETURN_IF_ERROR(it.status());
  }
  return layout;
}

namespace {

// `stats --layout`: measure_index_layout printed.
Status print_layout(const IndexSnapshot& snap, std::FILE* out) {
  MORGUE_ASSIGN_OR_RETURN(IndexLayout layout, measure_index_layout(snap));
  const PostingsLayout& total = layout.parts;
  using Parts = std::initializer_list<std::pair<std::string_view, uint64_t>>;
  auto print_parts = [&](std::string_view title, Parts parts) {
    uint64_t sum = 0;
    for (const auto& part : parts) sum += part.second;
    fmt::print(out, "{}\n", title);
    for (const auto& [name, bytes] : parts) {
      fmt::print(out, "  {:<28} {:>12}  {:5.1f}%\n", name, mb(bytes),
                 sum ? 100.0 * bytes / sum : 0.0);
    }
    fmt::print(out, "  {:<28} {:>12}\n", "total", mb(sum));
  };
  print_parts("postings by part (a list that terms share counted once)",
              {{"term score bounds", total.term_bounds},
               {"skip tables", total.skip_table},
               {"block score bounds", total.block_bounds},
               {"group score bounds", total.group_bounds},
               {"document gaps", total.doc_gaps},
               {"document gaps, last blocks", total.doc_gaps_last},
               {"frequencies", total.freqs},
               {"frequencies, last blocks", total.freqs_last},
               {"padding", total.padding}});
  print_parts("positions by part", {{"block ends", total.block_ends},
                                    {"first positions", total.firsts},
                                    {"first positions, last blocks", total.firsts_last},
                                    {"block headers", total.headers},
                                    {"lengths", total.lengths},
                                    {"excess lists", total.excess_lists},
                                    {"other positions (deltas)", total.deltas}});
  fmt::print(out, "by kind of term           terms     postings    positions\n");
  for (const auto& [kind, b] : layout.by_kind) {
    fmt::print(out, "  {:<18} {:>12} {:>12} {:>12}\n", kind, b.terms, mb(b.postings),
               mb(b.positions));
  }
  return Status::ok();
}

Status verify_segment(const SegmentReader& s, std::set<std::string>& live_ids) {
  std::vector<std::string> ids(s.meta().doc_count);
  uint64_t doclen_sum = 0;
  for (DocNum d = 0; d < s.meta().doc_count; ++d) doclen_sum += s.values().doclen(d);
  if (doclen_sum != s.meta().total_doclen) {
    return Status::corruption(fmt::format("segment {}: document lengths sum to {}, manifest says {}",
                                          s.meta().number, doclen_sum, s.meta().total_doclen));
  }
  for (auto it = s.terms().begin(); it.valid(); it.next())
    MORGUE_RETURN_IF_ERROR(check_term(s, it.term(), it.info(), ids));
  MORGUE_RETURN_IF_ERROR(s.terms().begin().status());
  for (DocNum d = 0; d < s.meta().doc_count; ++d) {
    if (ids[d].empty()) {
      return Status::corruption(fmt::format("segment {}: document {} has no id", s.meta().number, d));
    }
    if (!s.is_deleted(d) && !live_ids.insert(ids[d]).second) {
      return Status::corruption(fmt::format("segment {}: id '{}' is live twice in the index",
                                            s.meta().number, ids[d]));
    }
  }
  return s.store().verify();
}

}  // namespace

Status verify_index(const std::string& index_dir, std::FILE* problems_out) {
  OpenOptions options;
  options.verify_checksums = true;
  MORGUE_ASSIGN_OR_RETURN(auto snapshot, IndexSnapshot::open(index_dir, options));
  std::set<std::string> live_ids;
  Status first;
  for (const auto& segment : snapshot->segments()) {
    Status s = verify_segment(*segment, live_ids);
    if (!s.is_ok()) {
      if (problems_out) fmt::print(problems_out, "damaged: {}\n", s.message());
      if (first.is_ok()) first = s;
    }
  }
  return first;
}

int run_verify_command(const std::string& index_dir, std::FILE* out, std::FILE* err) {
  Status s = verify_index(index_dir, err);
  if (!s.is_ok()) {
    fmt::print(err, "morgue-index: verify: {} is damaged: {}\n", index_dir, s.message());
    return 1;
  }
  auto snapshot = IndexSnapshot::open(index_dir);
  if (!snapshot.is_ok()) return fail(snapshot.status(), err);
  fmt::print(out, "ok: {} segment{}, {} live articles; every checksum and invariant holds\n",
             (*snapshot)->segments().size(), (*snapshot)->segments().size() == 1 ? "" : "s",
             (*snapshot)->live_count());
  return 0;
}

int run_stats_command(const std::string& index_dir, bool layout, std::FILE* out,
                      std::FILE* err) {
  auto opened = IndexSnapshot::open(index_dir);
  if (!opened.is_ok()) return fail(opened.status(), err);
  const IndexSnapshot& snap = **opened;
  std::map<FileKind, uint64_t> bytes;
  uint64_t docs = 0, deleted = 0, terms = 0, postings = 0, store_raw = 0;
  for (const auto& s : snap.segments()) {
    docs += s->meta().doc_count;
    deleted += s->meta().deleted_count;
    terms += s->terms().term_count();
    for (FileKind k : {FileKind::kTermDict, FileKind::kPostings, FileKind::kPositions,
                       FileKind::kDocValues, FileKind::kStore, FileKind::kDeletes})
      bytes[k] += s->file_bytes(k);
    auto it = s->terms().begin();
    for (; it.valid(); it.next()) postings += it.info().df;
    if (!it.status().is_ok()) return fail(it.status(), err);
    store_raw += s->store().raw_bytes();
  }
  uint64_t total = 0;
  for (const auto& [kind, n] : bytes) total += n;
  fmt::print(out, "index        {} (generation {}, format {})\n", index_dir,
             snap.manifest().generation, kFormatVersion);
  fmt::print(out, "segments     {}\n", snap.segments().size());
  fmt::print(out, "documents    {} live, {} deleted\n", docs - deleted, deleted);
  fmt::print(out, "terms        {} (summed over segments)\n", terms);
  fmt::print(out, "postings     {}\n", postings);
  fmt::print(out, "avg length   {:.1f}\n", snap.average_doclen());
  for (FileKind k : {FileKind::kTermDict, FileKind::kPostings, FileKind::kPositions,
                     FileKind::kDocValues, FileKind::kStore, FileKind::kDeletes}) {
    fmt::print(out, "{:<16} {:>12}  {:5.1f}%\n", file_kind_name(k), mb(bytes[k]),
               total ? 100.0 * bytes[k] / total : 0.0);
  }
  fmt::print(out, "{:<16} {:>12}\n", "total", mb(total));
  // What searches read, and what engines that keep no article text (Lucene without stored
  // fields) should be compared with.
  fmt::print(out, "{:<16} {:>12}\n", "without store", mb(total - bytes[FileKind::kStore]));
  if (postings)
    fmt::print(out, "bytes/posting    {:.2f} (postings file / postings)\n",
               static_cast<double>(bytes[FileKind::kPostings]) / postings);
  if (store_raw)
    fmt::print(out, "store ratio      {:.3f} ({} stored articles of {} raw)\n",
               static_cast<double>(bytes[FileKind::kStore]) / store_raw, mb(bytes[FileKind::kStore]),
               mb(store_raw));
  if (layout) {
    Status printed = print_layout(snap, out);
    if (!printed.is_ok()) return fail(printed, err);
  }
  return 0;
}

int run_dump_term_command(const std::string& index_dir, const std::string& term, size_t limit,
                          std::FILE* out, std::FILE* err) {
  auto opened = IndexSnapshot::open(index_dir);
  if (!opened.is_ok()) return fail(opened.status(), err);
  const IndexSnapshot& snap = **opened;
  auto stats = snap.term_stats(term);
  if (!stats.is_ok()) return fail(stats.status(), err);
  fmt::print(out, "term '{}': live df {}, cf {}\n", term, stats->df, stats->cf);
  for (size_t i = 0; i < snap.segments().size(); ++i) {
    const SegmentReader& s = *snap.segments()[i];
    auto info = s.find(term);
    if (!info.is_ok()) return fail(info.status(), err);
    if (!*info) continue;
    const TermInfo& t = **info;
    fmt::print(out, "segment {}: df {} cf {} flags {} postings @{}+{} positions @{}+{}\n",
               s.meta().number, t.df, t.cf, t.flags, t.postings_offset, t.postings_length,
               t.positions_offset, t.positions_length);
    PostingsIterator it;
    Status st = s.open_postings(t, it);
    if (!st.is_ok()) return fail(st, err);
    size_t shown = 0;
    for (; it.doc() != kEndDoc && (limit == 0 || shown < limit); it.next(), ++shown) {
      std::string line = fmt::format("  doc {} (global {}){}  tf {}", it.doc(),
                                     snap.base(i) + it.doc(), s.is_deleted(it.doc()) ? " deleted" : "",
                                     it.tf());
      if (has_positions(term)) line += fmt::format("  positions {}", fmt::join(it.positions(), ","));
      fmt::print(out, "{}\n", line);
    }
    if (!it.status().is_ok()) return fail(it.status(), err);
    if (it.doc() != kEndDoc) fmt::print(out, "  ... (use --limit 0 for all)\n");
  }
  return 0;
}

}  // namespace morgue
