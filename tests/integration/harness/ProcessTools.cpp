#include "ProcessTools.h"

#include "FreePort.h"

#include <QDir>

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
    return testserver::freeLoopbackPort();
}

QString sampleFile(const QString &relativePath)
{
    return QDir(QStringLiteral(MUTT_SHARED_DATA_DIR)).filePath(relativePath);
}

}  // namespace mutt::itest
