#pragma once

#include <QString>
#include <QUrl>

namespace mutt::remediation {

struct HealthResult {
    bool healthy = false;
    int httpStatus = 0;  // 0 when no HTTP response arrived
    QString detail;  // why it is unhealthy, for logs
};

// Checks that the Moogsoft webhook responds: a GET of the URL without
// credentials and without a body, healthy when any status below 500 arrives
// within timeoutMs (a 401 or 405 still proves the endpoint is up). It never
// posts an event. Blocks the calling thread, which needs no event loop of
// its own.
HealthResult probeMoogHealth(const QUrl &url, int timeoutMs, const QString &caFile);

}  // namespace mutt::remediation
