#include "core/Result.h"

namespace mutt {

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidInput: return QStringLiteral("invalid input");
    case ErrorCode::NotFound: return QStringLiteral("not found");
    case ErrorCode::Conflict: return QStringLiteral("conflict");
    case ErrorCode::Unavailable: return QStringLiteral("unavailable");
    case ErrorCode::Timeout: return QStringLiteral("timed out");
    case ErrorCode::Full: return QStringLiteral("full");
    case ErrorCode::Internal: return QStringLiteral("internal error");
    }
    return QStringLiteral("unknown error");
}

}  // namespace mutt
