#pragma once

#include "connection/ConnectionProfile.h"
#include "core/Result.h"

#include <QHash>

class QObject;

namespace mutt::ui {

class Backend;

struct BackendInputs {
    ConnectionProfile profile;
    QString apiKey;  // Remote: WEBUI_API_KEY
    QHash<QString, QString> environment;  // Embedded: layered under the profile, as muttd reads it
};

// Builds the backend a profile describes, not yet opened. An embedded
// profile reads the same settings muttd would (config file, environment) and
// pins MUTT_BACKEND=embedded and the profile's data folder on top.
Result<Backend *> createBackend(const BackendInputs &inputs, QObject *parent);

}  // namespace mutt::ui
