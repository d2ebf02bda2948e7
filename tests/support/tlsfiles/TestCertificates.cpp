#include "TestCertificates.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStringList>

namespace mutt::test {
namespace {

// Returns openssl's output when it fails, or an empty string.
QString runOpenssl(const QStringList &args, const QString &dir)
{
    QProcess process;
    process.setWorkingDirectory(dir);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral("openssl"), args);
    if (!process.waitForFinished(30'000)) {
        process.kill();
        process.waitForFinished();
        return QStringLiteral("openssl %1 did not finish in 30 s").arg(args.value(0));
    }
    if (process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0)
        return {};
    const QString output = QString::fromLocal8Bit(process.readAll()).trimmed();
    return QStringLiteral("openssl %1 failed: %2")
        .arg(args.value(0), output.isEmpty() ? process.errorString() : output);
}

}  // namespace

QString TestCertificates::make(const QString &dir, const QString &prefix)
{
    const QDir folder(dir);
    caCert = folder.filePath(prefix + QStringLiteral("ca.crt"));
    caKey = folder.filePath(prefix + QStringLiteral("ca.key"));
    serverCert = folder.filePath(prefix + QStringLiteral("server.crt"));
    serverKey = folder.filePath(prefix + QStringLiteral("server.key"));
    const QString request = folder.filePath(prefix + QStringLiteral("server.csr"));
    const QString extensions = folder.filePath(prefix + QStringLiteral("server.ext"));

    QFile ext(extensions);
    if (!ext.open(QIODevice::WriteOnly) || ext.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n") < 0)
        return QStringLiteral("cannot write ") + extensions;
    ext.close();

    const QStringList ecKey {QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
        QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes")};
    const QList<QStringList> steps {
        QStringList {QStringLiteral("req"), QStringLiteral("-x509")} + ecKey
            + QStringList {QStringLiteral("-keyout"), caKey, QStringLiteral("-out"), caCert, QStringLiteral("-days"),
                QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=mutt-test-ca")},
        QStringList {QStringLiteral("req")} + ecKey
            + QStringList {QStringLiteral("-keyout"), serverKey, QStringLiteral("-out"), request,
                QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1")},
        {QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), request, QStringLiteral("-CA"), caCert,
            QStringLiteral("-CAkey"), caKey, QStringLiteral("-CAcreateserial"), QStringLiteral("-out"), serverCert,
            QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-extfile"), extensions},
    };
    for (const QStringList &step : steps) {
        if (const QString failed = runOpenssl(step, dir); !failed.isEmpty())
            return failed;
    }
    return {};
}

}  // namespace mutt::test
