#pragma once

#include "core/Result.h"
#include "event/Json.h"

#include <QString>
#include <QStringList>

namespace mutt::event {

// Fields the ingestor adds to one event.
struct IngestStamp {
    QString correlationId;  // _correlation_id
    QString receivedAt;  // _received_at, RFC 3339 UTC with ms; also the timestamp when none was sent
};

// Turns one client JSON object into a queue event:
// - drops the reserved pipeline fields a client sent (_correlation_id,
//   _retry_count, _dlq_*, …) and keeps every other field unchanged;
// - checks syslog_severity, or severity when syslog_severity is absent (null
//   counts as absent); the fields stay as sent, Event::severity() normalises;
// - SNMP traps (trap_oid present): hostname from hostname → agent_address →
//   source_ip, and without message a readable one from the OID and varbinds;
// - requires non-empty string hostname and message, a parseable timestamp
//   (absent, null or "" → the receive time plus _timestamp_source:"received"),
//   and the presence of every REQUIRED_FIELDS name;
// - appends _correlation_id and _received_at.
// On error (InvalidInput naming the field, the value and the fix) the event is
// left unchanged.
class Normalizer final {
public:
    explicit Normalizer(QStringList requiredFields = {});

    Status normalize(rapidjson::Value &event, json::Allocator &allocator, const IngestStamp &stamp) const;
    // The same with the stamp's fields as UTF-8, for a caller that converts them once for many events.
    Status normalize(rapidjson::Value &event, json::Allocator &allocator, QByteArrayView correlationId,
        QByteArrayView receivedAt) const;

    // True for the reserved names the pipeline owns.
    static bool isReservedField(QByteArrayView name);

private:
    QStringList m_extraRequired;  // REQUIRED_FIELDS minus hostname, message, timestamp and reserved names
    QList<QByteArray> m_extraRequiredUtf8;  // the same names as UTF-8
};

}  // namespace mutt::event
