#include "alerter/CompiledRule.h"

#include "alerter/EventFields.h"
#include "alerter/OidTrie.h"

#include <re2/re2.h>

namespace mutt::alerter {
namespace {

// The match string as stored (spaces are part of the pattern); nullopt
// when null or blank.
std::optional<std::string> matchStringOf(const std::optional<QString> &text)
{
    if (!text || text->trimmed().isEmpty())
        return std::nullopt;
    return text->toStdString();
}

std::optional<std::string> normalisedOid(const std::optional<QString> &text)
{
    if (!text || text->trimmed().isEmpty())
        return std::nullopt;
    std::optional<std::string> oid = text->trimmed().toStdString();
    if (oid->front() == '.')
        oid->erase(0, 1);
    if (oid && oid->empty())
        return std::nullopt;
    return oid;
}

QString quoted(const std::optional<std::string> &text)
{
    return u'\'' + QString::fromStdString(text.value_or(std::string())) + u'\'';
}

QString severityText(std::optional<int> severity)
{
    return severity ? QString::number(*severity) : QStringLiteral("none");
}

}  // namespace

bool oidUnder(std::string_view oid, std::string_view prefix)
{
    const std::vector<std::string_view> eventArcs = OidTrie::arcs(oid);
    const std::vector<std::string_view> prefixArcs = OidTrie::arcs(prefix);
    if (prefixArcs.empty() || prefixArcs.size() > eventArcs.size())
        return false;
    for (size_t i = 0; i < prefixArcs.size(); ++i) {
        if (prefixArcs[i] != eventArcs[i])
            return false;
    }
    return true;
}

CompiledRule::CompiledRule(sql::AlertRule row) : m_row(std::move(row))
{
    prepare();
}

CompiledRule::~CompiledRule() = default;
CompiledRule::CompiledRule(CompiledRule &&) noexcept = default;
CompiledRule &CompiledRule::operator=(CompiledRule &&) noexcept = default;

void CompiledRule::prepare()
{
    m_match = matchStringOf(m_row.matchString);
    m_oid = normalisedOid(m_row.trapOid);

    const QString type = m_row.matchType.trimmed().toLower();
    if (type == u"contains") {
        m_type = Type::Contains;
    } else if (type == u"regex") {
        m_type = Type::Regex;
    } else if (type == u"oid_prefix") {
        m_type = Type::OidPrefix;
    } else {
        m_loadError = QStringLiteral("match_type '%1' is not contains, regex or oid_prefix").arg(m_row.matchType);
        return;
    }

    if (m_type == Type::OidPrefix) {
        if (!m_oid)
            m_loadError = QStringLiteral("match_type oid_prefix needs a trap_oid");
        return;
    }
    if (!m_match) {
        m_loadError = QStringLiteral("match_type %1 needs a match_string").arg(type);
        return;
    }

    RE2::Options options;
    options.set_case_sensitive(false);
    options.set_literal(m_type == Type::Contains);
    options.set_log_errors(false);
    m_pattern = std::make_unique<RE2>(*m_match, options);
    if (!m_pattern->ok()) {
        m_loadError = QStringLiteral("regex %1 does not compile: %2")
                          .arg(quoted(m_match), QString::fromStdString(m_pattern->error()));
        m_pattern.reset();
    }
}

bool CompiledRule::messageTestApplies(const EventFields &event) const
{
    if (!usable() || m_type == Type::OidPrefix)
        return false;
    if (event.hasTrapOid() && hasTrapOid())
        return false;
    return !m_row.syslogSeverity || event.severity() == m_row.syslogSeverity;
}

RuleTest CompiledRule::test(const EventFields &event) const
{
    if (!usable())
        return {false, QStringLiteral("skipped at load: ") + m_loadError};
    if (event.hasTrapOid() && hasTrapOid())
        return testOid(event);
    return testMessage(event);
}

RuleTest CompiledRule::testOid(const EventFields &event) const
{
    const QString eventOid = QString::fromStdString(*event.trapOid());
    const QString ruleOid = QString::fromStdString(*m_oid);
    if (m_type != Type::OidPrefix) {
        return {false,
            QStringLiteral("the event and the rule both have a trap_oid, so only the OID is compared, "
                           "and match_type %1 does not compare OIDs")
                .arg(m_row.matchType)};
    }
    if (oidUnder(*event.trapOid(), *m_oid))
        return {true, QStringLiteral("trap_oid %1 is under %2").arg(eventOid, ruleOid)};
    return {false, QStringLiteral("trap_oid %1 is not under %2").arg(eventOid, ruleOid)};
}

RuleTest CompiledRule::testMessage(const EventFields &event) const
{
    if (m_type == Type::OidPrefix)
        return {false, QStringLiteral("the event has no trap_oid, and oid_prefix rules compare only the trap OID")};
    if (!event.hasMessage())
        return {false, QStringLiteral("the event has no message")};
    if (m_row.syslogSeverity && event.severity() != m_row.syslogSeverity) {
        return {false,
            QStringLiteral("the event's severity %1 is not the rule's syslog_severity %2")
                .arg(severityText(event.severity()), severityText(m_row.syslogSeverity))};
    }

    const std::string_view message = event.message();
    const bool found = RE2::PartialMatch(re2::StringPiece(message.data(), message.size()), *m_pattern);
    if (m_type == Type::Contains) {
        return {found,
            found ? QStringLiteral("the message contains %1 (any case)").arg(quoted(m_match))
                  : QStringLiteral("the message does not contain %1 (any case)").arg(quoted(m_match))};
    }
    return {found,
        found ? QStringLiteral("the message matches the regex %1 (any case)").arg(quoted(m_match))
              : QStringLiteral("the message does not match the regex %1 (any case)").arg(quoted(m_match))};
}

}  // namespace mutt::alerter
