// The Article: what every reader produces and the indexer consumes (DESIGN.md "Article model").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace morgue {

// Persisted in the index: values are never renumbered or reused.
enum class EntityType : uint8_t {
  kPerson = 1,
  kOrg = 2,
  kPlace = 3,
  kOther = 4,
};

// "person", "org", "place", "other".
std::string_view entity_type_name(EntityType type);
// Accepts the names above (and "organization"/"organisation", "location", "people"...);
// nullopt for anything else.
std::optional<EntityType> entity_type_from_name(std::string_view name);

struct Entity {
  EntityType type = EntityType::kOther;
  std::string name;  // as the source wrote it ("el-salvador", "Joe Biden")
  bool operator==(const Entity&) const = default;
};

// A field of the input that morgue keeps but does not index (JSON Lines keys it does not
// know, Reuters' EXCHANGES and COMPANIES lists). The value is compact JSON text.
struct ExtraField {
  std::string name;
  std::string json;
  bool operator==(const ExtraField&) const = default;
};

struct Article {
  std::string id;        // stable external id; adding an existing id replaces the article
  int64_t version = 0;   // a lower version never replaces a higher one
  std::string headline;
  std::string dateline;  // "SALVADOR, Feb 26", "WASHINGTON"
  std::string byline;    // "By Steve Holland and Matt Spetalnick"
  std::vector<std::string> authors;  // names taken from the byline
  std::string body;
  std::optional<int64_t> published;  // seconds since 1970-01-01T00:00:00Z (UTC)
  std::string source;                // "Reuters"
  std::vector<Entity> entities;
  std::vector<std::string> topics;   // subject codes ("cocoa")
  std::string language = "en";
  std::vector<ExtraField> extra;

  bool operator==(const Article&) const = default;
};

}  // namespace morgue
