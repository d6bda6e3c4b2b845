// Files: read-only memory maps, buffered writers that checksum as they go, fsync of files
// and directories, atomic replacement, and the writer's lock file.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/base/checksum.h"
#include "common/base/result.h"

namespace morgue {

// A read-only memory map of a whole file. Move-only; the bytes live as long as the object.
// An empty file maps to an empty view.
class MmapFile {
 public:
  static Result<MmapFile> open(const std::string& path);

  MmapFile() = default;
  ~MmapFile();
  MmapFile(MmapFile&& other) noexcept;
  MmapFile& operator=(MmapFile&& other) noexcept;
  MmapFile(const MmapFile&) = delete;
  MmapFile& operator=(const MmapFile&) = delete;

  std::string_view bytes() const { return {data_, size_}; }
  size_t size() const { return size_; }
  const std::string& path() const { return path_; }

  // Unmaps the pages this process has touched; the bytes stay in the page cache and a later
  // read faults them back in. A merge reads its inputs once, front to back: without this
  // every byte it read would count in the process's resident memory until it ended.
  void drop_resident_pages() const;

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
  std::string path_;
};

// A file read at given offsets with pread. The bytes land in the caller's buffer, not in
// pages mapped into this process: a reader that streams through a file once (a merge) would
// otherwise keep every mapped chunk resident until it dropped them, and the kernel maps
// page-cache files in chunks of up to 2 MB. Move-only; holds the file open.
class RandomAccessFile {
 public:
  static Result<RandomAccessFile> open(const std::string& path);

  RandomAccessFile() = default;
  ~RandomAccessFile();
  RandomAccessFile(RandomAccessFile&& other) noexcept;
  RandomAccessFile& operator=(RandomAccessFile&& other) noexcept;
  RandomAccessFile(const RandomAccessFile&) = delete;
  RandomAccessFile& operator=(const RandomAccessFile&) = delete;

  // Replaces `out` with the `length` bytes at `offset`. kIOError if the read fails,
  // kCorruption if the file ends first.
  Status read(uint64_t offset, size_t length, std::string& out) const;
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

// Reads ranges of a file that come mostly in increasing order (a merge reads each input's
// postings term by term, and a segment holds them in term order) through windows of the
// file: one pread fills a window and serves every range inside it. A pread for each range
// was a system call per (term, input), 14% of a million-article merge's CPU. A range longer
// than the window is read on its own. Move-only; holds the file open.
//
// Two windows, so that two streams of increasing ranges interleaved are each served by a
// window of their own: a word whose postings are its stem's reads them far back in the
// file, among the stems', and with one window every such word read two windows, the
// stem's and its own again (35 GB of pread at a million articles, for under a GB of
// inputs).
// A range outside both refills the window that starts nearest below it (the stream it
// continues), else one not yet used, else the one used least recently. The second window is
// allocated only when a read jumps back.
class WindowedFileReader {
 public:
  WindowedFileReader() = default;
  // `file_size`: the file's length, so that no window reaches past its end.
  WindowedFileReader(RandomAccessFile file, uint64_t file_size, size_t window_bytes)
      : file_(std::move(file)), file_size_(file_size), window_bytes_(window_bytes) {}

  // The `length` bytes at `offset`, valid until the next read. kCorruption if they pass the
  // end of the file; the errors of RandomAccessFile::read.
  Result<std::string_view> read(uint64_t offset, size_t length);

  // How many times the file was read (the windows filled), for tests.
  uint64_t file_reads() const { return file_reads_; }

 private:
  struct Window {
    std::string bytes;  // the file's bytes from offset
    uint64_t offset = 0;
    uint64_t last_used = 0;  // reads_ at its last use; 0: never filled
  };
  // The window a range at `offset` outside both windows refills.
  Window& window_to_fill(uint64_t offset);

  RandomAccessFile file_;
  uint64_t file_size_ = 0;
  size_t window_bytes_ = 0;
  std::array<Window, 2> windows_;
  uint64_t reads_ = 0;  // read() calls
  uint64_t file_reads_ = 0;
};

// Writes a new file (it must not exist) through a buffer, keeping a running XXH3-64 of
// everything appended. close() flushes and fsyncs; a writer destroyed without close()
// removes its file (an abandoned write leaves nothing behind).
class WritableFile {
 public:
  static Result<WritableFile> create(const std::string& path);

  WritableFile() = default;
  ~WritableFile();
  WritableFile(WritableFile&& other) noexcept;
  WritableFile& operator=(WritableFile&& other) noexcept;
  WritableFile(const WritableFile&) = delete;
  WritableFile& operator=(const WritableFile&) = delete;

  Status append(std::string_view bytes);
  uint64_t size() const { return size_; }
  // XXH3-64 of every byte appended so far.
  uint64_t checksum() const { return checksum_->digest(); }
  // Flushes, fsyncs and closes.
  Status close();
  const std::string& path() const { return path_; }

 private:
  Status flush();

  int fd_ = -1;
  std::string path_;
  std::string buffer_;
  uint64_t size_ = 0;
  std::unique_ptr<ChecksumBuilder> checksum_ = std::make_unique<ChecksumBuilder>();
};

// Reads a whole (small) file.
Result<std::string> read_whole_file(const std::string& path);

// Writes `bytes` to `path` so that readers see either the old file or the new one, whole:
// write path.tmp, fsync it, rename over path, fsync the directory.
Status atomic_write_file(const std::string& path, std::string_view bytes);

// fsyncs a directory, making the creation, rename or removal of its entries durable.
Status sync_directory(const std::string& dir);

// An exclusive advisory lock (flock) on a file, held until destruction. The file holds the
// holder's pid, for the message a second writer gets.
class FileLock {
 public:
  // kLocked, naming the holder, if another process holds it.
  static Result<FileLock> acquire(const std::string& path);

  FileLock() = default;
  ~FileLock();
  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace morgue
