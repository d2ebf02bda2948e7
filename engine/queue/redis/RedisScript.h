#pragma once

#include <QByteArray>

namespace mutt::queue {

// A Lua script with its SHA-1, run with EVALSHA and sent again with EVAL
// when the server replies NOSCRIPT (after a restart or SCRIPT FLUSH).
struct RedisScript {
    QByteArray source;
    QByteArray sha1;  // lowercase hex

    static RedisScript fromSource(const char *source);
};

}  // namespace mutt::queue
