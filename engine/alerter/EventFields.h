#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mutt::event {
class Event;
}

namespace mutt::alerter {

// The fields rule matching reads, taken from an event once: the message as
// UTF-8 (a view into the event when it is a JSON string), the trap OID and,
// on first use, the normalised severity. Lives no longer than the event.
class EventFields final {
public:
    explicit EventFields(const event::Event &event);
    EventFields(const EventFields &) = delete;
    EventFields &operator=(const EventFields &) = delete;

    // Empty when the event has no message or an empty one.
    [[nodiscard]] std::string_view message() const { return m_message; }
    [[nodiscard]] bool hasMessage() const { return !m_message.empty(); }

    // trap_oid without a leading dot; nullopt when absent or empty.
    [[nodiscard]] const std::optional<std::string> &trapOid() const { return m_trapOid; }
    [[nodiscard]] bool hasTrapOid() const { return m_trapOid.has_value(); }

    // Event::severity(), computed on first call.
    [[nodiscard]] std::optional<int> severity() const;

private:
    const event::Event &m_event;
    std::string m_messageStorage;  // used when the message is not a JSON string
    std::string_view m_message;
    std::optional<std::string> m_trapOid;
    mutable bool m_severityRead = false;
    mutable std::optional<int> m_severity;
};

}  // namespace mutt::alerter
