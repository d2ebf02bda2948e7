#include "sql/SqlExec.h"

#include "core/Log.h"
#include "sql/SqlDialect.h"

#include <QSqlDatabase>
#include <QSqlError>

namespace mutt::sql {
namespace {

constexpr qsizetype kStatementPreview = 160;  // characters of SQL quoted in messages

QString preview(const QString &sql)
{
    const QString flat = sql.simplified();
    return flat.size() <= kStatementPreview ? flat : flat.left(kStatementPreview) + QStringLiteral("...");
}

}  // namespace

Error sqlError(const SqlDialect &dialect, const QSqlError &error, const QString &sql)
{
    const ErrorCode code = dialect.classify(error);
    QString text = error.databaseText().trimmed();
    const QString driverText = error.driverText().trimmed();
    if (!driverText.isEmpty() && !text.contains(driverText))
        text = text.isEmpty() ? driverText : driverText + QStringLiteral(": ") + text;

    const auto logger = log::get("sql");
    const auto level
        = code == ErrorCode::Conflict || code == ErrorCode::InvalidInput ? spdlog::level::warn : spdlog::level::err;
    logger->log(level, "sql statement failed backend={} code={} native_code={} driver_error=\"{}\" statement=\"{}\"",
        dialect.name(), errorCodeName(code), error.nativeErrorCode(), text, preview(sql));

    return makeError(code, dialect.describe(error, code),
        QStringLiteral("%1 error %2: %3 (statement: %4)")
            .arg(dialect.name(), error.nativeErrorCode(), text, preview(sql)));
}

QString storeErrorSentence(const QString &product, ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidInput:
        return QStringLiteral("the %1 database rejected a value; check the values sent").arg(product);
    case ErrorCode::Conflict:
        return QStringLiteral("the change conflicts with data already stored (a duplicate, or a row that others "
                              "refer to); reload the data and try again");
    case ErrorCode::Timeout:
        return QStringLiteral("the %1 database was busy and the statement timed out; try again").arg(product);
    case ErrorCode::NotFound:
    case ErrorCode::Unavailable:
    case ErrorCode::Full:
    case ErrorCode::Internal: break;
    }
    return QStringLiteral("the %1 database could not run the statement; the muttd log has the database's error")
        .arg(product);
}

Result<QSqlQuery> runSql(QSqlDatabase &db, const SqlDialect &dialect, const QString &sql, const QVariantList &params)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    // Statements without parameters run unprepared: QPSQL prepares with
    // PREPARE, which takes no transaction control or DDL statements.
    if (params.isEmpty()) {
        if (!query.exec(sql))
            return sqlError(dialect, query.lastError(), sql);
        return query;
    }
    if (!query.prepare(sql))
        return sqlError(dialect, query.lastError(), sql);

    for (const QVariant &param : params)
        query.addBindValue(param);

    if (!query.exec())
        return sqlError(dialect, query.lastError(), sql);
    return query;
}

QVariant nullableText(const std::optional<QString> &value)
{
    return value ? QVariant(*value) : QVariant(QMetaType::fromType<QString>());
}

QVariant nullableInt(const std::optional<int> &value)
{
    return value ? QVariant(*value) : QVariant(QMetaType::fromType<int>());
}

}  // namespace mutt::sql
