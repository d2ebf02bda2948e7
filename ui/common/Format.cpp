#include "common/Format.h"

#include <QCoreApplication>
#include <QLocale>

#include <cmath>

namespace mutt::ui::format {
namespace {

// Translation context for the sentences in this file.
struct Text {
    Q_DECLARE_TR_FUNCTIONS(Format)
};

QLocale groupingLocale()
{
    QLocale locale;
    locale.setNumberOptions({});  // the C locale omits group separators by default
    return locale;
}

QString twoDigits(qint64 value)
{
    return QStringLiteral("%1").arg(value, 2, 10, QLatin1Char('0'));
}

}  // namespace

QString unknown()
{
    return QStringLiteral("—");
}

QString count(qint64 value)
{
    return groupingLocale().toString(value);
}

QString rate(std::optional<double> perSecond)
{
    if (!perSecond || !std::isfinite(*perSecond))
        return unknown();

    const double value = *perSecond;
    if (std::abs(value) < 0.005)
        return QStringLiteral("0");
    if (std::abs(value) < 100.0)
        return groupingLocale().toString(value, 'f', std::abs(value) < 1.0 ? 2 : 1);
    return groupingLocale().toString(qint64(std::llround(value)));
}

QString duration(qint64 ms)
{
    if (ms < 0)
        ms = 0;
    if (ms < 1000)
        return Text::tr("%1 ms").arg(ms);

    const qint64 seconds = ms / 1000;
    if (seconds < 60)
        return Text::tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return Text::tr("%1 min %2 s").arg(seconds / 60).arg(twoDigits(seconds % 60));
    if (seconds < 86400)
        return Text::tr("%1 h %2 min").arg(seconds / 3600).arg(twoDigits(seconds % 3600 / 60));
    return Text::tr("%1 d %2 h").arg(seconds / 86400).arg(twoDigits(seconds % 86400 / 3600));
}

QString optionalDuration(std::optional<qint64> ms)
{
    return ms ? duration(*ms) : unknown();
}

QString utcTime(const QDateTime &time)
{
    if (!time.isValid())
        return unknown();
    return time.toUTC().toString(QStringLiteral("HH:mm:ss")) + QStringLiteral(" UTC");
}

QString utcDateTime(const QDateTime &time)
{
    if (!time.isValid())
        return unknown();
    return time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) + QStringLiteral(" UTC");
}

}  // namespace mutt::ui::format
