#include "alerter/AlertItems.h"

#include "event/Event.h"
#include "event/Json.h"
#include "sql/SqlTypes.h"

#include <QCryptographicHash>

namespace mutt::alerter::items {
namespace {

const char *const dlqSource = "alerter";
constexpr QLatin1StringView metaHost("MUTT_Alerter");
constexpr qsizetype kSampleChars = 200;

void addString(rapidjson::Document &out, const char *name, const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    rapidjson::Value text(utf8.constData(), rapidjson::SizeType(utf8.size()), out.GetAllocator());
    out.AddMember(rapidjson::StringRef(name), text, out.GetAllocator());
}

void addEvent(rapidjson::Document &out, const event::Event &event)
{
    rapidjson::Value copy(event.document(), out.GetAllocator());
    out.AddMember("raw_json", copy, out.GetAllocator());
}

QString correlationIdOf(const event::Event &event)
{
    const QString id = event.correlationId();
    return id.isEmpty() ? QStringLiteral("unknown") : id;
}

}  // namespace

QByteArray alert(const event::Event &event, const sql::AlertRule &rule, const QString &handling)
{
    const QString hostname = event.hostname();
    rapidjson::Document out(rapidjson::kObjectType);
    addString(out, "hostname", hostname);
    addString(out, "team_assignment", rule.teamAssignment);
    addString(out, "severity", event::alertSeverityName(event.severity()));
    addString(out, "message_body", event.message());
    addEvent(out, event);
    addString(out, event::fields::correlationId, correlationIdOf(event));
    out.AddMember("rule_id", static_cast<int64_t>(rule.id), out.GetAllocator());
    addString(out, "handling", handling);
    addString(out, "signature", hostname + QStringLiteral("::") + QString::number(rule.id));
    return event::json::write(out);
}

QByteArray metaAlert(const event::Event &event, const QString &team, qint64 count, qint64 windowSeconds)
{
    const QString hostname = event.hostname();
    const QString message = QStringLiteral("[MUTT] Detected %1 unhandled messages from '%2' within the current %3 s "
                                           "window; no alert rule matches them. Sample message: %4")
                                .arg(count)
                                .arg(hostname)
                                .arg(windowSeconds)
                                .arg(event.message().left(kSampleChars));

    rapidjson::Document out(rapidjson::kObjectType);
    addString(out, "hostname", QString(metaHost));
    addString(out, "team_assignment", team);
    addString(out, "severity", event::alertSeverityName(std::nullopt));
    addString(out, "message_body", message);
    addEvent(out, event);
    addString(out, event::fields::correlationId, correlationIdOf(event));
    addString(out, "handling", QStringLiteral("meta_alert"));
    addString(out, "signature", metaHost + QStringLiteral("::") + hostname);
    return event::json::write(out);
}

QByteArray deadLetter(event::Event &event, const QString &reason, const QDateTime &now)
{
    event.setString(event::fields::dlqReason, reason);
    event.setString(event::fields::dlqAt, event::formatTimestamp(now));
    event.setString(event::fields::dlqSource, QLatin1StringView(dlqSource));
    return event.toJson();
}

QByteArray deadLetterRaw(const QByteArray &raw, const QString &reason, const QDateTime &now)
{
    const QString text = QString::fromUtf8(raw);
    rapidjson::Document out(rapidjson::kObjectType);
    addString(out, event::fields::dlqReason, reason);
    addString(out, "_dlq_raw", text);
    if (text.toUtf8() != raw)
        addString(out, "_dlq_raw_base64", QString::fromLatin1(raw.toBase64()));
    addString(out, event::fields::dlqAt, event::formatTimestamp(now));
    addString(out, event::fields::dlqSource, QLatin1StringView(dlqSource));
    return event::json::write(out);
}

QString unhandledKey(const QString &prefix, const QString &hostname, const QString &message)
{
    const QByteArray digest = QCryptographicHash::hash(message.toUtf8(), QCryptographicHash::Sha1).toHex();
    return prefix + u':' + hostname + u':' + QString::fromLatin1(digest.left(16));
}

}  // namespace mutt::alerter::items
