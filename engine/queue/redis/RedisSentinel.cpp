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
        const RedisReply &answer = *reply.value();
        if (answer.type != RedisReply::Type::Array || answer.elements.size() != 2)
            return makeError(ErrorCode::Unavailable,
                QStringLiteral("sentinel %1 does not know master \"%2\"").arg(where, options.sentinelMaster));
        const quint16 masterPort = quint16(answer.elements[1].toInteger().value_or(0));
        return RedisEndpoint {QString::fromUtf8(answer.elements[0].text), masterPort};
    }
}

}  // namespace mutt::queue
