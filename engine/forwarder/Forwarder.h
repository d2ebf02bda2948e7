#pragma once

#include "config/Settings.h"
#include "core/Result.h"

#include <QString>

#include <memory>
#include <optional>
#include <thread>

class QThread;

namespace mutt::metrics {
class MetricsRegistry;
}
namespace mutt::queue {
class QueueStore;
class Coordination;
}  // namespace mutt::queue

namespace mutt::forwarder {

class DeliveryLoop;
class ForwarderMetrics;
class MoogClient;
struct Mailbox;

// The forwarder role: moves alerts from the alert queue to the Moogsoft
// webhook with up to MOOG_MAX_IN_FLIGHT requests in flight, the fleet-wide
// rate limit and circuit breaker, scheduled retries and the Moogsoft DLQ.
// HTTP runs on its own QThread with an event loop; claims, commits and
// housekeeping run on a delivery thread, so neither blocks the other.
class Forwarder final {
public:
    Forwarder(const config::Settings &settings, queue::QueueStore &store, queue::Coordination &coordination,
        metrics::MetricsRegistry &metrics, QString podName);
    ~Forwarder();
    Forwarder(const Forwarder &) = delete;
    Forwarder &operator=(const Forwarder &) = delete;

    // InvalidInput when MOOG_WEBHOOK_URL is not an http(s) URL; Conflict when already running.
    // With no MOOG_WEBHOOK_URL at all it succeeds without starting: nothing is
    // sent and alerts wait in the alert queue (see webhookConfigured()).
    Status start();
    // Stops claiming, waits up to 8 s for responses, aborts the rest, returns
    // every unsent claimed alert to the alert queue and joins the threads.
    // Returns within 10 s. Safe to call when not running.
    void stop();

    [[nodiscard]] bool isRunning() const { return m_deliveryThread.joinable(); }
    [[nodiscard]] bool webhookConfigured() const { return !m_settings.moogWebhookUrl.trimmed().isEmpty(); }
    // What health checks and the console show when no webhook URL is set.
    static QString notConfiguredMessage();
    // mutt:processing:moog:<pod>
    [[nodiscard]] QString processingList() const;
    // Set while Moogsoft's newest response to a post of this forwarder was 401 or 403.
    [[nodiscard]] std::optional<QString> moogAuthProblem() const;

private:
    const config::Settings m_settings;
    queue::QueueStore &m_store;
    queue::Coordination &m_coordination;
    const QString m_podName;
    std::unique_ptr<ForwarderMetrics> m_metrics;

    std::shared_ptr<Mailbox> m_mailbox;
    std::unique_ptr<DeliveryLoop> m_loop;
    QThread *m_networkThread = nullptr;
    MoogClient *m_client = nullptr;  // lives in m_networkThread
    std::thread m_deliveryThread;
};

}  // namespace mutt::forwarder
