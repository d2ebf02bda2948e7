#include "MockMoogState.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace mutt::mockmoog {
namespace {

constexpr qsizetype lastBodiesInStats = 50;

QJsonValue bodyAsJson(const QByteArray &body)
{
    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return QJsonValue(QString::fromUtf8(body));
    if (document.isArray())
        return document.array();
    return document.object();
}

QString signatureOf(const QByteArray &body)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    return document.object().value(QLatin1StringView("signature")).toString();
}

bool isSuccess(int status)
{
    return status >= 200 && status < 300;
}

}  // namespace

QJsonObject MockMode::toJson() const
{
    QJsonObject object;
    object.insert(QLatin1StringView("status"), status);
    object.insert(QLatin1StringView("retry_after"), QString::fromUtf8(retryAfter));
    object.insert(QLatin1StringView("hang"), hang);
    object.insert(QLatin1StringView("delay_ms"), delayMs);
    object.insert(QLatin1StringView("fail_next"), failNext);
    object.insert(QLatin1StringView("body"), QString::fromUtf8(body));
    return object;
}

Result<MockMode> MockMode::fromJson(const QByteArray &json)
{
    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return makeError(
            ErrorCode::InvalidInput, QStringLiteral("mode body is not a JSON object: send e.g. {\"status\":503}"));

    const QJsonObject object = document.object();
    MockMode mode;
    mode.status = object.value(QLatin1StringView("status")).toInt(200);
    if (mode.status < 100 || mode.status > 599)
        return makeError(
            ErrorCode::InvalidInput, QStringLiteral("status %1 is not an HTTP status: use 100..599").arg(mode.status));

    const QJsonValue retryAfter = object.value(QLatin1StringView("retry_after"));
    mode.retryAfter = retryAfter.isDouble() ? QByteArray::number(retryAfter.toInt()) : retryAfter.toString().toUtf8();
    mode.hang = object.value(QLatin1StringView("hang")).toBool(false);
    mode.delayMs = std::max(0, object.value(QLatin1StringView("delay_ms")).toInt(0));
    mode.failNext = std::max(0, object.value(QLatin1StringView("fail_next")).toInt(0));
    mode.body = object.value(QLatin1StringView("body")).toString().toUtf8();
    return mode;
}

MockMoogState::MockMoogState(QByteArray token, qsizetype maxRecords)
    : m_expectedAuthorization(token.isEmpty() ? QByteArray() : QByteArray("Bearer ") + token)
    , m_maxRecords(maxRecords)
{
}

Answer MockMoogState::recordPost(
    const QByteArray &path, const QByteArray &authorization, const QByteArray &contentType, const QByteArray &body)
{
    RecordedRequest record;
    record.path = path;
    record.hasAuthorization = !authorization.isEmpty();
    record.authorized = m_expectedAuthorization.isEmpty() || authorization == m_expectedAuthorization;
    record.contentType = contentType;
    record.body = body;
    record.receivedAtMs = QDateTime::currentMSecsSinceEpoch();

    std::lock_guard lock(m_mutex);
    ++m_received;
    ++m_inFlight;
    m_maxConcurrent = std::max(m_maxConcurrent, m_inFlight);

    Answer answer;
    if (!record.authorized) {
        ++m_unauthorized;
        answer.status = 401;
        answer.body = R"({"status":"error","message":"missing or wrong bearer token"})";
    } else {
        answer = chooseAnswer();
    }

    record.status = answer.hang ? 0 : answer.status;
    if (!answer.hang)
        ++m_byStatus[answer.status];
    if (!answer.hang && isSuccess(answer.status)) {
        ++m_succeeded;
        ++m_signatures[signatureOf(body)];
    }

    if (qsizetype(m_records.size()) < m_maxRecords)
        m_records.push_back(std::move(record));
    else
        ++m_dropped;
    return answer;
}

