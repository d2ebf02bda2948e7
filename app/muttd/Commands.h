#pragma once

#include <QStringList>

namespace mutt::muttd {

// Each takes the arguments after the program name, starting with the
// subcommand ("run", "--role", "all", ...), and returns the exit code.
int runCommand(const QStringList &arguments);
int rulesCommand(const QStringList &arguments);
int checkConfigCommand(const QStringList &arguments);
int migrateCommand(const QStringList &arguments);
int versionCommand(const QStringList &arguments);

}  // namespace mutt::muttd
