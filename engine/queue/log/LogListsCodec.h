#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace mutt::queue {

// Record types that LogLists writes to its RecordLog.
enum class LogListsRecord : quint8 {
    Batch = 1,  // the operations of one committed batch, in order
    Snapshot = 2,  // every list; replay starts from the last one
};

// Operation codes inside a Batch record. Numbers are unsigned LEB128 varints
// and byte strings (keys, items) are a varint length followed by the bytes.
// Only pushes carry item bytes: the other operations name their items by
// position, and replay finds the same items because it repeats every
// earlier operation in the same order.
enum class LogListsOp : quint8 {
    PushHead = 1,  // key, count, items
    PushTail = 2,  // key, count, items
    RemoveFromHead = 3,  // key, count, positions counted from the head
    RemoveFromTail = 4,  // key, count, positions counted from the tail
    Trim = 5,  // key, limit
    MoveTailToHead = 6,  // source, destination, count
    MoveAllToTail = 7,  // source, destination
};

// Snapshot record body: list count, then for each list its key, its item
// count and its items from head to tail.

void appendNumber(QByteArray &out, quint64 number);
void appendBytes(QByteArray &out, QByteArrayView bytes);

// Reads numbers and byte strings written by appendNumber() and appendBytes().
// A read past the end or a malformed varint sets failed() and returns 0 or
// an empty view, so callers check failed() once after a group of reads.
class LogListsReader final {
public:
    explicit LogListsReader(QByteArrayView input) : m_input(input) { }

    quint64 number();
    QByteArrayView bytes();
    quint8 byte();

    [[nodiscard]] bool atEnd() const { return m_offset >= m_input.size(); }
    [[nodiscard]] bool failed() const { return m_failed; }
    [[nodiscard]] qsizetype offset() const { return m_offset; }

private:
    QByteArrayView m_input;
    qsizetype m_offset = 0;
    bool m_failed = false;
};

}  // namespace mutt::queue
