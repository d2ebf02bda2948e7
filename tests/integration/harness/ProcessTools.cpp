#include "ProcessTools.h"

#include <QDir>
#include <QTcpServer>

namespace mutt::itest {

QString builtBinary(const QString &name)
{
    QString dir = qEnvironmentVariable("MUTT_BIN_DIR");
    if (dir.isEmpty())
        dir = QStringLiteral(MUTT_BINARY_DIR "/bin");
    return QDir(dir).filePath(name);
}

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

QString sampleFile(const QString &relativePath)
{
    return QDir(QStringLiteral(MUTT_SHARED_DATA_DIR)).filePath(relativePath);
}

}  // namespace mutt::itest
