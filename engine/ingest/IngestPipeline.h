#pragma once

#include "config/Settings.h"
#include "event/IngestBody.h"
#include "http/HttpTypes.h"
#include "ingest/IngestAdmission.h"
#include "ingest/IngestAuth.h"
#include "ingest/IngestMetrics.h"

#include <QDateTime>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>

class QThreadPool;

namespace mutt::ingest {

// The work behind the ingest routes, shared by the route handlers and the
// store callbacks (which may outlive IngestService).
class IngestPipeline final : public std::enable_shared_from_this<IngestPipeline> {
public:
    using Clock = std::chrono::steady_clock;

    IngestPipeline(const config::Settings &settings, queue::QueueStore &store, queue::Coordination &coordination,
        metrics::MetricsRegistry &registry);

    // Worker threads to run requests on; nullptr stops taking requests.
    void setPool(QThreadPool *pool);

    // Route handlers, on an HTTP I/O thread.
    void handleIngest(const http::HttpRequest &request, const http::HttpResponder &responder);
    void handleInfo(const http::HttpRequest &request, const http::HttpResponder &responder) const;

    void configChanged(const QString &key);
    [[nodiscard]] qint64 queueLimit() { return m_admission.queueLimit(); }

private:
    struct Request {
        http::HttpRequest http;
        http::HttpResponder responder;
        QString correlationId;
        Clock::time_point started;
    };
    struct Accepted {
        qint64 count = 0;
        qint64 depthBefore = 0;
        QList<event::IngestItemError> errors;
    };

    bool submit(const std::shared_ptr<Request> &request);
    void process(const Request &request);
    bool admitted(const Request &request, qint64 count);
    void commit(const Request &request, event::IngestBatch batch, qint64 depthBefore, const QDateTime &receivedAt,
        const QString &receivedText);
    void committed(const Request &request, const Accepted &accepted, const Status &status);
    void reject(const Request &request, const http::HttpResponse &response, FailReason reason, const QString &why,
        qint64 rejectedItems = 0);
    [[nodiscard]] double elapsedSeconds(const Request &request) const;

    const config::Settings m_settings;
    queue::QueueStore &m_store;
    IngestAdmission m_admission;
    IngestMetrics m_metrics;
    const ApiKeyCheck m_keys;
    const event::IngestBodyDecoder m_decoder;
    const qint64 m_pendingBytesMax;

    std::mutex m_poolMutex;
    QThreadPool *m_pool = nullptr;  // guarded by m_poolMutex; owned by IngestService
    std::atomic<qint64> m_pendingBytes {0};
};

}  // namespace mutt::ingest
