#include "layers/modes/root_layer.h"

#include "layers/modes/reverse_proxy_layer.h"
#include "layers/modes/socks5_layer.h"
#include "layers/modes/transparent_layer.h"
#include "layers/modes/upstream_proxy_layer.h"
#include "layers/next_layer.h"
#include "options/proxy_mode.h"

namespace spyglass::layers {

std::unique_ptr<proxy::Layer> makeRootLayer(proxy::Context context)
{
    const ProxyMode::Kind kind = context.mode ? context.mode->kind : ProxyMode::Kind::Regular;
    switch (kind) {
    case ProxyMode::Kind::Reverse:
        return std::make_unique<ReverseProxyLayer>(
            ReverseProxyLayer::targetContext(std::move(context)));
    case ProxyMode::Kind::Socks5:
        return std::make_unique<Socks5Layer>(std::move(context));
    case ProxyMode::Kind::Transparent: // context.server: the original destination, if any
        return std::make_unique<TransparentLayer>(std::move(context));
    case ProxyMode::Kind::Upstream: {
        auto child = std::make_unique<NextLayer>(context);
        return std::make_unique<UpstreamProxyLayer>(std::move(context), std::move(child));
    }
    case ProxyMode::Kind::Regular:
        break;
    }
    return std::make_unique<NextLayer>(std::move(context));
}

} // namespace spyglass::layers
