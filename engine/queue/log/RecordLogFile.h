#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

// The on-disk format of RecordLog segments and the system calls on them.
namespace mutt::queue::logfile {

constexpr quint8 kFormatVersion = 1;
constexpr qsizetype kMagicBytes = 7;  // "MUTTLOG", followed by the version byte

// The 8 bytes every segment file starts with.
const QByteArray &segmentHeader();

// zlib's crc32 of the type byte followed by the body.
quint32 frameCrc(quint8 type, const char *body, quint32 size);
// Appends length, CRC, type and body to `out`.
void appendFrame(QByteArray &out, quint8 type, QByteArrayView body);
// Why the frame at `offset` of `data` is not a valid record, or an empty
// string when it is one.
QString frameProblem(const QByteArray &data, qint64 offset);
// Whether a complete frame with a matching CRC starts at `offset`. Cheaper
// than frameProblem() because it builds no message.
bool isValidFrame(const QByteArray &data, qint64 offset);

// An Unavailable error for a failed system call on `path`, with the usual fix
// for a full disk or missing permissions.
Error ioError(const QString &action, const QString &path, int code);
Result<QByteArray> readWholeFile(int fd, const QString &path);
// Writes all of `size` bytes at `offset`, retrying short writes. Returns 0
// or the errno.
int writeAll(int fd, const char *data, qint64 size, qint64 offset);

}  // namespace mutt::queue::logfile
