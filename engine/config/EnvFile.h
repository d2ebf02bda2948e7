#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace mutt::config {

// One KEY=VALUE assignment of an environment file, with its line number.
struct EnvEntry {
    QString name;
    QString value;
    int line = 0;
};

struct EnvFileContent {
    QList<EnvEntry> entries;
    QStringList errors;  // "line N: <problem>", one per malformed line
};

// Reads files in the format of /etc/mutt/mutt.env (a systemd EnvironmentFile
// and a shell-sourceable file at once):
//   - blank lines and lines starting with '#' are ignored;
//   - an optional leading "export " is dropped;
//   - VALUE may be 'single quoted' (taken literally) or "double quoted"
//     (backslash escapes \" \\ \$ \` \n \t). A bare value is trimmed, and
//     a '#' after whitespace starts a comment;
//   - no variable expansion: "$HOME" stays "$HOME".
// A later assignment of the same name wins, as when a shell sources it.
class EnvFile final {
public:
    static EnvFileContent parse(const QByteArray &text);
    // Reads and parses `path`; an unreadable file is an error naming the path.
    static Result<EnvFileContent> read(const QString &path);
};

}  // namespace mutt::config
