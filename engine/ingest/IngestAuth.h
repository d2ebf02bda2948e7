#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace mutt::ingest {

// X-API-KEY check against INGEST_API_KEY and INGEST_API_KEY_NEXT (rotation).
// Keys are compared as SHA-256 digests in constant time, so neither the
// content nor the length of a key leaks through timing. Empty configured keys
// are ignored; with none configured every request is rejected.
class ApiKeyCheck final {
public:
    ApiKeyCheck(const QString &current, const QString &next);

    [[nodiscard]] bool accepts(QByteArrayView presented) const;

private:
    QList<QByteArray> m_digests;
};

// The request's X-Correlation-ID when it is 1-64 characters of
// [A-Za-z0-9._:-], else a new lower-case UUID.
QString correlationIdFor(QByteArrayView header);

}  // namespace mutt::ingest
