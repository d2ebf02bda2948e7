#pragma once

#include "config/Settings.h"

#include <QByteArray>
#include <QList>

#include <memory>

class QThreadPool;

namespace mutt::http {
class HttpServer;
}
namespace mutt::metrics {
class MetricsRegistry;
}
namespace mutt::queue {
class QueueStore;
class Coordination;
}  // namespace mutt::queue

namespace mutt::ingest {

class IngestPipeline;

// The ingestor role: POST /ingest, /api/v1/ingest and
// /api/v2/ingest take one event object, an array of them or NDJSON, check the
// API key, normalise the events and queue the valid ones on the ingest queue
// in one atomic store batch, sending 200 only once that batch is durable.
// GET / answers the service information.
//
// Threads: the HTTP I/O thread checks the API key and the correlation id,
// decodes small uncompressed bodies and, when the queue check can use cached
// values, hands the events to the writer, which groups the store writes of
// concurrent requests. Large or compressed bodies, the rate limit and the
// queue length reads (every 100 ms) run on this service's worker threads,
// because they block. The store's callback sends the response. No blocking
// store call ever runs on an I/O thread.
//
// Requests waiting for a worker are bounded by body bytes (8 × MAX_BODY_BYTES);
// beyond that the ingestor answers 503 with Retry-After.
class IngestService final {
public:
    IngestService(const config::Settings &settings, queue::QueueStore &store, queue::Coordination &coordination,
        metrics::MetricsRegistry &metrics);
    // Stops taking requests and waits for the workers. Responses to batches
    // still being committed are sent from the store's callback.
    ~IngestService();
    IngestService(const IngestService &) = delete;
    IngestService &operator=(const IngestService &) = delete;

    // Registers the routes; call before server.listen(). The routes stay
    // safe after this object is gone (they respond 503).
    void registerRoutes(http::HttpServer &server);

    // The paths that take POSTed events: /ingest, /api/v1/ingest, /api/v2/ingest.
    static const QList<QByteArray> &ingestPaths();

    // The ingest queue cap in force: dynamic max_ingest_queue_size, else
    // MAX_INGEST_QUEUE_SIZE. May block on the store (cache miss).
    [[nodiscard]] qint64 queueLimit() const;

private:
    std::shared_ptr<IngestPipeline> m_pipeline;
    std::unique_ptr<QThreadPool> m_pool;
};

}  // namespace mutt::ingest
