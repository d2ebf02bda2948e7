#pragma once

#include <QString>

namespace mutt::test {

// A test CA and a server certificate it signed for 127.0.0.1 and localhost,
// written by the openssl command. EC P-256 keys, valid for 2 days.
struct TestCertificates {
    QString caCert;
    QString caKey;
    QString serverCert;
    QString serverKey;

    // Writes ca.crt, ca.key, server.crt and server.key into `dir`, each name
    // after `prefix`. Returns openssl's error text, or an empty string.
    QString make(const QString &dir, const QString &prefix = {});
};

}  // namespace mutt::test
