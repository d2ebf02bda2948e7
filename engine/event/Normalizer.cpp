#include "event/Normalizer.h"

#include "event/Event.h"
#include "event/SnmpTrap.h"

#include <algorithm>
#include <array>
#include <optional>

namespace mutt::event {
namespace {

constexpr std::array reservedNames {
    fields::correlationId,
    fields::receivedAt,
    fields::timestampSource,
    fields::retryCount,
    fields::moogRetryCount,
    fields::replayCount,
    fields::dlqReason,
    fields::dlqAt,
    fields::dlqLastStatus,
    fields::dlqSource,
};

constexpr qsizetype shownValueMax = 80;

// event_audit_log.hostname is VARCHAR(255). A longer hostname would pass
// here and then fail every audit write in the alerter.
constexpr qsizetype hostnameMax = 255;

Error invalid(QString message)
{
    return makeError(ErrorCode::InvalidInput, std::move(message));
}

// A member that is present and not null.
const rapidjson::Value *present(const rapidjson::Value &object, const char *name)
{
    const auto it = object.FindMember(name);
    if (it == object.MemberEnd() || it->value.IsNull())
        return nullptr;
    return &it->value;
}

bool isNonBlankString(const rapidjson::Value *value)
{
    return value != nullptr && value->IsString() && !json::isRawNumber(*value) && !json::isBlankString(*value);
}

// The value as JSON for an error message ("Bogus" quoted, 9 bare), shortened.
QString shown(const rapidjson::Value &value)
{
    QString text = QString::fromUtf8(json::write(value));
    if (text.size() > shownValueMax)
        text = text.left(shownValueMax) + QStringLiteral("…");
    return text;
}

// `name` is a string literal: the key refers to it without a copy.
void setString(rapidjson::Value &object, const char *name, QByteArrayView utf8, json::Allocator &allocator)
{
    rapidjson::Value value(utf8.data(), rapidjson::SizeType(utf8.size()), allocator);
    const auto it = object.FindMember(name);
    if (it != object.MemberEnd()) {
        it->value = value;
        return;
    }
    object.AddMember(rapidjson::StringRef(name), value, allocator);
}

// For a reserved name, which dropReserved() has removed: no lookup.
void appendString(rapidjson::Value &object, const char *name, QByteArrayView utf8, json::Allocator &allocator)
{
    rapidjson::Value value(utf8.data(), rapidjson::SizeType(utf8.size()), allocator);
    object.AddMember(rapidjson::StringRef(name), value, allocator);
}

// Changes that normalisation will make, decided before anything is changed.
struct Plan {
    std::optional<QString> hostname;  // set when derived for a trap
    std::optional<QString> message;  // set when built for a trap
    bool timestampFromReceipt = false;
};

Status checkTrapOid(const rapidjson::Value &event, bool &isTrap)
{
    const rapidjson::Value *oid = present(event, "trap_oid");
    isTrap = oid != nullptr;
    if (!isTrap || isNonBlankString(oid))
        return {};
    return invalid(QStringLiteral("trap_oid must be an OID string such as 1.3.6.1.6.3.1.1.5.3; got ") + shown(*oid));
}

Status checkMissing(
    const rapidjson::Value &event, bool isTrap, const QStringList &extraRequired, const QList<QByteArray> &extraUtf8)
{
    QStringList missing;
    const rapidjson::Value *hostname = present(event, "hostname");
    const bool hostnameMissing
        = isTrap ? !isNonBlankString(hostname) && snmp::trapSource(event).isEmpty() : hostname == nullptr;
    if (hostnameMissing)
        missing.append(QStringLiteral("hostname"));
    if (present(event, "message") == nullptr && !isTrap)
        missing.append(QStringLiteral("message"));
    for (qsizetype i = 0; i < extraRequired.size(); ++i) {
        if (present(event, extraUtf8[i].constData()) == nullptr)
            missing.append(extraRequired[i]);
    }
    if (missing.isEmpty())
        return {};

    QString message
        = (missing.size() == 1 ? QStringLiteral("missing required field ") : QStringLiteral("missing required fields "))
        + missing.join(QStringLiteral(", "));
    if (isTrap && missing.contains(QStringLiteral("hostname")))
        message += QStringLiteral(": an SNMP trap needs hostname, agent_address or source_ip");
    else
        message += missing.size() == 1 ? QStringLiteral(": add it to each event")
                                       : QStringLiteral(": add them to each event");
    return invalid(message);
}

// hostname and message: non-empty strings; a trap may leave them blank.
Status checkText(const rapidjson::Value &event, const char *name, bool isTrap)
{
    const rapidjson::Value *value = present(event, name);
    if (value == nullptr || isNonBlankString(value) || (isTrap && json::isBlankString(*value)))
        return {};
    return invalid(QString::fromLatin1(name) + QStringLiteral(" must be a non-empty string; got ") + shown(*value));
}

// parseTimestamp() on the string. An ASCII text of up to 64 bytes is widened
// on the stack; any other text goes through QString.
bool isTimestamp(const rapidjson::Value &value)
{
    constexpr rapidjson::SizeType stackMax = 64;
    const rapidjson::SizeType length = value.GetStringLength();
    const char *text = value.GetString();
    if (length <= stackMax) {
        char16_t wide[stackMax];
        bool ascii = true;
        for (rapidjson::SizeType i = 0; i < length && ascii; ++i) {
            ascii = static_cast<unsigned char>(text[i]) < 0x80;
            wide[i] = char16_t(static_cast<unsigned char>(text[i]));
        }
        if (ascii)
            return parseTimestamp(QStringView(wide, qsizetype(length))).has_value();
    }
    return parseTimestamp(json::text(value)).has_value();
}

Status checkTimestamp(const rapidjson::Value &event, Plan &plan)
{
    const rapidjson::Value *value = present(event, "timestamp");
    if (value == nullptr || json::isBlankString(*value)) {
        plan.timestampFromReceipt = true;
        return {};
    }
    if (value->IsString() && !json::isRawNumber(*value) && isTimestamp(*value))
        return {};
    return invalid(
        QStringLiteral("timestamp must be an RFC 3339 date-time such as 2025-01-15T14:30:22Z; got ") + shown(*value));
}

Status checkSeverity(const rapidjson::Value &event)
{
    const char *name = "syslog_severity";
    const rapidjson::Value *value = present(event, name);
    if (value == nullptr) {
        name = "severity";
        value = present(event, name);
    }
    if (value == nullptr || parseSeverity(*value))
        return {};
    return invalid(QString::fromLatin1(name)
        + QStringLiteral(" must be 0-7 or a syslog severity name (emerg, alert, crit, err, warning, "
                         "notice, info, debug); got ")
        + shown(*value));
}

// Counts Unicode code points, as VARCHAR(n) does, not UTF-16 units.
qsizetype codePointCount(const QString &text)
{
    return text.size() - std::count_if(text.begin(), text.end(), [](QChar c) { return c.isLowSurrogate(); });
}

Status checkHostnameLength(const rapidjson::Value &event, const Plan &plan)
{
    QString hostname;
    if (plan.hostname) {
        hostname = *plan.hostname;
    } else if (const rapidjson::Value *value = present(event, "hostname")) {
        // A string of at most hostnameMax bytes has at most that many code points.
        if (value->IsString() && !json::isRawNumber(*value) && value->GetStringLength() <= hostnameMax)
            return {};
        hostname = json::text(*value);
    }

    const qsizetype length = codePointCount(hostname);
    if (length <= hostnameMax)
        return {};
    return invalid(QStringLiteral("hostname must be at most %1 characters; got %2 characters: shorten it")
                       .arg(hostnameMax)
                       .arg(length));
}

void planTrap(const rapidjson::Value &event, Plan &plan)
{
    QString source = snmp::trapSource(event);
    if (!isNonBlankString(present(event, "hostname")))
        plan.hostname = source;
    else
        source = json::text(*present(event, "hostname")).trimmed();

    const rapidjson::Value *oid = present(event, "trap_oid");
    if (!isNonBlankString(present(event, "message")) && oid != nullptr)
        plan.message = snmp::trapMessage(json::text(*oid).trimmed(), source, snmp::varbinds(event));
}

void dropReserved(rapidjson::Value &event)
{
    for (auto it = event.MemberBegin(); it != event.MemberEnd();) {
        // Every reserved name starts with an underscore.
        const bool candidate = it->name.GetStringLength() > 0 && it->name.GetString()[0] == '_';
        if (candidate && Normalizer::isReservedField(QByteArrayView(it->name.GetString(), it->name.GetStringLength())))
            it = event.EraseMember(it);
        else
            ++it;
    }
}

}  // namespace

Normalizer::Normalizer(QStringList requiredFields)
{
    for (QString &name : requiredFields) {
        name = name.trimmed();
        const bool builtIn = name == u"hostname" || name == u"message" || name == u"timestamp";
        if (!name.isEmpty() && !builtIn && !isReservedField(name.toUtf8()) && !m_extraRequired.contains(name)) {
            m_extraRequired.append(name);
            m_extraRequiredUtf8.append(name.toUtf8());
        }
    }
}

bool Normalizer::isReservedField(QByteArrayView name)
{
    for (const char *reserved : reservedNames) {
        if (name == QByteArrayView(reserved))
            return true;
    }
    return false;
}

Status Normalizer::normalize(rapidjson::Value &event, json::Allocator &allocator, const IngestStamp &stamp) const
{
    return normalize(event, allocator, stamp.correlationId.toUtf8(), stamp.receivedAt.toUtf8());
}

Status Normalizer::normalize(
    rapidjson::Value &event, json::Allocator &allocator, QByteArrayView correlationId, QByteArrayView receivedAt) const
{
    if (!event.IsObject())
        return invalid(QStringLiteral("each event must be a JSON object; got ") + json::typeName(event));

    bool isTrap = false;
    Plan plan;
    for (const Status &check : {checkTrapOid(event, isTrap),
             checkMissing(event, isTrap, m_extraRequired, m_extraRequiredUtf8), checkText(event, "hostname", isTrap),
             checkText(event, "message", isTrap), checkTimestamp(event, plan), checkSeverity(event)}) {
        if (!check)
            return check;
    }
    if (isTrap)
        planTrap(event, plan);
    if (const Status length = checkHostnameLength(event, plan); !length)
        return length;

    dropReserved(event);
    if (plan.hostname)
        setString(event, "hostname", plan.hostname->toUtf8(), allocator);
    if (plan.message)
        setString(event, "message", plan.message->toUtf8(), allocator);
    if (plan.timestampFromReceipt) {
        setString(event, "timestamp", receivedAt, allocator);
        appendString(event, fields::timestampSource, "received", allocator);
    }
    appendString(event, fields::correlationId, correlationId, allocator);
    appendString(event, fields::receivedAt, receivedAt, allocator);
    return {};
}

}  // namespace mutt::event
