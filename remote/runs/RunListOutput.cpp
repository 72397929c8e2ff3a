// The scan script prints tagged lines; the two pieces of metrics.jsonl travel as counted
// bytes ("@first N" / "@tail N" then N bytes), so a torn last line stays torn and is left
// out by the parser, and no file content can pass for a tag.
#include "RunListOutput.h"

#include "MetricsLineParser.h"
#include "WholeNumber.h"

#include <algorithm>

namespace rdt {
namespace {

Error badOutput(const QString &root, const QString &why)
{
    return makeError(ErrorCode::Protocol, QStringLiteral("listing runs under %1: unexpected output from the server: %2")
                                              .arg(root, why));
}

// The events of a piece of metrics.jsonl: complete lines only. A tail may start in the
// middle of nothing (tail -n gives whole lines), but its last line may be unfinished.
MetricsEventList eventsOf(const QByteArray &piece)
{
    MetricsLineParser parser;
    return parser.feed(piece).events;
}

} // namespace

Result<QList<RunFacts>> RunListOutput::parse(const QByteArray &output, const QString &remoteRoot)
{
    QList<RunFacts> runs;
    qint64 position = 0;
    bool sawHeader = false;
    QString root;
    while (position < output.size()) {
        const qint64 newline = output.indexOf('\n', position);
        if (newline < 0)
            return badOutput(remoteRoot, QStringLiteral("cut off (no @end)"));
        const QByteArray line = output.mid(position, newline - position);
        position = newline + 1;
        if (!sawHeader) {
            sawHeader = line == "@rdt-runs 1";
            continue;
        }
        const qint64 space = line.indexOf(' ');
        const QByteArray tag = space < 0 ? line : line.left(space);
        const QByteArray value = space < 0 ? QByteArray() : line.mid(space + 1);
        if (tag == "@end")
            return runs;
        if (tag == "@no-root")
            return makeError(ErrorCode::RemoteFailed, QStringLiteral("listing runs: remote root %1: %2")
                                                          .arg(remoteRoot, QString::fromUtf8(value)));
        if (tag == "@root") {
            root = QString::fromUtf8(value);
            continue;
        }
        if (tag == "@run") {
            RunFacts facts;
            facts.name = QString::fromUtf8(value);
            facts.folder = root + QStringLiteral("/runs/") + facts.name;
            runs.append(facts);
            continue;
        }
        if (runs.isEmpty())
            return badOutput(remoteRoot, QStringLiteral("\"%1\" before any run").arg(QString::fromUtf8(line.left(80))));
        RunFacts &facts = runs.last();
        bool ok = true;
        if (tag == "@pid") {
            facts.livePid = value.toLongLong(&ok);
        } else if (tag == "@exit") {
            facts.exitStatus = value.toInt(&ok);
        } else if (tag == "@stop") {
            facts.stopRequested = true;
        } else if (tag == "@maxsteps") {
            facts.maxStepsFromRunYaml = value.toLongLong(&ok);
        } else if (tag == "@mtime") {
            facts.metricsModified = QDateTime::fromSecsSinceEpoch(value.toLongLong(&ok));
        } else if (tag == "@first" || tag == "@tail") {
            const qint64 length = value.toLongLong(&ok);
            if (!ok || length < 0 || length > output.size() - position)
                return badOutput(remoteRoot, QStringLiteral("a cut %1 block").arg(QString::fromUtf8(tag)));
            const MetricsEventList events = eventsOf(output.mid(position, length));
            position += length;
            (tag == "@first" ? facts.firstEvents : facts.lastEvents) = events;
        } else {
            return badOutput(remoteRoot, QString::fromUtf8(line.left(80)));
        }
        if (!ok)
            return badOutput(remoteRoot, QString::fromUtf8(line.left(80)));
    }
    return badOutput(remoteRoot, sawHeader ? QStringLiteral("cut off (no @end)") : QStringLiteral("no @rdt-runs header"));
}

RunInfo RunListOutput::summarise(const RunFacts &facts)
{
    RunInfo run;
    run.name = facts.name;
    run.folder = facts.folder;
    run.lastUpdate = facts.metricsModified;
    run.maxSteps = facts.maxStepsFromRunYaml;
    if (!facts.firstEvents.isEmpty() && facts.firstEvents.first().kind == MetricsEvent::Kind::Start) {
        if (const std::optional<qint64> ms = WholeNumber::fromDouble(facts.firstEvents.first().time * 1000))
            run.startTime = QDateTime::fromMSecsSinceEpoch(*ms);
    }

    // The last lines, in order: progress, and how the latest start ended (a resumed run
    // appends a new start after an old error or done).
    const MetricsEvent *ending = nullptr;
    for (const MetricsEvent &event : facts.lastEvents) {
        switch (event.kind) {
        case MetricsEvent::Kind::Start:
            ending = nullptr;
            if (event.maxTrainSteps >= 0)
                run.maxSteps = event.maxTrainSteps;
            run.step = std::max(run.step, event.step);
            break;
        case MetricsEvent::Kind::Step:
            run.step = std::max(run.step, event.step);
            run.lastLoss = event.loss;
            break;
        case MetricsEvent::Kind::Done:
        case MetricsEvent::Kind::Error:
            ending = &event;
            run.step = std::max(run.step, event.step);
            break;
        case MetricsEvent::Kind::Sample:
        case MetricsEvent::Kind::Checkpoint:
            run.step = std::max(run.step, event.step);
            break;
        }
    }

    if (facts.livePid > 0) {
        run.state = RunState::Running;
        run.pid = facts.livePid;
    } else if (ending && ending->kind == MetricsEvent::Kind::Done) {
        run.state = RunState::Finished;
    } else if (ending) {
        run.state = RunState::Failed;
        run.detail = ending->message;
    } else if (facts.stopRequested) {
        run.state = RunState::Stopped;
        run.detail = QStringLiteral("stopped on request");
    } else if (facts.exitStatus) {
        // 130 and 143: SIGINT and SIGTERM, someone stopped it (Ctrl-C in its tmux);
        // anything else without an error event is a crash or a kill.
        const int status = *facts.exitStatus;
        if (status == 0) {
            run.state = RunState::Finished;
        } else if (status == 128 + 2 || status == 128 + 15) {
            run.state = RunState::Stopped;
            run.detail = QStringLiteral("ended by signal %1").arg(status - 128);
        } else {
            run.state = RunState::Failed;
            run.detail = status > 128 ? QStringLiteral("killed by signal %1").arg(status - 128)
                                      : QStringLiteral("the trainer exited with status %1").arg(status);
        }
    } else {
        // Started by hand and gone without a final event: most likely interrupted.
        run.state = RunState::Stopped;
        run.detail = QStringLiteral("ended without a final event");
    }
    return run;
}

} // namespace rdt
