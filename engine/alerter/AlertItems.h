#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace mutt::event {
class Event;
}
namespace mutt::sql {
struct AlertRule;
}

// The JSON items the alerter writes to the alert queue and its DLQ.
namespace mutt::alerter::items {

// Alert for a matched, forwarded event: hostname, team_assignment, severity,
// message_body, raw_json (the event object), _correlation_id, rule_id,
// handling and signature "<hostname>::<rule_id>". Never an API key.
QByteArray alert(const event::Event &event, const sql::AlertRule &rule, const QString &handling);

// Meta-alert for a host whose unhandled events reached the threshold: hostname
// "MUTT_Alerter" (as v2.5), the host's team, severity Warning, a message
// naming the count, window and a sample, raw_json (the event that reached the
// threshold), handling "meta_alert" and signature "MUTT_Alerter::<host>".
QByteArray metaAlert(const event::Event &event, const QString &team, qint64 count, qint64 windowSeconds);

// The event with _dlq_reason, _dlq_at (RFC 3339 UTC) and _dlq_source
// "alerter" added.
QByteArray deadLetter(event::Event &event, const QString &reason, const QDateTime &now);

// A DLQ entry for bytes that are not a JSON object: the original text in
// _dlq_raw (and, when it is not valid UTF-8, the exact bytes in base64 in
// _dlq_raw_base64).
QByteArray deadLetterRaw(const QByteArray &raw, const QString &reason, const QDateTime &now);

// <prefix>:<host>:<first 16 hex digits of SHA-1(UTF-8 message)>.
QString unhandledKey(const QString &prefix, const QString &hostname, const QString &message);

}  // namespace mutt::alerter::items
