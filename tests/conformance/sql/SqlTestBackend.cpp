#include "SqlTestBackend.h"

#include "sql/RuleBundleJson.h"
#include "sql/SeedBundle.h"
#include "sql/SqliteSqlStore.h"

#include <QDir>
#include <QJsonDocument>
#include <QtDebug>

using namespace mutt::sql;

QString testSqlBackendName()
{
    const QString name = qEnvironmentVariable("MUTT_TEST_SQL_BACKEND").trimmed().toLower();
    return name.isEmpty() ? QStringLiteral("sqlite") : name;
}

SqlTestBackend openTestSqlStore(const QString &scratchDir)
{
    SqlTestBackend backend;
    const QString name = testSqlBackendName();
    if (name == QStringLiteral("postgresql")) {
        // Extension point: open the PostgreSQL store here (connection from
        // MUTT_TEST_PG_* variables, a fresh schema per call).
        backend.skipReason = QStringLiteral("MUTT_TEST_SQL_BACKEND=postgresql: the PostgreSQL store is not built yet");
        return backend;
    }
    if (name != QStringLiteral("sqlite")) {
        backend.error = QStringLiteral("MUTT_TEST_SQL_BACKEND=%1 is not a backend; use sqlite or postgresql").arg(name);
        return backend;
    }

    auto opened = SqliteSqlStore::open(QDir(scratchDir).filePath(QStringLiteral("mutt.db")));
    if (!opened) {
        backend.error = opened.error().toString();
        return backend;
    }
    if (auto migrated = opened.value()->migrate(); !migrated) {
        backend.error = migrated.error().toString();
        return backend;
    }
    backend.store = std::move(opened).value();
    return backend;
}

AlertRule makeRule(const QString &matchString, int priority)
{
    AlertRule rule;
    rule.matchString = matchString;
    rule.matchType = QStringLiteral("contains");
    rule.priority = priority;
    rule.prodHandling = QStringLiteral("Page_and_ticket");
    rule.devHandling = QStringLiteral("Ticket_only");
    rule.teamAssignment = QStringLiteral("NetOps");
    return rule;
}

AuditContext makeAudit(const QString &changedBy, const QString &correlationId)
{
    AuditContext audit;
    audit.changedBy = changedBy;
    audit.reason = QStringLiteral("conformance test");
    audit.correlationId = correlationId;
    return audit;
}

QString seedBundlePath()
{
    return QStringLiteral(MUTT_SOURCE_DIR "/resources/seed/mutt_v25_seed.json");
}

bool importSeed(SqlStore &store)
{
    auto seed = loadRuleBundleFile(seedBundlePath());
    if (!seed) {
        qWarning("loading the seed bundle failed: %s", qPrintable(seed.error().toString()));
        return false;
    }
    auto imported = store.importBundle(seed.value(), makeAudit(QStringLiteral("seed")));
    if (!imported)
        qWarning("importing the seed bundle failed: %s", qPrintable(imported.error().toString()));
    return bool(imported);
}

QByteArray asJson(const AlertRule &rule)
{
    return QJsonDocument(alertRuleToJson(rule)).toJson(QJsonDocument::Compact);
}

QByteArray asJson(const std::optional<QJsonObject> &values)
{
    return values ? QJsonDocument(*values).toJson(QJsonDocument::Compact) : QByteArray("null");
}

QList<ConfigAuditRow> auditRows(SqlStore &store, const QString &table, qint64 recordId)
{
    ConfigAuditQuery query;
    query.tableName = table;
    query.limit = 1000;
    if (recordId != 0)
        query.recordId = recordId;
    auto page = store.queryConfigAudit(query);
    if (!page)
        qWarning("queryConfigAudit failed: %s", qPrintable(page.error().toString()));
    return page ? page.value().rows : QList<ConfigAuditRow> {};
}
