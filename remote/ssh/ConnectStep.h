// One step of connecting through a route, reported as it happens so the wizard can show
// each hop in turn (jump reached, jump key ok, jump authenticated, target reached, ...).
#pragma once

#include <QMetaType>
#include <QString>

#include <functional>

namespace rdt {

struct ConnectStep {
    enum Kind { Reaching, Reached, HostKeyAccepted, Authenticated };
    int hop = 0;        // 0-based index in SshRoute::hops()
    int hopCount = 1;
    QString host;       // display name
    Kind kind = Reaching;

    QString describe() const
    {
        const QString role = hop + 1 < hopCount ? QStringLiteral("jump host") : QStringLiteral("host");
        switch (kind) {
        case Reaching: return QStringLiteral("reaching %1 %2").arg(role, host);
        case Reached: return QStringLiteral("%1 %2 reached").arg(role, host);
        case HostKeyAccepted: return QStringLiteral("%1 %2: host key ok").arg(role, host);
        case Authenticated: return QStringLiteral("%1 %2: authenticated").arg(role, host);
        }
        return {};
    }
};

using ConnectStepCallback = std::function<void(const ConnectStep &)>;

} // namespace rdt

Q_DECLARE_METATYPE(rdt::ConnectStep)
