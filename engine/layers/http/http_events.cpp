#include "layers/http/http_events.h"

namespace spyglass::layers::http {

int streamIdOf(const HttpEvent& event)
{
    return std::visit([](const auto& e) { return e.streamId; }, event);
}

} // namespace spyglass::layers::http
