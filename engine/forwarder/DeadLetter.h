#pragma once

#include <QByteArray>
#include <QString>

namespace mutt::event {
class Event;
}

namespace mutt::forwarder {

// Field of a DLQ entry that wraps a queue item which is not a JSON object.
// It contains the original bytes as a string. Replay cannot repair such items.
inline constexpr const char *dlqRawField = "_dlq_raw";

// Reason and time of an item's move into a dead-letter queue.
struct DeadLetterInfo {
    QString reason;  // _dlq_reason: what failed, for operators
    int lastStatus = 0;  // _dlq_last_status: HTTP status, 0 when none applies
    QString source;  // _dlq_source: the component that moved it (forwarder, remediation, ...)
    qint64 atMs = 0;  // _dlq_at, written as RFC 3339 UTC
};

// Sets the _dlq_reason, _dlq_at, _dlq_last_status and _dlq_source fields.
void markDeadLetter(event::Event &item, const DeadLetterInfo &info);

// {"_dlq_raw": "<bytes as UTF-8 text>", "_dlq_reason": ..., ...} for bytes
// that are not a JSON object.
QByteArray wrapRawDeadLetter(const QByteArray &raw, const DeadLetterInfo &info);

// Removes every _dlq_* field except _dlq_raw.
void clearDeadLetterFields(event::Event &item);

}  // namespace mutt::forwarder
