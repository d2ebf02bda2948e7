#include "sql/RuleValidation.h"

#include "core/NearestText.h"

#include <re2/re2.h>

#include <QRegularExpression>

namespace mutt::sql {
namespace {

constexpr QLatin1StringView kContains("contains");
constexpr QLatin1StringView kRegex("regex");
constexpr QLatin1StringView kOidPrefix("oid_prefix");

Error invalid(const QString &path, const QString &message)
{
    return makeError(ErrorCode::InvalidInput, path + message);
}

QString quoted(const QString &value)
{
    QString escaped = value;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

Status checkText(const std::optional<QString> &value, const QString &field, const QString &path)
{
    if (!value)
        return {};
    if (value->trimmed().isEmpty())
        return invalid(path, QStringLiteral("%1 must not be blank; give the text or leave it null").arg(field));
    if (const int length = characterCount(*value); length > kMaxMatchLength)
        return invalid(path,
            QStringLiteral("%1 must be at most %2 characters; got %3").arg(field).arg(kMaxMatchLength).arg(length));
    return {};
}

Status checkCriteria(const AlertRule &rule, const QString &path)
{
    if (!rule.matchString && !rule.trapOid)
        return invalid(path,
            QStringLiteral("match_string or trap_oid is required; give the text to match or the "
                           "trap OID prefix"));
    if (auto ok = checkText(rule.matchString, QStringLiteral("match_string"), path); !ok)
        return ok;
    if (auto ok = checkText(rule.trapOid, QStringLiteral("trap_oid"), path); !ok)
        return ok;

    if (rule.matchType == kOidPrefix && !rule.trapOid)
        return invalid(path,
            QStringLiteral("trap_oid is required when match_type is oid_prefix; give a dotted OID "
                           "such as .1.3.6.1.4.1.9"));
    if (rule.matchType != kOidPrefix && !rule.matchString)
        return invalid(path,
            QStringLiteral("match_string is required when match_type is %1; give the text to match, "
                           "or use match_type oid_prefix for a trap OID rule")
                .arg(rule.matchType));
    return {};
}

Status checkTrapOid(const AlertRule &rule, const QString &path)
{
    static const QRegularExpression dottedDigits(QStringLiteral("^\\.?[0-9]+(\\.[0-9]+)*$"));
    // SNMP encodes each OID arc as an integer, so a trap OID rendered as text
    // has no arc such as "03" and a rule OID with one cannot match it.
    static const QRegularExpression leadingZeroArc(QStringLiteral("(^|\\.)0[0-9]"));
    if (!rule.trapOid)
        return {};
    if (!dottedDigits.match(*rule.trapOid).hasMatch())
        return invalid(path,
            QStringLiteral("trap_oid must be dotted digits with an optional leading dot, such as "
                           ".1.3.6.1.4.1.9; got %1")
                .arg(quoted(*rule.trapOid)));
    if (leadingZeroArc.match(*rule.trapOid).hasMatch())
        return invalid(path,
            QStringLiteral("trap_oid must not have an arc with a leading zero, because SNMP trap OIDs "
                           "never contain one; write 1.3.6 instead of 1.03.6; got %1")
                .arg(quoted(*rule.trapOid)));
    return {};
}

Status checkRegex(const AlertRule &rule, const QString &path)
{
    if (rule.matchType != kRegex || !rule.matchString)
        return {};

    // The alerter compiles regex rules with these options.
    RE2::Options options;
    options.set_case_sensitive(false);
    options.set_log_errors(false);
    const RE2 pattern(rule.matchString->toStdString(), options);
    if (pattern.ok())
        return {};
    return invalid(path,
        QStringLiteral("match_string is not a valid RE2 regular expression: %1; fix the pattern "
                       "or use match_type contains for plain text")
            .arg(QString::fromStdString(pattern.error())));
}

Status checkSeverity(const AlertRule &rule, const QString &path)
{
    if (!rule.syslogSeverity || (*rule.syslogSeverity >= 0 && *rule.syslogSeverity <= 7))
        return {};
    return invalid(path,
        QStringLiteral("syslog_severity must be null or an integer from 0 to 7; got %1").arg(*rule.syslogSeverity));
}

// A required text column of at most kMaxHandlingLength characters; `example`
// completes "give ..." in the message for an empty value.
Status checkRequiredText(const QString &value, const QString &field, const QString &example, const QString &path)
{
    if (value.trimmed().isEmpty())
        return invalid(path, QStringLiteral("%1 is missing or empty; give %2").arg(field, example));
    if (const int length = characterCount(value); length > kMaxHandlingLength)
        return invalid(path,
            QStringLiteral("%1 must be at most %2 characters; got %3").arg(field).arg(kMaxHandlingLength).arg(length));
    return {};
}

// The handling values that forward to the alert queue.
const QStringList &forwardingHandlings()
{
    static const QStringList values {
        QStringLiteral("Page_and_ticket"), QStringLiteral("Page_only"), QStringLiteral("Ticket_only")};
    return values;
}

// Returns the known values that begin with `handling` (3 characters or more,
// any case), such as Page_and_ticket and Page_only for "Page". Without such a
// value, returns the nearest one by edit distance, if any.
QStringList handlingGuesses(const QString &handling, const QStringList &known)
{
    QStringList starting;
    if (handling.size() >= 3) {
        for (const QString &candidate : known) {
            if (candidate.startsWith(handling, Qt::CaseInsensitive))
                starting.append(candidate);
        }
    }
    if (!starting.isEmpty())
        return starting;
    const QString nearest = nearestText(handling, known);
    return nearest.isEmpty() ? QStringList() : QStringList {nearest};
}

}  // namespace

bool handlingForwards(const QString &handling)
{
    return forwardingHandlings().contains(handling.trimmed(), Qt::CaseInsensitive);
}

QStringList handlingWarnings(const AlertRule &rule, const QString &path)
{
    static const QStringList documentedSilent {
        QStringLiteral("Ignore"), QStringLiteral("Email_only"), QStringLiteral("Log_only"), QStringLiteral("Suppress")};

    QStringList warnings;
    const QList<QPair<QString, QString>> fields {
        {QStringLiteral("prod_handling"), rule.prodHandling}, {QStringLiteral("dev_handling"), rule.devHandling}};
    for (const auto &[field, value] : fields) {
        const QString handling = value.trimmed();
        if (handlingForwards(handling) || documentedSilent.contains(handling, Qt::CaseInsensitive))
            continue;
        const QStringList guesses = handlingGuesses(handling, forwardingHandlings() + documentedSilent);
        const QString guess = guesses.isEmpty()
            ? QString()
            : QStringLiteral("; did you mean %1?").arg(guesses.join(QStringLiteral(" or ")));
        warnings.append(QStringLiteral("%1%2 %3 does not forward to Moogsoft: matching events are only recorded; "
                                       "the values that forward are Page_and_ticket, Page_only and Ticket_only "
                                       "(Ignore records without forwarding)%4")
                            .arg(path, field, quoted(value), guess));
    }
    return warnings;
}

bool isKnownMatchType(const QString &matchType)
{
    return matchType == kContains || matchType == kRegex || matchType == kOidPrefix;
}

int characterCount(const QString &text)
{
    int count = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (!(text.at(i).isLowSurrogate() && i > 0 && text.at(i - 1).isHighSurrogate()))
            ++count;
    }
    return count;
}

Status validateRule(const AlertRule &rule, const QString &path)
{
    if (!isKnownMatchType(rule.matchType))
        return invalid(path,
            QStringLiteral("match_type must be one of contains, regex, oid_prefix; got %1")
                .arg(quoted(rule.matchType)));

    for (const auto &check : {checkCriteria, checkTrapOid, checkRegex, checkSeverity}) {
        if (auto ok = check(rule, path); !ok)
            return ok;
    }

    const QString handlingExample = QStringLiteral("a value such as Page_and_ticket, Ticket_only or Ignore");
    if (auto ok = checkRequiredText(rule.prodHandling, QStringLiteral("prod_handling"), handlingExample, path); !ok)
        return ok;
    if (auto ok = checkRequiredText(rule.devHandling, QStringLiteral("dev_handling"), handlingExample, path); !ok)
        return ok;
    if (auto ok = checkRequiredText(rule.teamAssignment, QStringLiteral("team_assignment"),
            QStringLiteral("the team that owns the alerts, such as NETO"), path);
        !ok)
        return ok;
    return {};
}

Status validateHostname(const QString &hostname, const QString &field)
{
    if (hostname.trimmed().isEmpty())
        return makeError(ErrorCode::InvalidInput, QStringLiteral("%1 is required; give a host name").arg(field));
    if (hostname.trimmed() != hostname)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("%1 must not start or end with whitespace; got %2").arg(field, quoted(hostname)));
    if (const int length = characterCount(hostname); length > kMaxHostnameLength)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("%1 must be at most %2 characters; got %3").arg(field).arg(kMaxHostnameLength).arg(length));
    return {};
}

Status validateTeamName(const QString &team, const QString &field)
{
    if (team.trimmed().isEmpty())
        return makeError(ErrorCode::InvalidInput, QStringLiteral("%1 is required; give a team name").arg(field));
    if (const int length = characterCount(team); length > kMaxHandlingLength)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("%1 must be at most %2 characters; got %3").arg(field).arg(kMaxHandlingLength).arg(length));
    return {};
}

}  // namespace mutt::sql
