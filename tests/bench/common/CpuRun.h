#pragma once

// CPU and wall time of a measured piece of work, shared by the component
// benchmarks. CPU time is getrusage user + system of the whole process, so
// the work of helper threads (a store's worker) counts too.

#include "core/Result.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include <sys/resource.h>

namespace mutt::bench {

struct CpuRun {
    double cpuSeconds = 0;
    double systemSeconds = 0;  // the kernel's part of cpuSeconds
    double wallSeconds = 0;
    qint64 items = 0;

    [[nodiscard]] double cpuMicrosPerItem() const { return cpuSeconds * 1e6 / double(items); }
    [[nodiscard]] double systemMicrosPerItem() const { return systemSeconds * 1e6 / double(items); }
    [[nodiscard]] double itemsPerSecond() const { return double(items) / wallSeconds; }
};

// User and system CPU seconds of the whole process.
inline std::pair<double, double> processCpuSeconds()
{
    rusage usage {};
    ::getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval &t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return {seconds(usage.ru_utime), seconds(usage.ru_stime)};
}

// Measures `work`, which handles `items` items, in CPU and wall time.
template <typename Work> CpuRun measure(qint64 items, Work work)
{
    const auto [userStart, systemStart] = processCpuSeconds();
    const auto wallStart = std::chrono::steady_clock::now();
    work();
    CpuRun run;
    run.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
    const auto [userEnd, systemEnd] = processCpuSeconds();
    run.systemSeconds = systemEnd - systemStart;
    run.cpuSeconds = userEnd - userStart + run.systemSeconds;
    run.items = items;
    return run;
}

// Prints `what` and the error, and ends the benchmark with exit code 1.
[[noreturn]] inline void die(const char *what, const Error &error)
{
    std::fprintf(stderr, "%s: %s\n", what, qPrintable(error.toString()));
    std::exit(1);
}

}  // namespace mutt::bench
