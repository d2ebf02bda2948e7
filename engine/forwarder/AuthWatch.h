#pragma once

#include <QString>

#include <atomic>
#include <optional>

namespace mutt::forwarder {

// Whether Moogsoft accepts the API key, from its newest responses: the delivery
// thread writes, and /health reads on an HTTP thread. A 401 or 403 sends the
// alert to the DLQ without counting against the circuit breaker, so without
// this a wrong MOOG_API_KEY shows only in the log and the DLQ depth.
class AuthWatch final {
public:
    void rejected(int httpStatus, qint64 nowMs)
    {
        m_status.store(httpStatus, std::memory_order_relaxed);
        m_rejectedAtMs.store(nowMs, std::memory_order_release);
    }
    void accepted(qint64 nowMs) { m_acceptedAtMs.store(nowMs, std::memory_order_release); }

    // The health check's text while the newest of these responses is a
    // rejection, naming its status, its time and the setting to check.
    [[nodiscard]] std::optional<QString> problem(const QString &dlq) const;

private:
    std::atomic<int> m_status {0};
    std::atomic<qint64> m_rejectedAtMs {0};
    std::atomic<qint64> m_acceptedAtMs {0};
};

}  // namespace mutt::forwarder
