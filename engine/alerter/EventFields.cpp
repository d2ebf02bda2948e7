#include "alerter/EventFields.h"

#include "event/Event.h"
#include "event/Json.h"

namespace mutt::alerter {

EventFields::EventFields(const event::Event &event) : m_event(event)
{
    const rapidjson::Document &doc = event.document();
    if (doc.IsObject()) {
        const auto member = doc.FindMember("message");
        if (member != doc.MemberEnd() && member->value.IsString() && !event::json::isRawNumber(member->value)) {
            m_message = std::string_view(member->value.GetString(), member->value.GetStringLength());
        } else if (member != doc.MemberEnd() && !member->value.IsNull()) {
            m_messageStorage = event.message().toStdString();
            m_message = m_messageStorage;
        }
    }

    const std::optional<QString> oid = event.trapOid();
    if (oid && !oid->trimmed().isEmpty())
        m_trapOid = oid->trimmed().toStdString();
}

std::optional<int> EventFields::severity() const
{
    if (!m_severityRead) {
        m_severity = m_event.severity();
        m_severityRead = true;
    }
    return m_severity;
}

}  // namespace mutt::alerter
