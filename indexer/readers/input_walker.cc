#include "indexer/readers/input_walker.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "indexer/readers/jsonl_reader.h"
#include "indexer/readers/reuters_reader.h"
#include "indexer/readers/wire_text_reader.h"

namespace morgue {
namespace fs = std::filesystem;
namespace {

// JSON Lines files can be far larger than the RAM budget, so they are read in chunks of
// whole lines; other formats hold a few stories a file and are read whole.
constexpr size_t kJsonlChunkBytes = 8u << 20;
constexpr size_t kSniffBytes = 64u << 10;

std::string lower_extension(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

std::string_view skip_bom_and_space(std::string_view s) {
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
  while (!s.empty() && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n'))
    s.remove_prefix(1);
  return s;
}

Status read_file_prefix(const std::string& path, size_t limit, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::io_error(path + ": cannot open: " + std::strerror(errno));
  out.resize(limit);
  in.read(out.data(), static_cast<std::streamsize>(limit));
  if (in.bad()) return Status::io_error(path + ": read failed: " + std::strerror(errno));
  out.resize(static_cast<size_t>(in.gcount()));
  return Status::ok();
}

// Wraps the caller's sink: applies check_article(), counts, and turns the first rejection
// into the run's error under --strict.
class CheckingSink {
 public:
  CheckingSink(const ReadOptions& options, const ArticleSink& inner, ReadCounts& counts)
      : options_(options), inner_(inner), counts_(counts) {}

  // A sink for one file, whose reader reports lines relative to `line_offset`.
  ArticleSink for_file(uint64_t line_offset) {
    ArticleSink sink;
    sink.accept = [this, line_offset](Article&& article, const SourceLocation& where) {
      if (stopped()) return;
      SourceLocation at{where.path, where.line + line_offset};
      ++counts_.read;
      if (auto reason = check_article(article)) {
        reject_record(at, *reason);
        return;
      }
      ++counts_.accepted;
      if (inner_.accept) inner_.accept(std::move(article), at);
    };
    sink.reject = [this, line_offset](const SourceLocation& where, std::string_view reason) {
      if (stopped()) return;
      ++counts_.read;
      reject_record({where.path, where.line + line_offset}, reason);
    };
    sink.skip_file = [this](std::string_view path, std::string_view note) { skip(path, note); };
    sink.warn = [this, line_offset](const SourceLocation& where, std::string_view note) {
      ++counts_.warnings;
      if (inner_.warn) inner_.warn({where.path, where.line + line_offset}, note);
    };
    return sink;
  }

  void skip(std::string_view path, std::string_view note) {
    ++counts_.skipped_files;
    if (inner_.skip_file) inner_.skip_file(path, note);
  }

  // The error that stops a --strict run, once a record was rejected.
  const Status& strict_error() const { return strict_error_; }
  // Readers run without --strict (their line numbers are relative to a chunk), so records
  // after the first strict error are ignored here instead.
  bool stopped() const { return !strict_error_.is_ok(); }

 private:
  void reject_record(const SourceLocation& at, std::string_view reason) {
    ++counts_.rejected;
    if (inner_.reject) inner_.reject(at, reason);
    if (options_.strict && strict_error_.is_ok()) {
      strict_error_ = Status::parse_error(std::string(at.path) + ":" + std::to_string(at.line) +
                                          ": " + std::string(reason));
    }
  }

  const ReadOptions& options_;
  const ArticleSink& inner_;
  ReadCounts& counts_;
  Status strict_error_;
};

ReadOptions lenient(const ReadOptions& options) {
  ReadOptions copy = options;
  copy.strict = false;
  return copy;
}

Status read_jsonl_file(const std::string& path, const ReadOptions& options, CheckingSink& checker,
                       ReadCounts& counts) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::io_error(path + ": cannot open: " + std::strerror(errno));
  std::string buffer;
  uint64_t line_offset = 0;  // lines before the current chunk
  std::string carry;         // an incomplete last line, continued in the next chunk
  std::vector<char> block(kJsonlChunkBytes);
  while (true) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    if (in.bad()) return Status::io_error(path + ": read failed: " + std::strerror(errno));
    size_t got = static_cast<size_t>(in.gcount());
    counts.bytes += got;
    bool at_end = got < block.size();
    buffer.assign(carry);
    buffer.append(block.data(), got);
    carry.clear();
    if (!at_end) {
      size_t last_newline = buffer.rfind('\n');
      if (last_newline == std::string::npos) {
        carry.swap(buffer);  // one line longer than a chunk: keep accumulating
        continue;
      }
      carry.assign(buffer, last_newline + 1);
      buffer.resize(last_newline + 1);
    }
    ArticleSink sink = checker.for_file(line_offset);
    Status status = read_jsonl(path, buffer, lenient(options), sink);
    if (!status.is_ok()) return status;
    if (!checker.strict_error().is_ok()) return checker.strict_error();
    line_offset += static_cast<uint64_t>(std::count(buffer.begin(), buffer.end(), '\n'));
    if (at_end) break;
  }
  return Status::ok();
}

Status read_one_file(const std::string& path, const ReadOptions& options, CheckingSink& checker,
                     ReadCounts& counts) {
  InputFormat format = options.format;
  if (format == InputFormat::kAuto) {
    std::string head;
    MORGUE_RETURN_IF_ERROR(read_file_prefix(path, kSniffBytes, head));
    std::string why_not;
    format = detect_format(path, head, why_not);
    if (format == InputFormat::kAuto) {
      checker.skip(path, why_not);
      return Status::ok();
    }
  }
  ++counts.files;
  if (format == InputFormat::kJsonl) return read_jsonl_file(path, options, checker, counts);

  std::string content;
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec) return Status::io_error(path + ": " + ec.message());
  MORGUE_RETURN_IF_ERROR(read_file_prefix(path, static_cast<size_t>(size), content));
  counts.bytes += content.size();
  ArticleSink sink = checker.for_file(0);
  Status status = format == InputFormat::kReutersSgml
                      ? read_reuters_sgml(path, content, lenient(options), sink)
                      : read_wire_text(path, content, lenient(options), sink);
  if (!status.is_ok()) return status;
  return checker.strict_error();
}

}  // namespace

