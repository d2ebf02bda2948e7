// Replay of the records LogLists writes: a Batch record repeats its
// operations, a Snapshot record replaces every list.
#include "queue/log/LogLists.h"
#include "queue/log/LogListsCodec.h"

namespace mutt::queue {

Status LogLists::replayRecord(quint8 type, QByteArrayView body, const RecordRef &ref)
{
    if (type == quint8(LogListsRecord::Batch)) {
        // Batches are applied after the open, from the last snapshot on.
        // Records before a snapshot in its own segment may name items whose
        // pushes were in segments that compaction removed.
        m_replayBatches.push_back(ref);
        m_logBytes += RecordLog::kFrameHeaderBytes + body.size();
        return {};
    }
    LogListsReader reader(body);
    if (type != quint8(LogListsRecord::Snapshot) || !replaySnapshot(reader))
        return invalidRecord(type, ref, reader.offset());
    m_replayBatches.clear();
    m_logBytes = RecordLog::kFrameHeaderBytes + body.size();
    return {};
}

Status LogLists::replayBatches()
{
    for (const RecordRef &ref : m_replayBatches) {
        Result<QByteArray> body = m_log->read(ref);
        if (!body)
            return body.error();
        LogListsReader reader(body.value());
        if (!replayBatch(reader))
            return invalidRecord(quint8(LogListsRecord::Batch), ref, reader.offset());
    }
    m_replayBatches.clear();
    m_replayBatches.shrink_to_fit();
    return {};
}

Status LogLists::invalidRecord(quint8 type, const RecordRef &ref, qsizetype byte) const
{
    return makeError(ErrorCode::Internal,
        QStringLiteral("list log record of type %1 in segment %2 at offset %3 is invalid at byte %4, so the "
                       "lists cannot be rebuilt. Restore the directory from a backup.")
            .arg(type)
            .arg(ref.segment)
            .arg(ref.offset)
            .arg(byte));
}

bool LogLists::replayBatch(LogListsReader &reader)
{
    while (!reader.atEnd()) {
        const auto op = LogListsOp(reader.byte());
        const QByteArray key = reader.bytes().toByteArray();
        switch (op) {
        case LogListsOp::PushHead:
        case LogListsOp::PushTail: {
            const quint64 count = reader.number();
            QList<QByteArray> items;
            for (quint64 i = 0; i < count && !reader.failed(); ++i)
                items.append(reader.bytes().toByteArray());
            if (reader.failed())
                return false;
            if (op == LogListsOp::PushHead)
                applyPushHead(key, items);
            else
                applyPushTail(key, items);
            break;
        }
        case LogListsOp::RemoveFromHead:
        case LogListsOp::RemoveFromTail: {
            const quint64 count = reader.number();
            for (quint64 i = 0; i < count; ++i) {
                const quint64 position = reader.number();
                const List *current = findList(key);
                if (reader.failed() || current == nullptr || position >= current->size())
                    return false;
                applyRemove(key, op == LogListsOp::RemoveFromTail, qsizetype(position));
            }
            break;
        }
        case LogListsOp::Trim: {
            const quint64 limit = reader.number();
            const List *current = findList(key);
            if (reader.failed() || current == nullptr || limit >= current->size())
                return false;
            applyTrim(key, qint64(limit));
            break;
        }
        case LogListsOp::MoveTailToHead: {
            const QByteArray destination = reader.bytes().toByteArray();
            const quint64 count = reader.number();
            const List *current = findList(key);
            if (reader.failed() || current == nullptr || count > current->size())
                return false;
            applyMoveTailToHead(key, destination, qint64(count));
            break;
        }
        case LogListsOp::MoveAllToTail: {
            const QByteArray destination = reader.bytes().toByteArray();
            if (reader.failed() || findList(key) == nullptr)
                return false;
            applyMoveAllToTail(key, destination);
            break;
        }
        default: return false;
        }
        if (reader.failed())
            return false;
    }
    return true;
}

bool LogLists::replaySnapshot(LogListsReader &reader)
{
    m_lists.clear();
    m_liveBytes = 0;
    const quint64 listCount = reader.number();
    for (quint64 i = 0; i < listCount && !reader.failed(); ++i) {
        const QByteArray key = reader.bytes().toByteArray();
        const quint64 count = reader.number();
        if (reader.failed() || count == 0)
            return false;
        List &target = list(key);
        for (quint64 item = 0; item < count && !reader.failed(); ++item) {
            target.push_back(reader.bytes().toByteArray());
            m_liveBytes += target.back().size();
        }
    }
    return !reader.failed() && reader.atEnd();
}

QByteArray LogLists::encodeSnapshot() const
{
    QByteArray out;
    out.reserve(qsizetype(m_liveBytes + qint64(m_lists.size()) * 16));
    appendNumber(out, quint64(m_lists.size()));
    for (const auto &[key, items] : m_lists) {
        appendBytes(out, key);
        appendNumber(out, quint64(items.size()));
        for (const QByteArray &item : items)
            appendBytes(out, item);
    }
    return out;
}

}  // namespace mutt::queue
