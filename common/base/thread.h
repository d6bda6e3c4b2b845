// The calling thread's scheduling: its priority among the process's threads, and its name.
#pragma once

namespace morgue {

// The highest nice value (the lowest priority) Linux gives a thread.
inline constexpr int kLowestThreadPriority = 19;

// Lowers the calling thread's priority by `steps` nice levels (Linux's setpriority on its
// thread id), to at most kLowestThreadPriority; the process's other threads keep theirs,
// and threads it starts afterwards inherit its new one. A failure leaves it as it was.
void lower_thread_priority(int steps);

// Names the calling thread as `top -H`, perf and gdb show it; Linux keeps the first 15
// bytes.
void name_thread(const char* name);

}  // namespace morgue
