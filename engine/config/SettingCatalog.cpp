#include "config/SettingCatalog.h"

#include "core/Log.h"

#include <QRegularExpression>

#include <limits>

namespace mutt::config {
namespace {

using Kind = SettingSpec::Kind;
constexpr qint64 unbounded = std::numeric_limits<qint64>::max();

QStringList names(std::initializer_list<const char16_t *> list)
{
    QStringList out;
    for (const char16_t *name : list)
        out.append(QString::fromUtf16(name));
    return out;
}

QString integerRange(qint64 min, qint64 max)
{
    if (max == unbounded)
        return QStringLiteral("an integer of at least %1").arg(min);
    return QStringLiteral("an integer from %1 to %2").arg(min).arg(max);
}

// What a setting in seconds accepts, with an example of NAME=VALUE. The
// example takes the number from a value such as "10s" when it is in range,
// else `fallback` (the default). Durations take no unit suffix, as in MUTT v2.5.
QString secondsRange(
    const QString &name, const QString &raw, double min, double max, const QString &fallback, bool wholeNumber)
{
    static const QRegularExpression withUnit(
        QStringLiteral("^\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(s|sec|secs|seconds?)\\s*$"),
        QRegularExpression::CaseInsensitiveOption);
    QString example = fallback;
    if (const QRegularExpressionMatch match = withUnit.match(raw); match.hasMatch()) {
        const QString number = match.captured(1);
        const bool fits = !(wholeNumber && number.contains(u'.'));
        if (fits && number.toDouble() >= min && number.toDouble() <= max)
            example = number;
    }
    const QString range = max >= double(unbounded) ? QStringLiteral("of at least %1").arg(min)
                                                   : QStringLiteral("from %1 to %2").arg(min).arg(max);
    return QStringLiteral("%1 of seconds %2, written without a unit, such as %3=%4")
        .arg(wholeNumber ? QStringLiteral("a whole number") : QStringLiteral("a number"), range, name, example);
}

enum class Unit { None, Seconds };

// The built-in defaults, for examples in error messages.
const Settings &defaultSettings()
{
    static const Settings defaults;
    return defaults;
}

template <typename T>
SettingSpec integer(
    const QString &group, QStringList envNames, T Settings::*member, qint64 min, qint64 max, Unit unit = Unit::None)
{
    const QString name = envNames.constFirst();
    auto assign = [member, min, max, unit, name](Settings &settings, const QString &raw) -> QString {
        bool ok = false;
        const qint64 value = raw.trimmed().toLongLong(&ok);
        if (!ok || value < min || value > max) {
            if (unit == Unit::Seconds)
                return secondsRange(
                    name, raw, double(min), double(max), QString::number(defaultSettings().*member), true);
            return integerRange(min, max);
        }
        settings.*member = T(value);
        return {};
    };
    auto show = [member](const Settings &settings) { return QString::number(settings.*member); };
    return SettingSpec {group, std::move(envNames), Kind::Integer, assign, show};
}

template <typename T>
SettingSpec seconds(const QString &group, QStringList envNames, T Settings::*member, qint64 min, qint64 max)
{
    return integer(group, std::move(envNames), member, min, max, Unit::Seconds);
}

SettingSpec port(const QString &group, QStringList envNames, quint16 Settings::*member)
{
    return integer(group, std::move(envNames), member, 1, 65535);
}

// A number in seconds that may have a fraction (delays, timeouts).
SettingSpec realSeconds(const QString &group, QStringList envNames, double Settings::*member, double min, double max)
{
    const QString name = envNames.constFirst();
    auto assign = [member, min, max, name](Settings &settings, const QString &raw) -> QString {
        bool ok = false;
        const double value = raw.trimmed().toDouble(&ok);
        if (!ok || !(value >= min && value <= max))
            return secondsRange(name, raw, min, max, QString::number(defaultSettings().*member), false);
        settings.*member = value;
        return {};
    };
    auto show = [member](const Settings &settings) { return QString::number(settings.*member); };
    return SettingSpec {group, std::move(envNames), Kind::Real, assign, show};
}

SettingSpec boolean(const QString &group, QStringList envNames, bool Settings::*member)
{
    auto assign = [member](Settings &settings, const QString &raw) -> QString {
        bool value = false;
        if (!SettingCatalog::parseBool(raw, &value))
            return QStringLiteral("true or false (also 1/0, yes/no, on/off)");
        settings.*member = value;
        return {};
    };
    auto show = [member](const Settings &settings) {
        return settings.*member ? QStringLiteral("true") : QStringLiteral("false");
    };
    return SettingSpec {group, std::move(envNames), Kind::Bool, assign, show};
}

// `optional` texts may be empty (file paths); the others are key names that must not be.
SettingSpec text(const QString &group, QStringList envNames, QString Settings::*member, bool optional = false)
{
    auto assign = [member, optional](Settings &settings, const QString &raw) -> QString {
        const QString value = raw.trimmed();
        if (value.isEmpty() && !optional)
            return QStringLiteral("a non-empty value");
        settings.*member = value;
        return {};
    };
    auto show = [member](const Settings &settings) { return settings.*member; };
    return SettingSpec {group, std::move(envNames), Kind::Text, assign, show};
}

SettingSpec secret(QStringList envNames, QString Settings::*member)
{
    auto assign = [member](Settings &settings, const QString &raw) -> QString {
        settings.*member = raw.trimmed();
        return {};
    };
    auto show = [member](const Settings &settings) {
        const QString &value = settings.*member;
        return value.isEmpty() ? QStringLiteral("not set") : QStringLiteral("set (%1 chars)").arg(value.size());
    };
    return SettingSpec {QStringLiteral("secrets"), std::move(envNames), Kind::Secret, assign, show};
}

SettingSpec choice(const QString &group, QStringList envNames, QString Settings::*member, QStringList allowed)
{
    auto assign = [member, allowed](Settings &settings, const QString &raw) -> QString {
        const QString value = raw.trimmed().toLower();
        if (!allowed.contains(value))
            return QStringLiteral("one of ") + allowed.join(QStringLiteral(", "));
        settings.*member = value;
        return {};
    };
    auto show = [member](const Settings &settings) { return settings.*member; };
    return SettingSpec {group, std::move(envNames), Kind::Choice, assign, show};
}

// A replica count, or "auto" (stored as -1).
SettingSpec replicaCount(const QString &group, QStringList envNames, int Settings::*member, int max)
{
    auto assign = [member, max](Settings &settings, const QString &raw) -> QString {
        const QString value = raw.trimmed().toLower();
        if (value == u"auto") {
            settings.*member = -1;
            return {};
        }
        bool ok = false;
        const int count = value.toInt(&ok);
        if (!ok || count < 0 || count > max)
            return QStringLiteral("auto or an integer from 0 to %1").arg(max);
        settings.*member = count;
        return {};
    };
    auto show = [member](const Settings &settings) {
        return settings.*member < 0 ? QStringLiteral("auto") : QString::number(settings.*member);
    };
    return SettingSpec {group, std::move(envNames), Kind::Integer, assign, show};
}

SettingSpec logLevel()
{
    // v2.5 used Python level names (DEBUG, INFO, WARNING, ERROR, CRITICAL).
    auto assign = [](Settings &settings, const QString &raw) -> QString {
        const QString level = log::levelFromText(raw);
        if (level.isEmpty())
            return QStringLiteral("one of ") + log::levelNames();
        settings.logLevel = level;
        return {};
    };
    auto show = [](const Settings &settings) { return settings.logLevel; };
    return SettingSpec {QStringLiteral("process"), names({u"LOG_LEVEL"}), Kind::Choice, assign, show};
}

SettingSpec backend()
{
    auto assign = [](Settings &settings, const QString &raw) -> QString {
        const QString value = raw.trimmed().toLower();
        if (value == u"embedded")
            settings.embedded = true;
        else if (value == u"redis" || value == u"production")
            settings.embedded = false;
        else
            return QStringLiteral("embedded or redis");
        return {};
    };
    auto show = [](const Settings &settings) {
        return settings.embedded ? QStringLiteral("embedded") : QStringLiteral("redis");
    };
    return SettingSpec {QStringLiteral("process"), names({u"MUTT_BACKEND"}), Kind::Choice, assign, show};
}

SettingSpec bindAddress()
{
    auto assign = [](Settings &settings, const QString &raw) -> QString {
        const QString value = raw.trimmed();
        QHostAddress address;
        if (value.compare(u"localhost", Qt::CaseInsensitive) == 0)
            address = QHostAddress(QHostAddress::LocalHost);
        else if (!address.setAddress(value))
            return QStringLiteral("an IPv4 or IPv6 address such as 127.0.0.1, 0.0.0.0 or ::1");
        settings.bindAddress = address;
        return {};
    };
    auto show = [](const Settings &settings) { return settings.bindAddress.toString(); };
    return SettingSpec {QStringLiteral("process"), names({u"MUTT_BIND_ADDRESS"}), Kind::Address, assign, show};
}

SettingSpec requiredFields()
{
    // An empty list turns the field check off, as in v2.5.
    auto assign = [](Settings &settings, const QString &raw) -> QString {
        QStringList fields;
        for (const QString &field : raw.split(u',')) {
            if (!field.trimmed().isEmpty())
                fields.append(field.trimmed());
        }
        settings.requiredFields = fields;
        return {};
    };
    auto show = [](const Settings &settings) { return settings.requiredFields.join(u','); };
    return SettingSpec {QStringLiteral("ingestor"), names({u"REQUIRED_FIELDS"}), Kind::List, assign, show};
}

QList<SettingSpec> processSpecs()
{
    const QString g = QStringLiteral("process");
    return {
        text(g, names({u"POD_NAME"}), &Settings::podName),
        text(g, names({u"MUTT_DATA_DIR"}), &Settings::dataDir),
        backend(),
        logLevel(),
        boolean(g, names({u"LOG_JSON_ENABLED"}), &Settings::logJson),
        text(g, names({u"MUTT_LOG_FILE"}), &Settings::logFile, true),
        bindAddress(),
        boolean(g, names({u"MUTT_SINGLE_PORT"}), &Settings::singlePort),
        integer(g, names({u"MUTT_HTTP_IO_THREADS"}), &Settings::httpIoThreads, 1, 64),
        text(g, names({u"TLS_CERT_FILE"}), &Settings::tlsCertFile, true),
        text(g, names({u"TLS_KEY_FILE"}), &Settings::tlsKeyFile, true),
        boolean(g, names({u"DYNAMIC_CONFIG_ENABLED"}), &Settings::dynamicConfigEnabled),
        choice(g, names({u"MUTT_EMBEDDED_SYNC"}), &Settings::embeddedSync, names({u"full", u"normal"})),
    };
}

QList<SettingSpec> secretSpecs()
{
    return {
        secret(names({u"INGEST_API_KEY"}), &Settings::ingestApiKey),
        secret(names({u"INGEST_API_KEY_NEXT"}), &Settings::ingestApiKeyNext),
        secret(names({u"WEBUI_API_KEY"}), &Settings::webuiApiKey),
        secret(names({u"WEBUI_API_KEY_NEXT"}), &Settings::webuiApiKeyNext),
        secret(names({u"MOOG_API_KEY"}), &Settings::moogApiKey),
        secret(names({u"REDIS_PASS_CURRENT"}), &Settings::redisPassCurrent),
        secret(names({u"REDIS_PASS_NEXT"}), &Settings::redisPassNext),
        secret(names({u"REDIS_PASS"}), &Settings::redisPass),
        secret(names({u"DB_PASS_CURRENT", u"DB_PASS"}), &Settings::dbPassCurrent),
        secret(names({u"DB_PASS_NEXT"}), &Settings::dbPassNext),
    };
}

// MUTT v2.5 passed VAULT_SECRETS_PATH to a KV v2 client that added its own
// "secret" mount, so the default read /v1/secret/data/secret/mutt. The mount
// is a setting of its own here, and a path starting with "<mount>/" has that
// prefix dropped, so the v2.5 default reads /v1/secret/data/mutt.
QList<SettingSpec> vaultSpecs()
{
    const QString g = QStringLiteral("vault");
    return {
        text(g, names({u"VAULT_ADDR"}), &Settings::vaultAddr, true),
        // A secret so that check-config does not print it and VAULT_ROLE_ID_FILE works.
        secret(names({u"VAULT_ROLE_ID"}), &Settings::vaultRoleId),
        text(g, names({u"VAULT_SECRET_ID_FILE"}), &Settings::vaultSecretIdFile, true),
        text(g, names({u"VAULT_SECRETS_MOUNT"}), &Settings::vaultSecretsMount),
        text(g, names({u"VAULT_SECRETS_PATH"}), &Settings::vaultSecretsPath),
        seconds(g, names({u"VAULT_TOKEN_RENEW_THRESHOLD"}), &Settings::vaultTokenRenewThreshold, 1, 31'536'000),
        seconds(g, names({u"VAULT_RENEW_CHECK_INTERVAL"}), &Settings::vaultRenewCheckInterval, 1, 86400),
        seconds(g, names({u"VAULT_SECRETS_REFRESH_INTERVAL"}), &Settings::vaultSecretsRefreshInterval, 1, 86400),
        text(g, names({u"VAULT_CACERT"}), &Settings::vaultCaCert, true),
        seconds(g, names({u"VAULT_CLIENT_TIMEOUT"}), &Settings::vaultClientTimeout, 1, 300),
    };
}

QList<SettingSpec> queueSpecs()
{
    const QString g = QStringLiteral("queue names");
    return {
        text(g, names({u"INGEST_QUEUE_NAME"}), &Settings::ingestQueue),
        text(g, names({u"ALERT_QUEUE_NAME"}), &Settings::alertQueue),
        text(g, names({u"ALERTER_PROCESSING_LIST_PREFIX"}), &Settings::alerterProcessingPrefix),
        text(g, names({u"ALERTER_HEARTBEAT_PREFIX"}), &Settings::alerterHeartbeatPrefix),
        text(g, names({u"ALERTER_DLQ_NAME"}), &Settings::alerterDlq),
        text(g, names({u"MOOG_PROCESSING_LIST_PREFIX"}), &Settings::moogProcessingPrefix),
        text(g, names({u"MOOG_HEARTBEAT_PREFIX"}), &Settings::moogHeartbeatPrefix),
        text(g, names({u"MOOG_DLQ_NAME"}), &Settings::moogDlq),
        text(g, names({u"DEAD_LETTER_QUEUE"}), &Settings::deadLetterQueue),
        text(g, names({u"MOOG_RETRY_SET"}), &Settings::moogRetrySet),
        text(g, names({u"MOOG_RATE_LIMIT_KEY"}), &Settings::moogRateLimitKey),
        text(g, names({u"UNHANDLED_PREFIX"}), &Settings::unhandledPrefix),
        text(g, names({u"METRICS_PREFIX"}), &Settings::metricsPrefix),
    };
}

QList<SettingSpec> ingestorSpecs()
{
    const QString g = QStringLiteral("ingestor");
    return {
        port(g, names({u"SERVER_PORT_INGESTOR"}), &Settings::ingestPort),
        integer(g, names({u"MAX_INGEST_QUEUE_SIZE"}), &Settings::maxIngestQueueSize, 1000, unbounded),
        integer(g, names({u"MAX_BODY_BYTES"}), &Settings::maxBodyBytes, 1024, qint64(1) << 30),
        requiredFields(),
        boolean(g, names({u"RATE_LIMIT_ENABLED"}), &Settings::rateLimitEnabled),
        integer(g, names({u"INGEST_MAX_RATE"}), &Settings::ingestMaxRate, 1, unbounded),
        seconds(g, names({u"INGEST_RATE_WINDOW"}), &Settings::ingestRateWindow, 1, 86400),
        integer(g, names({u"MUTT_REJECTED_LIST_MAX"}), &Settings::rejectedListMax, 0, 1'000'000),
    };
}

QList<SettingSpec> alerterSpecs()
{
    const QString g = QStringLiteral("alerter");
    return {
        port(g, names({u"HEALTH_PORT_ALERTER", u"ALERTER_HEALTH_PORT"}), &Settings::alerterHealthPort),
        port(g, names({u"METRICS_PORT_ALERTER", u"ALERTER_METRICS_PORT"}), &Settings::alerterMetricsPort),
        integer(g, names({u"ALERTER_WORKERS"}), &Settings::alerterWorkers, 1, 64),
        integer(g, names({u"ALERTER_BATCH_SIZE"}), &Settings::alerterBatchSize, 1, 10'000),
        seconds(g, names({u"ALERTER_HEARTBEAT_INTERVAL"}), &Settings::alerterHeartbeatInterval, 1, 3600),
        seconds(g, names({u"ALERTER_JANITOR_TIMEOUT"}), &Settings::alerterJanitorTimeout, 2, 86400),
        integer(g, names({u"ALERTER_MAX_RETRIES"}), &Settings::alerterMaxRetries, 0, 1000),
        seconds(g, names({u"BRPOPLPUSH_TIMEOUT"}), &Settings::brpoplpushTimeout, 1, 300),
        seconds(g, names({u"CACHE_RELOAD_INTERVAL"}), &Settings::cacheReloadInterval, 1, 86400),
        integer(g, names({u"UNHANDLED_THRESHOLD"}), &Settings::unhandledThreshold, 1, unbounded),
        seconds(g, names({u"UNHANDLED_EXPIRY_SECONDS"}), &Settings::unhandledExpirySeconds, 1, 31'536'000),
        text(g, names({u"UNHANDLED_DEFAULT_TEAM"}), &Settings::unhandledDefaultTeam),
        seconds(g, names({u"JANITOR_INTERVAL"}), &Settings::janitorInterval, 1, 86400),
    };
}

QList<SettingSpec> forwarderSpecs()
{
    const QString g = QStringLiteral("forwarder");
    return {
        port(g, names({u"HEALTH_PORT_MOOG", u"MOOG_FORWARDER_HEALTH_PORT"}), &Settings::moogHealthPort),
        port(g, names({u"METRICS_PORT_MOOG", u"MOOG_FORWARDER_METRICS_PORT"}), &Settings::moogMetricsPort),
        text(g, names({u"MOOG_WEBHOOK_URL"}), &Settings::moogWebhookUrl),
        seconds(g, names({u"MOOG_WEBHOOK_TIMEOUT"}), &Settings::moogWebhookTimeout, 1, 300),
        integer(g, names({u"MOOG_RATE_LIMIT"}), &Settings::moogRateLimit, 1, 1'000'000),
        seconds(g, names({u"MOOG_RATE_PERIOD"}), &Settings::moogRatePeriod, 1, 3600),
        integer(g, names({u"MOOG_MAX_RETRIES"}), &Settings::moogMaxRetries, 0, 1000),
        realSeconds(g, names({u"MOOG_RETRY_BASE_DELAY"}), &Settings::moogRetryBaseDelay, 0.0, 3600.0),
        realSeconds(g, names({u"MOOG_RETRY_MAX_DELAY"}), &Settings::moogRetryMaxDelay, 0.0, 86400.0),
        integer(g, names({u"MOOG_MAX_IN_FLIGHT"}), &Settings::moogMaxInFlight, 1, 1024),
        seconds(g, names({u"MOOG_HEARTBEAT_INTERVAL"}), &Settings::moogHeartbeatInterval, 1, 3600),
        seconds(g, names({u"MOOG_JANITOR_TIMEOUT"}), &Settings::moogJanitorTimeout, 2, 86400),
        text(g, names({u"MOOG_CA_CERT_PATH"}), &Settings::moogCaFile, true),
        boolean(g, names({u"CIRCUIT_BREAKER_ENABLED"}), &Settings::circuitBreakerEnabled),
        integer(g, names({u"CIRCUIT_BREAKER_THRESHOLD"}), &Settings::circuitBreakerThreshold, 1, 100'000),
        seconds(g, names({u"CIRCUIT_BREAKER_TIMEOUT"}), &Settings::circuitBreakerTimeout, 1, 86400),
    };
}

QList<SettingSpec> remediationSpecs()
{
    const QString g = QStringLiteral("remediation");
    return {
        port(g, names({u"HEALTH_PORT_REMEDIATION"}), &Settings::remediationHealthPort),
        port(g, names({u"METRICS_PORT_REMEDIATION"}), &Settings::remediationMetricsPort),
        boolean(g, names({u"REMEDIATION_ENABLED"}), &Settings::remediationEnabled),
        seconds(g, names({u"REMEDIATION_INTERVAL"}), &Settings::remediationInterval, 1, 86400),
        integer(g, names({u"REMEDIATION_BATCH_SIZE"}), &Settings::remediationBatchSize, 1, 100'000),
        integer(g, names({u"MAX_POISON_RETRIES"}), &Settings::maxPoisonRetries, 0, 1000),
        boolean(g, names({u"MOOG_HEALTH_CHECK_ENABLED"}), &Settings::moogHealthCheckEnabled),
        seconds(g, names({u"MOOG_HEALTH_TIMEOUT"}), &Settings::moogHealthTimeout, 1, 300),
    };
}

QList<SettingSpec> backendSpecs()
{
    const QString g = QStringLiteral("api and production backends");
    return {
        port(g, names({u"SERVER_PORT_WEBUI"}), &Settings::webuiPort),
        text(g, names({u"REDIS_HOST"}), &Settings::redisHost),
        port(g, names({u"REDIS_PORT"}), &Settings::redisPort),
        integer(g, names({u"REDIS_DB"}), &Settings::redisDb, 0, 15),
        boolean(g, names({u"REDIS_TLS_ENABLED"}), &Settings::redisTlsEnabled),
        text(g, names({u"REDIS_CA_CERT_PATH"}), &Settings::redisCaCertPath, true),
        integer(g, names({u"REDIS_MAX_CONNECTIONS"}), &Settings::redisMaxConnections, 3, 1000),
        text(g, names({u"REDIS_SENTINEL_HOSTS"}), &Settings::redisSentinelHosts, true),
        text(g, names({u"REDIS_SENTINEL_MASTER"}), &Settings::redisSentinelMaster),
        replicaCount(g, names({u"REDIS_MIN_REPLICAS_ACK"}), &Settings::redisMinReplicasAck, 16),
        realSeconds(g, names({u"REDIS_REPLICA_ACK_TIMEOUT"}), &Settings::redisReplicaAckTimeout, 0.01, 60.0),
        text(g, names({u"DB_HOST"}), &Settings::dbHost),
        port(g, names({u"DB_PORT"}), &Settings::dbPort),
        text(g, names({u"DB_NAME"}), &Settings::dbName),
        text(g, names({u"DB_USER"}), &Settings::dbUser),
        boolean(g, names({u"DB_TLS_ENABLED"}), &Settings::dbTlsEnabled),
        text(g, names({u"DB_TLS_CA_CERT_PATH"}), &Settings::dbTlsCaCertPath, true),
        integer(g, names({u"DB_POOL_MIN_CONN"}), &Settings::dbPoolMinConn, 1, 1000),
        integer(g, names({u"DB_POOL_MAX_CONN"}), &Settings::dbPoolMaxConn, 1, 1000),
        integer(g, names({u"RETENTION_PRECREATE_MONTHS"}), &Settings::partitionPrecreateMonths, 0, 120),
    };
}

QList<SettingSpec> buildSpecs()
{
    QList<SettingSpec> all;
    for (const auto &part : {processSpecs(), secretSpecs(), vaultSpecs(), queueSpecs(), ingestorSpecs(), alerterSpecs(),
             forwarderSpecs(), remediationSpecs(), backendSpecs()})
        all.append(part);
    return all;
}

}  // namespace

const QList<SettingSpec> &SettingCatalog::specs()
{
    static const QList<SettingSpec> all = buildSpecs();
    return all;
}

const QStringList &SettingCatalog::knownUnused()
{
    static const QStringList list = names({
        u"OTEL_ENABLED",
        u"OTEL_EXPORTER_OTLP_ENDPOINT",
        u"OTEL_SERVICE_NAME",
        u"OTEL_RESOURCE_ATTRIBUTES",
        u"SERVICE_VERSION",
        u"DEPLOYMENT_ENV",
        u"METRICS_CACHE_TTL",
        u"AUDIT_LOG_PAGE_SIZE",
        u"PROMETHEUS_URL",
        u"MUTT_TESTING",
    });
    return list;
}

bool SettingCatalog::parseBool(const QString &raw, bool *value)
{
    const QString word = raw.trimmed().toLower();
    if (word == u"true" || word == u"1" || word == u"yes" || word == u"on") {
        *value = true;
        return true;
    }
    if (word == u"false" || word == u"0" || word == u"no" || word == u"off") {
        *value = false;
        return true;
    }
    return false;
}

}  // namespace mutt::config
