#pragma once
// The first layer of every client connection, chosen by the mode of the listener it came in
// on (context.mode, options/proxy_mode.h): regular -> NextLayer (the proxy port), reverse ->
// ReverseProxyLayer with the mode's server preset, socks5 -> Socks5Layer, upstream ->
// UpstreamProxyLayer over NextLayer, transparent -> TransparentLayer (the shell presets the
// server from the socket's original destination). The engine facade's ServerConfig::rootLayer.

#include "proxy/layer.h"

#include <memory>

namespace spyglass::layers {

std::unique_ptr<proxy::Layer> makeRootLayer(proxy::Context context);

} // namespace spyglass::layers
