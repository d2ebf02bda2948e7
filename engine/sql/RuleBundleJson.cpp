#include "sql/RuleBundleJson.h"

#include "core/ProblemList.h"
#include "sql/BundleImporter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mutt::sql {
namespace {

constexpr qint64 kMaxRuleId = std::numeric_limits<qint32>::max();  // alert_rules.id is SERIAL (int4)

const QStringList &ruleKeys()
{
    static const QStringList keys {
        QStringLiteral("id"),
        QStringLiteral("match_string"),
        QStringLiteral("trap_oid"),
        QStringLiteral("syslog_severity"),
        QStringLiteral("match_type"),
        QStringLiteral("priority"),
        QStringLiteral("prod_handling"),
        QStringLiteral("dev_handling"),
        QStringLiteral("team_assignment"),
        QStringLiteral("is_active"),
    };
    return keys;
}

QString join(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + QLatin1Char('.') + key;
}

// A short rendering of a JSON value for "got ..." in messages.
QString describe(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: return QString::number(value.toDouble(), 'g', 17);
    case QJsonValue::String:
        return QString::fromUtf8(QJsonDocument(QJsonArray {value}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
    case QJsonValue::Array: return QStringLiteral("an array");
    case QJsonValue::Object: return QStringLiteral("an object");
    case QJsonValue::Undefined: break;
    }
    return QStringLiteral("nothing");
}

Error typeError(const QString &path, const QString &expected, const QJsonValue &got)
{
    return makeError(
        ErrorCode::InvalidInput, QStringLiteral("%1 must be %2; got %3").arg(path, expected, describe(got)));
}

Result<qint64> readInteger(const QJsonValue &value, const QString &path, qint64 min, qint64 max)
{
    const double number = value.toDouble();
    if (!value.isDouble() || std::trunc(number) != number)
        return typeError(path, QStringLiteral("an integer"), value);
    if (number < double(min) || number > double(max))
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("%1 must be between %2 and %3; got %4").arg(path).arg(min).arg(max).arg(describe(value)));
    return qint64(number);
}

// PostgreSQL text columns reject NUL and lone UTF-16 surrogates, which
// QJsonDocument accepts, so the bundle is rejected before anything is written.
Status checkStorable(const QString &text, const QString &path)
{
    if (text.contains(QChar(u'\0')))
        return makeError(
            ErrorCode::InvalidInput, QStringLiteral("%1 contains a NUL character (\\u0000); remove it").arg(path));
    if (!text.isValidUtf16())
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("%1 contains a lone UTF-16 surrogate; send valid Unicode text").arg(path));
    return {};
}

Result<std::optional<QString>> readOptionalText(const QJsonValue &value, const QString &path)
{
    if (value.isNull())
        return std::optional<QString> {};
    if (!value.isString())
        return typeError(path, QStringLiteral("a string or null"), value);
    if (const Status storable = checkStorable(value.toString(), path); !storable)
        return storable.error();
    return std::optional<QString> {value.toString()};
}

Result<QString> readText(const QJsonValue &value, const QString &path)
{
    if (!value.isString())
        return typeError(path, QStringLiteral("a string"), value);
    if (const Status storable = checkStorable(value.toString(), path); !storable)
        return storable.error();
    return value.toString();
}

Status readRuleKey(const QString &key, const QJsonValue &value, const QString &path, AlertRule &rule)
{
    const QString field = join(path, key);
    if (key == QStringLiteral("id")) {
        if (value.isNull()) {
            rule.id = 0;
            return {};
        }
        auto id = readInteger(value, field, 1, kMaxRuleId);
        if (!id)
            return id.error();
        rule.id = id.value();
    } else if (key == QStringLiteral("match_string") || key == QStringLiteral("trap_oid")) {
        auto text = readOptionalText(value, field);
        if (!text)
            return text.error();
        (key == QStringLiteral("match_string") ? rule.matchString : rule.trapOid) = text.value();
    } else if (key == QStringLiteral("syslog_severity")) {
        if (value.isNull()) {
            rule.syslogSeverity.reset();
            return {};
        }
        auto severity
            = readInteger(value, field, std::numeric_limits<qint32>::min(), std::numeric_limits<qint32>::max());
        if (!severity)
            return typeError(field, QStringLiteral("an integer from 0 to 7 or null"), value);
        rule.syslogSeverity = int(severity.value());
    } else if (key == QStringLiteral("priority")) {
        auto priority
            = readInteger(value, field, std::numeric_limits<qint32>::min(), std::numeric_limits<qint32>::max());
        if (!priority)
            return priority.error();
        rule.priority = int(priority.value());
    } else if (key == QStringLiteral("is_active")) {
        if (!value.isBool())
            return typeError(field, QStringLiteral("true or false"), value);
        rule.isActive = value.toBool();
    } else {
        auto text = readText(value, field);
        if (!text)
            return text.error();
        QString &target = key == QStringLiteral("match_type") ? rule.matchType
            : key == QStringLiteral("prod_handling")          ? rule.prodHandling
            : key == QStringLiteral("dev_handling")           ? rule.devHandling
                                                              : rule.teamAssignment;
        target = text.value();
    }
    return {};
}

