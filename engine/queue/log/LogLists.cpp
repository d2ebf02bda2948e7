#include "queue/log/LogLists.h"

#include "queue/ListRange.h"

#include "core/Log.h"
#include "queue/log/LogListsCodec.h"

#include <algorithm>
#include <utility>

namespace mutt::queue {

LogLists::LogLists(const LogListsOptions &options) : m_options(options) { }

LogLists::~LogLists() = default;

Result<std::unique_ptr<LogLists>> LogLists::open(const QString &directory, const LogListsOptions &options)
{
    std::unique_ptr<LogLists> lists(new LogLists(options));
    LogLists *target = lists.get();
    Result<std::unique_ptr<RecordLog>> opened = RecordLog::open(
        directory,
        [target](
            quint8 type, QByteArrayView body, const RecordRef &ref) { return target->replayRecord(type, body, ref); },
        options.log);
    if (!opened)
        return opened.error();
    lists->m_log = std::move(opened).value();
    if (Status replayed = lists->replayBatches(); !replayed)
        return replayed.error();
    return lists;
}

Status LogLists::beginBatch()
{
    if (m_inBatch)
        return makeError(ErrorCode::Internal, QStringLiteral("a batch of the lists is already open"));
    m_inBatch = true;
    m_batch.clear();
    m_undo.clear();
    return {};
}

Status LogLists::commitBatch(bool flush)
{
    if (!m_inBatch)
        return makeError(ErrorCode::Internal, QStringLiteral("commit of the lists without an open batch"));
    if (m_batch.isEmpty()) {
        m_inBatch = false;
        m_undo.clear();
        return flush ? m_log->commit(true) : Status {};
    }

    Result<RecordRef> appended = m_log->append(quint8(LogListsRecord::Batch), m_batch);
    Status committed = appended ? m_log->commit(flush) : Status(appended.error());
    if (!committed) {
        abandonBatch();
        return committed;
    }
    m_logBytes += RecordLog::kFrameHeaderBytes + m_batch.size();
    m_inBatch = false;
    m_batch.clear();
    m_undo.clear();

    if (m_logBytes > 2 * m_liveBytes + m_options.compactSlackBytes) {
        // The batch is committed either way, so a failed snapshot is logged
        // and the next commit tries again.
        if (Status compacted = compact(); !compacted)
            log::get("queue")->error(
                "list log snapshot failed dir={} reason={}", m_log->directory(), compacted.error().message);
    }
    return {};
}

void LogLists::abandonBatch()
{
    for (auto undo = m_undo.rbegin(); undo != m_undo.rend(); ++undo)
        (*undo)();
    m_undo.clear();
    m_batch.clear();
    m_inBatch = false;
}

Status LogLists::requireBatch(const QString &key) const
{
    if (m_inBatch)
        return {};
    return makeError(ErrorCode::InvalidInput,
        QStringLiteral("cannot write list %1 outside a batch: call beginBatch() first").arg(key));
}

Status LogLists::pushHead(const QString &key, const QList<QByteArray> &items)
{
    if (Status valid = requireBatch(key); !valid)
        return valid;
    if (items.isEmpty())
        return {};
    const QByteArray name = key.toUtf8();
    m_batch.append(char(LogListsOp::PushHead));
    appendBytes(m_batch, name);
    appendNumber(m_batch, quint64(items.size()));
    for (const QByteArray &item : items)
        appendBytes(m_batch, item);
    applyPushHead(name, items);
    m_undo.emplace_back([this, name, count = items.size()] {
        for (qsizetype i = 0; i < count; ++i)
            applyRemove(name, false, 0);
    });
    return {};
}

Status LogLists::pushTail(const QString &key, const QList<QByteArray> &items)
{
    if (Status valid = requireBatch(key); !valid)
        return valid;
    if (items.isEmpty())
        return {};
    const QByteArray name = key.toUtf8();
    m_batch.append(char(LogListsOp::PushTail));
    appendBytes(m_batch, name);
    appendNumber(m_batch, quint64(items.size()));
    for (const QByteArray &item : items)
        appendBytes(m_batch, item);
    applyPushTail(name, items);
    m_undo.emplace_back([this, name, count = items.size()] {
        for (qsizetype i = 0; i < count; ++i)
            applyRemove(name, true, 0);
    });
    return {};
}

Status LogLists::removeEach(const QString &key, const QList<QByteArray> &items, bool oldest)
{
    if (Status valid = requireBatch(key); !valid)
        return valid;
    const QByteArray name = key.toUtf8();
    if (findList(name) == nullptr)
        return {};

    // Each removal is recorded as the item's position counted from the end
    // it was searched from, which is small for items near that end.
    QList<quint64> positions;
    for (const QByteArray &item : items) {
        const List *current = findList(name);
        if (current == nullptr)
            break;
        qsizetype position = -1;
        if (oldest) {
            const auto found = std::find(current->rbegin(), current->rend(), item);
            if (found != current->rend())
                position = found - current->rbegin();
        } else {
            const auto found = std::find(current->begin(), current->end(), item);
            if (found != current->end())
                position = found - current->begin();
        }
        if (position < 0)
            continue;
        QByteArray removed = applyRemove(name, oldest, position);
        positions.append(quint64(position));
        m_undo.emplace_back([this, name, oldest, position, removed = std::move(removed)] {
            List &restored = list(name);
            const auto at = oldest ? restored.end() - position : restored.begin() + position;
            restored.insert(at, removed);
            m_liveBytes += removed.size();
        });
    }
    if (positions.isEmpty())
        return {};
    m_batch.append(char(oldest ? LogListsOp::RemoveFromTail : LogListsOp::RemoveFromHead));
    appendBytes(m_batch, name);
    appendNumber(m_batch, quint64(positions.size()));
    for (const quint64 position : positions)
        appendNumber(m_batch, position);
    return {};
}

Status LogLists::trim(const QString &key, qint64 limit)
{
    if (Status valid = requireBatch(key); !valid)
        return valid;
    limit = std::max<qint64>(limit, 0);
    const QByteArray name = key.toUtf8();
    const List *current = findList(name);
    if (current == nullptr || qint64(current->size()) <= limit)
        return {};
    m_batch.append(char(LogListsOp::Trim));
    appendBytes(m_batch, name);
    appendNumber(m_batch, quint64(limit));
    m_undo.emplace_back([this, name, removed = applyTrim(name, limit)] {
        List &restored = list(name);
        for (const QByteArray &item : removed) {
            restored.push_back(item);
            m_liveBytes += item.size();
        }
    });
    return {};
}

Result<QList<QByteArray>> LogLists::moveTailToHead(const QString &source, const QString &destination, int max)
{
    if (Status valid = requireBatch(source); !valid)
        return valid.error();
    const QByteArray from = source.toUtf8();
    const QByteArray to = destination.toUtf8();
    QList<QByteArray> moved = applyMoveTailToHead(from, to, max);
    if (moved.isEmpty())
        return moved;
    m_batch.append(char(LogListsOp::MoveTailToHead));
    appendBytes(m_batch, from);
    appendBytes(m_batch, to);
    appendNumber(m_batch, quint64(moved.size()));
    m_undo.emplace_back([this, from, to, count = moved.size()] {
        for (qsizetype i = 0; i < count; ++i) {
            List &destinationList = list(to);
            QByteArray item = std::move(destinationList.front());
            destinationList.pop_front();
            list(from).push_back(std::move(item));
        }
        dropIfEmpty(to);
    });
    return moved;
}

Result<qint64> LogLists::moveAllToTail(const QString &source, const QString &destination)
{
    if (Status valid = requireBatch(source); !valid)
        return valid.error();
    const QByteArray from = source.toUtf8();
    const QByteArray to = destination.toUtf8();
    const qint64 count = applyMoveAllToTail(from, to);
    if (count == 0 || from == to)
        return count;
    m_batch.append(char(LogListsOp::MoveAllToTail));
    appendBytes(m_batch, from);
    appendBytes(m_batch, to);
    m_undo.emplace_back([this, from, to, count] {
        for (qint64 i = 0; i < count; ++i) {
            List &destinationList = list(to);
            QByteArray item = std::move(destinationList.back());
            destinationList.pop_back();
            list(from).push_front(std::move(item));
        }
        dropIfEmpty(to);
    });
    return count;
}

qint64 LogLists::length(const QString &key) const
{
    const List *current = findList(key.toUtf8());
    return current == nullptr ? 0 : qint64(current->size());
}

QList<QByteArray> LogLists::range(const QString &key, qint64 start, qint64 stop) const
{
    const List *current = findList(key.toUtf8());
    const std::optional<ListRange> bounds = listRange(current == nullptr ? 0 : qint64(current->size()), start, stop);
    if (!bounds)
        return {};
    return QList<QByteArray>(current->begin() + bounds->first, current->begin() + bounds->last + 1);
}

QStringList LogLists::keys(const QString &prefix) const
{
    const QByteArray start = prefix.toUtf8();
    QStringList names;
    for (auto it = m_lists.lower_bound(start); it != m_lists.end() && it->first.startsWith(start); ++it)
        names.append(QString::fromUtf8(it->first));
    return names;
}

Status LogLists::compact()
{
    if (m_inBatch)
        return makeError(ErrorCode::Internal, QStringLiteral("snapshot of the lists inside an open batch"));
    const QByteArray snapshot = encodeSnapshot();
    Result<RecordRef> appended = m_log->append(quint8(LogListsRecord::Snapshot), snapshot);
    if (!appended)
        return appended.error();
    if (Status committed = m_log->commit(true); !committed)
        return committed;
    m_logBytes = RecordLog::kFrameHeaderBytes + snapshot.size();
    // Replay starts over at the snapshot, so older segments contain nothing it needs.
    return m_log->removeSegmentsBefore(appended.value().segment);
}

LogLists::List &LogLists::list(const QByteArray &key)
{
    return m_lists[key];
}

const LogLists::List *LogLists::findList(const QByteArray &key) const
{
    const auto found = m_lists.find(key);
    return found == m_lists.end() ? nullptr : &found->second;
}

void LogLists::dropIfEmpty(const QByteArray &key)
{
    const auto found = m_lists.find(key);
    if (found != m_lists.end() && found->second.empty())
        m_lists.erase(found);
}

void LogLists::applyPushHead(const QByteArray &key, const QList<QByteArray> &items)
{
    List &target = list(key);
    for (const QByteArray &item : items) {
        target.push_front(item);
        m_liveBytes += item.size();
    }
}

void LogLists::applyPushTail(const QByteArray &key, const QList<QByteArray> &items)
{
    List &target = list(key);
    for (const QByteArray &item : items) {
        target.push_back(item);
        m_liveBytes += item.size();
    }
}

QByteArray LogLists::applyRemove(const QByteArray &key, bool fromTail, qsizetype position)
{
    List &target = list(key);
    const auto at = fromTail ? target.end() - 1 - position : target.begin() + position;
    QByteArray removed = std::move(*at);
    target.erase(at);
    m_liveBytes -= removed.size();
    dropIfEmpty(key);
    return removed;
}

LogLists::List LogLists::applyTrim(const QByteArray &key, qint64 limit)
{
    List &target = list(key);
    List removed(std::make_move_iterator(target.begin() + limit), std::make_move_iterator(target.end()));
    target.erase(target.begin() + limit, target.end());
    for (const QByteArray &item : removed)
        m_liveBytes -= item.size();
    dropIfEmpty(key);
    return removed;
}

QList<QByteArray> LogLists::applyMoveTailToHead(const QByteArray &source, const QByteArray &destination, qint64 max)
{
    QList<QByteArray> moved;
    const auto found = m_lists.find(source);
    if (found == m_lists.end() || max <= 0)
        return moved;
    List &from = found->second;
    List &to = list(destination);
    for (qint64 i = 0; i < max && !from.empty(); ++i) {
        QByteArray item = std::move(from.back());
        from.pop_back();
        moved.append(item);
        to.push_front(std::move(item));
    }
    dropIfEmpty(source);
    return moved;
}

qint64 LogLists::applyMoveAllToTail(const QByteArray &source, const QByteArray &destination)
{
    const auto found = m_lists.find(source);
    if (found == m_lists.end())
        return 0;
    const auto count = qint64(found->second.size());
    if (source == destination)
        return count;
    List from = std::move(found->second);
    m_lists.erase(found);
    List &to = list(destination);
    std::move(from.begin(), from.end(), std::back_inserter(to));
    return count;
}

}  // namespace mutt::queue
