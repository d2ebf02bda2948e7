#include "http/HttpTlsConfig.h"

#if QT_CONFIG(ssl)
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

namespace mutt::http {
namespace {

QSslKey readKey(const QByteArray &pem)
{
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    return {};
}

}  // namespace

Result<QSslConfiguration> loadServerTls(const QString &certFile, const QString &keyFile)
{
    if (!QSslSocket::supportsSsl())
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("TLS is configured (TLS_CERT_FILE) but no TLS backend is available; "
                           "install OpenSSL 3 or unset TLS_CERT_FILE and TLS_KEY_FILE"));

    const QList<QSslCertificate> chain = QSslCertificate::fromPath(certFile, QSsl::Pem);
    if (chain.isEmpty())
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("TLS_CERT_FILE %1 holds no PEM certificate; point it at the server "
                           "certificate in PEM form")
                .arg(certFile));

    QFile file(keyFile);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("TLS_KEY_FILE %1 cannot be read: %2; check the path and its permissions")
                .arg(keyFile, file.errorString()));
    const QSslKey key = readKey(file.readAll());
    if (key.isNull())
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("TLS_KEY_FILE %1 holds no unencrypted PEM private key (RSA or EC); "
                           "export the key without a passphrase")
                .arg(keyFile));

    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    return configuration;
}

}  // namespace mutt::http
#endif