// Reads every key of a rule object into `rule`, adding a problem for each
// key that is unknown or has a value of the wrong type.
void readRuleObject(const QJsonObject &object, const QString &path, AlertRule &rule, ProblemList &problems)
{
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (!ruleKeys().contains(it.key())) {
            problems.add(makeError(ErrorCode::InvalidInput,
                QStringLiteral("%1 is not a rule field; the fields are %2")
                    .arg(join(path, it.key()), ruleKeys().join(QStringLiteral(", ")))));
            continue;
        }
        problems.add(readRuleKey(it.key(), it.value(), path, rule));
    }
}

// The readers below add a problem for each item they cannot read and go on
// with the next one, so one pass finds every problem of the file.
QList<AlertRule> readRules(const QJsonValue &value, ProblemList &problems, QSet<qsizetype> &unread)
{
    if (!value.isArray()) {
        problems.add(typeError(QStringLiteral("rules"), QStringLiteral("an array of rule objects"), value));
        return {};
    }

    QList<AlertRule> rules;
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString path = QStringLiteral("rules[%1]").arg(i);
        AlertRule rule;
        if (!array.at(i).isObject()) {
            // A placeholder keeps rules[i] at index i for the value checks.
            problems.add(typeError(path, QStringLiteral("an object"), array.at(i)));
            unread.insert(rules.size());
            rules.append(rule);
            continue;
        }
        const qsizetype before = problems.size();
        readRuleObject(array.at(i).toObject(), path, rule, problems);
        if (problems.size() > before)
            unread.insert(rules.size());
        rules.append(rule);
    }
    return rules;
}

QList<QString> readDevHosts(const QJsonValue &value, ProblemList &problems)
{
    if (!value.isArray()) {
        problems.add(typeError(QStringLiteral("dev_hosts"), QStringLiteral("an array of host names"), value));
        return {};
    }

    QList<QString> hosts;
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto host = readText(array.at(i), QStringLiteral("dev_hosts[%1]").arg(i));
        if (!host) {
            problems.add(host.error());
            continue;
        }
        hosts.append(host.value());
    }
    return hosts;
}

QHash<QString, QString> readTeams(const QJsonValue &value, ProblemList &problems)
{
    if (!value.isObject()) {
        problems.add(typeError(QStringLiteral("teams"), QStringLiteral("an object of host name to team"), value));
        return {};
    }

    QHash<QString, QString> teams;
    const QJsonObject object = value.toObject();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (const Status storable = checkStorable(it.key(), QStringLiteral("teams key %1").arg(describe(it.key())));
            !storable) {
            problems.add(storable);
            continue;
        }
        auto team = readText(it.value(), QStringLiteral("teams[%1]").arg(describe(it.key())));
        if (!team) {
            problems.add(team.error());
            continue;
        }
        teams.insert(it.key(), team.value());
    }
    return teams;
}

// "line L, column C" (both from 1, the column in characters) of a byte
// offset into UTF-8 text.
QString lineAndColumn(const QByteArray &text, qsizetype offset)
{
    offset = std::clamp<qsizetype>(offset, 0, text.size());
    const QByteArray before = text.left(offset);
    const qsizetype line = before.count('\n') + 1;
    const qsizetype lineStart = before.lastIndexOf('\n') + 1;
    const qsizetype column = QString::fromUtf8(before.mid(lineStart)).size() + 1;
    return QStringLiteral("line %1, column %2").arg(line).arg(column);
}

