#pragma once

#include "backend/Backend.h"

#include <QSslConfiguration>
#include <QUrl>

#include <chrono>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;
template <typename T> class QPromise;

namespace mutt::ui {

struct RemoteOptions {
    QUrl baseUrl;  // the api role, e.g. https://mutt.example.com:8090
    QString apiKey;  // WEBUI_API_KEY of that daemon, sent as X-API-KEY
    QString caFile;  // PEM file with the CA that signed the daemon's certificate; empty: system CAs
    std::chrono::milliseconds timeout {5000};  // per request, connect to last byte
};

// Attaches to a muttd api role over HTTP(S). Every request runs on the
// network manager's own threads; results arrive on the owning thread.
class RemoteBackend final : public Backend {
    Q_OBJECT
public:
    explicit RemoteBackend(RemoteOptions options, QObject *parent = nullptr);
    ~RemoteBackend() override;
    Q_DISABLE_COPY_MOVE(RemoteBackend)

    [[nodiscard]] QString displayName() const override;
    [[nodiscard]] bool isEmbedded() const override { return false; }
    [[nodiscard]] QString ingestUrl() const override { return m_ingestUrl; }
    [[nodiscard]] QString ingestApiKey() const override { return {}; }

    void open() override;
    QFuture<void> shutdown() override;
    [[nodiscard]] bool canFetch() const override;
    QFuture<Result<runtime::EngineStatus>> fetchStatus() override;

private:
    using StatusPromise = std::shared_ptr<QPromise<Result<runtime::EngineStatus>>>;

    // The configuration problem that makes every request fail, if any.
    [[nodiscard]] std::optional<Error> setupError() const;
    [[nodiscard]] QNetworkRequest makeRequest(const QString &path) const;
    QNetworkReply *send(const QString &path);
    void finishStatus(QNetworkReply *reply, const StatusPromise &promise);
    void report(const Result<runtime::EngineStatus> &result);

    RemoteOptions m_options;
    QNetworkAccessManager *m_network = nullptr;
    QSslConfiguration m_ssl;
    std::optional<Error> m_caError;
    QString m_ingestUrl;
};

}  // namespace mutt::ui
