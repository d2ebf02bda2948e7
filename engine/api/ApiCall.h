#pragma once

#include "http/HttpTypes.h"
#include "sql/SqlTypes.h"

#include <QString>
#include <QStringList>

namespace mutt::api {

// One matched API request, as passed to a route handler.
struct ApiCall {
    const http::HttpRequest &request;
    QStringList params;  // the path segments matched by ":name" parts, in order
    QString correlationId;  // X-Correlation-ID when usable, else a new UUID
    QString caller;  // "webui_api:<key fingerprint>"

    [[nodiscard]] sql::AuditContext audit(const QString &reason) const
    {
        return sql::AuditContext {caller, reason, correlationId};
    }
};

}  // namespace mutt::api
