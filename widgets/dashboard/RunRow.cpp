// Names of run states, as the list, the header and rdtctl print them.
#include "RunRow.h"

namespace rdt {

QString runStateName(RunState state)
{
    switch (state) {
    case RunState::Running:
        return QStringLiteral("running");
    case RunState::Finished:
        return QStringLiteral("finished");
    case RunState::Failed:
        return QStringLiteral("failed");
    case RunState::Stopped:
        return QStringLiteral("stopped");
    case RunState::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

} // namespace rdt
