#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <mutex>

namespace mutt::ingest {

// X-API-KEY check against INGEST_API_KEY and INGEST_API_KEY_NEXT (rotation).
// Keys are compared as SHA-256 digests in constant time, so neither the
// content nor the length of a key leaks through timing. Empty configured keys
// are ignored; with none configured every request is rejected.
class ApiKeyCheck final {
public:
    ApiKeyCheck(const QString &current, const QString &next);
    // Asks `keys` on every check (the live secrets), so a rotated key is
    // accepted, and a retired one refused, from the next request on.
    explicit ApiKeyCheck(std::function<QStringList()> keys);
    // The same, with the digests kept until `version` returns another value
    // (SecretStore::version()), so a check hashes only the presented key.
    ApiKeyCheck(std::function<QStringList()> keys, std::function<quint64()> version);

    [[nodiscard]] bool accepts(QByteArrayView presented) const;

private:
    struct Cache {
        std::mutex mutex;
        QList<QByteArray> digests;
        quint64 version = 0;
        bool filled = false;
    };

    [[nodiscard]] QList<QByteArray> liveDigests() const;

    QList<QByteArray> m_digests;
    std::function<QStringList()> m_keys;
    std::function<quint64()> m_version;
    std::shared_ptr<Cache> m_cache;  // shared, so the check stays copyable
};

// The request's X-Correlation-ID when it is 1-64 characters of
// [A-Za-z0-9._:-], else a new lower-case UUID.
QString correlationIdFor(QByteArrayView header);

}  // namespace mutt::ingest
