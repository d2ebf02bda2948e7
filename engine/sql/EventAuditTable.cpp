#include "sql/EventAuditTable.h"

#include "sql/SqlDialect.h"
#include "sql/SqlExec.h"
#include "sql/SqlPage.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

namespace mutt::sql {
namespace {

QVariant textOrNull(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

}  // namespace

EventAuditTable::EventAuditTable(QSqlDatabase &db, const SqlDialect &dialect) : m_db(db), m_dialect(dialect) { }

Result<qint64> EventAuditTable::insert(const QList<EventAuditRow> &rows)
{
    return m_dialect.insertEventAudit(m_db, rows);
}

Result<qint64> EventAuditTable::insertInChunks(
    QSqlDatabase &db, const SqlDialect &dialect, const QList<EventAuditRow> &rows, int rowsPerInsert)
{
    // One statement per chunk of rows: on PostgreSQL one round trip instead
    // of one per row.
    QSqlQuery query(db);
    QString sql;
    int preparedRows = 0;
    qint64 written = 0;
    for (qsizetype first = 0; first < rows.size(); first += rowsPerInsert) {
        const int count = int(std::min<qsizetype>(rowsPerInsert, rows.size() - first));
        if (count != preparedRows) {
            sql = dialect.eventAuditInsertSql(count);
            if (!query.prepare(sql))
                return sqlError(dialect, query.lastError(), sql);
            preparedRows = count;
        }
        for (qsizetype i = first; i < first + count; ++i) {
            const EventAuditRow &row = rows.at(i);
            query.addBindValue(dialect.timestampParam(row.eventTimestamp));
            query.addBindValue(row.hostname);
            query.addBindValue(row.matchedRuleId);
            query.addBindValue(row.handlingDecision);
            query.addBindValue(row.forwardedToMoog);
            query.addBindValue(textOrNull(row.rawMessage));
            query.addBindValue(textOrNull(row.correlationId));
        }
        if (!query.exec())
            return sqlError(dialect, query.lastError(), sql);
        written += std::max(0, query.numRowsAffected());
    }
    return written;
}

Result<std::optional<qint64>> EventAuditTable::firstMissingRule(const QSet<qint64> &ruleIds)
{
    QList<qint64> sorted(ruleIds.cbegin(), ruleIds.cend());
    std::sort(sorted.begin(), sorted.end());
    for (qint64 id : sorted) {
        auto query = runSql(m_db, m_dialect, QStringLiteral("SELECT 1 FROM alert_rules WHERE id = ?"), {id});
        if (!query)
            return query.error();
        if (!query.value().next())
            return std::optional<qint64> {id};
    }
    return std::optional<qint64> {};
}

Result<Page<EventAuditRow>> EventAuditTable::query(const EventAuditQuery &filter)
{
    SqlFilter where;
    if (filter.hostname)
        where.add(QStringLiteral("hostname = ?"), *filter.hostname);
    if (filter.ruleId)
        where.add(QStringLiteral("matched_rule_id = ?"), *filter.ruleId);
    if (filter.start)
        where.add(QStringLiteral("event_timestamp >= ?"), m_dialect.timestampParam(*filter.start));
    if (filter.end)
        where.add(QStringLiteral("event_timestamp <= ?"), m_dialect.timestampParam(*filter.end));

    Page<EventAuditRow> page;
    page.page = filter.page;
    page.limit = filter.limit;
    const SqlPageQuery select {QStringLiteral("event_audit_log"),
        QStringLiteral("id, event_timestamp, hostname, matched_rule_id, handling_decision, forwarded_to_moog, "
                       "raw_message, correlation_id"),
        QStringLiteral("event_timestamp DESC, id DESC"), filter.page, filter.limit};
    Result<qint64> total = selectPage(m_db, m_dialect, select, where, [&](const QSqlQuery &q) {
        EventAuditRow row;
        row.id = q.value(0).toLongLong();
        row.eventTimestamp = m_dialect.timestampValue(q.value(1));
        row.hostname = q.value(2).toString();
        row.matchedRuleId = q.value(3).toLongLong();
        row.handlingDecision = q.value(4).toString();
        row.forwardedToMoog = q.value(5).toBool();
        row.rawMessage = q.value(6).toString();
        row.correlationId = q.value(7).toString();
        page.rows.append(row);
    });
    if (!total)
        return total.error();
    page.total = total.value();
    return page;
}

Result<qint64> EventAuditTable::count()
{
    auto query = runSql(m_db, m_dialect, QStringLiteral("SELECT COUNT(*) FROM event_audit_log"));
    if (!query)
        return query.error();
    return query.value().next() ? query.value().value(0).toLongLong() : qint64(0);
}

}  // namespace mutt::sql
