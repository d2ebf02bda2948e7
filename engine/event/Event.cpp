#include "event/Event.h"

#include "event/Json.h"

#include <charconv>
#include <cmath>
#include <string_view>

namespace mutt::event {
namespace {

// rapidjson's default pool chunk is 64 KiB; a batch contains thousands of small
// events, so each event gets a pool with small chunks (larger values still
// get a chunk of their own size).
constexpr size_t eventChunkBytes = 2048;

std::optional<qint64> integerFromText(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    if (text.empty())
        return std::nullopt;

    qint64 value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

}  // namespace

struct Event::Storage {
    json::Allocator allocator {eventChunkBytes};
    rapidjson::Document document {rapidjson::kObjectType, &allocator};
};

Event::Event() : m_storage(std::make_unique<Storage>()) { }
Event::~Event() = default;
Event::Event(Event &&other) noexcept = default;
Event &Event::operator=(Event &&other) noexcept = default;

rapidjson::Document &Event::document()
{
    return m_storage->document;
}
const rapidjson::Document &Event::document() const
{
    return m_storage->document;
}

Result<Event> Event::parse(QByteArrayView json)
{
    Event event;
    rapidjson::Value root;
    if (const Status parsed = json::parse(json, root, event.m_storage->allocator); !parsed)
        return parsed.error();
    if (!root.IsObject())
        return makeError(
            ErrorCode::InvalidInput, QStringLiteral("JSON must be an object; got ") + json::typeName(root));

    static_cast<rapidjson::Value &>(event.m_storage->document).Swap(root);
    return event;
}

Result<Event> Event::fromValue(const rapidjson::Value &object)
{
    if (!object.IsObject())
        return makeError(
            ErrorCode::InvalidInput, QStringLiteral("JSON must be an object; got ") + json::typeName(object));

    Event event;
    event.m_storage->document.CopyFrom(object, event.m_storage->allocator);
    return event;
}

bool Event::has(const char *field) const
{
    return document().HasMember(field);
}

QString Event::string(const char *field) const
{
    const auto it = document().FindMember(field);
    if (it == document().MemberEnd())
        return {};
    return json::text(it->value);
}

std::optional<qint64> Event::integer(const char *field) const
{
    const auto it = document().FindMember(field);
    if (it == document().MemberEnd())
        return std::nullopt;

    const rapidjson::Value &value = it->value;
    if (value.IsInt64())
        return value.GetInt64();
    if (value.IsDouble()) {
        const double d = value.GetDouble();
        if (std::trunc(d) == d && std::fabs(d) < 9.0e18)
            return qint64(d);
        return std::nullopt;
    }
    if (value.IsString() && !json::isRawNumber(value))
        return integerFromText(std::string_view(value.GetString(), value.GetStringLength()));
    return std::nullopt;
}

std::optional<QString> Event::trapOid() const
{
    const auto it = document().FindMember("trap_oid");
    if (it == document().MemberEnd() || !it->value.IsString() || json::isRawNumber(it->value))
        return std::nullopt;

    QString oid = json::text(it->value).trimmed();
    while (oid.startsWith(u'.'))
        oid.remove(0, 1);
    if (oid.isEmpty())
        return std::nullopt;
    return oid;
}

std::optional<int> Event::severity() const
{
    const auto syslog = document().FindMember("syslog_severity");
    if (syslog != document().MemberEnd() && !syslog->value.IsNull())
        return parseSeverity(syslog->value);

    const auto alias = document().FindMember("severity");
    if (alias != document().MemberEnd() && !alias->value.IsNull())
        return parseSeverity(alias->value);
    return std::nullopt;
}

std::optional<QDateTime> Event::timestamp() const
{
    const auto it = document().FindMember("timestamp");
    if (it == document().MemberEnd() || !it->value.IsString() || json::isRawNumber(it->value))
        return std::nullopt;
    return parseTimestamp(json::text(it->value));
}

void Event::setString(const char *field, const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    rapidjson::Value v(utf8.constData(), rapidjson::SizeType(utf8.size()), m_storage->allocator);
    const auto it = document().FindMember(field);
    if (it != document().MemberEnd()) {
        it->value = v;
        return;
    }
    rapidjson::Value name(field, m_storage->allocator);
    document().AddMember(name, v, m_storage->allocator);
}

void Event::setInteger(const char *field, qint64 value)
{
    const auto it = document().FindMember(field);
    if (it != document().MemberEnd()) {
        it->value.SetInt64(value);
        return;
    }
    rapidjson::Value name(field, m_storage->allocator);
    rapidjson::Value v(static_cast<int64_t>(value));
    document().AddMember(name, v, m_storage->allocator);
}

void Event::remove(const char *field)
{
    const auto it = document().FindMember(field);
    if (it != document().MemberEnd())
        document().EraseMember(it);
}

QByteArray Event::toJson() const
{
    return json::write(document());
}

}  // namespace mutt::event
