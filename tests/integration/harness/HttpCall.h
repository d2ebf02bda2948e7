#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

namespace mutt::itest {

struct HttpReply {
    int status = 0;  // 0 when no HTTP answer arrived (connection refused, timeout)
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QString error;

    [[nodiscard]] QJsonObject json() const;
    [[nodiscard]] QByteArray header(const QByteArray &name) const;
};

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// Blocking HTTP calls for tests. Each call runs a local event loop until the
// reply finishes or timeoutMs passes.
HttpReply httpGet(const QString &url, const HeaderList &headers = {}, int timeoutMs = 10'000);
HttpReply httpPost(const QString &url, const QByteArray &body, const HeaderList &headers = {}, int timeoutMs = 10'000);

}  // namespace mutt::itest
