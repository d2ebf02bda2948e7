#include "queue/redis/RedisSentinel.h"

#include "core/Log.h"
#include "queue/redis/RedisReplyReader.h"

#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QStringList>

#include <memory>

namespace mutt::queue {

Result<RedisEndpoint> RedisSentinel::discover(const RedisOptions &options)
{
    QStringList failures;
    for (const auto &[host, port] : options.sentinels) {
        Result<RedisEndpoint> master = ask(options, host, port);
        if (master) {
            log::get("redis")->info("sentinel named the master sentinel={}:{} master_name={} master={}", host, port,
                options.sentinelMaster, master.value().toString());
            return master;
        }
        failures.append(master.error().message);
    }
    return makeError(ErrorCode::Unavailable,
        QStringLiteral(
            "no Sentinel named a master for \"%1\" (%2); check REDIS_SENTINEL_HOSTS and REDIS_SENTINEL_MASTER")
            .arg(options.sentinelMaster, failures.join(QStringLiteral("; "))));
}

Result<RedisEndpoint> RedisSentinel::ask(const RedisOptions &options, const QString &host, quint16 port)
{
    const int timeoutMs = int(std::min<qint64>(options.connectTimeout.count(), 2000));
    const QString where = host + u':' + QString::number(port);
    auto socket = std::make_unique<QSslSocket>();
    if (options.tls) {
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        if (!options.caCertPath.isEmpty())
            config.setCaCertificates(QSslCertificate::fromPath(options.caCertPath, QSsl::Pem));
        socket->setSslConfiguration(config);
        socket->connectToHostEncrypted(host, port);
        if (!socket->waitForEncrypted(timeoutMs))
            return makeError(
                ErrorCode::Unavailable, QStringLiteral("sentinel %1: %2").arg(where, socket->errorString()));
    } else {
        socket->connectToHost(host, port);
        if (!socket->waitForConnected(timeoutMs))
            return makeError(
                ErrorCode::Unavailable, QStringLiteral("sentinel %1: %2").arg(where, socket->errorString()));
    }

    socket->write(RedisReplyReader::encode({QByteArrayLiteral("SENTINEL"), QByteArrayLiteral("get-master-addr-by-name"),
        options.sentinelMaster.toUtf8()}));
    RedisReplyReader reader;
    for (;;) {
        if (!socket->waitForReadyRead(timeoutMs))
            return makeError(ErrorCode::Unavailable, QStringLiteral("sentinel %1: no answer").arg(where));
        if (Status fed = reader.feed(socket->readAll()); !fed)
            return fed.error();
        Result<std::optional<RedisReply>> reply = reader.next();
        if (!reply)
            return reply.error();
        if (!reply.value())
            continue;
        Result<RedisEndpoint> master = parseMasterAddress(*reply.value());
        if (!master)
            return makeError(ErrorCode::Unavailable,
                QStringLiteral("sentinel %1 about \"%2\": %3")
                    .arg(where, options.sentinelMaster, master.error().message));
        return master;
    }
}

Result<RedisEndpoint> RedisSentinel::parseMasterAddress(const RedisReply &reply)
{
    if (reply.isError())
        return makeError(ErrorCode::Unavailable, QStringLiteral("error %1").arg(QString::fromUtf8(reply.text)));
    if (reply.type != RedisReply::Type::Array || reply.elements.size() != 2)
        return makeError(ErrorCode::Unavailable, QStringLiteral("does not know the master"));
    const std::optional<qint64> port = reply.elements[1].toInteger();
    if (reply.elements[0].text.isEmpty() || !port || *port < 1 || *port > 65535)
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("named a malformed master address \"%1:%2\"")
                .arg(QString::fromUtf8(reply.elements[0].text), QString::fromUtf8(reply.elements[1].text)));
    return RedisEndpoint {QString::fromUtf8(reply.elements[0].text), quint16(*port)};
}

std::optional<RedisEndpoint> RedisSentinel::parseSwitchMaster(const QByteArray &payload, const QString &masterName)
{
    const QList<QByteArray> parts = payload.simplified().split(' ');
    if (parts.size() != 5 || QString::fromUtf8(parts[0]) != masterName || parts[3].isEmpty())
        return std::nullopt;
    bool ok = false;
    const uint port = parts[4].toUInt(&ok);
    if (!ok || port == 0 || port > 65535)
        return std::nullopt;
    return RedisEndpoint {QString::fromUtf8(parts[3]), quint16(port)};
}

}  // namespace mutt::queue
