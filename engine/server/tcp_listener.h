#pragma once
// The listening socket. It lives in ProxyServer's accept thread and does nothing but accept:
// each new descriptor goes to `onIncoming` (which hands it to a worker) without ever becoming
// a QTcpSocket here.

#include <QTcpServer>
#include <functional>

namespace spyglass {

class TcpListener : public QTcpServer
{
    Q_OBJECT
public:
    explicit TcpListener(std::function<void(qintptr)> onIncoming, QObject* parent = nullptr);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    std::function<void(qintptr)> m_onIncoming;
};

} // namespace spyglass
