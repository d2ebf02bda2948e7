#pragma once

#include "core/Result.h"
#include "http/HttpTypes.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace mutt::api {

struct Paging {
    int page = 1;
    int limit = 50;
};

// Reads query parameters and JSON bodies. Every failure is InvalidInput
// with a message that names the parameter or field and states the expected value.
class ApiRequest final {
public:
    explicit ApiRequest(const http::HttpRequest &request) : m_request(request) { }

    // The body as a JSON object. An empty body counts as {} when
    // `emptyAllowed` (DELETE with an optional reason).
    [[nodiscard]] Result<QJsonObject> jsonObject(bool emptyAllowed = false) const;

    // Non-empty text of a query parameter, else nullopt.
    [[nodiscard]] std::optional<QString> text(QByteArrayView name) const;
    [[nodiscard]] Result<std::optional<qint64>> integer(QByteArrayView name) const;
    // RFC 3339 date-time ("2025-01-15T14:30:00Z") or a date ("2025-01-15",
    // midnight UTC).
    [[nodiscard]] Result<std::optional<QDateTime>> time(QByteArrayView name) const;
    // page (>= 1, default 1) and limit (1..maxLimit, default 50).
    [[nodiscard]] Result<Paging> paging(int maxLimit = 200) const;

private:
    const http::HttpRequest &m_request;
};

// The outcome of a Result without its value, to check several at once.
template <typename T> Status statusOf(const Result<T> &result)
{
    if (result)
        return {};
    return result.error();
}

// "reason" of a JSON body when it is a string, else empty.
QString reasonOf(const QJsonObject &body);

// A positive integer path segment such as a rule id; InvalidInput naming
// `field` otherwise.
Result<qint64> positiveId(const QString &segment, const QString &field);

}  // namespace mutt::api
