#include "http/HttpListener.h"

namespace mutt::http {

HttpListener::HttpListener(AcceptFunction onAccept, QObject *parent)
    : QTcpServer(parent)
    , m_onAccept(std::move(onAccept))
{
}

void HttpListener::incomingConnection(qintptr descriptor)
{
    m_onAccept(descriptor);
}

}  // namespace mutt::http
