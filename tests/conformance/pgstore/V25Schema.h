#pragma once

#include <QStringList>

// A MUTT v2.5 database as its SQL files create it (column for column), with
// its seed rows, one month partition and one audit row, written as plain
// statements so the test does not depend on our migrations.
QStringList v25SchemaStatements();
