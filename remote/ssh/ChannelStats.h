// How a connection uses its channel budget, for tests, benchmarks and the connection log:
// the limit in force (lowered when the server refused a channel), the channels open and
// the commands waiting now, and the most of each seen since the connection opened.
#pragma once

#include <QMetaType>

namespace rdt {

// Channels one connection opens at most until the server says otherwise: OpenSSH's
// default MaxSessions (10) less a margin (see libssh/ChannelBudget.h).
inline constexpr int kDefaultChannelBudget = 8;

struct ChannelStats {
    int limit = 0;
    int open = 0;
    int waiting = 0;
    int peakOpen = 0;
    int peakWaiting = 0;
};

} // namespace rdt

Q_DECLARE_METATYPE(rdt::ChannelStats)