Answer MockMoogState::chooseAnswer()
{
    Answer answer;
    answer.status = m_mode.status;
    answer.retryAfter = m_mode.retryAfter;
    answer.body = m_mode.body;
    if (answer.body.isEmpty()) {
        answer.body = isSuccess(answer.status)
            ? QByteArray(R"({"status":"ok"})")
            : QByteArray(R"({"status":"error","code":)") + QByteArray::number(answer.status) + '}';
    }
    answer.hang = m_mode.hang;
    answer.delayMs = m_mode.delayMs;

    if (m_mode.failNext > 0 && --m_mode.failNext == 0) {
        m_mode.status = 200;
        m_mode.retryAfter.clear();
        m_mode.hang = false;
    }
    return answer;
}

void MockMoogState::finishPost()
{
    std::lock_guard lock(m_mutex);
    m_inFlight = std::max(0, m_inFlight - 1);
}

Answer MockMoogState::probeAnswer() const
{
    std::lock_guard lock(m_mutex);
    Answer answer;
    answer.status = m_mode.status;
    answer.hang = m_mode.hang;
    answer.delayMs = m_mode.delayMs;
    answer.body = R"({"service":"mock-moog"})";
    return answer;
}

void MockMoogState::setMode(const MockMode &mode)
{
    std::lock_guard lock(m_mutex);
    m_mode = mode;
}

MockMode MockMoogState::mode() const
{
    std::lock_guard lock(m_mutex);
    return m_mode;
}

void MockMoogState::reset()
{
    std::lock_guard lock(m_mutex);
    m_mode = MockMode();
    m_received = 0;
    m_succeeded = 0;
    m_unauthorized = 0;
    m_dropped = 0;
    m_maxConcurrent = m_inFlight;
    m_byStatus.clear();
    m_signatures.clear();
    m_records.clear();
}

QJsonObject MockMoogState::stats() const
{
    std::lock_guard lock(m_mutex);

    QJsonObject byStatus;
    for (auto it = m_byStatus.cbegin(); it != m_byStatus.cend(); ++it)
        byStatus.insert(QString::number(it.key()), it.value());

    QJsonObject signatures;
    for (auto it = m_signatures.cbegin(); it != m_signatures.cend(); ++it)
        signatures.insert(it.key(), it.value());

    QJsonArray last;
    const qsizetype first = std::max<qsizetype>(0, qsizetype(m_records.size()) - lastBodiesInStats);
    for (auto it = m_records.cbegin() + first; it != m_records.cend(); ++it)
        last.append(bodyAsJson(it->body));

    QJsonObject object;
    object.insert(QLatin1StringView("received"), m_received);
    object.insert(QLatin1StringView("succeeded"), m_succeeded);
    object.insert(QLatin1StringView("unauthorized"), m_unauthorized);
    object.insert(QLatin1StringView("in_flight"), m_inFlight);
    object.insert(QLatin1StringView("max_concurrent"), m_maxConcurrent);
    object.insert(QLatin1StringView("records_dropped"), m_dropped);
    object.insert(QLatin1StringView("by_status"), byStatus);
    object.insert(QLatin1StringView("signatures"), signatures);
    object.insert(QLatin1StringView("last"), last);
    object.insert(QLatin1StringView("mode"), m_mode.toJson());
    return object;
}

QList<RecordedRequest> MockMoogState::requests(qsizetype offset, qsizetype limit) const
{
    std::lock_guard lock(m_mutex);
    QList<RecordedRequest> out;
    const qsizetype size = qsizetype(m_records.size());
    for (qsizetype i = std::max<qsizetype>(0, offset); i < size && out.size() < limit; ++i)
        out.append(m_records[size_t(i)]);
    return out;
}

qint64 MockMoogState::received() const
{
    std::lock_guard lock(m_mutex);
    return m_received;
}

qint64 MockMoogState::succeeded() const
{
    std::lock_guard lock(m_mutex);
    return m_succeeded;
}

int MockMoogState::inFlight() const
{
    std::lock_guard lock(m_mutex);
    return m_inFlight;
}

int MockMoogState::maxConcurrent() const
{
    std::lock_guard lock(m_mutex);
    return m_maxConcurrent;
}

}  // namespace mutt::mockmoog
