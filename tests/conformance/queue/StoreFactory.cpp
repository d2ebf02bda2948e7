#include "StoreFactory.h"

#include "RedisServer.h"
#include "queue/EmbeddedStore.h"
#include "queue/redis/RedisStore.h"

#include <QtGlobal>

namespace mutt::test {
namespace {

const QString kEmbedded = QStringLiteral("embedded");
const QString kRedis = QStringLiteral("redis");

}  // namespace

StoreFactory::StoreFactory() : m_backend(qEnvironmentVariable("MUTT_TEST_QUEUE_BACKEND", kEmbedded).trimmed().toLower())
{
}

StoreFactory::~StoreFactory() = default;

QString StoreFactory::unavailableReason() const
{
    if (m_backend == kEmbedded)
        return {};
    if (m_backend == kRedis) {
        if (qEnvironmentVariableIsSet("MUTT_TEST_REDIS_PORT") || RedisServer::available())
            return {};
        return QStringLiteral("redis-server is not installed and MUTT_TEST_REDIS_PORT is not set");
    }
    return QStringLiteral("queue backend \"%1\" (MUTT_TEST_QUEUE_BACKEND) is not built into the conformance suite")
        .arg(m_backend);
}

Result<BackendHandle> StoreFactory::open(bool fresh)
{
    if (const QString reason = unavailableReason(); !reason.isEmpty())
        return makeError(ErrorCode::Unavailable, reason);
    if (m_backend == kRedis)
        return openRedis(fresh);

    if (fresh || !m_dir) {
        m_dir = std::make_unique<QTemporaryDir>();
        ++m_generation;
    }
    if (!m_dir->isValid())
        return makeError(ErrorCode::Unavailable, QStringLiteral("cannot create a temporary directory"));

    const QString path = m_dir->filePath(QStringLiteral("queue-%1.db").arg(m_generation));
    Result<std::unique_ptr<queue::EmbeddedStore>> opened = queue::EmbeddedStore::open(path);
    if (!opened)
        return opened.error();
    std::shared_ptr<queue::EmbeddedStore> store = std::move(opened).value();
    return BackendHandle {store, store};
}

Result<BackendHandle> StoreFactory::openRedis(bool fresh)
{
    queue::RedisOptions options;
    options.tls = false;
    if (qEnvironmentVariableIsSet("MUTT_TEST_REDIS_PORT")) {
        options.host = qEnvironmentVariable("MUTT_TEST_REDIS_HOST", QStringLiteral("127.0.0.1"));
        options.port = quint16(qEnvironmentVariableIntValue("MUTT_TEST_REDIS_PORT"));
        options.db
            = qEnvironmentVariableIsSet("MUTT_TEST_REDIS_DB") ? qEnvironmentVariableIntValue("MUTT_TEST_REDIS_DB") : 9;
    } else {
        if (!m_redis)
            m_redis = std::make_unique<RedisServer>();
        if (const QString error = m_redis->start(); !error.isEmpty())
            return makeError(ErrorCode::Unavailable, error);
        options.host = m_redis->host();
        options.port = m_redis->port();
    }

    Result<std::unique_ptr<queue::RedisStore>> opened = queue::RedisStore::open(options);
    if (!opened)
        return opened.error();
    std::shared_ptr<queue::RedisStore> store = std::move(opened).value();
    if (fresh) {
        Result<queue::RedisReply> flushed = store->execute({QByteArrayLiteral("FLUSHDB")});
        if (!flushed || flushed.value().isError())
            return makeError(ErrorCode::Unavailable, QStringLiteral("FLUSHDB failed on the test redis"));
    }
    return BackendHandle {store, store};
}

bool StoreFactory::supportsExclusiveOpen() const
{
    return m_backend == kEmbedded;
}

}  // namespace mutt::test
