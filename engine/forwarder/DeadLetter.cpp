#include "forwarder/DeadLetter.h"

#include "event/Event.h"

#include <QDateTime>
#include <QTimeZone>

namespace mutt::forwarder {

void markDeadLetter(event::Event &item, const DeadLetterInfo &info)
{
    item.setString(event::fields::dlqReason, info.reason);
    item.setString(
        event::fields::dlqAt, event::formatTimestamp(QDateTime::fromMSecsSinceEpoch(info.atMs, QTimeZone::utc())));
    item.setInteger(event::fields::dlqLastStatus, info.lastStatus);
    item.setString(event::fields::dlqSource, info.source);
}

QByteArray wrapRawDeadLetter(const QByteArray &raw, const DeadLetterInfo &info)
{
    event::Event wrapper;
    wrapper.setString(dlqRawField, QString::fromUtf8(raw));
    markDeadLetter(wrapper, info);
    return wrapper.toJson();
}

void clearDeadLetterFields(event::Event &item)
{
    item.remove(event::fields::dlqReason);
    item.remove(event::fields::dlqAt);
    item.remove(event::fields::dlqLastStatus);
    item.remove(event::fields::dlqSource);
}

}  // namespace mutt::forwarder
