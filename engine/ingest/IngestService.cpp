#include "ingest/IngestService.h"

#include "core/Log.h"
#include "http/HttpServer.h"
#include "ingest/IngestPipeline.h"
#include "queue/Coordination.h"

#include <QThread>
#include <QThreadPool>

namespace mutt::ingest {

IngestService::IngestService(const config::Settings &settings, queue::QueueStore &store,
    queue::Coordination &coordination, metrics::MetricsRegistry &metrics)
    : m_pipeline(std::make_shared<IngestPipeline>(settings, store, coordination, metrics))
    , m_pool(std::make_unique<QThreadPool>())
{
    m_pool->setMaxThreadCount(std::max(2, QThread::idealThreadCount()));
    m_pool->setObjectName(QStringLiteral("ingest-workers"));
    m_pipeline->setPool(m_pool.get());

    // The subscription cannot be removed, so it keeps only a weak reference.
    coordination.subscribeConfig([weak = std::weak_ptr<IngestPipeline>(m_pipeline)](const QString &key) {
        if (const auto pipeline = weak.lock())
            pipeline->configChanged(key);
    });

    log::get("ingest")->info("ingest service ready queue={} max_body_bytes={} rate_limit={} workers={}",
        settings.ingestQueue, settings.maxBodyBytes,
        settings.rateLimitEnabled ? QStringLiteral("%1/%2s").arg(settings.ingestMaxRate).arg(settings.ingestRateWindow)
                                  : QStringLiteral("off"),
        m_pool->maxThreadCount());
}

IngestService::~IngestService()
{
    m_pipeline->stop();
    m_pool->waitForDone();
    log::get("ingest")->info("ingest service stopped");
}

qint64 IngestService::queueLimit() const
{
    return m_pipeline->queueLimit();
}

const QList<QByteArray> &IngestService::ingestPaths()
{
    static const QList<QByteArray> paths {
        QByteArrayLiteral("/ingest"), QByteArrayLiteral("/api/v1/ingest"), QByteArrayLiteral("/api/v2/ingest")};
    return paths;
}

void IngestService::registerRoutes(http::HttpServer &server)
{
    const std::weak_ptr<IngestPipeline> weak = m_pipeline;
    for (const QByteArray &path : ingestPaths()) {
        server.route("POST", path, [weak](const http::HttpRequest &request, http::HttpResponder responder) {
            if (const auto pipeline = weak.lock())
                pipeline->handleIngest(request, responder);
            else
                responder.send(http::HttpResponse::text(503, "ingest service stopped\n"));
        });
    }
    server.route("GET", "/", [weak](const http::HttpRequest &request, http::HttpResponder responder) {
        if (const auto pipeline = weak.lock())
            pipeline->handleInfo(request, responder);
        else
            responder.send(http::HttpResponse::text(503, "ingest service stopped\n"));
    });
}

}  // namespace mutt::ingest
