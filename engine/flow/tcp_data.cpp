#include "flow/tcp_data.h"

namespace spyglass {

qint64 TcpData::bytes(bool fromClient) const
{
    qint64 total = 0;
    for (const TcpMessage& m : messages)
        if (m.fromClient == fromClient)
            total += m.content.size();
    return total;
}

} // namespace spyglass
