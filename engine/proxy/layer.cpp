#include "proxy/layer.h"

namespace spyglass::proxy {

Layer::Layer(Context context) : m_context(std::move(context)) {}

Layer::~Layer() = default;

Context Context::withServer(const Address& address) const
{
    Context c = *this;
    c.server = makeConnection(Connection::Role::Server);
    c.server->peer = address;
    return c;
}

} // namespace spyglass::proxy
