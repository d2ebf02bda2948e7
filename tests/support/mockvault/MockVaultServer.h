#pragma once

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

class QThread;

namespace mutt::http {
class HttpServer;
}

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
    [[nodiscard]] quint16 port() const { return m_port; }
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
    void registerRoutes();
    void handleApi(const http::HttpRequest &request, const http::HttpResponder &responder);
    void handleControl(const http::HttpRequest &request, const http::HttpResponder &responder);
    void answer(const VaultAnswer &answer, const http::HttpResponder &responder);
    void releaseHanging();
    void runOnServerThread(const std::function<void()> &work);

    MockVaultState m_state;
    QThread *m_thread = nullptr;
    QObject *m_context = nullptr;  // lives in m_thread with the server
    std::unique_ptr<http::HttpServer> m_server;
    quint16 m_port = 0;
    bool m_tls = false;

    std::mutex m_hangingMutex;
    QList<http::HttpResponder> m_hanging;
};

}  // namespace mutt::mockvault
