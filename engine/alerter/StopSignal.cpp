#include "alerter/StopSignal.h"

#include <algorithm>

namespace mutt::alerter {

void StopSignal::reset()
{
    std::lock_guard lock(m_mutex);
    m_stop = false;
}

void StopSignal::requestStop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
}

bool StopSignal::stopRequested() const
{
    std::lock_guard lock(m_mutex);
    return m_stop;
}

void StopSignal::notifyAll()
{
    {
        // Taking the lock orders the waker's state change before the wake-up.
        std::lock_guard lock(m_mutex);
    }
    m_cv.notify_all();
}

bool StopSignal::waitFor(std::chrono::milliseconds timeout, const std::function<bool()> &ready)
{
    std::unique_lock lock(m_mutex);
    m_cv.wait_for(lock, timeout, [&] { return m_stop || (ready && ready()); });
    return !m_stop;
}

bool Backoff::wait()
{
    const bool running = m_signal.waitFor(m_delay);
    m_delay = std::min(m_delay * 2, kMax);
    return running;
}

}  // namespace mutt::alerter
