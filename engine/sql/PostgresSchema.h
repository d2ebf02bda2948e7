#pragma once

#include "sql/SqlDialect.h"

#include <QDate>
#include <QList>
#include <QString>

namespace mutt::sql {

// The PostgreSQL schema steps, oldest first. Every statement is written to
// run on an empty database and on a MUTT v2.5 one (IF NOT EXISTS forms), so
// migrating a v2.5 database keeps its tables, rows and partitions.
QList<SqlMigration> postgresMigrations();

// Name and bounds of the event_audit_log partition of one month, as v2.5
// names them: event_audit_log_YYYY_MM for [YYYY-MM-01, next month's 1st).
struct MonthPartition {
    QString name;
    QDate from;
    QDate to;

    static MonthPartition of(QDate anyDayOfMonth);
};

}  // namespace mutt::sql
