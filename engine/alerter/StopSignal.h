#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>

namespace mutt::alerter {

// Shared stop flag with interruptible waits for the alerter's threads.
class StopSignal final {
public:
    StopSignal() = default;
    StopSignal(const StopSignal &) = delete;
    StopSignal &operator=(const StopSignal &) = delete;

    void reset();
    void requestStop();
    [[nodiscard]] bool stopRequested() const;

    // Wakes every waiter so it re-checks its condition.
    void notifyAll();

    // Waits until `timeout` passes, stop is requested, or `ready` (checked
    // under the signal's lock after each wake-up) returns true. Returns false
    // when stop was requested.
    bool waitFor(std::chrono::milliseconds timeout, const std::function<bool()> &ready = {});

private:
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stop = false;
};

// Exponential back-off on a StopSignal: 1 s, 2 s, 4 s … up to 30 s.
class Backoff final {
public:
    explicit Backoff(StopSignal &signal) : m_signal(signal) { }

    // Waits the current delay (interruptible) and doubles it. Returns false
    // when stop was requested.
    bool wait();
    void reset() { m_delay = kFirst; }
    [[nodiscard]] std::chrono::milliseconds next() const { return m_delay; }

private:
    static constexpr std::chrono::milliseconds kFirst {1000};
    static constexpr std::chrono::milliseconds kMax {30000};

    StopSignal &m_signal;
    std::chrono::milliseconds m_delay = kFirst;
};

}  // namespace mutt::alerter
