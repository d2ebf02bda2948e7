#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace mutt::config {

// True for every variable name the loader reads: each setting's MUTT v2.5
// names, the same names with _FILE, and MUTT_CONFIG_FILE.
bool isKnownSettingName(const QString &name);

// The known name closest to `name` by edit distance, or empty when none is
// within a quarter of its length (at least 2 edits), so that a guess is
// offered only for a likely typo.
QString nearestSettingName(const QString &name);

// One error line for each name in `flags` that no setting reads, naming
// the flag, the nearest known name when there is one, and the fix. The
// values are not shown, because a mistyped secret name may carry a secret.
QStringList unknownFlagErrors(const QHash<QString, QString> &flags);

}  // namespace mutt::config
