#include "queue/QueueStore.h"

namespace mutt::queue {

Op Op::pushHead(QString key, QList<QByteArray> items)
{
    Op op;
    op.kind = Kind::PushHead;
    op.key = std::move(key);
    op.items = std::move(items);
    return op;
}

Op Op::pushTail(QString key, QList<QByteArray> items)
{
    Op op;
    op.kind = Kind::PushTail;
    op.key = std::move(key);
    op.items = std::move(items);
    return op;
}

Op Op::remove(QString key, QByteArray item)
{
    Op op;
    op.kind = Kind::Remove;
    op.key = std::move(key);
    op.item = std::move(item);
    op.value = 1;
    return op;
}

Op Op::removeOldest(QString key, QByteArray item)
{
    Op op = remove(std::move(key), std::move(item));
    op.value = -1;
    return op;
}

Op Op::increment(QString key, qint64 delta, qint64 ttlSeconds)
{
    Op op;
    op.kind = Kind::Increment;
    op.key = std::move(key);
    op.value = delta;
    op.ttlSeconds = ttlSeconds;
    return op;
}

Op Op::schedule(QString key, QByteArray item, qint64 dueAtMs)
{
    Op op;
    op.kind = Kind::Schedule;
    op.key = std::move(key);
    op.item = std::move(item);
    op.value = dueAtMs;
    return op;
}

Op Op::trim(QString key, qint64 limit)
{
    Op op;
    op.kind = Kind::Trim;
    op.key = std::move(key);
    op.value = limit;
    return op;
}

}  // namespace mutt::queue
