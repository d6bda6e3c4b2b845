// Turns a morgue Plan into the Xapian::Query that means the same thing, for the oracle
// tests and morgue-bench. Filters and date ranges weigh nothing, as in morgue.
#pragma once

#include <xapian.h>

#include "query/plan.h"

namespace morgue {

Xapian::Query to_xapian_query(const Plan& plan);

}  // namespace morgue
