#include "alerter/OidTrie.h"

namespace mutt::alerter {
namespace {

std::string_view trimmed(std::string_view text)
{
    const auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && isSpace(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && isSpace(text.back()))
        text.remove_suffix(1);
    return text;
}

}  // namespace

OidTrie::OidTrie() : m_nodes(1) { }

std::vector<std::string_view> OidTrie::arcs(std::string_view oid)
{
    oid = trimmed(oid);
    if (!oid.empty() && oid.front() == '.')
        oid.remove_prefix(1);
    if (oid.empty())
        return {};

    std::vector<std::string_view> out;
    size_t start = 0;
    while (true) {
        const size_t dot = oid.find('.', start);
        if (dot == std::string_view::npos) {
            out.push_back(oid.substr(start));
            break;
        }
        out.push_back(oid.substr(start, dot - start));
        start = dot + 1;
    }
    return out;
}

bool OidTrie::insert(std::string_view oid, int value)
{
    const std::vector<std::string_view> parts = arcs(oid);
    if (parts.empty())
        return false;

    int node = 0;
    for (const std::string_view arc : parts) {
        const std::string key(arc);
        const auto found = m_nodes[size_t(node)].children.find(key);
        if (found != m_nodes[size_t(node)].children.end()) {
            node = found->second;
            continue;
        }
        const int created = int(m_nodes.size());
        m_nodes[size_t(node)].children.emplace(key, created);
        m_nodes.emplace_back();
        node = created;
    }
    m_nodes[size_t(node)].values.push_back(value);
    ++m_size;
    return true;
}

void OidTrie::collect(std::string_view oid, std::vector<int> &values) const
{
    if (m_size == 0)
        return;

    int node = 0;
    std::string key;
    for (const std::string_view arc : arcs(oid)) {
        key.assign(arc);
        const auto &children = m_nodes[size_t(node)].children;
        const auto found = children.find(key);
        if (found == children.end())
            return;
        node = found->second;
        const auto &here = m_nodes[size_t(node)].values;
        values.insert(values.end(), here.begin(), here.end());
    }
}

}  // namespace mutt::alerter
