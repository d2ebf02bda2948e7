#include "queue/redis/RedisOptions.h"

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

    // v2.5 names: REDIS_PASS_CURRENT / REDIS_PASS_NEXT, REDIS_PASS as the
    // single-password name of older installs.
    const QString current = settings.redisPassCurrent.isEmpty() ? settings.redisPass : settings.redisPassCurrent;
    const QString next = settings.redisPassNext;
    options.passwords = [current, next] {
        QStringList out;
        for (const QString &password : {current, next}) {
            if (!password.isEmpty() && !out.contains(password))
                out.append(password);
        }
        return out;
    };
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
