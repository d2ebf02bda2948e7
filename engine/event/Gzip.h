#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QByteArrayView>

namespace mutt::event {

// Inflates a gzip body (several concatenated members allowed; a zlib stream
// is accepted too, for Content-Encoding: deflate). Stops as soon as the output
// would exceed maxBytes, so a small "zip bomb" never gets expanded.
// Errors: Full when the output exceeds maxBytes, InvalidInput when the data
// is not gzip/zlib or ends early.
Result<QByteArray> inflateBody(QByteArrayView compressed, qint64 maxBytes);

}  // namespace mutt::event
