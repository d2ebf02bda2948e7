#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace mutt::queue {

// Location of one record in a RecordLog. It stays valid until its segment is
// removed with removeSegmentsBefore().
struct RecordRef {
    quint64 segment = 0;  // number in the segment's file name
    quint64 offset = 0;  // byte offset of the record's frame in the segment file
    quint32 size = 0;  // body bytes

    friend bool operator==(const RecordRef &, const RecordRef &) = default;
};

struct RecordLogOptions {
    // The log starts a new segment before a record that would take the current
    // one past this size. A record larger than the limit gets a segment alone.
    qint64 segmentBytes = qint64(64) * 1024 * 1024;
};

// An append-only log of opaque typed records in a directory of segment files
// named 000000000001.seg, 000000000002.seg and so on. Each segment starts
// with an 8-byte header (magic "MUTTLOG" and a format version byte). Each
// record is framed as body length (u32, little-endian), CRC32 of the type
// byte and the body (u32, little-endian, zlib's crc32), type (u8) and body.
//
// append() only buffers. commit() writes the buffer with one pwrite per
// segment touched (more only after a short write), and commit(true) also
// waits for fdatasync, so many appends share one sync (group commit).
// A crash can keep any prefix of a commit's records (a commit that crosses
// into a new segment takes two writes), so records that must take effect
// together belong in one record or need an end-of-group record of the caller.
//
// Not thread-safe: one owner calls every method. The directory is locked
// with flock, so a second RecordLog on it fails to open.
class RecordLog final {
public:
    // Called for each record during open(), oldest first. The body view is
    // valid only during the call. An error stops open() and is returned.
    using ReplayFunction = std::function<Status(quint8 type, QByteArrayView body, const RecordRef &ref)>;

    static constexpr quint32 kMaxBodyBytes = 1024U * 1024U * 1024U;
    static constexpr qint64 kHeaderBytes = 8;
    static constexpr qint64 kFrameHeaderBytes = 9;

    // Opens or creates the log in `directory` and replays every record. A
    // torn tail (an incomplete or CRC-damaged last record of the last
    // segment, with no valid record after it) is cut off with a warning on the
    // "queue" logger. Other damage fails the open with an error naming the
    // file and the offset.
    static Result<std::unique_ptr<RecordLog>> open(
        const QString &directory, const ReplayFunction &replay, const RecordLogOptions &options = {});

    ~RecordLog();
    RecordLog(const RecordLog &) = delete;
    RecordLog &operator=(const RecordLog &) = delete;

    // Buffers one record. Fails only for a body over kMaxBodyBytes or after a
    // failed commit left the log unusable.
    Result<RecordRef> append(quint8 type, QByteArrayView body);
    // Writes every buffered record. With `flush` it also waits for the
    // fdatasync of the newest segment, and for an fsync of the directory when
    // a segment file was created since the last flush.
    Status commit(bool flush);
    // The body of a record, written or still buffered. Verifies the CRC.
    [[nodiscard]] Result<QByteArray> read(const RecordRef &ref) const;

    // Segment numbers, oldest first, including one that exists only in the
    // buffer so far.
    [[nodiscard]] QList<quint64> segments() const;
    // Deletes every segment numbered below `segment` and fsyncs the
    // directory. The segment being appended to and segments with buffered
    // records cannot be removed.
    Status removeSegmentsBefore(quint64 segment);

    [[nodiscard]] QString directory() const { return m_directory; }
    [[nodiscard]] QString segmentPath(quint64 segment) const;

private:
    struct Segment {
        int fd = -1;  // -1 until commit() creates the file
        qint64 writtenBytes = 0;  // bytes in the file, header included
        bool unsynced = false;  // written since its last fdatasync
    };
    // Bytes buffered for one segment, to be written at `fileOffset`.
    struct Pending {
        quint64 segment = 0;
        qint64 fileOffset = 0;
        QByteArray bytes;
    };

    RecordLog(QString directory, int directoryFd, RecordLogOptions options);
    Status replaySegment(quint64 number, bool last, const ReplayFunction &replay);
    Status cutTornTail(quint64 number, qint64 offset, qint64 fileBytes, const QString &reason);
    void startSegment(quint64 number);
    Status writePending(const Pending &pending);
    Status syncDirectory();
    Status fail(Error error);

    QString m_directory;
    int m_directoryFd = -1;
    RecordLogOptions m_options;
    std::map<quint64, Segment> m_segments;
    std::vector<Pending> m_pending;
    QByteArray m_spareBuffer;  // empty, with the capacity of the last written buffer
    qint64 m_endOffset = 0;  // logical end of the last segment, buffered bytes included
    bool m_directoryDirty = false;  // a created segment's directory entry is not yet fsynced
    std::optional<Error> m_failure;  // set when a failed write or sync leaves the files in doubt
};

}  // namespace mutt::queue
