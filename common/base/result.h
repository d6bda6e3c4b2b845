// Result<T>: a value or an error Status (GCC 12 in C++20 mode has no std::expected).
#pragma once

#include <cassert>
#include <optional>
#include <utility>

#include "common/base/status.h"

namespace morgue {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    assert(!status_.is_ok() && "a Result built from a Status must hold an error");
  }

  bool is_ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  // Requires: is_ok().
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace morgue

// Evaluates a Result; on error returns its status, otherwise moves the value into lhs.
#define MORGUE_ASSIGN_OR_RETURN(lhs, expr) \
  MORGUE_ASSIGN_OR_RETURN_IMPL_(MORGUE_STATUS_CONCAT_(morgue_result_, __LINE__), lhs, expr)
#define MORGUE_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.is_ok()) return tmp.status();              \
  lhs = std::move(tmp).value()
