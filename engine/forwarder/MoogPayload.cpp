#include "forwarder/MoogPayload.h"

#include "event/Event.h"
#include "event/Json.h"

namespace mutt::forwarder {
namespace {

const char *const agentName = "MUTT Console " MUTT_VERSION;

// The text of an alert field as event::json::text() gives it, as a string
// value for `out`. A string field is referenced, not copied: the payload is
// written while the alert is alive. Empty when the field is missing.
rapidjson::Value fieldText(rapidjson::Document &out, const event::Event &alert, const char *field)
{
    const rapidjson::Document &document = alert.document();
    const auto member = document.FindMember(field);
    if (member == document.MemberEnd())
        return rapidjson::Value(rapidjson::StringRef(""));
    const rapidjson::Value &value = member->value;
    if (value.IsString() && !event::json::isRawNumber(value))
        return rapidjson::Value(rapidjson::StringRef(value.GetString(), value.GetStringLength()));
    const QByteArray utf8 = event::json::text(value).toUtf8();
    return rapidjson::Value(utf8.constData(), rapidjson::SizeType(utf8.size()), out.GetAllocator());
}

// `text`, or `fallback` when `text` is empty.
rapidjson::Value orElse(rapidjson::Value text, const rapidjson::Value &fallback)
{
    if (text.GetStringLength() > 0)
        return text;
    return rapidjson::Value(rapidjson::StringRef(fallback.GetString(), fallback.GetStringLength()));
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
    const rapidjson::Value unknown(rapidjson::StringRef("unknown"));
    const rapidjson::Value unknownClass(rapidjson::StringRef("Unknown"));
    rapidjson::Document out(rapidjson::kObjectType);
    auto &allocator = out.GetAllocator();
    const rapidjson::Value hostname = orElse(fieldText(out, alert, "hostname"), unknown);

    out.AddMember("signature", orElse(fieldText(out, alert, "signature"), hostname), allocator);
    out.AddMember("source_id", orElse(fieldText(out, alert, "hostname"), unknown), allocator);
    out.AddMember("external_id", orElse(fieldText(out, alert, event::fields::correlationId), unknown), allocator);
    out.AddMember("manager", "MUTT", allocator);
    out.AddMember("source", "MUTT Alerter", allocator);
    out.AddMember("class", orElse(fieldText(out, alert, "team_assignment"), unknownClass), allocator);
    out.AddMember("agent", rapidjson::StringRef(agentName), allocator);
    out.AddMember("agent_location", "Alerter Service", allocator);
    out.AddMember("type", "Alert", allocator);
    out.AddMember("severity", event::moogSeverity(alert.string("severity")), allocator);
    out.AddMember("description", fieldText(out, alert, "message_body"), allocator);
    out.AddMember("agent_time", static_cast<int64_t>(agentTimeSeconds), allocator);
    addCustomInfo(out, alert);
    return event::json::write(out);
}

}  // namespace mutt::forwarder
