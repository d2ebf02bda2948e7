#include "OutageBed.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace mutt::itest {
namespace {

// Quick retries so an outage of a few seconds is waited out within a test.
const QMap<QString, QString> kQuickRetries {
    {QStringLiteral("CIRCUIT_BREAKER_THRESHOLD"), QStringLiteral("3")},
    {QStringLiteral("CIRCUIT_BREAKER_TIMEOUT"), QStringLiteral("2")},
    {QStringLiteral("MOOG_RETRY_BASE_DELAY"), QStringLiteral("0.1")},
    {QStringLiteral("MOOG_RETRY_MAX_DELAY"), QStringLiteral("0.5")},
    {QStringLiteral("MOOG_MAX_RETRIES"), QStringLiteral("50")},
    {QStringLiteral("REMEDIATION_INTERVAL"), QStringLiteral("1")},
    {QStringLiteral("REMEDIATION_BATCH_SIZE"), QStringLiteral("100")},
};

}  // namespace

OutageBed::OutageBed() = default;

OutageBed::~OutageBed()
{
    stopLoad();
    if (!m_muttd)
        return;
    m_muttd->terminate();
    // For a failing run: MUTT_OUTAGE_LOG_DIR keeps muttd's output.
    const QString logDir = qEnvironmentVariable("MUTT_OUTAGE_LOG_DIR");
    if (logDir.isEmpty())
        return;
    QFile log(QDir(logDir).filePath(QStringLiteral("muttd-%1.log").arg(QCoreApplication::applicationName())));
    if (log.open(QIODevice::WriteOnly | QIODevice::Append))
        log.write(m_muttd->output());
}

QString OutageBed::startServers(bool withRedis)
{
    if (!m_dir.isValid())
        return QStringLiteral("cannot create a temporary directory");
    if (!test::RedisServer::available())
        return QStringLiteral("redis-server or redis-cli is not installed");

    if (withRedis) {
        test::RedisServerOptions options;
        options.appendOnly = true;
        m_redis = std::make_unique<test::RedisServer>(options);
        if (const QString error = m_redis->start(); !error.isEmpty())
            return error;
    }

    if (auto started = m_pg.startPrivate(); !started)
        return started.error().toString();
    auto database = m_pg.createDatabase();
    if (!database)
        return database.error().toString();
    m_database = database.value();

    if (!m_moog.start())
        return QStringLiteral("mutt-mock-moog did not start");
    return {};
}

