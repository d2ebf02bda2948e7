#pragma once

#include "core/Result.h"

#include <QString>
#include <QtNetwork/qtnetworkglobal.h>

#if QT_CONFIG(ssl)
#include <QSslConfiguration>

namespace mutt::http {

// Builds the server-side TLS configuration from a PEM certificate file (leaf
// first, then its chain) and a PEM private key file (RSA or EC, unencrypted).
Result<QSslConfiguration> loadServerTls(const QString &certFile, const QString &keyFile);

}  // namespace mutt::http
#endif
