#pragma once

#include "sql/SqlDialect.h"

namespace mutt::sql {

// The SQLite schema steps, oldest first. Append new steps; never edit one
// that has shipped, because databases record it as applied.
QList<SqlMigration> sqliteMigrations();

}  // namespace mutt::sql
