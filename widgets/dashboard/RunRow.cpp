// Names of run states, as the list, the header and rdtctl print them.
#include "RunRow.h"

namespace rdt {

QString runStateName(RunRowState state)
{
    switch (state) {
    case RunRowState::Running:
        return QStringLiteral("running");
    case RunRowState::Finished:
        return QStringLiteral("finished");
    case RunRowState::Failed:
        return QStringLiteral("failed");
    case RunRowState::Stopped:
        return QStringLiteral("stopped");
    case RunRowState::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

} // namespace rdt
