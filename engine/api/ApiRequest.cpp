#include "api/ApiRequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QTimeZone>

#include <algorithm>
#include <limits>

namespace mutt::api {
namespace {

Error invalid(const QString &message)
{
    return Error {ErrorCode::InvalidInput, message};
}

// Id columns (alert_rules.id, matched_rule_id, record_id) are 32-bit
// INTEGER in PostgreSQL, which rejects a larger parameter.
constexpr qint64 kMaxId = std::numeric_limits<qint32>::max();
constexpr qint64 kMinInteger = std::numeric_limits<qint32>::min();

// PostgreSQL text columns reject NUL and lone UTF-16 surrogates, which
// QJsonDocument accepts, so this API rejects them with a 400 first.
std::optional<QString> badText(const QString &text, const QString &field)
{
    if (text.contains(QChar(u'\0')))
        return QStringLiteral("%1 contains a NUL character (\\u0000); remove it").arg(field);
    if (!text.isValidUtf16())
        return QStringLiteral("%1 contains a lone UTF-16 surrogate; send valid Unicode text").arg(field);
    return std::nullopt;
}

std::optional<QString> badTextIn(const QJsonValue &value, const QString &field)
{
    if (value.isString())
        return badText(value.toString(), field);
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (auto bad = badTextIn(array.at(i), QStringLiteral("%1[%2]").arg(field).arg(i)))
                return bad;
        }
    }
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString name = field.isEmpty() ? it.key() : field + u'.' + it.key();
            if (auto bad = badText(it.key(), QStringLiteral("field name ") + name))
                return bad;
            if (auto bad = badTextIn(it.value(), name))
                return bad;
        }
    }
    return std::nullopt;
}

}  // namespace

Result<QJsonObject> ApiRequest::jsonObject(bool emptyAllowed) const
{
    if (m_request.body.trimmed().isEmpty()) {
        if (emptyAllowed)
            return QJsonObject {};
        return invalid(QStringLiteral("the request body is empty; send a JSON object with Content-Type "
                                      "application/json"));
    }

    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(m_request.body, &error);
    if (error.error != QJsonParseError::NoError)
        return invalid(QStringLiteral("the request body is not valid JSON: %1 at offset %2; send a JSON object")
                           .arg(error.errorString())
                           .arg(error.offset));
    if (!document.isObject())
        return invalid(QStringLiteral("the request body must be a JSON object such as {\"field\": \"value\"}"));
    if (const std::optional<QString> bad = badTextIn(document.object(), {}))
        return invalid(*bad);
    return document.object();
}

std::optional<QString> ApiRequest::text(QByteArrayView name) const
{
    const QString value = QString::fromUtf8(m_request.queryValue(name));
    if (value.isEmpty())
        return std::nullopt;
    return value;
}

Result<std::optional<qint64>> ApiRequest::integer(QByteArrayView name) const
{
    const std::optional<QString> value = text(name);
    if (!value)
        return std::optional<qint64>();
    bool ok = false;
    const qint64 number = value->toLongLong(&ok);
    if (!ok || number < kMinInteger || number > kMaxId)
        return invalid(QStringLiteral("query parameter %1 must be an integer from %2 to %3; got \"%4\"")
                           .arg(QString::fromLatin1(name.toByteArray()))
                           .arg(kMinInteger)
                           .arg(kMaxId)
                           .arg(*value));
    return std::optional<qint64>(number);
}

Result<std::optional<QDateTime>> ApiRequest::time(QByteArrayView name) const
{
    const std::optional<QString> value = text(name);
    if (!value)
        return std::optional<QDateTime>();

    QDateTime parsed = QDateTime::fromString(*value, Qt::ISODateWithMs);
    if (!parsed.isValid()) {
        const QDate date = QDate::fromString(*value, Qt::ISODate);
        if (date.isValid())
            parsed = QDateTime(date, QTime(0, 0), QTimeZone::utc());
    }
    if (!parsed.isValid())
        return invalid(QStringLiteral("query parameter %1 must be an RFC 3339 date-time such as "
                                      "2025-01-15T14:30:00Z or a date such as 2025-01-15; got \"%2\"")
                           .arg(QString::fromLatin1(name.toByteArray()), *value));
    if (parsed.timeSpec() == Qt::LocalTime)
        parsed.setTimeZone(QTimeZone::utc());  // no offset given: UTC, as every time this API writes
    return std::optional<QDateTime>(parsed.toUTC());
}

Result<Paging> ApiRequest::paging(int maxLimit) const
{
    const Result<std::optional<qint64>> page = integer("page");
    if (!page)
        return page.error();
    const Result<std::optional<qint64>> limit = integer("limit");
    if (!limit)
        return limit.error();

    Paging paging;
    if (page.value()) {
        if (*page.value() < 1 || *page.value() > 1'000'000)
            return invalid(QStringLiteral("query parameter page must be from 1 to 1000000; got %1").arg(*page.value()));
        paging.page = int(*page.value());
    }
    if (limit.value()) {
        if (*limit.value() < 1 || *limit.value() > maxLimit)
            return invalid(
                QStringLiteral("query parameter limit must be from 1 to %1; got %2").arg(maxLimit).arg(*limit.value()));
        paging.limit = int(*limit.value());
    }
    return paging;
}

QString reasonOf(const QJsonObject &body)
{
    return body.value(QStringLiteral("reason")).toString();
}

Result<qint64> positiveId(const QString &segment, const QString &field)
{
    const bool digits = !segment.isEmpty()
        && std::all_of(segment.begin(), segment.end(), [](QChar c) { return c >= u'0' && c <= u'9'; });
    bool ok = false;
    const qint64 id = digits ? segment.toLongLong(&ok) : 0;
    if (!ok || id < 1 || id > kMaxId)
        return invalid(QStringLiteral("%1 must be an integer from 1 to %2 in the path; got \"%3\"")
                           .arg(field)
                           .arg(kMaxId)
                           .arg(segment));
    return id;
}

}  // namespace mutt::api
