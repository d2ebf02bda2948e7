#include "api/ConfigKeys.h"

#include <QHash>
#include <QRegularExpression>

#include <cmath>

namespace mutt::api {
namespace {

enum class Kind { Integer, Boolean, ShedMode };

struct KeySpec {
    Kind kind = Kind::Integer;
    qint64 minimum = 0;  // Integer only
};

const QHash<QString, KeySpec> &fixedKeys()
{
    static const QHash<QString, KeySpec> keys {
        {QStringLiteral("max_ingest_queue_size"), {Kind::Integer, 1}},
        {QStringLiteral("ingest_max_rate"), {Kind::Integer, 1}},
        {QStringLiteral("ingest_rate_window"), {Kind::Integer, 1}},
        {QStringLiteral("cache_reload_interval"), {Kind::Integer, 1}},
        {QStringLiteral("unhandled_threshold"), {Kind::Integer, 1}},
        {QStringLiteral("unhandled_expiry_seconds"), {Kind::Integer, 1}},
        {QStringLiteral("alerter_queue_warn_threshold"), {Kind::Integer, 0}},
        {QStringLiteral("alerter_queue_shed_threshold"), {Kind::Integer, 0}},
        {QStringLiteral("alerter_shed_mode"), {Kind::ShedMode, 0}},
        {QStringLiteral("alerter_defer_sleep_ms"), {Kind::Integer, 1}},
        {QStringLiteral("moog_rate_limit"), {Kind::Integer, 1}},
        {QStringLiteral("moog_rate_period"), {Kind::Integer, 1}},
        {QStringLiteral("circuit_breaker_threshold"), {Kind::Integer, 1}},
        {QStringLiteral("circuit_breaker_timeout"), {Kind::Integer, 1}},
        {QStringLiteral("remediation_interval"), {Kind::Integer, 1}},
        {QStringLiteral("remediation_batch_size"), {Kind::Integer, 1}},
        {QStringLiteral("max_poison_retries"), {Kind::Integer, 0}},
        {QStringLiteral("event_retention_days"), {Kind::Integer, 1}},
        {QStringLiteral("event_archive_retention_years"), {Kind::Integer, 1}},
        {QStringLiteral("config_audit_retention_days"), {Kind::Integer, 1}},
        {QStringLiteral("metrics_retention_days"), {Kind::Integer, 1}},
        {QStringLiteral("retention_enforcement_enabled"), {Kind::Boolean, 0}},
    };
    return keys;
}

// slo_<name>_<setting> for the six MUTT v2.5 SLOs: positive numbers.
const QRegularExpression &sloKey()
{
    static const QRegularExpression pattern(QStringLiteral(
        "^slo_(ingestor_availability|ingestor_latency_p99|forwarder_availability|forwarder_latency_p99|"
        "alerter_processing_success|alerter_cache_reload_success)_"
        "(window_hours|burn_rate_warning|burn_rate_critical|upper_bound_warning|upper_bound_critical)$"));
    return pattern;
}

Error invalid(const QString &key, const QString &got, const QString &expected)
{
    return Error {ErrorCode::InvalidInput, QStringLiteral("value of %1 must be %2; got %3").arg(key, expected, got)};
}

QString describe(const QJsonValue &value)
{
    if (value.isString())
        return u'"' + value.toString() + u'"';
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 17);
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return value.isNull() ? QStringLiteral("null") : QStringLiteral("an array or object");
}

// Numbers may come as JSON numbers or numeric strings, as v2.5 stores strings.
std::optional<double> numberOf(const QJsonValue &value)
{
    if (value.isDouble())
        return value.toDouble();
    if (!value.isString())
        return std::nullopt;
    bool ok = false;
    const double number = value.toString().trimmed().toDouble(&ok);
    return ok && std::isfinite(number) ? std::optional<double>(number) : std::nullopt;
}

Result<QString> integerValue(const QString &key, const QJsonValue &value, qint64 minimum)
{
    const std::optional<double> number = numberOf(value);
    const QString expected = QStringLiteral("an integer of at least %1").arg(minimum);
    if (!number || std::floor(*number) != *number || *number < double(minimum) || *number > 9.0e15)
        return invalid(key, describe(value), expected);
    return QString::number(qint64(*number));
}

Result<QString> booleanValue(const QString &key, const QJsonValue &value)
{
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    const QString text = value.toString().trimmed().toLower();
    if (text == u"true" || text == u"false")
        return text;
    return invalid(key, describe(value), QStringLiteral("true or false"));
}

}  // namespace

bool ConfigKeys::isKnown(const QString &key)
{
    return fixedKeys().contains(key) || sloKey().match(key).hasMatch();
}

QStringList ConfigKeys::knownKeys()
{
    QStringList keys = fixedKeys().keys();
    keys.append(QStringLiteral("slo_<slo>_<window_hours|burn_rate_warning|burn_rate_critical|upper_bound_warning|"
                               "upper_bound_critical>"));
    keys.sort();
    return keys;
}

Result<QString> ConfigKeys::validate(const QString &key, const QJsonValue &value)
{
    if (sloKey().match(key).hasMatch()) {
        const std::optional<double> number = numberOf(value);
        if (!number || *number <= 0)
            return invalid(key, describe(value), QStringLiteral("a number above 0"));
        return QString::number(*number, 'g', 15);
    }

    const auto spec = fixedKeys().constFind(key);
    if (spec == fixedKeys().constEnd())
        return Error {ErrorCode::InvalidInput,
            QStringLiteral("unknown dynamic config key %1; use one of: %2").arg(key, knownKeys().join(u", "))};

    if (spec->kind == Kind::Boolean)
        return booleanValue(key, value);
    if (spec->kind == Kind::ShedMode) {
        const QString mode = value.toString().trimmed();
        if (mode != u"dlq" && mode != u"defer")
            return invalid(key, describe(value), QStringLiteral("\"dlq\" or \"defer\""));
        return mode;
    }
    return integerValue(key, value, spec->minimum);
}

}  // namespace mutt::api
