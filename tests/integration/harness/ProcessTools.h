#pragma once

#include <QString>

namespace mutt::itest {

// Path of an executable built by this project (MUTT_BIN_DIR, else <build>/bin).
QString builtBinary(const QString &name);

// A TCP port on 127.0.0.1 that was free a moment ago and that no earlier
// call in this test process returned (see testserver::freeLoopbackPort).
quint16 freePort();

// Path of a file under the shared sample-data folder.
QString sampleFile(const QString &relativePath);

}  // namespace mutt::itest
