#include "ingest/IngestAuth.h"

#include <QCryptographicHash>
#include <QUuid>

namespace mutt::ingest {
namespace {

constexpr qsizetype correlationIdMax = 64;

QByteArray digestOf(QByteArrayView key)
{
    return QCryptographicHash::hash(key, QCryptographicHash::Sha256);
}

bool equalInConstantTime(const QByteArray &a, const QByteArray &b)
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

}  // namespace

ApiKeyCheck::ApiKeyCheck(const QString &current, const QString &next)
{
    for (const QString &key : {current, next}) {
        if (!key.isEmpty())
            m_digests.append(digestOf(key.toUtf8()));
    }
}

ApiKeyCheck::ApiKeyCheck(std::function<QStringList()> keys) : m_keys(std::move(keys)) { }

bool ApiKeyCheck::accepts(QByteArrayView presented) const
{
    if (presented.isEmpty())
        return false;

    QList<QByteArray> live;
    if (m_keys) {
        for (const QString &key : m_keys()) {
            if (!key.isEmpty())
                live.append(digestOf(key.toUtf8()));
        }
    }
    const QList<QByteArray> &digests = m_keys ? live : m_digests;

    const QByteArray digest = digestOf(presented);
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
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

}  // namespace mutt::ingest
