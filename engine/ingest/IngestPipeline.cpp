#include "ingest/IngestPipeline.h"

#include "config/secrets/SecretStore.h"

#include "core/Log.h"
#include "event/Event.h"
#include "ingest/IngestReply.h"

#include <QJsonObject>
#include <QThreadPool>

namespace mutt::ingest {
namespace {

std::shared_ptr<spdlog::logger> logger()
{
    return log::get("ingest");
}

QList<QByteArray> rejectedItems(
    const QList<event::IngestItemError> &errors, const QString &correlationId, const QString &receivedText)
{
    QList<QByteArray> rejected;
    rejected.reserve(errors.size());
    for (const event::IngestItemError &error : errors)
        rejected.append(IngestReply::rejectedItem(error, correlationId, receivedText));
    return rejected;
}

bool onlySyntaxErrors(const QList<event::IngestItemError> &errors)
{
    return std::all_of(errors.begin(), errors.end(), [](const event::IngestItemError &e) { return e.syntax; });
}

ApiKeyCheck keyCheckFor(const config::Settings &settings)
{
    if (const std::shared_ptr<config::secrets::SecretStore> secrets = settings.secrets)
        return ApiKeyCheck([secrets] { return secrets->ingestKeys(); }, [secrets] { return secrets->version(); });
    return ApiKeyCheck(settings.ingestApiKey, settings.ingestApiKeyNext);
}

}  // namespace

IngestPipeline::IngestPipeline(const config::Settings &settings, queue::QueueStore &store,
    queue::Coordination &coordination, metrics::MetricsRegistry &registry)
    : m_settings(settings)
    , m_admission(m_settings, store, coordination)
    , m_metrics(registry)
    , m_keys(keyCheckFor(settings))
    , m_decoder(settings.requiredFields)
    , m_pendingBytesMax(8 * std::max<qint64>(settings.maxBodyBytes, 1024 * 1024))
    , m_writer(std::make_shared<IngestWriter>(settings, store))
{
    log::addSecret(settings.ingestApiKey);
    log::addSecret(settings.ingestApiKeyNext);
}

void IngestPipeline::setPool(QThreadPool *pool)
{
    const std::lock_guard lock(m_poolMutex);
    m_pool = pool;
}

void IngestPipeline::stop()
{
    m_stopped = true;
    setPool(nullptr);
    m_writer->stop();
}

void IngestPipeline::configChanged(const QString &key)
{
    m_admission.config().invalidate(key);
}

void IngestPipeline::handleIngest(const http::HttpRequest &request, const http::HttpResponder &responder)
{
    const Clock::time_point started = Clock::now();
    Request pending {responder, correlationIdFor(request.header("X-Correlation-ID")), started};
    if (!m_keys.accepts(request.header("X-API-KEY"))) {
        m_metrics.requestFailed(FailReason::Auth, -1);
        logger()->warn("ingest request rejected: unauthorized cid={} peer={}; the sender needs a valid X-API-KEY",
            pending.correlationId, request.peer.toString());
        responder.send(IngestReply::unauthorized(pending.correlationId, !request.header("X-API-KEY").isEmpty()));
        return;
    }
    if (m_stopped) {
        reject(pending, IngestReply::unavailable(pending.correlationId), FailReason::QueueFull,
            QStringLiteral("the ingestor is stopping"));
        return;
    }

    std::shared_ptr<Decoded> decoded;
    if (decodesInline(request)) {
        std::optional<Decoded> body = decode(request, pending);
        if (!body)
            return;
        if (!m_settings.rateLimitEnabled) {
            const std::optional<IngestAdmission::QueueCheck> check
                = m_admission.cachedQueueCheck(body->batch.items.size(), started);
            if (check) {
                queue(pending, std::move(*body), *check);
                return;
            }
        }
        decoded = std::make_shared<Decoded>(std::move(*body));
    }

    const auto job = std::make_shared<Job>(Job {request, std::move(pending)});
    if (!submit(job, std::move(decoded))) {
        reject(job->request, IngestReply::unavailable(job->request.correlationId), FailReason::QueueFull,
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

bool IngestPipeline::decodesInline(const http::HttpRequest &request) const
{
    if (request.body.size() > kInlineBodyMax)
        return false;
    const QByteArray encoding = request.header("Content-Encoding").trimmed();
    return encoding.isEmpty() || encoding.compare("identity", Qt::CaseInsensitive) == 0;
}

bool IngestPipeline::submit(const std::shared_ptr<Job> &job, std::shared_ptr<Decoded> decoded)
{
    const qint64 bytes = job->http.body.size();
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
    m_pool->start([self = shared_from_this(), job, decoded = std::move(decoded), bytes] {
        if (decoded) {
            self->process(job->request, std::move(*decoded));
        } else if (std::optional<Decoded> body = self->decode(job->http, job->request)) {
            self->process(job->request, std::move(*body));
        }
        self->m_pendingBytes.fetch_sub(bytes);
    });
    return true;
}

std::optional<IngestPipeline::Decoded> IngestPipeline::decode(const http::HttpRequest &http, const Request &request)
{
    Decoded decoded;
    decoded.receivedAt = QDateTime::currentDateTimeUtc();
    decoded.receivedText = event::formatTimestamp(decoded.receivedAt);
    const event::IngestBodyInput input {
        http.header("Content-Type"), http.header("Content-Encoding"), http.body, m_settings.maxBodyBytes};
    event::IngestBodyResult result = m_decoder.decode(input, {request.correlationId, decoded.receivedText});
    if (!result.ok()) {
        reject(request, IngestReply::error(result.httpStatus, result.message, request.correlationId), FailReason::Json,
            result.message);
        return std::nullopt;
    }

    decoded.batch = std::move(result.batch);
    const event::IngestBatch &batch = decoded.batch;
    if (batch.items.isEmpty()) {
        const QString message = event::IngestBodyDecoder::noValidItemMessage(batch);
        reject(request, IngestReply::error(400, message, request.correlationId, batch.errors),
            onlySyntaxErrors(batch.errors) ? FailReason::Json : FailReason::Validation, message, batch.errors.size());
        return std::nullopt;
    }
    return decoded;
}

void IngestPipeline::process(const Request &request, Decoded decoded)
{
    const qint64 count = decoded.batch.items.size();
    if (!admitted(request, count))
        return;

    const Result<IngestAdmission::QueueCheck> queueCheck = m_admission.checkQueue(count);
    if (!queueCheck) {
        logStoreError(
            request, count, "not queued: reading the ingest queue length failed", queueCheck.error().logText());
        reject(request, IngestReply::unavailable(request.correlationId), FailReason::Redis, QString());
        return;
    }
    queue(request, std::move(decoded), queueCheck.value());
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

void IngestPipeline::queue(const Request &request, Decoded decoded, const IngestAdmission::QueueCheck &check)
{
    const qint64 count = decoded.batch.items.size();
    m_metrics.queueDepth(check.depth);
    if (check.full) {
        reject(request, IngestReply::queueFull(request.correlationId, check.depth, check.limit), FailReason::QueueFull,
            QStringLiteral("queue full depth=%1 limit=%2 events=%3").arg(check.depth).arg(check.limit).arg(count));
        return;
    }

    event::IngestBatch &batch = decoded.batch;
    IngestWriter::Write write;
    write.items = std::move(batch.items);
    if (!batch.errors.isEmpty() && m_settings.rejectedListMax > 0)
        write.rejected = rejectedItems(batch.errors, request.correlationId, decoded.receivedText);
    write.receivedAtMs = decoded.receivedAt.toMSecsSinceEpoch();

    write.done = [self = shared_from_this(), reply = request, count, depthBefore = check.depth,
                     errors = std::move(batch.errors)](
                     const Status &status) { self->committed(reply, count, depthBefore, errors, status); };
    m_writer->submit(std::move(write));
}

void IngestPipeline::logStoreError(const Request &request, qint64 events, const char *step, const QString &detail)
{
    qint64 suppressed = 0;
    if (!m_storeErrorLog.allow(Clock::now(), suppressed)) {
        logger()->debug(
            "ingest batch {} cid={} events={}: {}; answered 503", step, request.correlationId, events, detail);
        return;
    }
    logger()->error("ingest batch {} cid={} events={}: {}; answered 503, the sender retries ({} more batches answered "
                    "503 since the previous error; one error per {} s)",
        step, request.correlationId, events, detail, suppressed, kStoreErrorLogEvery.count());
}

void IngestPipeline::committed(const Request &request, qint64 accepted, qint64 depthBefore,
    const QList<event::IngestItemError> &errors, const Status &status)
{
    if (!status) {
        // A connection lost after the write was sent leaves it unknown: the
        // store may hold the batch, and the sender's retry adds it again.
        logStoreError(request, accepted, "not confirmed", status.error().logText());
        reject(request, IngestReply::unavailable(request.correlationId), FailReason::Redis, QString());
        return;
    }

    m_admission.queued(accepted);
    const qint64 depth = depthBefore + accepted;
    m_metrics.queueDepth(depth);
    m_metrics.requestSucceeded(elapsedSeconds(request), accepted, errors.size());
    if (!errors.isEmpty()) {
        qint64 suppressed = 0;
        if (m_partialLog.allow(Clock::now(), suppressed)) {
            logger()->warn(
                "ingest batch partly rejected cid={} accepted={} rejected={} first_index={}: {}; the "
                "sender must fix these items ({} more partly rejected batches since the previous warning; one "
                "warning per {} s)",
                request.correlationId, accepted, errors.size(), errors.first().index, errors.first().message,
                suppressed, kPartialLogEvery.count());
        } else {
            logger()->debug("ingest batch partly rejected cid={} accepted={} rejected={} first_index={}: {}",
                request.correlationId, accepted, errors.size(), errors.first().index, errors.first().message);
        }
    }
    request.responder.send(IngestReply::queued(request.correlationId, depth, accepted, errors));
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
