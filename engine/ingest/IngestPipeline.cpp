#include "ingest/IngestPipeline.h"

#include "config/secrets/SecretStore.h"

#include "core/Log.h"
#include "event/Event.h"
#include "ingest/IngestReply.h"
#include "queue/QueueNames.h"
#include "queue/QueueStore.h"

#include <QJsonObject>
#include <QThreadPool>

namespace mutt::ingest {
namespace {

// MUTT v2.5 traffic counters, one per UTC minute, hour and day, with the TTLs
// of its ingest transaction.
constexpr qint64 minuteTtl = 7200;
constexpr qint64 hourTtl = 172800;
constexpr qint64 dayTtl = 2592000;

std::shared_ptr<spdlog::logger> logger()
{
    return log::get("ingest");
}

QList<queue::Op> batchOps(const config::Settings &settings, const event::IngestBatch &batch,
    const QString &correlationId, const QDateTime &receivedAt, const QString &receivedText)
{
    const qint64 count = batch.items.size();
    const QString prefix = settings.metricsPrefix;
    QList<queue::Op> ops {
        queue::Op::pushHead(settings.ingestQueue, batch.items),
        queue::Op::increment(queue::keys::statAccepted, count),
        queue::Op::increment(
            prefix + QStringLiteral(":1m:") + receivedAt.toString(QStringLiteral("yyyy-MM-dd'T'HH:mm")), count,
            minuteTtl),
        queue::Op::increment(
            prefix + QStringLiteral(":1h:") + receivedAt.toString(QStringLiteral("yyyy-MM-dd'T'HH")), count, hourTtl),
        queue::Op::increment(
            prefix + QStringLiteral(":24h:") + receivedAt.toString(QStringLiteral("yyyy-MM-dd")), count, dayTtl),
    };
    if (batch.errors.isEmpty() || settings.rejectedListMax <= 0)
        return ops;

    QList<QByteArray> rejected;
    rejected.reserve(batch.errors.size());
    for (const event::IngestItemError &error : batch.errors)
        rejected.append(IngestReply::rejectedItem(error, correlationId, receivedText));
    ops.append(queue::Op::pushHead(queue::keys::rejectedIngest, rejected));
    ops.append(queue::Op::trim(queue::keys::rejectedIngest, settings.rejectedListMax));
    return ops;
}

bool onlySyntaxErrors(const QList<event::IngestItemError> &errors)
{
    return std::all_of(errors.begin(), errors.end(), [](const event::IngestItemError &e) { return e.syntax; });
}

ApiKeyCheck keyCheckFor(const config::Settings &settings)
{
    if (const std::shared_ptr<config::secrets::SecretStore> secrets = settings.secrets)
        return ApiKeyCheck([secrets] { return secrets->ingestKeys(); });
    return ApiKeyCheck(settings.ingestApiKey, settings.ingestApiKeyNext);
}

}  // namespace

IngestPipeline::IngestPipeline(const config::Settings &settings, queue::QueueStore &store,
    queue::Coordination &coordination, metrics::MetricsRegistry &registry)
    : m_settings(settings)
    , m_store(store)
    , m_admission(m_settings, store, coordination)
    , m_metrics(registry)
    , m_keys(keyCheckFor(settings))
    , m_decoder(settings.requiredFields)
    , m_pendingBytesMax(8 * std::max<qint64>(settings.maxBodyBytes, 1024 * 1024))
{
    log::addSecret(settings.ingestApiKey);
    log::addSecret(settings.ingestApiKeyNext);
}

void IngestPipeline::setPool(QThreadPool *pool)
{
    const std::lock_guard lock(m_poolMutex);
    m_pool = pool;
}

void IngestPipeline::configChanged(const QString &key)
{
    m_admission.config().invalidate(key);
}

void IngestPipeline::handleIngest(const http::HttpRequest &request, const http::HttpResponder &responder)
{
    auto pending = std::make_shared<Request>(
        Request {request, responder, correlationIdFor(request.header("X-Correlation-ID")), Clock::now()});
    if (!m_keys.accepts(request.header("X-API-KEY"))) {
        m_metrics.requestFailed(FailReason::Auth, -1);
        logger()->warn("ingest request rejected: unauthorized cid={} peer={}; the sender needs a valid X-API-KEY",
            pending->correlationId, request.peer.toString());
        responder.send(IngestReply::error(401, QStringLiteral("Unauthorized"), pending->correlationId));
        return;
    }

    if (!submit(pending)) {
        reject(*pending, IngestReply::unavailable(pending->correlationId), FailReason::QueueFull,
            QStringLiteral("the ingestor is busy or stopping"));
    }
}

void IngestPipeline::handleInfo(const http::HttpRequest & /*request*/, const http::HttpResponder &responder) const
{
    const QJsonObject endpoints {
        {QStringLiteral("ingest"), QStringLiteral("/ingest")},
        {QStringLiteral("ingest_v1"), QStringLiteral("/api/v1/ingest")},
        {QStringLiteral("ingest_v2"), QStringLiteral("/api/v2/ingest")},
        {QStringLiteral("health"), QStringLiteral("/health")},
        {QStringLiteral("metrics"), QStringLiteral("/metrics")},
        {QStringLiteral("info"), QStringLiteral("/")},
    };
    const QJsonObject info {
        {QStringLiteral("service"), QStringLiteral("MUTT Ingestor Service")},
        {QStringLiteral("version"), QStringLiteral(MUTT_VERSION)},
        {QStringLiteral("description"),
            QStringLiteral("Accepts syslog events and SNMP traps as JSON (object, array or NDJSON) and queues them for "
                           "the alerter")},
        {QStringLiteral("endpoints"), endpoints},
    };
    responder.send(http::HttpResponse::json(200, info));
}

bool IngestPipeline::submit(const std::shared_ptr<Request> &request)
{
    const qint64 bytes = request->http.body.size();
    const qint64 before = m_pendingBytes.fetch_add(bytes);
    if (before > 0 && before + bytes > m_pendingBytesMax) {
        m_pendingBytes.fetch_sub(bytes);
        return false;
    }

    const std::lock_guard lock(m_poolMutex);
    if (m_pool == nullptr) {
        m_pendingBytes.fetch_sub(bytes);
        return false;
    }
    m_pool->start([self = shared_from_this(), request, bytes] {
        self->process(*request);
        self->m_pendingBytes.fetch_sub(bytes);
    });
    return true;
}

void IngestPipeline::process(const Request &request)
{
    const QDateTime receivedAt = QDateTime::currentDateTimeUtc();
    const QString receivedText = event::formatTimestamp(receivedAt);
    const event::IngestBodyInput input {request.http.header("Content-Type"), request.http.header("Content-Encoding"),
        request.http.body, m_settings.maxBodyBytes};
    event::IngestBodyResult decoded = m_decoder.decode(input, {request.correlationId, receivedText});
    if (!decoded.ok()) {
        reject(request, IngestReply::error(decoded.httpStatus, decoded.message, request.correlationId),
            FailReason::Json, decoded.message);
        return;
    }

    event::IngestBatch &batch = decoded.batch;
    if (batch.items.isEmpty()) {
        const QString message = event::IngestBodyDecoder::noValidItemMessage(batch);
        reject(request, IngestReply::error(400, message, request.correlationId, batch.errors),
            onlySyntaxErrors(batch.errors) ? FailReason::Json : FailReason::Validation, message, batch.errors.size());
        return;
    }

    const qint64 count = batch.items.size();
    if (!admitted(request, count))
        return;

    const Result<IngestAdmission::QueueCheck> queueCheck = m_admission.checkQueue(count);
    if (!queueCheck) {
        logger()->error("ingest batch not queued cid={} events={}: reading the ingest queue length failed: {}; "
                        "answered 503, the sender retries",
            request.correlationId, count, queueCheck.error().logText());
        reject(request, IngestReply::unavailable(request.correlationId), FailReason::Redis, QString());
        return;
    }
    m_metrics.queueDepth(queueCheck.value().depth);
    if (queueCheck.value().full) {
        reject(request,
            IngestReply::queueFull(request.correlationId, queueCheck.value().depth, queueCheck.value().limit),
            FailReason::QueueFull,
            QStringLiteral("queue full depth=%1 limit=%2 events=%3")
                .arg(queueCheck.value().depth)
                .arg(queueCheck.value().limit)
                .arg(count));
        return;
    }

    commit(request, std::move(batch), queueCheck.value().depth, receivedAt, receivedText);
}

bool IngestPipeline::admitted(const Request &request, qint64 count)
{
    if (!m_settings.rateLimitEnabled)
        return true;

    const IngestAdmission::RateCheck rate = m_admission.acquireRate(count, request.correlationId);
    if (rate.allowed)
        return true;

    if (rate.batchTooLarge) {
        const QString message = QStringLiteral("the batch of %1 events exceeds the ingest rate limit of %2 events per "
                                               "%3 s (INGEST_MAX_RATE); send smaller batches")
                                    .arg(count)
                                    .arg(rate.limit)
                                    .arg(rate.windowSeconds);
        reject(request, IngestReply::error(413, message, request.correlationId), FailReason::RateLimit, message);
        return false;
    }
    const qint64 retryAfter = std::max<qint64>(1, (rate.retryAfterMs + 999) / 1000);
    reject(request, IngestReply::rateLimited(request.correlationId, retryAfter), FailReason::RateLimit,
        QStringLiteral("rate limited events=%1 retry_after=%2s").arg(count).arg(retryAfter));
    return false;
}

void IngestPipeline::commit(const Request &request, event::IngestBatch batch, qint64 depthBefore,
    const QDateTime &receivedAt, const QString &receivedText)
{
    QList<queue::Op> ops = batchOps(m_settings, batch, request.correlationId, receivedAt, receivedText);
    Accepted accepted {batch.items.size(), depthBefore, std::move(batch.errors)};
    batch.items.clear();  // the ops hold the items now

    // The response needs the responder and the ids, not the request body.
    const Request reply {{}, request.responder, request.correlationId, request.started};
    m_store.applyAsync(std::move(ops),
        [self = shared_from_this(), reply, accepted](Status status) { self->committed(reply, accepted, status); });
}

void IngestPipeline::committed(const Request &request, const Accepted &accepted, const Status &status)
{
    if (!status) {
        // A connection lost after the write was sent leaves it unknown: the
        // store may hold the batch, and the sender's retry adds it again.
        logger()->error("ingest batch not confirmed cid={} events={}: {}; answered 503, the sender retries",
            request.correlationId, accepted.count, status.error().logText());
        reject(request, IngestReply::unavailable(request.correlationId), FailReason::Redis, QString());
        return;
    }

    m_admission.queued(accepted.count);
    const qint64 depth = accepted.depthBefore + accepted.count;
    m_metrics.queueDepth(depth);
    m_metrics.requestSucceeded(elapsedSeconds(request), accepted.count, accepted.errors.size());
    if (!accepted.errors.isEmpty()) {
        logger()->debug("ingest batch partly rejected cid={} accepted={} rejected={} first_index={}: {}",
            request.correlationId, accepted.count, accepted.errors.size(), accepted.errors.first().index,
            accepted.errors.first().message);
    }
    request.responder.send(IngestReply::queued(request.correlationId, depth, accepted.count, accepted.errors));
}

void IngestPipeline::reject(const Request &request, const http::HttpResponse &response, FailReason reason,
    const QString &why, qint64 rejectedItems)
{
    m_metrics.requestFailed(reason, elapsedSeconds(request), rejectedItems);
    if (!why.isEmpty()) {
        logger()->warn("ingest request rejected cid={} status={} reason={}: {}", request.correlationId, response.status,
            IngestMetrics::reasonLabel(reason), why);
    }
    request.responder.send(response);
}

double IngestPipeline::elapsedSeconds(const Request &request) const
{
    return std::chrono::duration<double>(Clock::now() - request.started).count();
}

}  // namespace mutt::ingest
