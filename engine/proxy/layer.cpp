#include "proxy/layer.h"

namespace spyglass::proxy {

Layer::Layer(Context context) : m_context(std::move(context)) {}

Layer::~Layer() = default;

void mergeSendData(Commands& commands)
{
    if (commands.size() < 2)
        return;
    size_t out = 0;
    for (size_t i = 0; i < commands.size(); ++i) {
        if (out > 0) {
            auto* prev = std::get_if<SendData>(&commands[out - 1]);
            const auto* cur = std::get_if<SendData>(&commands[i]);
            if (prev && cur && prev->connection == cur->connection) {
                prev->data += cur->data;
                continue;
            }
        }
        if (out != i)
            commands[out] = std::move(commands[i]);
        ++out;
    }
    commands.resize(out);
}

Context Context::withServer(const Address& address) const
{
    Context c = *this;
    c.server = makeConnection(Connection::Role::Server);
    c.server->peer = address;
    return c;
}

} // namespace spyglass::proxy
