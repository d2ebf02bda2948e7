#pragma once

#include <QString>

namespace mutt::queue {

// Host and port of one Redis server.
struct RedisEndpoint {
    QString host;
    quint16 port = 0;

    [[nodiscard]] QString toString() const { return host + u':' + QString::number(port); }
    friend bool operator==(const RedisEndpoint &, const RedisEndpoint &) = default;
};

}  // namespace mutt::queue
