// Severity vocabulary of syslog (RFC 5424 section 6.2.1 names plus the
// common long forms), of the MUTT v2.5 demo traps and of Moogsoft.

#include "event/Event.h"
#include "event/Json.h"

#include <array>
#include <cmath>

namespace mutt::event {
namespace {

struct SeverityName {
    QLatin1StringView name;
    int level;
};

constexpr std::array severityNames {
    SeverityName {QLatin1StringView("emerg"), 0},
    SeverityName {QLatin1StringView("emergency"), 0},
    SeverityName {QLatin1StringView("panic"), 0},
    SeverityName {QLatin1StringView("alert"), 1},
    SeverityName {QLatin1StringView("crit"), 2},
    SeverityName {QLatin1StringView("critical"), 2},
    SeverityName {QLatin1StringView("err"), 3},
    SeverityName {QLatin1StringView("error"), 3},
    SeverityName {QLatin1StringView("warn"), 4},
    SeverityName {QLatin1StringView("warning"), 4},
    SeverityName {QLatin1StringView("notice"), 5},
    SeverityName {QLatin1StringView("info"), 6},
    SeverityName {QLatin1StringView("informational"), 6},
    SeverityName {QLatin1StringView("debug"), 7},
    // SNMP trap words of the v2.5 demo traps: the alert severity keeps the
    // trap's word (3 -> Major, 5 -> Minor).
    SeverityName {QLatin1StringView("major"), 3},
    SeverityName {QLatin1StringView("minor"), 5},
};

std::optional<int> severityFromText(QStringView text)
{
    const QStringView trimmed = text.trimmed();
    if (trimmed.size() == 1 && trimmed.at(0) >= u'0' && trimmed.at(0) <= u'7')
        return trimmed.at(0).unicode() - u'0';

    for (const SeverityName &entry : severityNames) {
        if (trimmed.compare(entry.name, Qt::CaseInsensitive) == 0)
            return entry.level;
    }
    return std::nullopt;
}

std::optional<int> severityFromNumber(double value)
{
    if (std::trunc(value) != value || value < 0 || value > 7)
        return std::nullopt;
    return int(value);
}

}  // namespace

std::optional<int> parseSeverity(const rapidjson::Value &value)
{
    if (json::isRawNumber(value))
        return std::nullopt;
    if (value.IsString())
        return severityFromText(json::text(value));
    if (value.IsInt64())
        return value.GetInt64() >= 0 && value.GetInt64() <= 7 ? std::optional<int>(int(value.GetInt64()))
                                                              : std::nullopt;
    if (value.IsDouble())
        return severityFromNumber(value.GetDouble());
    return std::nullopt;
}

QString alertSeverityName(std::optional<int> syslogSeverity)
{
    if (!syslogSeverity)
        return QStringLiteral("Warning");

    switch (*syslogSeverity) {
    case 0:
    case 1:
    case 2: return QStringLiteral("Critical");
    case 3: return QStringLiteral("Major");
    case 4: return QStringLiteral("Warning");
    case 5: return QStringLiteral("Minor");
    case 6:
    case 7: return QStringLiteral("Info");
    default: return QStringLiteral("Warning");
    }
}

int moogSeverity(const QString &alertSeverity)
{
    const QString name = alertSeverity.trimmed();
    auto is = [&](QLatin1StringView word) { return name.compare(word, Qt::CaseInsensitive) == 0; };
    if (is(QLatin1StringView("Critical")))
        return 5;
    if (is(QLatin1StringView("Major")))
        return 4;
    if (is(QLatin1StringView("Warning")))
        return 3;
    if (is(QLatin1StringView("Minor")))
        return 2;
    if (is(QLatin1StringView("Info")))
        return 1;
    if (is(QLatin1StringView("Clear")))
        return 0;
    return 3;
}

}  // namespace mutt::event
