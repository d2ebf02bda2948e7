#include "forwarder/MoogPayload.h"

#include "event/Event.h"
#include "event/Json.h"

namespace mutt::forwarder {
namespace {

const char *const agentName = "MUTT Console " MUTT_VERSION;

void addString(rapidjson::Document &out, const char *name, const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    rapidjson::Value text(utf8.constData(), rapidjson::SizeType(utf8.size()), out.GetAllocator());
    out.AddMember(rapidjson::StringRef(name), text, out.GetAllocator());
}

QString stringOr(const event::Event &alert, const char *field, const QString &fallback)
{
    const QString value = alert.string(field);
    return value.isEmpty() ? fallback : value;
}

// raw_json as an object: taken as it is, or parsed when the alerter stored
// it as JSON text. Anything else is left out (Moogsoft wants an object).
void addCustomInfo(rapidjson::Document &out, const event::Event &alert)
{
    const rapidjson::Document &document = alert.document();
    const auto member = document.FindMember("raw_json");
    if (member == document.MemberEnd())
        return;

    if (member->value.IsObject()) {
        rapidjson::Value copy(member->value, out.GetAllocator());
        out.AddMember("custom_info", copy, out.GetAllocator());
        return;
    }
    if (!member->value.IsString() || event::json::isRawNumber(member->value))
        return;

    rapidjson::Value parsed;
    const QByteArrayView text(member->value.GetString(), qsizetype(member->value.GetStringLength()));
    if (event::json::parse(text, parsed, out.GetAllocator()).ok() && parsed.IsObject())
        out.AddMember("custom_info", parsed, out.GetAllocator());
}

}  // namespace

QByteArray buildMoogPayload(const event::Event &alert, qint64 agentTimeSeconds)
{
    const QString unknown = QStringLiteral("unknown");
    const QString hostname = stringOr(alert, "hostname", unknown);

    rapidjson::Document out(rapidjson::kObjectType);
    auto &allocator = out.GetAllocator();
    addString(out, "signature", stringOr(alert, "signature", hostname));
    addString(out, "source_id", hostname);
    addString(out, "external_id", stringOr(alert, event::fields::correlationId, unknown));
    out.AddMember("manager", "MUTT", allocator);
    out.AddMember("source", "MUTT Alerter", allocator);
    addString(out, "class", stringOr(alert, "team_assignment", QStringLiteral("Unknown")));
    out.AddMember("agent", rapidjson::StringRef(agentName), allocator);
    out.AddMember("agent_location", "Alerter Service", allocator);
    out.AddMember("type", "Alert", allocator);
    out.AddMember("severity", event::moogSeverity(alert.string("severity")), allocator);
    addString(out, "description", alert.string("message_body"));
    out.AddMember("agent_time", static_cast<int64_t>(agentTimeSeconds), allocator);
    addCustomInfo(out, alert);
    return event::json::write(out);
}

}  // namespace mutt::forwarder
