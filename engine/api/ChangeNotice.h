#pragma once

#include <QString>

namespace mutt::queue {
class Coordination;
}

namespace mutt::api {

// Tells every alerter that rules, dev hosts or teams changed. It sets the
// dynamic-config key "rules", "development_hosts" or "device_teams" to the
// change time, which publishes the key on mutt:config:updates, and alerters
// reload their rule snapshot when they see one of these keys. Called after the
// SQL commit. A failed notice is logged, not returned, because the change is
// committed and alerters still load it at their next periodic reload.
class ChangeNotice final {
public:
    explicit ChangeNotice(queue::Coordination &coordination) : m_coordination(coordination) { }

    void rulesChanged() const;
    void devHostsChanged() const;
    void teamsChanged() const;

    // True for the keys above, which are notices and not settings.
    static bool isNoticeKey(const QString &key);

private:
    void publish(const QString &key) const;

    queue::Coordination &m_coordination;
};

}  // namespace mutt::api
