#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mutt::alerter {

// SNMP OID prefixes keyed arc by arc, so a lookup costs one step per arc of
// the event OID whatever the number of prefixes, and a prefix matches only
// whole arcs (1.3.6.1.4.1.9 covers 1.3.6.1.4.1.9.9 but not 1.3.6.1.4.1.99).
class OidTrie final {
public:
    OidTrie();

    // Splits an OID into arcs after trimming spaces and one leading dot.
    // Returns no arcs for an empty OID.
    static std::vector<std::string_view> arcs(std::string_view oid);

    // Adds a prefix with its value. Returns false (and adds nothing) when the
    // OID has no arcs.
    bool insert(std::string_view oid, int value);

    // Appends the values of every stored prefix of `oid`, shortest first.
    void collect(std::string_view oid, std::vector<int> &values) const;

    [[nodiscard]] bool empty() const { return m_size == 0; }

private:
    struct Node {
        std::unordered_map<std::string, int> children;  // arc -> node index
        std::vector<int> values;
    };

    std::vector<Node> m_nodes;
    int m_size = 0;
};

}  // namespace mutt::alerter
