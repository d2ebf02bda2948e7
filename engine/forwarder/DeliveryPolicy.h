#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace mutt::forwarder {

// Outcome class of one webhook attempt, deciding the alert's next step.
enum class Verdict {
    Delivered,  // any 2xx
    Retry,  // 408, 429, 5xx, timeouts, connection and TLS errors
    Reject,  // every other status (1xx, 3xx, other 4xx): the alert goes to the DLQ
};

// httpStatus 0 means no HTTP response arrived (timeout, connection or TLS error).
Verdict classify(int httpStatus);

// Milliseconds to wait from a Retry-After value: delay-seconds or an
// IMF-fixdate HTTP date ("Sun, 06 Nov 1994 08:49:37 GMT", RFC 9110 section
// 10.2.3). Dates in the past give 0. nullopt when the value is absent or
// malformed.
std::optional<qint64> parseRetryAfter(const QByteArray &value, qint64 nowMs);

// Exponential backoff with full jitter: a uniformly random delay between 0
// and min(maxDelay, baseDelay * 2^(attempt - 1)) seconds, in milliseconds.
// `attempt` is the retry number starting at 1.
qint64 backoffMs(int attempt, double baseDelaySeconds, double maxDelaySeconds);

// The first `maxChars` characters of a response body, on one line, for DLQ
// reasons and logs.
QString bodyExcerpt(const QByteArray &body, int maxChars = 200);

}  // namespace mutt::forwarder
