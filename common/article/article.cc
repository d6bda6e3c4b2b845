#include "common/article/article.h"

namespace morgue {

std::string_view entity_type_name(EntityType type) {
  switch (type) {
    case EntityType::kPerson: return "person";
    case EntityType::kOrg: return "org";
    case EntityType::kPlace: return "place";
    case EntityType::kOther: return "other";
  }
  return "other";
}

std::optional<EntityType> entity_type_from_name(std::string_view name) {
  if (name == "person" || name == "people" || name == "per") return EntityType::kPerson;
  if (name == "org" || name == "orgs" || name == "organization" || name == "organisation" ||
      name == "company")
    return EntityType::kOrg;
  if (name == "place" || name == "places" || name == "location" || name == "loc" ||
      name == "gpe")
    return EntityType::kPlace;
  if (name == "other" || name == "misc") return EntityType::kOther;
  return std::nullopt;
}

}  // namespace morgue
