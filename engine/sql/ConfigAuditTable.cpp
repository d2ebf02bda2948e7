#include "sql/ConfigAuditTable.h"

#include "sql/AuditValues.h"
#include "sql/SqlDialect.h"
#include "sql/SqlExec.h"
#include "sql/SqlPage.h"

#include <QJsonDocument>
#include <QSqlQuery>

namespace mutt::sql {
namespace {

QVariant jsonParam(const std::optional<QJsonObject> &object)
{
    if (!object)
        return QVariant(QMetaType::fromType<QString>());
    return QString::fromUtf8(QJsonDocument(*object).toJson(QJsonDocument::Compact));
}

std::optional<QJsonObject> jsonValue(const QVariant &value)
{
    if (value.isNull())
        return std::nullopt;
    const QJsonDocument document = QJsonDocument::fromJson(value.toString().toUtf8());
    return document.isObject() ? std::optional<QJsonObject>(document.object()) : std::nullopt;
}

// "%text%" for LIKE, with LIKE's wildcards in `text` escaped by backslash.
QString likeContains(const QString &text)
{
    QString escaped = text.toLower();
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
        .replace(QLatin1Char('%'), QStringLiteral("\\%"))
        .replace(QLatin1Char('_'), QStringLiteral("\\_"));
    return QLatin1Char('%') + escaped + QLatin1Char('%');
}

}  // namespace

ConfigAuditTable::ConfigAuditTable(QSqlDatabase &db, const SqlDialect &dialect) : m_db(db), m_dialect(dialect) { }

Status ConfigAuditTable::insert(const ConfigAuditRow &row)
{
    const QString json = m_dialect.jsonPlaceholder();
    const QString sql = QStringLiteral("INSERT INTO config_audit_log (changed_at, changed_by, operation, table_name, "
                                       "record_id, old_values, new_values, reason, correlation_id) "
                                       "VALUES (?, ?, ?, ?, ?, %1, %1, ?, ?)")
                            .arg(json);
    const QDateTime changedAt = row.changedAt.isValid() ? row.changedAt : QDateTime::currentDateTimeUtc();
    const QVariantList params {m_dialect.timestampParam(changedAt), row.changedBy, row.operation, row.tableName,
        row.recordId, jsonParam(row.oldValues), jsonParam(row.newValues),
        row.reason.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(row.reason),
        row.correlationId.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(row.correlationId)};
    auto query = runSql(m_db, m_dialect, sql, params);
    if (!query)
        return query.error();
    return {};
}

Status ConfigAuditTable::record(const AuditContext &audit, const QString &operation, const QString &tableName,
    qint64 recordId, std::optional<QJsonObject> oldValues, std::optional<QJsonObject> newValues)
{
    return insert(
        makeConfigAuditRow(audit, operation, tableName, recordId, std::move(oldValues), std::move(newValues)));
}

Result<Page<ConfigAuditRow>> ConfigAuditTable::query(const ConfigAuditQuery &filter)
{
    SqlFilter where;
    if (filter.changedBy)
        where.add(QStringLiteral("LOWER(changed_by) LIKE ? ESCAPE '\\'"), likeContains(*filter.changedBy));
    if (filter.operation)
        where.add(QStringLiteral("operation = ?"), filter.operation->toUpper());
    if (filter.tableName)
        where.add(QStringLiteral("table_name = ?"), *filter.tableName);
    if (filter.recordId)
        where.add(QStringLiteral("record_id = ?"), *filter.recordId);
    if (filter.start)
        where.add(QStringLiteral("changed_at >= ?"), m_dialect.timestampParam(*filter.start));
    if (filter.end)
        where.add(QStringLiteral("changed_at <= ?"), m_dialect.timestampParam(*filter.end));

    Page<ConfigAuditRow> page;
    page.page = filter.page;
    page.limit = filter.limit;
    const SqlPageQuery select {QStringLiteral("config_audit_log"),
        QStringLiteral("id, changed_at, changed_by, operation, table_name, record_id, old_values, new_values, "
                       "reason, correlation_id"),
        QStringLiteral("changed_at DESC, id DESC"), filter.page, filter.limit};
    Result<qint64> total = selectPage(m_db, m_dialect, select, where, [&](const QSqlQuery &q) {
        ConfigAuditRow row;
        row.id = q.value(0).toLongLong();
        row.changedAt = m_dialect.timestampValue(q.value(1));
        row.changedBy = q.value(2).toString();
        row.operation = q.value(3).toString();
        row.tableName = q.value(4).toString();
        row.recordId = q.value(5).toLongLong();
        row.oldValues = jsonValue(q.value(6));
        row.newValues = jsonValue(q.value(7));
        row.reason = q.value(8).toString();
        row.correlationId = q.value(9).toString();
        page.rows.append(row);
    });
    if (!total)
        return total.error();
    page.total = total.value();
    return page;
}

}  // namespace mutt::sql
