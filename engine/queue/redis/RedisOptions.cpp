#include "queue/redis/RedisOptions.h"

#include <algorithm>
#include <cmath>

namespace mutt::queue {

QString RedisOptions::describe() const
{
    if (!usesSentinel())
        return QStringLiteral("%1:%2").arg(host).arg(port);
    QStringList hosts;
    for (const auto &[sentinelHost, sentinelPort] : sentinels)
        hosts.append(QStringLiteral("%1:%2").arg(sentinelHost).arg(sentinelPort));
    return QStringLiteral("sentinel master %1 via %2").arg(sentinelMaster, hosts.join(u','));
}

RedisOptions RedisOptions::fromSettings(const config::Settings &settings)
{
    RedisOptions options;
    options.host = settings.redisHost;
    options.port = settings.redisPort;
    options.db = settings.redisDb;
    options.tls = settings.redisTlsEnabled;
    options.caCertPath = settings.redisCaCertPath;
    options.maxConnections = settings.redisMaxConnections;
    QString ignored;
    options.sentinels = parseHosts(settings.redisSentinelHosts, &ignored);
    options.sentinelMaster = settings.redisSentinelMaster;
    // "auto" (-1): with Sentinel a failover must not lose acknowledged writes,
    // so one replica has to hold each write; a lone server has none.
    if (settings.redisMinReplicasAck >= 0)
        options.minReplicasAck = settings.redisMinReplicasAck;
    else
        options.minReplicasAck = options.usesSentinel() ? 1 : 0;
    options.replicaAckTimeout = std::chrono::milliseconds(
        std::max<qint64>(1, qint64(std::llround(settings.redisReplicaAckTimeout * 1000.0))));

    // v2.5 names: REDIS_PASS_CURRENT / REDIS_PASS_NEXT, REDIS_PASS as the
    // single-password name of older installs. Asked on every connect, so a
    // password rotated in Vault or a NAME_FILE (SIGHUP) is used without a restart.
    options.passwords = config::redisPasswordSource(settings);
    return options;
}

QList<QPair<QString, quint16>> RedisOptions::parseHosts(const QString &text, QString *error)
{
    QList<QPair<QString, quint16>> hosts;
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts)) {
        const QString entry = part.trimmed();
        const qsizetype colon = entry.lastIndexOf(u':');
        bool ok = false;
        const uint port = colon > 0 ? entry.mid(colon + 1).toUInt(&ok) : 0;
        if (!ok || port == 0 || port > 65535) {
            *error = QStringLiteral("\"%1\" is not host:port").arg(entry);
            return {};
        }
        hosts.append({entry.left(colon), quint16(port)});
    }
    return hosts;
}

}  // namespace mutt::queue
