#include "config/secrets/VaultClient.h"

#include <QEventLoop>
#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QTimer>
#include <QUrl>

namespace mutt::config::secrets {
namespace {

bool isLoopbackHost(const QString &host)
{
    if (host.compare(u"localhost", Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

}  // namespace

VaultClient::VaultClient(VaultOptions options) : m_options(std::move(options))
{
    while (m_options.address.endsWith(u'/'))
        m_options.address.chop(1);
}

QString VaultClient::kvDataPath(const QString &mount, const QString &path)
{
    QString cleanMount = mount;
    while (cleanMount.startsWith(u'/'))
        cleanMount.remove(0, 1);
    while (cleanMount.endsWith(u'/'))
        cleanMount.chop(1);
    QString cleanPath = path;
    while (cleanPath.startsWith(u'/'))
        cleanPath.remove(0, 1);
    if (cleanPath.startsWith(cleanMount + u'/'))
        cleanPath = cleanPath.mid(cleanMount.size() + 1);
    return cleanMount + QStringLiteral("/data/") + cleanPath;
}

VaultClient::Reply VaultClient::call(
    const QByteArray &method, const QString &path, const QByteArray &token, const QJsonObject &body) const
{
    const QUrl url(m_options.address + QStringLiteral("/v1/") + path);
    QNetworkRequest request(url);
    request.setTransferTimeout(m_options.timeoutMs);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!token.isEmpty())
        request.setRawHeader(QByteArrayLiteral("X-Vault-Token"), token);
    if (!m_options.caCertFile.isEmpty()) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.addCaCertificates(m_options.caCertFile);
        request.setSslConfiguration(tls);
    }

    QNetworkAccessManager manager;
    if (isLoopbackHost(url.host()))
        manager.setProxy(QNetworkProxy::NoProxy);
    const QByteArray payload = body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact);
    QNetworkReply *reply = manager.sendCustomRequest(request, method, payload);

    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer cancelCheck;
    if (m_options.cancelled) {
        QObject::connect(&cancelCheck, &QTimer::timeout, &loop, [this, reply] {
            if (m_options.cancelled())
                reply->abort();
        });
        cancelCheck.start(100);
    }
    if (!reply->isFinished())
        loop.exec();

    Reply out;
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (out.status == 0)
        out.error = reply->errorString();
    out.body = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    return out;
}

Error VaultClient::failure(const QString &what, const Reply &reply) const
{
    if (reply.status == 0)
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("Vault %1 failed: no response from VAULT_ADDR=%2 (%3); check that Vault runs and "
                           "VAULT_ADDR (and VAULT_CACERT for https) is right")
                .arg(what, m_options.address, reply.error));

    QStringList reasons;
    for (const QJsonValue &value : reply.body.value(QStringLiteral("errors")).toArray())
        reasons.append(value.toString());
    const QString reason = reasons.isEmpty() ? QString() : QStringLiteral(": ") + reasons.join(QStringLiteral("; "));
    const ErrorCode code = reply.status == 404 ? ErrorCode::NotFound
        : reply.status >= 500                  ? ErrorCode::Unavailable
                                               : ErrorCode::InvalidInput;
    return makeError(code,
        QStringLiteral("Vault %1 failed: VAULT_ADDR=%2 returned HTTP %3%4")
            .arg(what, m_options.address)
            .arg(reply.status)
            .arg(reason));
}

VaultToken VaultClient::tokenFromAuth(const QJsonObject &auth, const QByteArray &fallback)
{
    VaultToken token;
    token.token = auth.value(QStringLiteral("client_token")).toString().toUtf8();
    if (token.token.isEmpty())
        token.token = fallback;
    token.ttlSeconds = auth.value(QStringLiteral("lease_duration")).toInteger();
    token.renewable = auth.value(QStringLiteral("renewable")).toBool();
    return token;
}

Result<VaultToken> VaultClient::login() const
{
    QFile file(m_options.secretIdFile);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("VAULT_SECRET_ID_FILE=\"%1\": cannot read the AppRole secret_id: %2; check the path "
                           "and that this user may read it")
                .arg(m_options.secretIdFile, file.errorString()));
    const QString secretId = QString::fromUtf8(file.readAll()).trimmed();
    if (secretId.isEmpty())
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("VAULT_SECRET_ID_FILE=\"%1\" is empty; write the AppRole secret_id into it")
                .arg(m_options.secretIdFile));

    const QJsonObject body {{QStringLiteral("role_id"), m_options.roleId}, {QStringLiteral("secret_id"), secretId}};
    const Reply reply = call("POST", QStringLiteral("auth/approle/login"), {}, body);
    if (reply.status != 200)
        return failure(QStringLiteral("AppRole login (VAULT_ROLE_ID, VAULT_SECRET_ID_FILE)"), reply);

    const VaultToken token = tokenFromAuth(reply.body.value(QStringLiteral("auth")).toObject(), {});
    if (token.token.isEmpty())
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("Vault AppRole login at VAULT_ADDR=%1 returned no client_token").arg(m_options.address));
    return token;
}

Result<SecretStore::Values> VaultClient::readSecrets(const QByteArray &token) const
{
    const QString path = kvDataPath(m_options.mount, m_options.path);
    const Reply reply = call("GET", path, token, {});
    if (reply.status != 200)
        return failure(QStringLiteral("KV v2 read of %1 (VAULT_SECRETS_MOUNT, VAULT_SECRETS_PATH)").arg(path), reply);

    const QJsonObject data
        = reply.body.value(QStringLiteral("data")).toObject().value(QStringLiteral("data")).toObject();
    SecretStore::Values values;
    for (auto it = data.constBegin(); it != data.constEnd(); ++it) {
        if (it.value().isString())
            values.insert(it.key(), it.value().toString());
        else if (it.value().isDouble())
            values.insert(it.key(), QString::number(it.value().toDouble()));
    }
    return values;
}

Result<VaultToken> VaultClient::lookupSelf(const QByteArray &token) const
{
    const Reply reply = call("GET", QStringLiteral("auth/token/lookup-self"), token, {});
    if (reply.status != 200)
        return failure(QStringLiteral("token lookup-self"), reply);
    const QJsonObject data = reply.body.value(QStringLiteral("data")).toObject();
    return VaultToken {
        token, data.value(QStringLiteral("ttl")).toInteger(), data.value(QStringLiteral("renewable")).toBool()};
}

Result<VaultToken> VaultClient::renewSelf(const QByteArray &token) const
{
    const Reply reply = call("POST", QStringLiteral("auth/token/renew-self"), token, QJsonObject {});
    if (reply.status != 200)
        return failure(QStringLiteral("token renew-self"), reply);
    return tokenFromAuth(reply.body.value(QStringLiteral("auth")).toObject(), token);
}

}  // namespace mutt::config::secrets
