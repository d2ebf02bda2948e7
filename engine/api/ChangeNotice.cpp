#include "api/ChangeNotice.h"

#include "core/Log.h"
#include "queue/Coordination.h"

#include <QDateTime>

namespace mutt::api {

void ChangeNotice::rulesChanged() const
{
    publish(QStringLiteral("rules"));
}

void ChangeNotice::devHostsChanged() const
{
    publish(QStringLiteral("development_hosts"));
}

void ChangeNotice::teamsChanged() const
{
    publish(QStringLiteral("device_teams"));
}

bool ChangeNotice::isNoticeKey(const QString &key)
{
    return key == u"rules" || key == u"development_hosts" || key == u"device_teams";
}

void ChangeNotice::publish(const QString &key) const
{
    const QString stamp = QString::number(QDateTime::currentMSecsSinceEpoch());
    if (const Status published = m_coordination.setConfig(key, stamp); !published) {
        mutt::log::get("api")->warn("change notice not published key={}; reason={}; alerters pick the change up "
                                    "at their next periodic reload",
            key, published.error().message);
    }
}

}  // namespace mutt::api
