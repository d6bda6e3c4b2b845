#include "common/base/file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>

#include "common/base/crash_point.h"

namespace morgue {
namespace {

constexpr size_t kWriteBufferBytes = 1 << 20;

Status errno_status(const std::string& path, const char* what) {
  return Status::io_error(path + ": " + what + ": " + std::strerror(errno));
}

}  // namespace

// ---- MmapFile ---------------------------------------------------------------------------

Result<MmapFile> MmapFile::open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::not_found(path + ": no such file");
    return errno_status(path, "cannot open");
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    Status s = errno_status(path, "cannot stat");
    ::close(fd);
    return s;
  }
  MmapFile file;
  file.path_ = path;
  file.size_ = static_cast<size_t>(st.st_size);
  if (file.size_ > 0) {
    void* p = ::mmap(nullptr, file.size_, PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
      Status s = errno_status(path, "cannot map");
      ::close(fd);
      return s;
    }
    file.data_ = static_cast<const char*>(p);
  }
  ::close(fd);  // the mapping keeps the file alive
  return file;
}

void MmapFile::drop_resident_pages() const {
  // MADV_DONTNEED on a read-only shared file mapping only drops this process's page
  // table entries: it cannot lose data. A failure merely leaves the pages resident.
  if (data_) ::madvise(const_cast<char*>(data_), size_, MADV_DONTNEED);
}

MmapFile::~MmapFile() {
  if (data_) ::munmap(const_cast<char*>(data_), size_);
}

MmapFile::MmapFile(MmapFile&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      path_(std::move(other.path_)) {}

MmapFile& MmapFile::operator=(MmapFile&& other) noexcept {
  if (this != &other) {
    if (data_) ::munmap(const_cast<char*>(data_), size_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    path_ = std::move(other.path_);
  }
  return *this;
}

// ---- RandomAccessFile ------------------------------------------------------------------

Result<RandomAccessFile> RandomAccessFile::open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::not_found(path + ": no such file");
    return errno_status(path, "cannot open");
  }
  RandomAccessFile file;
  file.fd_ = fd;
  file.path_ = path;
  return file;
}

Status RandomAccessFile::read(uint64_t offset, size_t length, std::string& out) const {
  out.resize(length);
  size_t done = 0;
  while (done < length) {
    ssize_t n = ::pread(fd_, out.data() + done, length - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_status(path_, "read failed");
    }
    if (n == 0) {
      return Status::corruption(fmt::format("{}: ends at byte {}, within the {} bytes at offset {}",
                                            path_, offset + done, length, offset));
    }
    done += static_cast<size_t>(n);
  }
  return Status::ok();
}

Result<std::string_view> WindowedFileReader::read(uint64_t offset, size_t length) {
  if (offset > file_size_ || length > file_size_ - offset) {
    return Status::corruption(fmt::format("{}: the {} bytes at offset {} pass its end at byte {}",
                                          file_.path(), length, offset, file_size_));
  }
  ++reads_;
  for (Window& w : windows_) {
    if (w.last_used != 0 && offset >= w.offset && offset + length <= w.offset + w.bytes.size()) {
      w.last_used = reads_;
      return std::string_view(w.bytes).substr(offset - w.offset, length);
    }
  }
  Window& w = window_to_fill(offset);
  // A window grown for a long range is handed back rather than kept for the next one.
  if (w.bytes.capacity() > 2 * window_bytes_) w.bytes = std::string();
  size_t fill = static_cast<size_t>(
      std::min<uint64_t>(std::max(length, window_bytes_), file_size_ - offset));
  ++file_reads_;
  Status s = file_.read(offset, fill, w.bytes);
  if (!s.is_ok()) {
    w.bytes.clear();  // what a failed read left is not the file's
    w.last_used = 0;
    return s;
  }
  w.offset = offset;
  w.last_used = reads_;
  return std::string_view(w.bytes).substr(0, length);
}

WindowedFileReader::Window& WindowedFileReader::window_to_fill(uint64_t offset) {
  Window* nearest_below = nullptr;
  for (Window& w : windows_) {
    if (w.last_used != 0 && w.offset <= offset &&
        (nearest_below == nullptr || w.offset > nearest_below->offset)) {
      nearest_below = &w;
    }
  }
  if (nearest_below != nullptr) return *nearest_below;
  for (Window& w : windows_)
    if (w.last_used == 0) return w;
  return windows_[0].last_used < windows_[1].last_used ? windows_[0] : windows_[1];
}