InputFormat detect_format(std::string_view path, std::string_view content, std::string& why_not) {
  fs::path p{std::string(path)};
  std::string ext = lower_extension(p);
  if (ext == ".gz" || ext == ".zst" || ext == ".bz2" || ext == ".xz" || ext == ".zip") {
    why_not = "compressed file (decompress it first)";
    return InputFormat::kAuto;
  }
  if (content.find('\0') != std::string_view::npos) {
    why_not = "binary file";
    return InputFormat::kAuto;
  }
  std::string_view text = skip_bom_and_space(content);
  if (text.empty()) {
    why_not = "empty file";
    return InputFormat::kAuto;
  }
  if (looks_like_reuters_sgml(content)) return InputFormat::kReutersSgml;
  if (ext == ".jsonl" || ext == ".ndjson" || text[0] == '{') return InputFormat::kJsonl;
  if (looks_like_wire_text(content)) return InputFormat::kWireText;
  why_not = "not an article file (not JSON Lines, Reuters SGML or a wire story; use --format "
            "to force one)";
  return InputFormat::kAuto;
}

Status read_inputs(const std::vector<std::string>& paths, const ReadOptions& options,
                   const ArticleSink& sink, ReadCounts& counts) {
  // Every named path must exist before anything is read: a typo should not leave half a run.
  for (const std::string& path : paths) {
    std::error_code ec;
    if (!fs::exists(path, ec)) return Status::io_error(path + ": no such file or directory");
  }
  CheckingSink checker(options, sink, counts);
  for (const std::string& path : paths) {
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
      MORGUE_RETURN_IF_ERROR(read_one_file(path, options, checker, counts));
      continue;
    }
    std::vector<std::string> files;
    fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
    if (ec) return Status::io_error(path + ": " + ec.message());
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) return Status::io_error(path + ": " + ec.message());
      const fs::path& entry = it->path();
      if (entry.filename().string().starts_with(".")) {
        if (it->is_directory()) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file()) files.push_back(entry.string());
    }
    std::sort(files.begin(), files.end());
    for (const std::string& file : files)
      MORGUE_RETURN_IF_ERROR(read_one_file(file, options, checker, counts));
  }
  return Status::ok();
}

}  // namespace morgue
