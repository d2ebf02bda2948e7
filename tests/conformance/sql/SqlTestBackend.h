#pragma once

#include "sql/SqlStore.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

// Chooses the SqlStore implementation the conformance suite runs against.
// The environment variable MUTT_TEST_SQL_BACKEND selects it:
//   sqlite (default)  a SqliteSqlStore file in the test's scratch folder;
//   postgresql        a PostgresSqlStore on a new database of the server
//                     named by MUTT_TEST_PG_* or of a private cluster the
//                     process starts (see PgTestServer).
// To add a backend, open it in openTestSqlStore() on a fresh, empty
// database and return it. Every test then runs on it unchanged.
struct SqlTestBackend {
    std::unique_ptr<mutt::sql::SqlStore> store;
    QString skipReason;  // set when the backend cannot run here
    QString error;  // set when opening failed (a test failure)
};

QString testSqlBackendName();

// Opens a fresh store of the selected backend and migrates it.
SqlTestBackend openTestSqlStore(const QString &scratchDir);

// A valid contains rule with the given match string and priority.
mutt::sql::AlertRule makeRule(const QString &matchString, int priority = 100);

// An audit context with the given correlation id.
mutt::sql::AuditContext makeAudit(
    const QString &changedBy = QStringLiteral("tester"), const QString &correlationId = QStringLiteral("cid-1"));

// Path of the MUTT v2.5 seed bundle in the source tree.
QString seedBundlePath();

// Imports the seed bundle as changed_by "seed"; prints the error on failure.
bool importSeed(mutt::sql::SqlStore &store);

// Compact JSON of a rule (column names) or of audit values ("null" when absent).
QByteArray asJson(const mutt::sql::AlertRule &rule);
QByteArray asJson(const std::optional<QJsonObject> &values);

// config_audit_log rows of one table (and record, when recordId is not 0),
// newest first; empty when the query fails (the failure is printed).
QList<mutt::sql::ConfigAuditRow> auditRows(mutt::sql::SqlStore &store, const QString &table, qint64 recordId = 0);
