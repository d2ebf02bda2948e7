#pragma once

#include "config/Settings.h"
#include "config/secrets/SecretStore.h"
#include "core/Result.h"

namespace mutt::config::secrets {

// The secret values of loaded Settings (environment and NAME_FILE), by name.
SecretStore::Values valuesOf(const Settings &settings);

// Copies secret values into the matching Settings fields (names absent from
// `values` keep their field).
void applyTo(const SecretStore::Values &values, Settings &settings);

// Reads each NAME_FILE of `files` (name -> path) again. A file that cannot be
// read or is empty is an error naming the variable and the path; the other
// files are still read.
struct FileReread {
    SecretStore::Values values;
    QStringList errors;
};
FileReread rereadFiles(const QHash<QString, QString> &files);

}  // namespace mutt::config::secrets
