#pragma once

#include <QtGlobal>

#include <atomic>
#include <chrono>
#include <limits>

namespace mutt::log {

// Lets one log line through per interval and counts the lines it suppressed, so
// a repeated warning whose values change every time (spdlog's duplicate
// filter only folds identical lines) cannot flood the log. Thread-safe.
class LogThrottle final {
public:
    using Clock = std::chrono::steady_clock;

    explicit LogThrottle(std::chrono::milliseconds interval) : m_intervalNs(qint64(interval.count()) * 1'000'000) { }

    // Returns true when a line may be written at `now`. `suppressed` is then the
    // number of lines it suppressed since the last one that went through.
    bool allow(Clock::time_point now, qint64 &suppressed)
    {
        const qint64 at = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
        qint64 next = m_nextNs.load(std::memory_order_relaxed);
        if (at >= next && m_nextNs.compare_exchange_strong(next, at + m_intervalNs, std::memory_order_relaxed)) {
            suppressed = m_suppressed.exchange(0, std::memory_order_relaxed);
            return true;
        }
        m_suppressed.fetch_add(1, std::memory_order_relaxed);
        return false;
    }

private:
    const qint64 m_intervalNs;
    std::atomic<qint64> m_nextNs {std::numeric_limits<qint64>::min()};
    std::atomic<qint64> m_suppressed {0};
};

}  // namespace mutt::log