RandomAccessFile::~RandomAccessFile() {
  if (fd_ >= 0) ::close(fd_);
}

RandomAccessFile::RandomAccessFile(RandomAccessFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}

RandomAccessFile& RandomAccessFile::operator=(RandomAccessFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
  }
  return *this;
}

// ---- WritableFile -----------------------------------------------------------------------

Result<WritableFile> WritableFile::create(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return errno_status(path, "cannot create");
  WritableFile file;
  file.fd_ = fd;
  file.path_ = path;
  file.buffer_.reserve(kWriteBufferBytes);
  return file;
}

WritableFile::~WritableFile() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(path_.c_str());
  }
}

WritableFile::WritableFile(WritableFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      path_(std::move(other.path_)),
      buffer_(std::move(other.buffer_)),
      size_(std::exchange(other.size_, 0)),
      checksum_(std::move(other.checksum_)) {}

WritableFile& WritableFile::operator=(WritableFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) {
      ::close(fd_);
      ::unlink(path_.c_str());
    }
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
    buffer_ = std::move(other.buffer_);
    size_ = std::exchange(other.size_, 0);
    checksum_ = std::move(other.checksum_);
  }
  return *this;
}

Status WritableFile::append(std::string_view bytes) {
  checksum_->update(bytes);
  size_ += bytes.size();
  if (buffer_.size() + bytes.size() > kWriteBufferBytes) {
    MORGUE_RETURN_IF_ERROR(flush());
    if (bytes.size() >= kWriteBufferBytes) {
      buffer_.assign(bytes);
      return flush();
    }
  }
  buffer_.append(bytes);
  return Status::ok();
}

Status WritableFile::flush() {
  const char* p = buffer_.data();
  size_t left = buffer_.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_status(path_, "write failed");
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  buffer_.clear();
  return Status::ok();
}

Status WritableFile::close() {
  MORGUE_RETURN_IF_ERROR(flush());
  if (::fsync(fd_) != 0) return errno_status(path_, "fsync failed");
  if (::close(fd_) != 0) {
    fd_ = -1;
    return errno_status(path_, "close failed");
  }
  fd_ = -1;
  return Status::ok();
}

// ---- whole files ------------------------------------------------------------------------

Result<std::string> read_whole_file(const std::string& path) {
  MORGUE_ASSIGN_OR_RETURN(MmapFile file, MmapFile::open(path));
  return std::string(file.bytes());
}

Status sync_directory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno_status(dir, "cannot open directory");
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return errno_status(dir, "fsync of directory failed");
  return Status::ok();
}

Status atomic_write_file(const std::string& path, std::string_view bytes) {
  std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());  // left by a crashed writer
  MORGUE_ASSIGN_OR_RETURN(WritableFile file, WritableFile::create(tmp));
  MORGUE_RETURN_IF_ERROR(file.append(bytes));
  MORGUE_RETURN_IF_ERROR(file.close());
  crash_point("atomic-write-before-rename");
  if (::rename(tmp.c_str(), path.c_str()) != 0) return errno_status(path, "rename failed");
  crash_point("atomic-write-before-dir-sync");
  std::string dir = std::filesystem::path(path).parent_path().string();
  return sync_directory(dir.empty() ? "." : dir);
}

// ---- FileLock ---------------------------------------------------------------------------

Result<FileLock> FileLock::acquire(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return errno_status(path, "cannot open lock file");
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    char holder[32] = {};
    ssize_t n = ::pread(fd, holder, sizeof(holder) - 1, 0);
    ::close(fd);
    if (err == EWOULDBLOCK) {
      std::string who = n > 0 ? std::string(holder, static_cast<size_t>(n)) : "another process";
      while (!who.empty() && (who.back() == '\n' || who.back() == ' ')) who.pop_back();
      return Status::locked(path + ": the index is being written by another writer (pid " + who +
                            "); wait for it to finish");
    }
    errno = err;
    return errno_status(path, "cannot lock");
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    // The pid is only for the message a second writer gets: the lock is held regardless.
  }
  FileLock lock;
  lock.fd_ = fd;
  return lock;
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

FileLock::FileLock(FileLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

}  // namespace morgue
