#pragma once

#include "core/Result.h"
#include "queue/redis/RedisReply.h"

#include <QByteArray>
#include <QList>

#include <optional>

namespace mutt::queue {

using RedisCommand = QList<QByteArray>;

// The RESP protocol: encodes commands (as hiredis's redisFormatCommandArgv
// does) and, through hiredis, parses the byte
// stream of one connection into replies. hiredis handles only bytes here, and
// the sockets are Qt's, because Debian's hiredis 0.14 has no TLS.
class RedisReplyReader final {
public:
    RedisReplyReader();
    ~RedisReplyReader();

    RedisReplyReader(const RedisReplyReader &) = delete;
    RedisReplyReader &operator=(const RedisReplyReader &) = delete;

    static QByteArray encode(const RedisCommand &command);
    // Bytes of encode(command), and encode(command) appended to `out` (for
    // a pipeline written with one reserve and no intermediate buffers).
    static qsizetype encodedSize(const RedisCommand &command);
    static void encodeTo(QByteArray &out, const RedisCommand &command);

    // Appends received bytes. Returns an error when the stream is not RESP.
    Status feed(const QByteArray &data);
    // The next complete reply, nullopt when more bytes are needed, or an
    // error when the stream is corrupt (the connection must then be dropped).
    Result<std::optional<RedisReply>> next();

private:
    void *m_reader = nullptr;  // redisReader*, kept opaque so hiredis stays out of headers
};

}  // namespace mutt::queue
