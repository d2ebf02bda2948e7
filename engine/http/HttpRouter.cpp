#include "http/HttpRouter.h"

#include <algorithm>

namespace mutt::http {

void HttpRouter::add(const QByteArray &method, const QByteArray &path, Handler handler)
{
    auto route = std::find_if(
        m_exact.begin(), m_exact.end(), [&path](const ExactRoute &candidate) { return candidate.path == path; });
    if (route == m_exact.end())
        route = m_exact.insert(m_exact.end(), ExactRoute {path, {}});
    std::vector<MethodHandler> &methods = route->methods;
    for (MethodHandler &existing : methods) {
        if (existing.method == method) {
            existing.handler = std::move(handler);
            return;
        }
    }
    methods.push_back(MethodHandler {method, std::move(handler)});
}

void HttpRouter::addPrefix(const QByteArray &method, const QByteArray &prefix, Handler handler)
{
    m_prefixes.push_back(PrefixRoute {prefix, method, std::move(handler)});
    std::stable_sort(m_prefixes.begin(), m_prefixes.end(),
        [](const PrefixRoute &a, const PrefixRoute &b) { return a.prefix.size() > b.prefix.size(); });
}

const Handler *HttpRouter::find(const QByteArray &method, const QByteArray &path, QByteArray &allow) const
{
    const auto exact = std::find_if(
        m_exact.begin(), m_exact.end(), [&path](const ExactRoute &candidate) { return candidate.path == path; });
    if (exact != m_exact.end()) {
        for (const MethodHandler &entry : exact->methods) {
            if (entry.method == method)
                return &entry.handler;
            addAllowed(allow, entry.method);
        }
    }

    for (const PrefixRoute &route : m_prefixes) {
        if (!path.startsWith(route.prefix))
            continue;
        if (route.method == method)
            return &route.handler;
        addAllowed(allow, route.method);
    }
    return nullptr;
}

void HttpRouter::addAllowed(QByteArray &allow, const QByteArray &method)
{
    for (QByteArrayView rest = allow; !rest.isEmpty();) {
        const qsizetype comma = rest.indexOf(',');
        if ((comma < 0 ? rest : rest.first(comma)) == method)
            return;
        rest = comma < 0 ? QByteArrayView() : rest.sliced(comma + 2);
    }
    if (!allow.isEmpty())
        allow.append(", ");
    allow.append(method);
}

}  // namespace mutt::http
