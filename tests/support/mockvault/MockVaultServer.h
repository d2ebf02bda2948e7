#pragma once

#include "LoopbackHttpHost.h"
#include "MockVaultState.h"
#include "core/Result.h"
#include "http/HttpTypes.h"

#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <mutex>

namespace mutt::mockvault {

struct MockVaultOptions {
    QString roleId = QStringLiteral("mutt-role");
    QString secretId = QStringLiteral("mutt-secret-id");
    qint64 tokenTtlSeconds = 3600;
    QString tlsCertFile;  // both set: serve HTTPS
    QString tlsKeyFile;
};

// A stand-in for HashiCorp Vault on loopback, speaking the parts of its HTTP
// API that muttd uses: POST /v1/auth/approle/login, GET /v1/<mount>/data/<path>
// (KV v2), GET /v1/auth/token/lookup-self, POST /v1/auth/token/renew-self.
// Tests steer it with the methods below or over HTTP on the same port:
//   POST /_control/secret  {"path":"secret/data/mutt","data":{...}}
//   POST /_control/expire-tokens
//   POST /_control/mode    {"mode":"normal"|"5xx"|"hang"|"403"}
//   POST /_control/token-ttl {"ttl":5}
//   GET  /_control/stats
// The server runs on its own thread, so its owner needs no event loop.
class MockVaultServer final : public QObject {
    Q_OBJECT
public:
    explicit MockVaultServer(MockVaultOptions options = {}, QObject *parent = nullptr);
    ~MockVaultServer() override;
    Q_DISABLE_COPY_MOVE(MockVaultServer)

    Result<quint16> listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    void close();
    [[nodiscard]] quint16 port() const { return m_host->port(); }
    // http(s)://127.0.0.1:<port>
    [[nodiscard]] QString address() const;

    void putSecret(const QString &dataPath, const QJsonObject &data) { m_state.putSecret(dataPath, data); }
    void expireTokens() { m_state.expireTokens(); }
    void setTokenTtl(qint64 seconds) { m_state.setTokenTtl(seconds); }
    // Leaving Hang sends 503 to the requests held so far.
    void setMode(VaultMode mode);
    [[nodiscard]] QJsonObject stats() const;
    // Requests held without a response in Hang mode.
    [[nodiscard]] int hanging();

private:
    void registerRoutes(http::HttpServer &server);
    void handleApi(const http::HttpRequest &request, const http::HttpResponder &responder);
    void handleControl(const http::HttpRequest &request, const http::HttpResponder &responder);
    void answer(const VaultAnswer &answer, const http::HttpResponder &responder);
    void releaseHanging();

    MockVaultState m_state;

    std::mutex m_hangingMutex;
    QList<http::HttpResponder> m_hanging;

    // Declared last so the server thread stops before the state its routes use goes away.
    std::unique_ptr<testserver::LoopbackHttpHost> m_host;
};

}  // namespace mutt::mockvault
