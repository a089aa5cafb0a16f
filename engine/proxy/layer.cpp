#include "proxy/layer.h"

namespace spyglass::proxy {

Layer::Layer(Context context) : m_context(std::move(context)) {}

Layer::~Layer() = default;

void mergeSendData(Commands& commands)
{
    if (commands.size() < 2)
        return;
    // A run of SendData to one connection becomes its first command; the joined buffer is
    // sized once (appending piecewise reallocated on every step: a tenth of a worker's time).
    size_t out = 0;
    size_t i = 0;
    while (i < commands.size()) {
        size_t end = i + 1;
        if (const auto* first = std::get_if<SendData>(&commands[i])) {
            qsizetype total = first->data.size();
            while (end < commands.size()) {
                const auto* next = std::get_if<SendData>(&commands[end]);
                if (!next || next->connection != first->connection)
                    break;
                total += next->data.size();
                ++end;
            }
            if (end - i > 1) {
                QByteArray joined;
                joined.reserve(total);
                for (size_t k = i; k < end; ++k)
                    joined += std::get<SendData>(commands[k]).data;
                std::get<SendData>(commands[i]).data = std::move(joined);
            }
        }
        if (out != i)
            commands[out] = std::move(commands[i]);
        ++out;
        i = end;
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
