#include "queue/log/RecordLogFile.h"

#include "queue/log/RecordLog.h"

#include <QtEndian>

#include <zlib.h>

#include <cerrno>
#include <cstring>

#include <unistd.h>

namespace mutt::queue::logfile {

const QByteArray &segmentHeader()
{
    static const QByteArray header = QByteArrayLiteral("MUTTLOG") + char(kFormatVersion);
    return header;
}

namespace {

QString systemError(int code)
{
    return QString::fromLocal8Bit(std::strerror(code));
}

}  // namespace

bool isValidFrame(const QByteArray &data, qint64 offset)
{
    const qint64 left = data.size() - offset;
    if (left < RecordLog::kFrameHeaderBytes)
        return false;
    const char *frame = data.constData() + offset;
    const auto size = qFromLittleEndian<quint32>(frame);
    return qint64(size) <= left - RecordLog::kFrameHeaderBytes && size <= RecordLog::kMaxBodyBytes
        && qFromLittleEndian<quint32>(frame + 4)
        == frameCrc(quint8(frame[8]), frame + RecordLog::kFrameHeaderBytes, size);
}

Error ioError(const QString &action, const QString &path, int code)
{
    QString hint;
    if (code == ENOSPC || code == EDQUOT)
        hint = QStringLiteral("; the disk is full, free space and retry");
    else if (code == EACCES || code == EPERM || code == EROFS)
        hint = QStringLiteral("; check that the user running muttd may write there");
    return makeError(
        ErrorCode::Unavailable, QStringLiteral("%1 %2 failed: %3%4").arg(action, path, systemError(code), hint));
}

quint32 frameCrc(quint8 type, const char *body, quint32 size)
{
    const uLong crc = crc32(0L, &type, 1);
    return quint32(crc32(crc, reinterpret_cast<const Bytef *>(body), size));
}

void appendFrame(QByteArray &out, quint8 type, QByteArrayView body)
{
    const auto size = quint32(body.size());
    char header[RecordLog::kFrameHeaderBytes];
    qToLittleEndian<quint32>(size, header);
    qToLittleEndian<quint32>(frameCrc(type, body.data(), size), header + 4);
    header[8] = char(type);
    out.append(header, RecordLog::kFrameHeaderBytes);
    out.append(body.data(), size);
}

QString frameProblem(const QByteArray &data, qint64 offset)
{
    const qint64 left = data.size() - offset;
    if (left < RecordLog::kFrameHeaderBytes)
        return QStringLiteral("incomplete record header");
    const char *frame = data.constData() + offset;
    const auto size = qFromLittleEndian<quint32>(frame);
    if (size > RecordLog::kMaxBodyBytes || qint64(size) > left - RecordLog::kFrameHeaderBytes)
        return QStringLiteral("record of %1 bytes runs past the end of the file").arg(size);
    if (qFromLittleEndian<quint32>(frame + 4) != frameCrc(quint8(frame[8]), frame + RecordLog::kFrameHeaderBytes, size))
        return QStringLiteral("CRC mismatch");
    return {};
}

Result<QByteArray> readWholeFile(int fd, const QString &path)
{
    const off_t size = ::lseek(fd, 0, SEEK_END);
    if (size < 0)
        return ioError(QStringLiteral("reading"), path, errno);
    QByteArray data(qsizetype(size), Qt::Uninitialized);
    qint64 done = 0;
    while (done < size) {
        const ssize_t n = ::pread(fd, data.data() + done, size_t(size - done), done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return ioError(QStringLiteral("reading"), path, n < 0 ? errno : EIO);
        done += n;
    }
    return data;
}

int writeAll(int fd, const char *data, qint64 size, qint64 offset)
{
    while (size > 0) {
        const ssize_t n = ::pwrite(fd, data, size_t(size), offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? errno : EIO;
        data += n;
        size -= n;
        offset += n;
    }
    return 0;
}

}  // namespace mutt::queue::logfile
