#include "MockVaultState.h"

#include <QJsonArray>
#include <QRandomGenerator>

namespace mutt::mockvault {
namespace {

QJsonObject errors(const QString &message)
{
    return QJsonObject {{QStringLiteral("errors"), QJsonArray {message}}};
}

}  // namespace

MockVaultState::MockVaultState(QString roleId, QString secretId, qint64 tokenTtlSeconds)
    : m_roleId(std::move(roleId))
    , m_secretId(std::move(secretId))
    , m_tokenTtlSeconds(tokenTtlSeconds)
{
}

QString MockVaultState::modeName(VaultMode mode)
{
    switch (mode) {
    case VaultMode::Normal: return QStringLiteral("normal");
    case VaultMode::ServerError: return QStringLiteral("5xx");
    case VaultMode::Hang: return QStringLiteral("hang");
    case VaultMode::Forbidden: return QStringLiteral("403");
    }
    return QStringLiteral("normal");
}

bool MockVaultState::modeFromName(const QString &name, VaultMode *mode)
{
    for (VaultMode each : {VaultMode::Normal, VaultMode::ServerError, VaultMode::Hang, VaultMode::Forbidden}) {
        if (name == modeName(each)) {
            *mode = each;
            return true;
        }
    }
    return false;
}

VaultAnswer MockVaultState::forced() const
{
    switch (m_mode) {
    case VaultMode::Normal: return VaultAnswer {0, {}, false};
    case VaultMode::ServerError: return VaultAnswer {503, errors(QStringLiteral("Vault is sealed")), false};
    case VaultMode::Hang: return VaultAnswer {0, {}, true};
    case VaultMode::Forbidden: return VaultAnswer {403, errors(QStringLiteral("permission denied")), false};
    }
    return {};
}

VaultAnswer MockVaultState::refuse(int status, const QString &message)
{
    ++m_refused;
    return VaultAnswer {status, errors(message), false};
}

bool MockVaultState::tokenValid(const QByteArray &token, qint64 nowMs) const
{
    const auto it = m_tokens.constFind(token);
    return it != m_tokens.constEnd() && it->expiresAtMs > nowMs;
}

QJsonObject MockVaultState::issue(qint64 nowMs)
{
    const QByteArray token = QByteArrayLiteral("hvs.mock-") + QByteArray::number(++m_tokenCounter) + '-'
        + QByteArray::number(QRandomGenerator::global()->generate64(), 16);
    m_tokens.insert(token, Token {nowMs + m_tokenTtlSeconds * 1000});
    return QJsonObject {{QStringLiteral("client_token"), QString::fromLatin1(token)},
        {QStringLiteral("lease_duration"), m_tokenTtlSeconds}, {QStringLiteral("renewable"), true},
        {QStringLiteral("policies"), QJsonArray {QStringLiteral("mutt")}}};
}

VaultAnswer MockVaultState::login(const QJsonObject &body, qint64 nowMs)
{
    std::lock_guard lock(m_mutex);
    if (const VaultAnswer answer = forced(); answer.status != 0 || answer.hang)
        return answer;
    if (body.value(QStringLiteral("role_id")).toString() != m_roleId
        || body.value(QStringLiteral("secret_id")).toString() != m_secretId)
        return refuse(400, QStringLiteral("invalid role or secret ID"));
    ++m_logins;
    return VaultAnswer {200, QJsonObject {{QStringLiteral("auth"), issue(nowMs)}}, false};
}

VaultAnswer MockVaultState::read(const QString &dataPath, const QByteArray &token, qint64 nowMs)
{
    std::lock_guard lock(m_mutex);
    if (const VaultAnswer answer = forced(); answer.status != 0 || answer.hang)
        return answer;
    if (!tokenValid(token, nowMs))
        return refuse(403, QStringLiteral("permission denied"));
    const auto it = m_secrets.constFind(dataPath);
    if (it == m_secrets.constEnd())
        return refuse(404, QString());
    ++m_reads;
    const QJsonObject metadata {{QStringLiteral("version"), m_versions.value(dataPath)}};
    const QJsonObject data {{QStringLiteral("data"), *it}, {QStringLiteral("metadata"), metadata}};
    return VaultAnswer {200, QJsonObject {{QStringLiteral("data"), data}}, false};
}

VaultAnswer MockVaultState::lookupSelf(const QByteArray &token, qint64 nowMs)
{
    std::lock_guard lock(m_mutex);
    if (const VaultAnswer answer = forced(); answer.status != 0 || answer.hang)
        return answer;
    if (!tokenValid(token, nowMs))
        return refuse(403, QStringLiteral("permission denied"));
    ++m_lookups;
    const qint64 ttl = (m_tokens.value(token).expiresAtMs - nowMs) / 1000;
    const QJsonObject data {{QStringLiteral("ttl"), ttl}, {QStringLiteral("renewable"), true}};
    return VaultAnswer {200, QJsonObject {{QStringLiteral("data"), data}}, false};
}

VaultAnswer MockVaultState::renewSelf(const QByteArray &token, qint64 nowMs)
{
    std::lock_guard lock(m_mutex);
    if (const VaultAnswer answer = forced(); answer.status != 0 || answer.hang)
        return answer;
    if (!tokenValid(token, nowMs))
        return refuse(403, QStringLiteral("permission denied"));
    ++m_renewals;
    m_tokens[token].expiresAtMs = nowMs + m_tokenTtlSeconds * 1000;
    const QJsonObject auth {{QStringLiteral("client_token"), QString::fromLatin1(token)},
        {QStringLiteral("lease_duration"), m_tokenTtlSeconds}, {QStringLiteral("renewable"), true}};
    return VaultAnswer {200, QJsonObject {{QStringLiteral("auth"), auth}}, false};
}

void MockVaultState::putSecret(const QString &dataPath, const QJsonObject &data)
{
    std::lock_guard lock(m_mutex);
    m_secrets.insert(dataPath, data);
    m_versions[dataPath] += 1;
}

void MockVaultState::expireTokens()
{
    std::lock_guard lock(m_mutex);
    m_tokens.clear();
}

void MockVaultState::setTokenTtl(qint64 seconds)
{
    std::lock_guard lock(m_mutex);
    m_tokenTtlSeconds = seconds;
}

void MockVaultState::setMode(VaultMode mode)
{
    std::lock_guard lock(m_mutex);
    m_mode = mode;
}

VaultMode MockVaultState::mode() const
{
    std::lock_guard lock(m_mutex);
    return m_mode;
}

QJsonObject MockVaultState::stats(qint64 nowMs) const
{
    std::lock_guard lock(m_mutex);
    qint64 live = 0;
    for (const Token &token : m_tokens) {
        if (token.expiresAtMs > nowMs)
            ++live;
    }
    return QJsonObject {{QStringLiteral("logins"), m_logins}, {QStringLiteral("reads"), m_reads},
        {QStringLiteral("lookups"), m_lookups}, {QStringLiteral("renewals"), m_renewals},
        {QStringLiteral("refused"), m_refused}, {QStringLiteral("live_tokens"), live},
        {QStringLiteral("mode"), modeName(m_mode)}};
}

}  // namespace mutt::mockvault
