// What the configuration page shows live: the effective batch size, the checkpoints and the
// disk they need, a GPU memory estimate and the expected duration. Rough on purpose (the
// allocator, CUDA context and kernels' workspaces vary): they warn before an out-of-memory,
// they do not replace a measurement.
#pragma once

#include "TrainingSettings.h"

#include <QString>
#include <QStringList>

namespace rdt {

struct TrainingEstimates {
    qint64 effectiveBatchSize = 0;     // batch x processes x accumulation
    qint64 checkpointCount = 0;        // kept on disk at the end
    qint64 checkpointBytes = 0;        // one checkpoint: weights, EMA, AdamW state
    qint64 gpuMemoryBytes = 0;         // per GPU
    qint64 hostMemoryBytes = 0;        // the same training state on a CPU run (no CUDA context)
    // Of those, the frozen SigLIP tower: its weights (bf16 on a GPU, fp32 on the CPU) and the
    // largest forward's working set; 0 with the patch stand-in.
    qint64 visionGpuBytes = 0;
    qint64 visionHostBytes = 0;
    double visionTeraFlopsPerStep = 0;   // the tower's forward per step and process
    double secondsTotal = -1;          // -1: no step rate yet

    // stepsPerSecond <= 0: unknown.
    static TrainingEstimates make(const TrainingSettings &settings, const ModelSize &model, double stepsPerSecond);

    // What to do when the estimate does not fit: the remedies in the order to try them.
    static QStringList memoryRemedies(const TrainingSettings &settings);
};

} // namespace rdt