Result<QJsonObject> parseObject(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("rule bundle is not valid JSON: %1 at %2")
                .arg(parseError.errorString(), lineAndColumn(json, parseError.offset)));
    if (!document.isObject())
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("rule bundle must be a JSON object with the keys rules, dev_hosts and teams"));
    return document.object();
}

}  // namespace

Result<AlertRule> alertRuleFromJson(const QJsonObject &object, const QString &path, const AlertRule &base)
{
    AlertRule rule = base;
    ProblemList problems;
    readRuleObject(object, path, rule, problems);
    if (!problems.isEmpty())
        return problems.first();
    return rule;
}

Result<RuleBundle> parseRuleBundleJson(const QByteArray &json)
{
    auto parsed = parseObject(json);
    if (!parsed)
        return parsed.error();
    const QJsonObject &root = parsed.value();

    ProblemList problems;
    const QStringList required {QStringLiteral("rules"), QStringLiteral("dev_hosts"), QStringLiteral("teams")};
    for (auto it = root.constBegin(); it != root.constEnd(); ++it) {
        if (!required.contains(it.key()))
            problems.add(makeError(ErrorCode::InvalidInput,
                QStringLiteral("%1 is not a bundle key; the keys are rules, dev_hosts and teams").arg(it.key())));
    }
    for (const QString &key : required) {
        if (!root.contains(key))
            problems.add(makeError(ErrorCode::InvalidInput,
                QStringLiteral("%1 is missing; give an empty %2 to import none (the import replaces "
                               "all %1)")
                    .arg(key, key == QStringLiteral("teams") ? QStringLiteral("{}") : QStringLiteral("[]"))));
    }

    RuleBundle bundle;
    QSet<qsizetype> unreadRules;
    if (root.contains(QStringLiteral("rules")))
        bundle.rules = readRules(root.value(QStringLiteral("rules")), problems, unreadRules);
    if (root.contains(QStringLiteral("dev_hosts")))
        bundle.devHosts = readDevHosts(root.value(QStringLiteral("dev_hosts")), problems);
    if (root.contains(QStringLiteral("teams")))
        bundle.teams = readTeams(root.value(QStringLiteral("teams")), problems);
    // The value checks run in the same pass, so one attempt lists the type
    // problems and the value problems (a bad pattern, a repeated id) together.
    BundleImporter::validate(bundle, unreadRules, problems);
    if (Status read = problems.status(); !read)
        return read.error();
    return bundle;
}

QJsonObject alertRuleToJson(const AlertRule &rule)
{
    QJsonObject object;
    if (rule.id != 0)
        object.insert(QStringLiteral("id"), rule.id);
    object.insert(QStringLiteral("match_string"), rule.matchString ? QJsonValue(*rule.matchString) : QJsonValue());
    object.insert(QStringLiteral("trap_oid"), rule.trapOid ? QJsonValue(*rule.trapOid) : QJsonValue());
    object.insert(
        QStringLiteral("syslog_severity"), rule.syslogSeverity ? QJsonValue(*rule.syslogSeverity) : QJsonValue());
    object.insert(QStringLiteral("match_type"), rule.matchType);
    object.insert(QStringLiteral("priority"), rule.priority);
    object.insert(QStringLiteral("prod_handling"), rule.prodHandling);
    object.insert(QStringLiteral("dev_handling"), rule.devHandling);
    object.insert(QStringLiteral("team_assignment"), rule.teamAssignment);
    object.insert(QStringLiteral("is_active"), rule.isActive);
    return object;
}

QByteArray ruleBundleToJson(const RuleBundle &bundle)
{
    QJsonArray rules;
    for (const AlertRule &rule : bundle.rules)
        rules.append(alertRuleToJson(rule));

    QList<QString> hosts = bundle.devHosts;
    std::sort(hosts.begin(), hosts.end());
    QJsonArray devHosts;
    for (const QString &host : hosts)
        devHosts.append(host);

    QJsonObject teams;
    for (auto it = bundle.teams.constBegin(); it != bundle.teams.constEnd(); ++it)
        teams.insert(it.key(), it.value());

    QJsonObject root;
    root.insert(QStringLiteral("rules"), rules);
    root.insert(QStringLiteral("dev_hosts"), devHosts);
    root.insert(QStringLiteral("teams"), teams);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

}  // namespace mutt::sql
