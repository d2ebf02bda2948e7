#include "event/Gzip.h"

#include <zlib.h>

#include <memory>

namespace mutt::event {
namespace {

constexpr qsizetype outputChunk = 64 * 1024;
constexpr int autoDetectGzipOrZlib = 32 + MAX_WBITS;  // zlib inflateInit2: 32 = detect the header

struct StreamCloser {
    void operator()(z_stream *stream) const
    {
        inflateEnd(stream);
        delete stream;
    }
};

Error corrupt(const char *reason)
{
    return makeError(ErrorCode::InvalidInput,
        QStringLiteral("Content-Encoding gzip: the body is not valid gzip data (") + QString::fromLatin1(reason)
            + QStringLiteral("); compress it with gzip or send it plain"));
}

Error tooLarge(qint64 maxBytes)
{
    return makeError(ErrorCode::Full,
        QStringLiteral("the decompressed body exceeds MAX_BODY_BYTES (%1 bytes); "
                       "send smaller batches")
            .arg(maxBytes));
}

}  // namespace

Result<QByteArray> inflateBody(QByteArrayView compressed, qint64 maxBytes)
{
    if (compressed.isEmpty())
        return QByteArray();

    std::unique_ptr<z_stream, StreamCloser> stream(new z_stream {});
    if (inflateInit2(stream.get(), autoDetectGzipOrZlib) != Z_OK)
        return makeError(ErrorCode::Internal, QStringLiteral("zlib inflateInit2 failed"));

    // zlib does not modify its input; the cast only satisfies its C signature.
    stream->next_in = reinterpret_cast<Bytef *>(const_cast<char *>(compressed.data()));
    stream->avail_in = uInt(compressed.size());

    QByteArray out;
    for (;;) {
        const qsizetype used = out.size();
        out.resize(used + outputChunk);
        stream->next_out = reinterpret_cast<Bytef *>(out.data() + used);
        stream->avail_out = uInt(outputChunk);

        const int rc = inflate(stream.get(), Z_NO_FLUSH);
        out.resize(used + outputChunk - qsizetype(stream->avail_out));
        if (out.size() > maxBytes)
            return tooLarge(maxBytes);

        if (rc == Z_STREAM_END) {
            if (stream->avail_in == 0)
                return out;
            if (inflateReset(stream.get()) != Z_OK)  // another gzip member follows
                return corrupt("bad member");
            continue;
        }
        if (rc == Z_BUF_ERROR && stream->avail_in == 0)
            return corrupt("the data ends early");
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            return corrupt(stream->msg != nullptr ? stream->msg : "inflate failed");
    }
}

}  // namespace mutt::event
