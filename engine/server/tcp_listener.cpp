#include "server/tcp_listener.h"

namespace spyglass {

TcpListener::TcpListener(std::function<void(qintptr)> onIncoming, QObject* parent)
    : QTcpServer(parent), m_onIncoming(std::move(onIncoming))
{
}

void TcpListener::incomingConnection(qintptr descriptor)
{
    m_onIncoming(descriptor);
}

} // namespace spyglass
