#pragma once

#include "core/Result.h"

#include <rapidjson/document.h>

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QString>

#include <memory>
#include <optional>

namespace mutt::event {

// Reserved field names. They belong to the pipeline: the ingestor drops any
// of them that a client sends.
namespace fields {
inline constexpr const char *correlationId = "_correlation_id";
inline constexpr const char *receivedAt = "_received_at";
inline constexpr const char *timestampSource = "_timestamp_source";
inline constexpr const char *retryCount = "_retry_count";
inline constexpr const char *moogRetryCount = "_moog_retry_count";
inline constexpr const char *replayCount = "_replay_count";
inline constexpr const char *dlqReason = "_dlq_reason";
inline constexpr const char *dlqAt = "_dlq_at";
inline constexpr const char *dlqLastStatus = "_dlq_last_status";
inline constexpr const char *dlqSource = "_dlq_source";
}  // namespace fields

// Syslog severity 0..7 from an integer, a numeric string or a name
// (emerg/emergency/panic, alert, crit/critical, err/error, warn/warning,
// notice, info/informational, debug; case-insensitive). The SNMP trap names
// major and minor map to 3 and 5, so the alert severity keeps the trap's word.
// Returns nullopt for anything else.
std::optional<int> parseSeverity(const rapidjson::Value &value);

// Alert severity from a syslog severity: 0-2 Critical, 3 Major, 4 Warning,
// 5 Minor, 6-7 Info, none Warning.
QString alertSeverityName(std::optional<int> syslogSeverity);

// Moogsoft severity number: Critical 5, Major 4, Warning 3, Minor 2, Info 1,
// Clear 0; anything else 3.
int moogSeverity(const QString &alertSeverity);

// One JSON object travelling through the queues (an event or an alert).
// Parsing keeps the last value of a duplicate key and the exact digits of
// integers of any size; it rejects nesting deeper than 64 levels, lone UTF-16
// surrogates and invalid UTF-8 with InvalidInput naming the problem.
//
// Big integers are stored as "raw numbers" (see event/Json.h): serialise with
// toJson() or json::write(), never with a plain rapidjson::Writer.
// A moved-from Event must not be used.
class Event {
public:
    Event();  // an empty object
    ~Event();
    Event(Event &&other) noexcept;
    Event &operator=(Event &&other) noexcept;
    Event(const Event &) = delete;
    Event &operator=(const Event &) = delete;

    // InvalidInput when the text is not valid JSON or not an object.
    static Result<Event> parse(QByteArrayView json);
    // Deep copy of a JSON object value (InvalidInput when it is not an object).
    static Result<Event> fromValue(const rapidjson::Value &object);

    [[nodiscard]] bool has(const char *field) const;
    // String value of a field; numbers are rendered as text, booleans as
    // true/false, objects and arrays as compact JSON; empty if absent or null.
    [[nodiscard]] QString string(const char *field) const;
    // Integer value of a number field (integral doubles too) or of a string
    // holding only a decimal integer; nullopt otherwise or when out of range.
    [[nodiscard]] std::optional<qint64> integer(const char *field) const;

    [[nodiscard]] QString hostname() const { return string("hostname"); }
    [[nodiscard]] QString message() const { return string("message"); }
    [[nodiscard]] QString correlationId() const { return string(fields::correlationId); }
    // trap_oid without a leading dot, or nullopt.
    [[nodiscard]] std::optional<QString> trapOid() const;
    // Normalised severity from syslog_severity, or severity when absent.
    [[nodiscard]] std::optional<int> severity() const;
    // Parsed timestamp (RFC 3339 / ISO 8601, any fraction digits), UTC.
    [[nodiscard]] std::optional<QDateTime> timestamp() const;

    // setString/setInteger replace an existing field in place (its position
    // is kept) or append it; remove() keeps the order of the other fields.
    void setString(const char *field, const QString &value);
    void setInteger(const char *field, qint64 value);
    void remove(const char *field);

    // Compact JSON, keys in their original order, non-ASCII kept as UTF-8.
    [[nodiscard]] QByteArray toJson() const;

    rapidjson::Document &document();
    [[nodiscard]] const rapidjson::Document &document() const;

private:
    struct Storage;  // the document and its own small-chunk allocator
    std::unique_ptr<Storage> m_storage;  // move-only: an Event owns its document
};

// Parses RFC 3339 / ISO 8601 date-times with any number of fraction digits
// (7 from PowerShell; truncated to milliseconds) and an offset or Z; a space
// may replace the T, and a time without offset is taken as UTC. Returns UTC,
// or nullopt.
std::optional<QDateTime> parseTimestamp(QStringView text);

// RFC 3339 UTC with milliseconds: 2025-01-15T14:30:22.123Z.
QString formatTimestamp(const QDateTime &utc);

}  // namespace mutt::event
