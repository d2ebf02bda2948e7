#pragma once

#include "http/HttpTypes.h"

#include <QByteArray>

#include <vector>

namespace mutt::http {

// Exact routes per path and method, plus prefix routes (longest prefix
// first). Filled before the server starts; read-only and shared by every I/O
// thread afterwards.
class HttpRouter final {
public:
    void add(const QByteArray &method, const QByteArray &path, Handler handler);
    void addPrefix(const QByteArray &method, const QByteArray &prefix, Handler handler);

    // The handler for method and path, or nullptr. When the path is known
    // under other methods only, `allow` receives them ("GET, POST") for a 405.
    [[nodiscard]] const Handler *find(const QByteArray &method, const QByteArray &path, QByteArray &allow) const;

private:
    struct MethodHandler {
        QByteArray method;
        Handler handler;
    };
    struct ExactRoute {
        QByteArray path;
        std::vector<MethodHandler> methods;
    };
    struct PrefixRoute {
        QByteArray prefix;
        QByteArray method;
        Handler handler;
    };

    static void addAllowed(QByteArray &allow, const QByteArray &method);

    // A server has a few exact paths, so a scan that compares lengths first
    // is faster than hashing the path of every request.
    std::vector<ExactRoute> m_exact;
    std::vector<PrefixRoute> m_prefixes;
};

}  // namespace mutt::http
