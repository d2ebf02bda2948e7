#include "queue/log/RecordLog.h"

#include "core/Log.h"
#include "queue/log/RecordLogFile.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QtEndian>

#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/uio.h>
#include <unistd.h>

namespace mutt::queue {

using namespace logfile;

RecordLog::RecordLog(QString directory, int directoryFd, RecordLogOptions options)
    : m_directory(std::move(directory))
    , m_directoryFd(directoryFd)
    , m_options(options)
{
}

RecordLog::~RecordLog()
{
    for (const auto &[number, segment] : m_segments)
        if (segment.fd >= 0)
            ::close(segment.fd);
    ::close(m_directoryFd);  // also releases the flock
}

QString RecordLog::segmentPath(quint64 segment) const
{
    return m_directory + QStringLiteral("/%1.seg").arg(segment, 12, 10, QLatin1Char('0'));
}

Result<std::unique_ptr<RecordLog>> RecordLog::open(
    const QString &directory, const ReplayFunction &replay, const RecordLogOptions &options)
{
    if (!QDir().mkpath(directory))
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("creating record log directory %1 failed; check that its parent exists and that the "
                           "user running muttd may write there")
                .arg(directory));
    const int directoryFd = ::open(QFile::encodeName(directory).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (directoryFd < 0)
        return ioError(QStringLiteral("opening record log directory"), directory, errno);
    std::unique_ptr<RecordLog> recordLog(new RecordLog(directory, directoryFd, options));
    if (::flock(directoryFd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK)
            return ioError(QStringLiteral("locking record log directory"), directory, errno);
        return makeError(ErrorCode::Conflict,
            QStringLiteral("record log %1 is already open in this or another process; stop that process or use "
                           "another directory")
                .arg(directory));
    }

    static const QRegularExpression segmentName(QStringLiteral("^(\\d{12})\\.seg$"));
    const QStringList names = QDir(directory).entryList({QStringLiteral("*.seg")}, QDir::Files, QDir::Name);
    std::vector<quint64> numbers;
    for (const QString &name : names) {
        const QRegularExpressionMatch match = segmentName.match(name);
        if (!match.hasMatch())
            return makeError(ErrorCode::InvalidInput,
                QStringLiteral("unexpected file %1/%2 in record log: segment files are named like "
                               "000000000001.seg; rename it or move it out of the directory")
                    .arg(directory, name));
        numbers.push_back(match.captured(1).toULongLong());
    }
    for (size_t i = 1; i < numbers.size(); ++i) {
        if (numbers[i] != numbers[i - 1] + 1)
            return makeError(ErrorCode::InvalidInput,
                QStringLiteral("record log segment %1 is missing between %2 and %3, so the records in it are lost; "
                               "restore it from a backup, or move the segments before %3 out of the directory "
                               "to start from %3 without their records")
                    .arg(recordLog->segmentPath(numbers[i - 1] + 1), recordLog->segmentPath(numbers[i - 1]),
                        recordLog->segmentPath(numbers[i])));
    }

    for (size_t i = 0; i < numbers.size(); ++i) {
        const QString path = recordLog->segmentPath(numbers[i]);
        const int fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CLOEXEC);
        if (fd < 0)
            return ioError(QStringLiteral("opening record log segment"), path, errno);
        recordLog->m_segments[numbers[i]] = Segment {fd, 0, false};
        if (Status replayed = recordLog->replaySegment(numbers[i], i + 1 == numbers.size(), replay); !replayed)
            return replayed.error();
    }
    if (!numbers.empty())
        recordLog->m_endOffset = recordLog->m_segments.rbegin()->second.writtenBytes;
    log::get("queue")->info("record log opened dir={} segments={}", directory, numbers.size());
    return recordLog;
}

