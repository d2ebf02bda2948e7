#include "ingest/IngestAuth.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

#include <random>

namespace mutt::ingest {
namespace {

constexpr qsizetype correlationIdMax = 64;

QByteArray digestOf(QByteArrayView key)
{
    return QCryptographicHash::hash(key, QCryptographicHash::Sha256);
}

bool equalInConstantTime(QByteArrayView a, QByteArrayView b)
{
    unsigned char difference = a.size() == b.size() ? 0 : 1;
    const qsizetype n = std::min(a.size(), b.size());
    for (qsizetype i = 0; i < n; ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

bool isCorrelationChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
        || c == ':' || c == '-';
}

QList<QByteArray> digestsOf(const QStringList &keys)
{
    QList<QByteArray> digests;
    for (const QString &key : keys) {
        if (!key.isEmpty())
            digests.append(digestOf(key.toUtf8()));
    }
    return digests;
}

// A random (version 4) UUID in lower case, as QUuid::toString(QUuid::WithoutBraces)
// writes it. The bits come from a generator of this thread, seeded from the
// system's, because a correlation id has to be unique, not secret.
QString randomUuid()
{
    thread_local std::mt19937_64 generator = [] {
        std::seed_seq seed {QRandomGenerator::system()->generate(), QRandomGenerator::system()->generate(),
            QRandomGenerator::system()->generate(), QRandomGenerator::system()->generate()};
        return std::mt19937_64(seed);
    }();
    quint64 high = generator();
    quint64 low = generator();
    high = (high & ~quint64(0xF000)) | quint64(0x4000);  // version 4
    low = (low & ~(quint64(0xC) << 60)) | (quint64(0x8) << 60);  // variant 10xx
    static constexpr char hex[] = "0123456789abcdef";
    char text[36];
    int at = 0;
    for (int nibble = 0; nibble < 32; ++nibble) {
        if (nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20)
            text[at++] = '-';
        const quint64 half = nibble < 16 ? high : low;
        text[at++] = hex[(half >> (60 - 4 * (nibble % 16))) & 0xF];
    }
    return QString::fromLatin1(text, sizeof text);
}

}  // namespace

ApiKeyCheck::ApiKeyCheck(const QString &current, const QString &next) : m_digests(digestsOf({current, next})) { }

ApiKeyCheck::ApiKeyCheck(std::function<QStringList()> keys) : m_keys(std::move(keys)) { }

ApiKeyCheck::ApiKeyCheck(std::function<QStringList()> keys, std::function<quint64()> version)
    : m_keys(std::move(keys))
    , m_version(std::move(version))
    , m_cache(std::make_shared<Cache>())
{
}

QList<QByteArray> ApiKeyCheck::liveDigests() const
{
    if (!m_version)
        return digestsOf(m_keys());

    // The version is read before the keys: a change in between caches the new
    // keys under the old version, and the next check computes them again.
    const quint64 version = m_version();
    {
        const std::lock_guard lock(m_cache->mutex);
        if (m_cache->filled && m_cache->version == version)
            return m_cache->digests;
    }
    QList<QByteArray> digests = digestsOf(m_keys());
    const std::lock_guard lock(m_cache->mutex);
    m_cache->digests = digests;
    m_cache->version = version;
    m_cache->filled = true;
    return digests;
}

bool ApiKeyCheck::accepts(QByteArrayView presented) const
{
    if (presented.isEmpty())
        return false;

    const QList<QByteArray> digests = m_keys ? liveDigests() : m_digests;

    // One hasher per thread, so a check allocates nothing for the digest.
    thread_local QCryptographicHash hasher(QCryptographicHash::Sha256);
    hasher.reset();
    hasher.addData(presented);
    const QByteArrayView digest = hasher.resultView();
    bool accepted = false;
    for (const QByteArray &expected : digests)
        accepted = equalInConstantTime(digest, expected) || accepted;  // no early exit: both keys are compared
    return accepted;
}

QString correlationIdFor(QByteArrayView header)
{
    const bool valid = !header.isEmpty() && header.size() <= correlationIdMax
        && std::all_of(header.begin(), header.end(), isCorrelationChar);
    if (valid)
        return QString::fromLatin1(header);
    return randomUuid();
}

}  // namespace mutt::ingest
