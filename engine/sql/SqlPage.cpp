#include "sql/SqlPage.h"

#include "sql/SqlExec.h"

#include <QSqlQuery>

namespace mutt::sql {

void SqlFilter::add(const QString &condition, const QVariant &value)
{
    m_conditions.append(condition);
    m_params.append(value);
}

QString SqlFilter::whereClause() const
{
    if (m_conditions.isEmpty())
        return {};
    return QStringLiteral(" WHERE ") + m_conditions.join(QStringLiteral(" AND "));
}

Result<qint64> selectPage(QSqlDatabase &db, const SqlDialect &dialect, const SqlPageQuery &query,
    const SqlFilter &filter, const std::function<void(const QSqlQuery &)> &row)
{
    const QString where = filter.whereClause();
    qint64 total = 0;
    {
        auto count
            = runSql(db, dialect, QStringLiteral("SELECT COUNT(*) FROM ") + query.table + where, filter.params());
        if (!count)
            return count.error();
        total = count.value().next() ? count.value().value(0).toLongLong() : 0;
    }

    QVariantList params = filter.params();
    params << query.limit << qint64(query.page - 1) * query.limit;
    auto rows = runSql(db, dialect,
        QStringLiteral("SELECT %1 FROM %2%3 ORDER BY %4 LIMIT ? OFFSET ?")
            .arg(query.columns, query.table, where, query.orderBy),
        params);
    if (!rows)
        return rows.error();
    while (rows.value().next())
        row(rows.value());
    return total;
}

}  // namespace mutt::sql
