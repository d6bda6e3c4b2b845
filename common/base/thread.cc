#include "common/base/thread.h"

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

namespace morgue {

void lower_thread_priority(int steps) {
  const auto self = static_cast<id_t>(gettid());
  // getpriority() may return -1 as a nice value: errno tells an error apart.
  errno = 0;
  const int nice = getpriority(PRIO_PROCESS, self);
  if (errno != 0) return;
  const int lowered = std::min(kLowestThreadPriority, nice + std::max(steps, 0));
  if (lowered != nice) (void)setpriority(PRIO_PROCESS, self, lowered);
}

void name_thread(const char* name) {
  std::string shortened(name, strnlen(name, 15));
  (void)pthread_setname_np(pthread_self(), shortened.c_str());
}

}  // namespace morgue