Status RecordLog::replaySegment(quint64 number, bool last, const ReplayFunction &replay)
{
    Segment &segment = m_segments[number];
    const QString path = segmentPath(number);
    auto read = readWholeFile(segment.fd, path);
    if (!read)
        return read.error();
    const QByteArray data = std::move(read).value();
    const QByteArray &header = segmentHeader();

    if (data.size() < kHeaderBytes && last && header.startsWith(data)) {
        // The process stopped while creating this segment: write its header again.
        if (int code = writeAll(segment.fd, header.constData(), kHeaderBytes, 0); code != 0)
            return ioError(QStringLiteral("repairing the header of"), path, code);
        segment.writtenBytes = kHeaderBytes;
        log::get("queue")->warn("record log segment {} had an incomplete header; it was written again", path);
        return {};
    }
    if (!data.startsWith(header)) {
        const bool otherVersion = data.size() >= kHeaderBytes && data.startsWith(header.first(kMagicBytes));
        const QString problem = otherVersion
            ? QStringLiteral("has format version %1, but this muttd reads version %2; use the muttd that wrote it")
                  .arg(int(quint8(data[kMagicBytes])))
                  .arg(kFormatVersion)
            : QStringLiteral("does not start with a record log header; it is damaged or not a segment, so "
                             "restore it from a backup or move it out of the directory");
        return makeError(ErrorCode::InvalidInput, QStringLiteral("record log segment %1 %2").arg(path, problem));
    }

    qint64 offset = kHeaderBytes;
    while (offset < data.size()) {
        const QString problem = frameProblem(data, offset);
        if (!problem.isEmpty()) {
            // A torn write can only leave invalid bytes at the very end of the newest segment.
            // NOTE: a body that itself contains a valid frame image makes a torn copy of it look
            // like damage in the middle. open() then fails and leaves the choice to the operator.
            bool validAfter = !last;
            for (qint64 next = offset + kFrameHeaderBytes; !validAfter && next < data.size(); ++next)
                validAfter = isValidFrame(data, next);
            if (validAfter)
                return makeError(ErrorCode::InvalidInput,
                    QStringLiteral("record log segment %1 is damaged at offset %2 (%3) and more data follows, so "
                                   "this is not a torn last write; restore the directory from a backup, or "
                                   "truncate the file to %2 bytes and move any later segments out of the "
                                   "directory to keep the records before it")
                        .arg(path)
                        .arg(offset)
                        .arg(problem));
            return cutTornTail(number, offset, data.size(), problem);
        }
        const auto size = qFromLittleEndian<quint32>(data.constData() + offset);
        const auto type = quint8(data[offset + 8]);
        const QByteArrayView body(data.constData() + offset + kFrameHeaderBytes, size);
        if (Status replayed = replay(type, body, RecordRef {number, quint64(offset), size}); !replayed)
            return replayed;
        offset += kFrameHeaderBytes + size;
        segment.writtenBytes = offset;
    }
    segment.writtenBytes = offset;
    return {};
}

Status RecordLog::cutTornTail(quint64 number, qint64 offset, qint64 fileBytes, const QString &reason)
{
    Segment &segment = m_segments[number];
    const QString path = segmentPath(number);
    if (::ftruncate(segment.fd, offset) != 0)
        return ioError(QStringLiteral("cutting off the torn last record of"), path, errno);
    if (::fdatasync(segment.fd) != 0)
        return ioError(QStringLiteral("syncing"), path, errno);
    segment.writtenBytes = offset;
    log::get("queue")->warn("record log segment {}: cut off a torn last record at offset {} ({}, {} bytes); the "
                            "records before it are kept",
        path, offset, reason, fileBytes - offset);
    return {};
}

void RecordLog::startSegment(quint64 number)
{
    m_segments[number] = Segment {};
    m_pending.push_back(Pending {number, 0, segmentHeader()});
    m_endOffset = kHeaderBytes;
}

Result<RecordRef> RecordLog::append(quint8 type, QByteArrayView body)
{
    if (m_failure)
        return *m_failure;
    if (quint64(body.size()) > kMaxBodyBytes)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("record of %1 bytes is larger than the record log maximum of %2 bytes")
                .arg(body.size())
                .arg(kMaxBodyBytes));

    const qint64 frameBytes = kFrameHeaderBytes + body.size();
    if (m_segments.empty())
        startSegment(1);
    else if (m_endOffset > kHeaderBytes && m_endOffset + frameBytes > m_options.segmentBytes)
        startSegment(m_segments.rbegin()->first + 1);

    const quint64 number = m_segments.rbegin()->first;
    if (m_pending.empty() || m_pending.back().segment != number)
        m_pending.push_back(Pending {number, m_endOffset, std::exchange(m_spareBuffer, {})});
    const RecordRef ref {number, quint64(m_endOffset), quint32(body.size())};
    appendFrame(m_pending.back().bytes, type, body);
    m_endOffset += frameBytes;
    return ref;
}

Status RecordLog::commit(bool flush)
{
    if (m_failure)
        return *m_failure;
    while (!m_pending.empty()) {
        if (Status written = writePending(m_pending.front()); !written)
            return written;
        // Keeps the allocation for the next commit's records.
        m_spareBuffer = std::move(m_pending.front().bytes);
        m_spareBuffer.resize(0);
        m_pending.erase(m_pending.begin());
    }
    if (!flush || m_segments.empty())
        return {};
    auto &[newest, segment] = *m_segments.rbegin();
    if (segment.unsynced) {
        if (::fdatasync(segment.fd) != 0)
            return fail(ioError(QStringLiteral("syncing"), segmentPath(newest), errno));
        segment.unsynced = false;
    }
    return syncDirectory();
}

