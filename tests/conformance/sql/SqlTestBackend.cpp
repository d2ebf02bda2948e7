#include "SqlTestBackend.h"

#include "PgTestServer.h"
#include "sql/PostgresSqlStore.h"
#include "sql/RuleBundleJson.h"
#include "sql/SeedBundle.h"
#include "sql/SqliteSqlStore.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonDocument>
#include <QtDebug>

using namespace mutt::sql;

namespace {

// One server per test process (starting a private cluster takes seconds),
// and one database per test. The server is destroyed, dropping what it
// created or stopping the private cluster, when the QCoreApplication ends.
std::unique_ptr<mutt::pgtest::PgTestServer> &sharedPgServer()
{
    static std::unique_ptr<mutt::pgtest::PgTestServer> server;
    return server;
}

void destroySharedPgServer()
{
    sharedPgServer().reset();
}

SqlTestBackend openPostgres()
{
    SqlTestBackend backend;
    auto &server = sharedPgServer();
    if (!server) {
        server = std::make_unique<mutt::pgtest::PgTestServer>();
        if (auto started = server->start(); !started) {
            backend.error = QStringLiteral("test PostgreSQL server: ") + started.error().toString();
            server.reset();
            return backend;
        }
        qAddPostRoutine(destroySharedPgServer);
    }

    auto database = server->createDatabase();
    if (!database) {
        backend.error = database.error().toString();
        return backend;
    }
    auto opened = PostgresSqlStore::open(database.value());
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

}  // namespace

QString testSqlBackendName()
{
    const QString name = qEnvironmentVariable("MUTT_TEST_SQL_BACKEND").trimmed().toLower();
    return name.isEmpty() ? QStringLiteral("sqlite") : name;
}

SqlTestBackend openTestSqlStore(const QString &scratchDir)
{
    SqlTestBackend backend;
    const QString name = testSqlBackendName();
    if (name == QStringLiteral("postgresql"))
        return openPostgres();
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
