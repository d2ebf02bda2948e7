#pragma once

#include "core/Result.h"

#include <QJsonValue>
#include <QString>
#include <QStringList>

namespace mutt::api {

// The dynamic-config keys of MUTT v2.5 that take effect (ingest, alerter,
// forwarder, remediation, SLO and retention keys) and what each accepts.
// Values are stored as strings, as v2.5 does.
class ConfigKeys final {
public:
    // The string to store for a JSON value, or InvalidInput naming the key,
    // the value and what it accepts. Unknown keys are rejected (a typo would
    // otherwise be stored and silently ignored by every service).
    static Result<QString> validate(const QString &key, const QJsonValue &value);

    [[nodiscard]] static bool isKnown(const QString &key);
    [[nodiscard]] static QStringList knownKeys();
};

}  // namespace mutt::api