QString OutageBed::startMuttd(const QMap<QString, QString> &env, quint16 redisPort)
{
    MuttdBackends backends;
    backends.redisPort = redisPort != 0 ? redisPort : m_redis->port();
    backends.dbHost = m_database.host;
    backends.dbPort = m_database.port;
    backends.dbName = m_database.database;
    backends.dbUser = m_database.user;
    backends.dbPassword = m_database.passwords ? m_database.passwords().value(0) : QString();
    m_muttd = std::make_unique<MuttdProcess>(m_dir.path(), backends);
    m_muttd->setEnv(QStringLiteral("MOOG_WEBHOOK_URL"), m_moog.webhookUrl());
    for (auto it = kQuickRetries.cbegin(); it != kQuickRetries.cend(); ++it)
        m_muttd->setEnv(it.key(), it.value());
    for (auto it = env.cbegin(); it != env.cend(); ++it)
        m_muttd->setEnv(it.key(), it.value());

    QString output;
    if (m_muttd->importSeedRules(&output) != 0)
        return QStringLiteral("muttd rules import failed: ") + output;
    if (!m_muttd->start())
        return QStringLiteral("muttd did not start");
    if (!m_muttd->waitHealthy(30'000))
        return QStringLiteral("muttd did not become healthy: ") + QString::fromUtf8(m_muttd->output().right(3000));
    return {};
}

int OutageBed::postBatch(const QString &tag, int count)
{
    QByteArray ndjson;
    QStringList alerts;
    int first = 0;
    {
        std::lock_guard lock(m_mutex);
        first = m_serial + 1;
        m_serial += count;
    }
    for (int serial = first; serial < first + count; ++serial) {
        const QString host = QStringLiteral("%1-%2").arg(tag).arg(serial);
        const bool alert = serial % 8 == 0;
        if (alert)
            alerts.append(host);
        ndjson += QStringLiteral(R"({"timestamp":"2025-01-15T14:30:22Z","hostname":"%1","message":"%2 %1"})")
                      .arg(host, alert ? QStringLiteral("ERROR link down on") : QStringLiteral("heartbeat from"))
                      .toUtf8();
        ndjson += '\n';
    }

    const HttpReply reply = m_muttd->postEvents(ndjson, "application/x-ndjson");
    std::lock_guard lock(m_mutex);
    ++m_statuses[reply.status];
    if (reply.status == 200) {
        m_ackedEvents += count;
        for (const QString &host : alerts)
            m_ackedAlerts.insert(host);
    }
    return reply.status;
}

void OutageBed::startLoad(const QString &tag, int count)
{
    stopLoad();
    m_loading = true;
    m_load.reset(QThread::create([this, tag, count] {
        while (m_loading) {
            // A steady sender (100 events/s at 20 a batch), slow enough for the alerter
            // and the Moogsoft rate limit to keep up.
            postBatch(tag, count);
            QThread::msleep(200);
        }
    }));
    m_load->start();
}

void OutageBed::stopLoad()
{
    m_loading = false;
    if (m_load) {
        m_load->wait();
        m_load.reset();
    }
}

QMap<int, int> OutageBed::statuses() const
{
    std::lock_guard lock(m_mutex);
    return m_statuses;
}

void OutageBed::clearStatuses()
{
    std::lock_guard lock(m_mutex);
    m_statuses.clear();
}

qint64 OutageBed::ackedEvents() const
{
    std::lock_guard lock(m_mutex);
    return m_ackedEvents;
}

qint64 OutageBed::ackedAlerts() const
{
    std::lock_guard lock(m_mutex);
    return m_ackedAlerts.size();
}

QSet<QString> OutageBed::ackedAlertHosts() const
{
    std::lock_guard lock(m_mutex);
    return m_ackedAlerts;
}

QString OutageBed::accountingProblem() const
{
    const QJsonObject counts = conservation();
    const auto count
        = [&counts](const char *name) { return qint64(counts.value(QLatin1StringView(name)).toDouble(-1)); };
    // A batch whose write reached Redis just before the connection broke is
    // answered 503 yet kept (the sender's retry adds it again): at least
    // every acknowledged event must be there.
    if (count("accepted") < ackedEvents())
        return QStringLiteral("accepted=%1 but %2 events were acknowledged").arg(count("accepted")).arg(ackedEvents());
    if (count("in_flight") != 0)
        return QStringLiteral("in_flight=%1; queues: %2")
            .arg(count("in_flight"))
            .arg(QString::fromUtf8(QJsonDocument(m_muttd->status().value(QStringLiteral("queues")).toArray())
                                       .toJson(QJsonDocument::Compact)));
    if (count("difference") != 0)
        return QStringLiteral("conservation difference=%1").arg(count("difference"));

    const QSet<QString> delivered = deliveries().hosts;
    qint64 missing = 0;
    for (const QString &host : ackedAlertHosts())
        missing += delivered.contains(host) ? 0 : 1;
    if (missing > count("in_dlq"))
        return QStringLiteral("%1 acknowledged alerts neither delivered nor in a DLQ (in_dlq=%2)")
            .arg(missing)
            .arg(count("in_dlq"));
    return {};
}

QJsonObject OutageBed::conservation() const
{
    return m_muttd->status().value(QStringLiteral("conservation")).toObject();
}

qint64 OutageBed::counter(const QString &name) const
{
    return qint64(conservation().value(name).toDouble(-1));
}

HttpReply OutageBed::health(const QString &variable) const
{
    return httpGet(QStringLiteral("http://127.0.0.1:%1/health").arg(m_muttd->port(variable)), {}, 10'000);
}

Deliveries OutageBed::deliveries() const
{
    Deliveries result;
    const QJsonArray requests = m_moog.requests();
    for (const QJsonValue &value : requests) {
        const QJsonObject request = value.toObject();
        const int status = request.value(QStringLiteral("status")).toInt();
        if (status < 200 || status >= 300)
            continue;
        const QJsonValue raw = request.value(QStringLiteral("body"));
        const QJsonObject body
            = raw.isObject() ? raw.toObject() : QJsonDocument::fromJson(raw.toString().toUtf8()).object();
        ++result.accepted;
        result.hosts.insert(body.value(QStringLiteral("source_id")).toString());
    }
    return result;
}

qint64 OutageBed::queueDepth(const QString &name) const
{
    const QJsonArray queues = m_muttd->status().value(QStringLiteral("queues")).toArray();
    for (const QJsonValue &value : queues) {
        if (value.toObject().value(QStringLiteral("name")).toString() == name)
            return qint64(value.toObject().value(QStringLiteral("depth")).toDouble());
    }
    return 0;
}

qint64 OutageBed::duplicateAuditRows()
{
    auto value = m_pg.scalar(m_database.database,
        QStringLiteral("SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) AS n FROM event_audit_log "
                       "GROUP BY correlation_id) AS per_event"));
    return value ? value.value().toLongLong() : -1;
}

qint64 OutageBed::auditRows()
{
    auto value = m_pg.scalar(m_database.database, QStringLiteral("SELECT COUNT(*) FROM event_audit_log"));
    return value ? value.value().toLongLong() : -1;
}

}  // namespace mutt::itest
