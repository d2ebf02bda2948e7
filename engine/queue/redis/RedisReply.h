#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QList>

#include <optional>

namespace mutt::queue {

// One RESP2 reply, copied out of hiredis's reader so it can cross threads.
struct RedisReply {
    enum class Type { Nil, Status, Error, Integer, String, Array };

    Type type = Type::Nil;
    qint64 integer = 0;  // Integer
    QByteArray text;  // Status, Error, String
    QList<RedisReply> elements;  // Array

    [[nodiscard]] bool isNil() const { return type == Type::Nil; }
    [[nodiscard]] bool isError() const { return type == Type::Error; }
    // The error text starts with `prefix` (e.g. "NOSCRIPT", "READONLY").
    [[nodiscard]] bool isError(const char *prefix) const;

    // Strings and integers as bytes; nil for everything else.
    [[nodiscard]] std::optional<QByteArray> bytes() const;
    // Integers, and strings holding a decimal integer.
    [[nodiscard]] std::optional<qint64> toInteger() const;

    // An error reply as a Status naming the command (for messages).
    [[nodiscard]] Status asStatus(const QByteArray &command) const;
};

}  // namespace mutt::queue
