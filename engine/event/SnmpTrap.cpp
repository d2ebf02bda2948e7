#include "event/SnmpTrap.h"

#include "event/Json.h"

#include <QStringList>

#include <optional>

namespace mutt::event::snmp {
namespace {

const rapidjson::Value *member(const rapidjson::Value &object, const char *name)
{
    if (!object.IsObject())
        return nullptr;
    const auto it = object.FindMember(name);
    return it == object.MemberEnd() ? nullptr : &it->value;
}

QString nonBlankString(const rapidjson::Value *value)
{
    if (value == nullptr || !value->IsString() || json::isBlankString(*value))
        return {};
    return json::text(*value).trimmed();
}

// "@{oid=1.3.6.1.2.1.1.3.0; value=12345}" as PowerShell renders a hashtable.
// The value is everything after "value=", so it may contain "; ".
std::optional<Varbind> powerShellVarbind(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (!trimmed.startsWith(QLatin1StringView("@{")) || !trimmed.endsWith(u'}'))
        return std::nullopt;

    const QString inner = trimmed.mid(2, trimmed.size() - 3);
    const qsizetype oidAt = inner.indexOf(QLatin1StringView("oid="));
    const qsizetype valueAt = inner.indexOf(QLatin1StringView("value="));
    if (oidAt < 0 || valueAt < 0 || valueAt < oidAt)
        return std::nullopt;

    QString oid = inner.mid(oidAt + 4, valueAt - oidAt - 4).trimmed();
    if (oid.endsWith(u';'))
        oid.chop(1);
    return Varbind {stripLeadingDots(oid.trimmed()), inner.mid(valueAt + 6).trimmed()};
}

Varbind entryVarbind(const rapidjson::Value &entry)
{
    if (entry.IsObject()) {
        const rapidjson::Value *oid = member(entry, "oid");
        if (oid == nullptr)
            oid = member(entry, "name");
        const rapidjson::Value *value = member(entry, "value");
        if (oid != nullptr)
            return {stripLeadingDots(json::text(*oid)), value != nullptr ? json::text(*value) : QString()};
    }
    if (entry.IsArray() && entry.Size() == 2)
        return {stripLeadingDots(json::text(entry[0])), json::text(entry[1])};
    if (entry.IsString() && !json::isRawNumber(entry)) {
        if (const auto bind = powerShellVarbind(json::text(entry)))
            return *bind;
    }
    return {QString(), json::text(entry)};
}

}  // namespace

QString stripLeadingDots(QString oid)
{
    while (oid.startsWith(u'.'))
        oid.remove(0, 1);
    return oid;
}

QList<Varbind> varbinds(const rapidjson::Value &event)
{
    const rapidjson::Value *field = member(event, "variables");
    if (field == nullptr)
        field = member(event, "varbinds");
    if (field == nullptr)
        return {};

    QList<Varbind> binds;
    if (field->IsArray()) {
        for (const rapidjson::Value &entry : field->GetArray())
            binds.append(entryVarbind(entry));
    } else if (field->IsObject()) {
        for (auto it = field->MemberBegin(); it != field->MemberEnd(); ++it)
            binds.append({stripLeadingDots(json::text(it->name)), json::text(it->value)});
    } else if (!field->IsNull()) {
        binds.append({QString(), json::text(*field)});
    }
    return binds;
}

QString trapSource(const rapidjson::Value &event)
{
    QString source = nonBlankString(member(event, "agent_address"));
    if (source.isEmpty())
        source = nonBlankString(member(event, "source_ip"));
    return source;
}

QString trapMessage(const QString &trapOid, const QString &source, const QList<Varbind> &binds)
{
    QString message = QStringLiteral("SNMP trap ") + stripLeadingDots(trapOid);
    if (!source.isEmpty())
        message += QStringLiteral(" from ") + source;
    if (binds.isEmpty())
        return message;

    QStringList parts;
    parts.reserve(binds.size());
    for (const Varbind &bind : binds)
        parts.append(bind.first.isEmpty() ? bind.second : bind.first + u'=' + bind.second);
    return message + QStringLiteral(": ") + parts.join(QStringLiteral(", "));
}

}  // namespace mutt::event::snmp
