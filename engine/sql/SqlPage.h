#pragma once

#include "core/Result.h"

#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVariantList>

#include <functional>

class QSqlDatabase;
class QSqlQuery;

namespace mutt::sql {

class SqlDialect;

// The conditions of a filtered listing and the values bound to their `?`
// placeholders, in order. The conditions are joined with AND.
class SqlFilter final {
public:
    void add(const QString &condition, const QVariant &value);
    [[nodiscard]] QString whereClause() const;
    [[nodiscard]] const QVariantList &params() const { return m_params; }

private:
    QStringList m_conditions;
    QVariantList m_params;
};

// One page of a listing: what to read, from where, in which order.
struct SqlPageQuery {
    QString table;
    QString columns;  // the SELECT list, in the order `row` reads them
    QString orderBy;  // without ORDER BY
    int page = 1;  // 1 is the first page
    int limit = 50;
};

// Counts the rows that `filter` selects from the table, then runs the page's
// SELECT and calls `row` for each of its rows. Returns the count.
Result<qint64> selectPage(QSqlDatabase &db, const SqlDialect &dialect, const SqlPageQuery &query,
    const SqlFilter &filter, const std::function<void(const QSqlQuery &)> &row);

}  // namespace mutt::sql
