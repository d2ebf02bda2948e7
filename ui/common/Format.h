#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

// How the console writes numbers, rates, durations and times: digits grouped
// for the reader's locale, durations in the two largest units, times in UTC.
namespace mutt::ui::format {

QString count(qint64 value);
// "1,234", "12.5", "0.25": one decimal under 100, none above; "—" when unknown.
QString rate(std::optional<double> perSecond);
// "850 ms", "42 s", "3 min 05 s", "2 h 10 min", "3 d 04 h".
QString duration(qint64 ms);
QString optionalDuration(std::optional<qint64> ms);
// "14:03:07 UTC".
QString utcTime(const QDateTime &time);
// "2024-05-01 14:03:07 UTC".
QString utcDateTime(const QDateTime &time);

// The dash shown where a value is not known yet.
QString unknown();

}  // namespace mutt::ui::format
