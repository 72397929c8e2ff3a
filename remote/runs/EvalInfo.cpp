// Names and JSON of an eval's state, for `rdtctl evals --json` and the Eval view.
#include "EvalInfo.h"

namespace rdt {

QString EvalInfo::stateName(EvalState state)
{
    switch (state) {
    case EvalState::Running: return QStringLiteral("running");
    case EvalState::Done: return QStringLiteral("done");
    case EvalState::Failed: return QStringLiteral("failed");
    case EvalState::Stopped: return QStringLiteral("stopped");
    }
    return {};
}

QJsonObject EvalInfo::toJson() const
{
    QJsonObject object{{QStringLiteral("checkpoint"), checkpoint}, {QStringLiteral("folder"), folder},
                       {QStringLiteral("state"), stateName(state)}, {QStringLiteral("episodes_done"), episodesDone},
                       {QStringLiteral("results"), hasResults}, {QStringLiteral("videos"), videos}};
    if (episodesTotal >= 0)
        object.insert(QStringLiteral("episodes"), episodesTotal);
    if (pid > 0)
        object.insert(QStringLiteral("pid"), pid);
    if (!detail.isEmpty())
        object.insert(QStringLiteral("detail"), detail);
    return object;
}

} // namespace rdt
