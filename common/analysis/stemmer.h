// Snowball English stemmer (libstemmer). One Stemmer per thread: libstemmer is not
// thread-safe.
#pragma once

#include <string>
#include <string_view>

struct sb_stemmer;

namespace morgue {

class Stemmer {
 public:
  Stemmer();  // English ("english" Snowball algorithm, UTF-8)
  ~Stemmer();
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;
  Stemmer(Stemmer&& other) noexcept;
  Stemmer& operator=(Stemmer&& other) noexcept;

  // The stem of a folded word ("running" -> "run"). Words that start with a digit are
  // returned unchanged.
  std::string stem(std::string_view folded_word);

 private:
  sb_stemmer* stemmer_ = nullptr;
};

}  // namespace morgue
