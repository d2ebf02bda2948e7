#pragma once

#include <QtGlobal>

#include <algorithm>
#include <optional>

namespace mutt::queue {

// The first and last index (from the head) of LRANGE key start stop.
struct ListRange {
    qint64 first = 0;
    qint64 last = 0;
};

// Applies LRANGE's index rules to a list of `length` items: negative indexes
// count from the tail and out-of-range bounds are clamped. Returns nullopt
// for an empty or inverted range.
inline std::optional<ListRange> listRange(qint64 length, qint64 start, qint64 stop)
{
    if (start < 0)
        start = std::max<qint64>(0, length + start);
    if (stop < 0)
        stop = length + stop;
    stop = std::min(stop, length - 1);
    if (start > stop || start >= length)
        return std::nullopt;
    return ListRange {start, stop};
}

}  // namespace mutt::queue
