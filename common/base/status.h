// Status: the library's error model. Expected failures are returned, never thrown.
// Every error carries a code, a message and the place it happened (path:line, file+offset).
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace morgue {

enum class StatusCode : int {
  kOk = 0,
  // Caller and input errors.
  kInvalidArgument = 1,
  kParseError = 2,
  kNotFound = 3,
  // The world's errors.
  kIOError = 4,
  kCorruption = 5,
  kNotSupported = 6,
  kLocked = 7,
  kInternal = 8,
};

// Name of a code, e.g. "corruption".
std::string_view status_code_name(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message);

  static Status ok() { return Status(); }
  static Status invalid_argument(std::string msg) {
    return Status(StatusCode::kInvalidArgument, std::move(msg));
  }
  static Status parse_error(std::string msg) {
    return Status(StatusCode::kParseError, std::move(msg));
  }
  static Status not_found(std::string msg) { return Status(StatusCode::kNotFound, std::move(msg)); }
  static Status io_error(std::string msg) { return Status(StatusCode::kIOError, std::move(msg)); }
  static Status corruption(std::string msg) {
    return Status(StatusCode::kCorruption, std::move(msg));
  }
  static Status not_supported(std::string msg) {
    return Status(StatusCode::kNotSupported, std::move(msg));
  }
  static Status locked(std::string msg) { return Status(StatusCode::kLocked, std::move(msg)); }
  static Status internal(std::string msg) { return Status(StatusCode::kInternal, std::move(msg)); }

  bool is_ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Prefixes the message with where the error happened: "segment 7: <message>".
  Status with_context(std::string_view context) const;

  // "corruption: segment 7: bad checksum".
  std::string to_string() const;

  // Marks a status as deliberately ignored.
  void ignore_error() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

}  // namespace morgue

#define MORGUE_STATUS_CONCAT_INNER_(a, b) a##b
#define MORGUE_STATUS_CONCAT_(a, b) MORGUE_STATUS_CONCAT_INNER_(a, b)

// Returns the status from the enclosing function if it is an error.
#define MORGUE_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::morgue::Status morgue_status_ = (expr);        \
    if (!morgue_status_.is_ok()) return morgue_status_; \
  } while (0)
