#pragma once

#include "config/Settings.h"
#include "core/LogThrottle.h"
#include "event/IngestBody.h"
#include "http/HttpTypes.h"
#include "ingest/IngestAdmission.h"
#include "ingest/IngestAuth.h"
#include "ingest/IngestMetrics.h"
#include "ingest/IngestWriter.h"

#include <QDateTime>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

class QThreadPool;

namespace mutt::ingest {

// The work behind the ingest routes, shared by the route handlers and the
// store callbacks (which may outlive IngestService).
//
// A small body without Content-Encoding is decoded on the HTTP I/O thread and,
// when the rate limit is off and the queue check can use cached values, handed
// to the writer from there. Every other request, and every one whose checks
// need a store read, continues on the worker pool, because store reads block.
class IngestPipeline final : public std::enable_shared_from_this<IngestPipeline> {
public:
    using Clock = std::chrono::steady_clock;

    // Bodies up to this size are decoded on the I/O thread. The benchmark's
    // NDJSON batch of 100 short syslog events is 11 KiB.
    static constexpr qsizetype kInlineBodyMax = 64 * 1024;

    IngestPipeline(const config::Settings &settings, queue::QueueStore &store, queue::Coordination &coordination,
        metrics::MetricsRegistry &registry);

    // Worker threads for requests that may block on the store.
    void setPool(QThreadPool *pool);
    // Stops taking requests (they get 503) and sends the writes waiting in the
    // writer at once.
    void stop();

    // Route handlers, on an HTTP I/O thread.
    void handleIngest(const http::HttpRequest &request, const http::HttpResponder &responder);
    void handleInfo(const http::HttpRequest &request, const http::HttpResponder &responder) const;

    void configChanged(const QString &key);
    [[nodiscard]] qint64 queueLimit() { return m_admission.queueLimit(); }

private:
    // What the response to a request needs. It contains no HttpRequest, so
    // building and copying it allocates nothing for the request's bytes.
    struct Request {
        http::HttpResponder responder;
        QString correlationId;
        Clock::time_point started;
    };
    // A request handed to the worker pool, which outlives the I/O thread's call.
    struct Job {
        http::HttpRequest http;
        Request request;
    };
    // A body decoded into events, with its receive time.
    struct Decoded {
        event::IngestBatch batch;
        QDateTime receivedAt;
        QString receivedText;
    };

    [[nodiscard]] bool decodesInline(const http::HttpRequest &request) const;
    bool submit(const std::shared_ptr<Job> &job, std::shared_ptr<Decoded> decoded);
    // Decodes the body, or sends the 400 or 413 response and returns nullopt.
    std::optional<Decoded> decode(const http::HttpRequest &http, const Request &request);
    // The blocking checks (rate limit, queue length read), on a worker thread.
    void process(const Request &request, Decoded decoded);
    bool admitted(const Request &request, qint64 count);
    // Sends 503 when the queue is full, else hands the events to the writer.
    void queue(const Request &request, Decoded decoded, const IngestAdmission::QueueCheck &check);
    // Logs a batch rejected with 503 because the store failed: `step` names
    // the failed step, `detail` the store's error.
    void logStoreError(const Request &request, qint64 events, const char *step, const QString &detail);
    void committed(const Request &request, qint64 accepted, qint64 depthBefore,
        const QList<event::IngestItemError> &errors, const Status &status);
    void reject(const Request &request, const http::HttpResponse &response, FailReason reason, const QString &why,
        qint64 rejectedItems = 0);
    [[nodiscard]] double elapsedSeconds(const Request &request) const;

    const config::Settings m_settings;
    IngestAdmission m_admission;
    IngestMetrics m_metrics;
    const ApiKeyCheck m_keys;
    const event::IngestBodyDecoder m_decoder;
    const qint64 m_pendingBytesMax;
    const std::shared_ptr<IngestWriter> m_writer;

    std::mutex m_poolMutex;
    QThreadPool *m_pool = nullptr;  // guarded by m_poolMutex; owned by IngestService
    std::atomic<qint64> m_pendingBytes {0};
    std::atomic_bool m_stopped {false};
    // Partly rejected batches: one warning per interval, the others at debug.
    static constexpr std::chrono::seconds kPartialLogEvery {10};
    log::LogThrottle m_partialLog {kPartialLogEvery};
    // Batches the store did not take (rejected with 503): one error per interval,
    // the others at debug, so an outage under load does not flood the log.
    static constexpr std::chrono::seconds kStoreErrorLogEvery {10};
    log::LogThrottle m_storeErrorLog {kStoreErrorLogEvery};
};

}  // namespace mutt::ingest
