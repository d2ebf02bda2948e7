#include "forwarder/DeliveryPolicy.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QRandomGenerator>
#include <QTime>
#include <QTimeZone>

#include <algorithm>
#include <array>
#include <cmath>

namespace mutt::forwarder {
namespace {

constexpr std::array<const char *, 12> monthNames {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

int monthNumber(const QByteArray &name)
{
    for (size_t i = 0; i < monthNames.size(); ++i) {
        if (name == monthNames[i])
            return int(i) + 1;
    }
    return 0;
}

// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
std::optional<QDateTime> parseHttpDate(const QByteArray &value)
{
    const QList<QByteArray> parts = value.simplified().split(' ');
    if (parts.size() != 6 || !parts[0].endsWith(',') || parts[5] != "GMT")
        return std::nullopt;

    bool dayOk = false;
    bool yearOk = false;
    const int day = parts[1].toInt(&dayOk);
    const int month = monthNumber(parts[2]);
    const int year = parts[3].toInt(&yearOk);
    const QTime time = QTime::fromString(QString::fromLatin1(parts[4]), QStringLiteral("HH:mm:ss"));
    const QDate date(year, month, day);
    if (!dayOk || !yearOk || month == 0 || !date.isValid() || !time.isValid())
        return std::nullopt;
    return QDateTime(date, time, QTimeZone::utc());
}

}  // namespace

Verdict classify(int httpStatus)
{
    if (httpStatus >= 200 && httpStatus < 300)
        return Verdict::Delivered;
    if (httpStatus == 0 || httpStatus == 408 || httpStatus == 429 || httpStatus >= 500)
        return Verdict::Retry;
    return Verdict::Reject;
}

std::optional<qint64> parseRetryAfter(const QByteArray &value, qint64 nowMs)
{
    const QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;

    bool isNumber = false;
    const qint64 seconds = trimmed.toLongLong(&isNumber);
    if (isNumber)
        return seconds < 0 ? std::nullopt : std::optional<qint64>(seconds * 1000);

    const std::optional<QDateTime> date = parseHttpDate(trimmed);
    if (!date)
        return std::nullopt;
    return std::max<qint64>(0, date->toMSecsSinceEpoch() - nowMs);
}

qint64 backoffMs(int attempt, double baseDelaySeconds, double maxDelaySeconds)
{
    const int exponent = std::clamp(attempt - 1, 0, 62);
    const double capSeconds = std::min(maxDelaySeconds, baseDelaySeconds * std::ldexp(1.0, exponent));
    if (capSeconds <= 0)
        return 0;
    return qint64(QRandomGenerator::global()->bounded(capSeconds * 1000.0));
}

QString bodyExcerpt(const QByteArray &body, int maxChars)
{
    QString text = QString::fromUtf8(body).simplified();
    if (text.size() > maxChars)
        text.truncate(maxChars);
    return text;
}

}  // namespace mutt::forwarder
