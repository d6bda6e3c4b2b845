// Named instants where a test may kill the process, to prove that a crash there loses no
// committed work. Set MORGUE_CRASH_AT=NAME:N and the N-th (1-based) time the process
// reaches crash_point(NAME) it sends itself SIGKILL: no destructor, flush or atexit runs,
// as in a power cut after the last write. Unset (always, outside tests), a crash point
// costs one load of a cached pointer.
#pragma once

#include <string_view>

namespace morgue {

void crash_point(std::string_view name);

}  // namespace morgue
