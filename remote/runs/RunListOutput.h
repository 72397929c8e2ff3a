// The run list's reading of its scan script's answer (tagged lines, metrics.jsonl pieces
// as counted bytes) and the rule that turns what the scan found into a run's state. Pure
// parsing, apart from the command that produces the answer (RunList), so that it can be
// fuzzed alone (tests/fuzz/run_list).
#pragma once

#include "MetricsEvent.h"
#include "Result.h"
#include "RunInfo.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace rdt {

// What the scan found in one run folder, before the state is decided.
struct RunFacts {
    QString name;
    QString folder;
    qint64 livePid = 0;                 // 0: no live trainer
    std::optional<int> exitStatus;      // from RUN/.rdt/exit-status
    bool stopRequested = false;
    qint64 maxStepsFromRunYaml = -1;
    QDateTime metricsModified;
    MetricsEventList firstEvents;       // the first line's event, if complete and known
    MetricsEventList lastEvents;        // the complete lines among the last ones
};

class RunListOutput {
public:
    [[nodiscard]] static Result<QList<RunFacts>> parse(const QByteArray &output, const QString &remoteRoot);
    static RunInfo summarise(const RunFacts &facts);
};

} // namespace rdt
