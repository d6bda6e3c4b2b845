// Layout: docs/FORMAT.md#store (section "Serialised article").
//   article := codec_version:u8(=1) id:lp version:zigzag headline:lp dateline:lp byline:lp
//              author_count:varint author:lp*  body:lp
//              has_published:u8(0|1) [published:zigzag]  source:lp
//              entity_count:varint (type:u8 name:lp)*  topic_count:varint topic:lp*
//              language:lp  extra_count:varint (name:lp json:lp)*
//   lp := length:varint bytes[length];  zigzag := varint of (v << 1) ^ (v >> 63)
#include "common/store/article_codec.h"

#include <fmt/format.h>

#include "common/base/coding.h"

namespace morgue {
namespace {

uint64_t zigzag_encode(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int64_t zigzag_decode(uint64_t v) { return static_cast<int64_t>((v >> 1) ^ (~(v & 1) + 1)); }

void put_strings(std::string& out, const std::vector<std::string>& strings) {
  put_varint(out, strings.size());
  for (const std::string& s : strings) put_length_prefixed(out, s);
}

// Reads a count of items that take at least one byte each: a count above the bytes left is
// damage, and refusing it bounds every reserve() by the input size.
size_t read_count(ByteReader& in) {
  uint64_t n = in.varint();
  if (n > in.remaining()) {
    in.fail();
    return 0;
  }
  return static_cast<size_t>(n);
}

void read_strings(ByteReader& in, std::vector<std::string>& out) {
  size_t n = read_count(in);
  out.reserve(n);
  for (size_t i = 0; i < n && in.ok(); ++i) out.emplace_back(in.length_prefixed());
}

// The exact encoded size. Reserving it keeps the result's capacity at its size (a string
// grown by appending holds up to twice that): the writer buffers tens of thousands of
// these against its RAM budget.
size_t encoded_size(const Article& a) {
  auto lp = [](std::string_view s) { return varint_length(s.size()) + s.size(); };
  auto strings = [&](const std::vector<std::string>& v) {
    size_t n = varint_length(v.size());
    for (const std::string& s : v) n += lp(s);
    return n;
  };
  size_t n = 1 + lp(a.id) + varint_length(zigzag_encode(a.version)) + lp(a.headline) +
             lp(a.dateline) + lp(a.byline) + strings(a.authors) + lp(a.body) + 1 +
             (a.published ? varint_length(zigzag_encode(*a.published)) : 0) + lp(a.source) +
             varint_length(a.entities.size()) + strings(a.topics) + lp(a.language) +
             varint_length(a.extra.size());
  for (const Entity& e : a.entities) n += 1 + lp(e.name);
  for (const ExtraField& f : a.extra) n += lp(f.name) + lp(f.json);
  return n;
}

}  // namespace

std::string encode_article(const Article& a) {
  std::string out;
  out.reserve(encoded_size(a));
  out.push_back(static_cast<char>(kArticleCodecVersion));
  put_length_prefixed(out, a.id);
  put_varint(out, zigzag_encode(a.version));
  put_length_prefixed(out, a.headline);
  put_length_prefixed(out, a.dateline);
  put_length_prefixed(out, a.byline);
  put_strings(out, a.authors);
  put_length_prefixed(out, a.body);
  out.push_back(a.published ? 1 : 0);
  if (a.published) put_varint(out, zigzag_encode(*a.published));
  put_length_prefixed(out, a.source);
  put_varint(out, a.entities.size());
  for (const Entity& e : a.entities) {
    out.push_back(static_cast<char>(e.type));
    put_length_prefixed(out, e.name);
  }
  put_strings(out, a.topics);
  put_length_prefixed(out, a.language);
  put_varint(out, a.extra.size());
  for (const ExtraField& f : a.extra) {
    put_length_prefixed(out, f.name);
    put_length_prefixed(out, f.json);
  }
  return out;
}

Status decode_article(std::string_view bytes, Article& out) {
  out = Article{};
  ByteReader in(bytes);
  auto corrupt = [&](std::string_view what) {
    return Status::corruption(fmt::format("stored article (byte {} of {}): {}",
                                          bytes.size() - in.remaining(), bytes.size(), what));
  };
  uint8_t codec_version = in.u8();
  if (!in.ok()) return corrupt("empty");
  if (codec_version != kArticleCodecVersion) {
    return Status::not_supported(
        fmt::format("stored article codec version {} is not readable (reads {})", codec_version,
                    kArticleCodecVersion));
  }
  out.id = in.length_prefixed();
  out.version = zigzag_decode(in.varint());
  out.headline = in.length_prefixed();
  out.dateline = in.length_prefixed();
  out.byline = in.length_prefixed();
  read_strings(in, out.authors);
  out.body = in.length_prefixed();
  uint8_t has_published = in.u8();
  if (!in.ok()) return corrupt("truncated");
  if (has_published > 1) return corrupt(fmt::format("bad published flag {}", has_published));
  if (has_published) out.published = zigzag_decode(in.varint());
  out.source = in.length_prefixed();
  size_t entity_count = read_count(in);
  out.entities.reserve(entity_count);
  for (size_t i = 0; i < entity_count && in.ok(); ++i) {
    uint8_t type = in.u8();
    if (in.ok() && (type < static_cast<uint8_t>(EntityType::kPerson) ||
                    type > static_cast<uint8_t>(EntityType::kOther))) {
      return corrupt(fmt::format("unknown entity type {}", type));
    }
    out.entities.push_back(
        Entity{static_cast<EntityType>(type), std::string(in.length_prefixed())});
  }
  read_strings(in, out.topics);
  out.language = in.length_prefixed();
  size_t extra_count = read_count(in);
  out.extra.reserve(extra_count);
  for (size_t i = 0; i < extra_count && in.ok(); ++i) {
    std::string name(in.length_prefixed());
    out.extra.push_back(ExtraField{std::move(name), std::string(in.length_prefixed())});
  }
  if (!in.ok()) return corrupt("truncated or malformed");
  if (!in.at_end()) return corrupt(fmt::format("{} trailing bytes", in.remaining()));
  return Status::ok();
}

}  // namespace morgue