Status RecordLog::writePending(const Pending &pending)
{
    // The previous segment is synced before this one gets data, so only the
    // newest segment can hold a torn record after power loss.
    if (const auto previous = m_segments.find(pending.segment - 1);
        previous != m_segments.end() && previous->second.unsynced) {
        if (::fdatasync(previous->second.fd) != 0)
            return fail(ioError(QStringLiteral("syncing"), segmentPath(previous->first), errno));
        previous->second.unsynced = false;
    }

    Segment &segment = m_segments[pending.segment];
    const QString path = segmentPath(pending.segment);
    if (segment.fd < 0) {
        segment.fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (segment.fd < 0)
            return ioError(QStringLiteral("creating record log segment"), path, errno);
        m_directoryDirty = true;
    }
    if (int code = writeAll(segment.fd, pending.bytes.constData(), pending.bytes.size(), pending.fileOffset);
        code != 0) {
        // Cut the partial write off so the records stay buffered and a later commit can retry.
        if (::ftruncate(segment.fd, segment.writtenBytes) != 0)
            return fail(ioError(QStringLiteral("cutting off a partial write of"), path, errno));
        return ioError(QStringLiteral("writing"), path, code);
    }
    segment.writtenBytes = pending.fileOffset + pending.bytes.size();
    segment.unsynced = true;
    return {};
}

Status RecordLog::syncDirectory()
{
    if (!m_directoryDirty)
        return {};
    if (::fsync(m_directoryFd) != 0)
        return ioError(QStringLiteral("syncing record log directory"), m_directory, errno);
    m_directoryDirty = false;
    return {};
}

Status RecordLog::fail(Error error)
{
    // After a failed fdatasync the kernel may have dropped the dirty pages, so
    // what is on disk is unknown until the log is opened (and replayed) again.
    error.message += QStringLiteral("; the record log stops accepting writes until it is opened again");
    log::get("queue")->error("record log failed dir={} reason={}", m_directory, error.message);
    m_failure = error;
    return error;
}

Result<QByteArray> RecordLog::read(const RecordRef &ref) const
{
    const auto found = m_segments.find(ref.segment);
    if (found == m_segments.end())
        return makeError(ErrorCode::NotFound,
            QStringLiteral("record log segment %1 does not exist (it was removed or never written)")
                .arg(segmentPath(ref.segment)));

    const qint64 frameBytes = kFrameHeaderBytes + ref.size;
    const qint64 offset = qint64(ref.offset);
    char header[kFrameHeaderBytes];
    QByteArray body(ref.size, Qt::Uninitialized);
    bool buffered = false;
    for (const Pending &pending : m_pending) {
        if (pending.segment != ref.segment || offset < pending.fileOffset
            || offset + frameBytes > pending.fileOffset + pending.bytes.size())
            continue;
        const char *frame = pending.bytes.constData() + (offset - pending.fileOffset);
        std::memcpy(header, frame, kFrameHeaderBytes);
        std::memcpy(body.data(), frame + kFrameHeaderBytes, ref.size);
        buffered = true;
        break;
    }
    if (!buffered) {
        const Segment &segment = found->second;
        if (segment.fd < 0 || offset + frameBytes > segment.writtenBytes)
            return makeError(ErrorCode::InvalidInput,
                QStringLiteral("record at offset %1 of %2 ends past the end of the segment")
                    .arg(offset)
                    .arg(segmentPath(ref.segment)));
        iovec parts[2] = {{header, size_t(kFrameHeaderBytes)}, {body.data(), ref.size}};
        const ssize_t n = ::preadv(segment.fd, parts, 2, offset);
        if (n != frameBytes)
            return ioError(QStringLiteral("reading"), segmentPath(ref.segment), n < 0 ? errno : EIO);
    }
    if (qFromLittleEndian<quint32>(header) != ref.size
        || qFromLittleEndian<quint32>(header + 4) != frameCrc(quint8(header[8]), body.constData(), ref.size))
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("record at offset %1 of %2 does not match its reference or its CRC; the reference "
                           "is stale or the file is damaged")
                .arg(offset)
                .arg(segmentPath(ref.segment)));
    return body;
}

QList<quint64> RecordLog::segments() const
{
    QList<quint64> numbers;
    numbers.reserve(qsizetype(m_segments.size()));
    for (const auto &[number, segment] : m_segments)
        numbers.append(number);
    return numbers;
}

Status RecordLog::removeSegmentsBefore(quint64 segment)
{
    if (m_failure)
        return *m_failure;
    if (m_segments.empty() || segment <= m_segments.begin()->first)
        return {};
    const quint64 newest = m_segments.rbegin()->first;
    if (segment > newest)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("cannot remove record log segment %1 while records are appended to it; pass at most %2")
                .arg(segmentPath(newest))
                .arg(newest));
    for (const Pending &pending : m_pending)
        if (pending.segment < segment)
            return makeError(ErrorCode::Conflict,
                QStringLiteral("record log segment %1 has records that are not written yet; commit first")
                    .arg(segmentPath(pending.segment)));

    while (!m_segments.empty() && m_segments.begin()->first < segment) {
        const auto oldest = m_segments.begin();
        const QString path = segmentPath(oldest->first);
        if (::unlink(QFile::encodeName(path).constData()) != 0 && errno != ENOENT)
            return ioError(QStringLiteral("removing record log segment"), path, errno);
        ::close(oldest->second.fd);
        m_segments.erase(oldest);
        m_directoryDirty = true;
    }
    return syncDirectory();
}

}  // namespace mutt::queue
