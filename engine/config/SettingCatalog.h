#pragma once

#include "config/Settings.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace mutt::config {

// The parser and printer of one setting, with its variable names.
struct SettingSpec {
    enum class Kind { Text, Secret, Bool, Integer, Real, Choice, List, Address };

    QString group;  // heading in `muttd check-config`
    QStringList names;  // environment variable names; the first is the one shown
    Kind kind = Kind::Text;
    // Parses `raw` into the settings. Returns empty on success, else what is
    // accepted ("an integer from 1 to 65535"); never echoes a secret.
    std::function<QString(Settings &, const QString &raw)> assign;
    std::function<QString(const Settings &)> show;

    [[nodiscard]] const QString &name() const { return names.constFirst(); }
};

// Every setting of Settings with its MUTT v2.5 variable names and ranges.
//
// Booleans: MUTT v2.5 treated only the literal "true" as true for most
// variables (CIRCUIT_BREAKER_ENABLED and LOG_JSON_ENABLED also took 1/yes/on).
// We accept true/1/yes/on and false/0/no/off for every boolean, any case, and
// reject anything else instead of silently reading it as false.
class SettingCatalog final {
public:
    static const QList<SettingSpec> &specs();
    // MUTT v2.5 variables a mutt.env may carry that this version reads
    // elsewhere or not at all (Vault, OpenTelemetry, pools, TLS of backends).
    static const QStringList &knownUnused();
    static bool parseBool(const QString &raw, bool *value);
};

}  // namespace mutt::config
