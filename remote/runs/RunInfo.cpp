// Names and the JSON form (`rdtctl runs --json`) of a run's summary.
#include "RunInfo.h"

#include <cmath>

namespace rdt {

QString RunInfo::stateName(RunState state)
{
    switch (state) {
    case RunState::Running: return QStringLiteral("running");
    case RunState::Finished: return QStringLiteral("finished");
    case RunState::Failed: return QStringLiteral("failed");
    case RunState::Stopped: return QStringLiteral("stopped");
    }
    return QStringLiteral("stopped");
}

QJsonObject RunInfo::toJson() const
{
    QJsonObject object;
    object.insert(QStringLiteral("name"), name);
    object.insert(QStringLiteral("folder"), folder);
    object.insert(QStringLiteral("state"), stateName(state));
    if (!detail.isEmpty())
        object.insert(QStringLiteral("detail"), detail);
    if (pid > 0)
        object.insert(QStringLiteral("pid"), pid);
    object.insert(QStringLiteral("step"), step);
    object.insert(QStringLiteral("max_steps"), maxSteps);
    object.insert(QStringLiteral("last_loss"), std::isfinite(lastLoss) ? QJsonValue(lastLoss) : QJsonValue());
    object.insert(QStringLiteral("start_time"),
                  startTime.isValid() ? QJsonValue(startTime.toUTC().toString(Qt::ISODate)) : QJsonValue());
    object.insert(QStringLiteral("last_update"),
                  lastUpdate.isValid() ? QJsonValue(lastUpdate.toUTC().toString(Qt::ISODate)) : QJsonValue());
    return object;
}

} // namespace rdt
