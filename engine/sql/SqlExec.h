#pragma once

#include "core/Result.h"

#include <QSqlQuery>
#include <QString>
#include <QVariant>
#include <QVariantList>

#include <optional>

class QSqlDatabase;
class QSqlError;

namespace mutt::sql {

class SqlDialect;

// Prepares `sql` on `db`, binds `params` to its `?` placeholders in order
// and executes it forward-only (a statement without parameters is executed
// directly, unprepared). A driver failure is logged on the "sql"
// logger with the driver text and returned as an Error classified by the
// dialect.
Result<QSqlQuery> runSql(
    QSqlDatabase &db, const SqlDialect &dialect, const QString &sql, const QVariantList &params = {});

// Builds the Error for a failed statement and logs it on the "sql" logger.
// Code and message are the dialect's category and sentence. backendText
// has the driver and database text, the SQLSTATE or native code and the
// statement without bound values.
Error sqlError(const SqlDialect &dialect, const QSqlError &error, const QString &sql);

// The sentence of a store error that has nothing more specific, e.g. "the
// PostgreSQL database could not run the statement; ...". `product` is
// "PostgreSQL" or "SQLite".
QString storeErrorSentence(const QString &product, ErrorCode code);

// Typed SQL NULLs for optional values, so drivers that bind by type
// (QPSQL) see the column type.
QVariant nullableText(const std::optional<QString> &value);
QVariant nullableInt(const std::optional<int> &value);

}  // namespace mutt::sql
