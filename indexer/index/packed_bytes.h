// A growable byte string in 24 bytes that keeps up to 20 bytes inside itself: the
// inverter's buffer of one term's packed postings. std::string takes 32 bytes and keeps 15,
// so a term table entry (the term, this buffer, the last slot) took 72 bytes, two cache
// lines a lookup; with this buffer it fits one 64-byte line.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <string_view>

namespace morgue {

class PackedBytes {
 public:
  static constexpr uint32_t kInlineBytes = 20;

  PackedBytes() = default;
  PackedBytes(const PackedBytes&) = delete;
  PackedBytes& operator=(const PackedBytes&) = delete;
  ~PackedBytes() {
    if (on_heap()) std::allocator<char>().deallocate(heap_data(), heap_capacity_field());
  }

  uint32_t size() const { return size_ & kSizeMask; }
  const char* data() const { return on_heap() ? heap_data() : storage_; }
  std::string_view view() const { return {data(), size()}; }
  // Bytes allocated on the heap (0 while the bytes are inline).
  uint32_t heap_capacity() const { return on_heap() ? heap_capacity_field() : 0; }

  // Room for `n` more bytes after the current ones: write up to n bytes there, then
  // commit() how many were written. Throws std::bad_alloc.
  char* reserve_tail(uint32_t n) {
    uint32_t needed = size() + n;
    if (needed > (on_heap() ? heap_capacity_field() : kInlineBytes)) grow(needed);
    return (on_heap() ? heap_data() : storage_) + size();
  }
  void commit(uint32_t n) { size_ += n; }

 private:
  // The top bit of size_ says the bytes are on the heap; storage_ then holds their address
  // (8 bytes) and the allocation's capacity (4 bytes).
  static constexpr uint32_t kOnHeap = 0x80000000u;
  static constexpr uint32_t kSizeMask = ~kOnHeap;

  bool on_heap() const { return (size_ & kOnHeap) != 0; }
  char* heap_data() const {
    char* p;
    std::memcpy(&p, storage_, sizeof p);
    return p;
  }
  uint32_t heap_capacity_field() const {
    uint32_t c;
    std::memcpy(&c, storage_ + sizeof(char*), sizeof c);
    return c;
  }

  void grow(uint32_t needed) {
    if (needed > kSizeMask) throw std::bad_alloc();
    uint32_t old_capacity = heap_capacity();
    // Doubling, in 16-byte steps (jemalloc's small size classes are multiples of 16).
    uint64_t capacity = std::max<uint64_t>({needed, 2 * uint64_t{old_capacity}, 32});
    capacity = std::min<uint64_t>((capacity + 15) & ~uint64_t{15}, kSizeMask);
    // A new buffer and a sized delete of the old (std::allocator passes the size where
    // the compiler has sized deallocation, as GCC does), not realloc: realloc looks the
    // old buffer's size up in the allocator's tables, a cache miss for every growth (most
    // of the writer thread's samples in jemalloc); its size is right here.
    char* p = std::allocator<char>().allocate(capacity);
    if (on_heap()) {
      std::memcpy(p, heap_data(), size());
      std::allocator<char>().deallocate(heap_data(), old_capacity);
    } else {
      std::memcpy(p, storage_, size());
    }
    auto c = static_cast<uint32_t>(capacity);
    std::memcpy(storage_, &p, sizeof p);
    std::memcpy(storage_ + sizeof(char*), &c, sizeof c);
    size_ |= kOnHeap;
  }

  char storage_[kInlineBytes] = {};
  uint32_t size_ = 0;
};

static_assert(sizeof(PackedBytes) == 24);

}  // namespace morgue
