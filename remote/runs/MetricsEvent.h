// One line of a run's metrics.jsonl (DESIGN.md contract 2) as a typed value: what the
// dashboard plots and the run list summarises. Fields a kind does not use keep their
// defaults; numbers the trainer wrote as null (a NaN loss has no JSON form) read as NaN.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <limits>
#include <optional>

namespace rdt {

struct MetricsEvent {
    enum class Kind { Start, Step, Sample, Checkpoint, Error, Done };
    static constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

    Kind kind = Kind::Step;
    qint64 offset = -1;        // byte offset of the line in metrics.jsonl
    double time = kMissing;    // seconds since the epoch (every event carries it)
    qint64 step = -1;          // Step, Sample, Checkpoint, Done; Start: the step resumed from (0: fresh)

    // Start
    QString version;
    int worldSize = 1;
    qint64 maxTrainSteps = -1;   // config.train.max_train_steps; -1 when absent
    QString resumedFrom;         // the checkpoint folder, empty for a fresh start
    QJsonObject config;
    // conditioning.warnings: why the run is not RDT-conditioned (stand-in encoders).
    QStringList conditioningWarnings;

    // Step
    double loss = kMissing;
    double learningRate = kMissing;
    double gradNorm = kMissing;
    double samplesPerSecond = kMissing;
    double epoch = kMissing;
    std::optional<double> dataWaitSeconds;   // only from trainers that measure it

    // Sample
    double sampleMse = kMissing;
    double sampleL2Error = kMissing;

    // Checkpoint: the folder name relative to the run folder ("checkpoint-500").
    QString path;

    // Error
    QString message;
};

using MetricsEventList = QList<MetricsEvent>;

} // namespace rdt

Q_DECLARE_METATYPE(rdt::MetricsEvent)
Q_DECLARE_METATYPE(rdt::MetricsEventList)
