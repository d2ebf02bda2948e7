#include "backend/Backend.h"

#include <QCoreApplication>

namespace mutt::ui {

QString connectionStateName(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Idle: return QCoreApplication::translate("Backend", "Not connected");
    case ConnectionState::Connecting: return QCoreApplication::translate("Backend", "Connecting");
    case ConnectionState::Connected: return QCoreApplication::translate("Backend", "Connected");
    case ConnectionState::Failed: return QCoreApplication::translate("Backend", "Connection problem");
    case ConnectionState::Closed: return QCoreApplication::translate("Backend", "Disconnected");
    }
    return {};
}

Backend::Backend(QObject *parent) : QObject(parent) { }

Backend::~Backend() = default;

void Backend::setState(ConnectionState state, const QString &message)
{
    if (state == m_state && message == m_stateMessage)
        return;

    m_state = state;
    m_stateMessage = message;
    emit stateChanged(state, message);
}

}  // namespace mutt::ui
