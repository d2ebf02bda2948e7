#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>

#include <deque>
#include <mutex>

namespace mutt::mockmoog {

// Response behaviour for the next webhook posts (POST /_control/mode).
struct MockMode {
    int status = 200;
    QByteArray retryAfter;  // Retry-After header value; empty: no header
    bool hang = false;  // never respond, keep the connection open
    int delayMs = 0;  // respond after this many milliseconds
    int failNext = 0;  // > 0: respond with `status` to this many posts, then 200
    QByteArray body;  // response body; empty: a small JSON acknowledgement

    [[nodiscard]] QJsonObject toJson() const;
    // Parses a control body; unknown fields are ignored, missing ones take the defaults.
    static Result<MockMode> fromJson(const QByteArray &json);
};

// One webhook post as the mock received it.
struct RecordedRequest {
    QByteArray path;
    bool hasAuthorization = false;
    bool authorized = false;  // Authorization equals "Bearer <token>" (always true without a token)
    QByteArray contentType;
    int status = 0;  // the response status chosen for it; 0 while it hangs
    QByteArray body;
    qint64 receivedAtMs = 0;
};

// What the mock does with one post.
struct Answer {
    int status = 200;
    QByteArray retryAfter;
    QByteArray body;
    bool hang = false;
    int delayMs = 0;
};

// The mock's counters, recorded posts and mode. Thread-safe: the HTTP
// handlers run on several I/O threads.
class MockMoogState final {
public:
    explicit MockMoogState(QByteArray token, qsizetype maxRecords);

    // Records a post and picks its response (consuming one fail_next).
    Answer recordPost(
        const QByteArray &path, const QByteArray &authorization, const QByteArray &contentType, const QByteArray &body);
    // Marks one post answered (the concurrency counter goes down).
    void finishPost();
    // Answer to GET/HEAD on a webhook path, without recording it.
    [[nodiscard]] Answer probeAnswer() const;

    void setMode(const MockMode &mode);
    [[nodiscard]] MockMode mode() const;
    void reset();

    [[nodiscard]] QJsonObject stats() const;
    [[nodiscard]] QList<RecordedRequest> requests(qsizetype offset, qsizetype limit) const;
    [[nodiscard]] qint64 received() const;
    [[nodiscard]] qint64 succeeded() const;
    [[nodiscard]] int inFlight() const;
    [[nodiscard]] int maxConcurrent() const;

private:
    Answer chooseAnswer();

    const QByteArray m_expectedAuthorization;
    const qsizetype m_maxRecords;

    mutable std::mutex m_mutex;
    MockMode m_mode;
    qint64 m_received = 0;
    qint64 m_succeeded = 0;
    qint64 m_unauthorized = 0;
    qint64 m_dropped = 0;  // records not kept because maxRecords was reached
    int m_inFlight = 0;
    int m_maxConcurrent = 0;
    QMap<int, qint64> m_byStatus;
    QHash<QString, qint64> m_signatures;  // of posts answered 2xx
    std::deque<RecordedRequest> m_records;
};

}  // namespace mutt::mockmoog
