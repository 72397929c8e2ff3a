// The configuration page's estimates. Bytes per parameter: the fp32 weights (4), their
// gradients (4), AdamW's two moments (8) and the EMA copy RDT keeps on the device (4).
// Activations per sample and block: what the cross-attention saves over the condition
// tokens (its keys and values, the per-head key norm's float32 intermediates: about 3
// values per hidden unit of each condition token, averaged over the blocks) and about 24
// values per hidden unit of each action token (attention, MLP, norms and their saved
// inputs); gradient checkpointing keeps only each block's input plus one block's worth at a
// time. Calibrated on an H100 (LibTorch 2.11, bf16): rdt-170m at batch 32 peaked at 19.6 GB
// (estimate 21 GB); rdt-1b at batch 32 ran out of 80 GB (estimate 91 GB) and fitted with
// gradient checkpointing (estimate 29 GB).
// The frozen SigLIP tower (training/vision) adds its weights and, without gradients, one
// layer's working set at a time for at most 64 images per forward (SiglipImageEncoder's
// chunk): queries, keys, values, attention output and the MLP's hidden units per token; on
// the CPU the attention also materialises its scores. Its output, 6 x 729 x 1152 float32
// values per sample, stays until the step ends.
#include "TrainingEstimates.h"

#include <algorithm>

namespace rdt {

namespace {

constexpr qint64 kTrainingBytesPerParameter = 4 + 4 + 8 + 4;
// A checkpoint holds the weights, the EMA weights and the AdamW state, all fp32.
constexpr qint64 kCheckpointBytesPerParameter = 4 + 4 + 8;
// The CUDA context, cuBLAS workspaces and the allocator's slack.
constexpr qint64 kDeviceOverheadBytes = qint64(1500) << 20;
// On the CPU: LibTorch's own libraries and the data loader's buffers, whatever the model.
constexpr qint64 kHostRuntimeBytes = qint64(400) << 20;
// SiglipImageEncoder's images per tower forward, and so400m's attention heads.
constexpr qint64 kImagesPerTowerForward = 64;
constexpr int kSiglipHeads = 16;

} // namespace

TrainingEstimates TrainingEstimates::make(const TrainingSettings &s, const ModelSize &model, double stepsPerSecond)
{
    TrainingEstimates e;
    e.effectiveBatchSize = s.trainBatchSize * std::max(1, s.processes) * std::max<qint64>(1, s.gradientAccumulationSteps);

    const qint64 written = s.checkpointingPeriod > 0 ? s.maxTrainSteps / s.checkpointingPeriod : 0;
    e.checkpointCount = s.checkpointsTotalLimit > 0 ? std::min(written, s.checkpointsTotalLimit) : written;
    e.checkpointBytes = model.parameters * kCheckpointBytesPerParameter;

    const qint64 valueBytes = s.mixedPrecision == QLatin1String("no") ? 4 : 2;
    const qint64 perBlock = (3 * qint64(model.conditionTokens) + 24 * qint64(model.actionTokens)) * model.hiddenSize;
    const qint64 blocksKept = s.gradientCheckpointing ? 1 : model.depth;
    const qint64 checkpointInputs = s.gradientCheckpointing ? qint64(model.depth) * model.actionTokens * model.hiddenSize : 0;
    const qint64 activations = s.trainBatchSize * (perBlock * blocksKept + checkpointInputs) * valueBytes;
    const qint64 trainingState = model.parameters * kTrainingBytesPerParameter + activations;
    const bool tower = model.visionParameters > 0 && s.visionEncoder != QLatin1String("patch");
    if (tower) {
        const qint64 images = std::min<qint64>(kImagesPerTowerForward, s.trainBatchSize * model.imagesPerSample);
        const qint64 perImageValues = qint64(model.visionTokens) * (4 * model.visionHidden + model.visionIntermediate);
        const qint64 scores = qint64(kSiglipHeads) * model.visionTokens * model.visionTokens;
        const qint64 features = s.trainBatchSize * model.imagesPerSample * qint64(model.visionTokens) * model.visionHidden * 4;
        e.visionGpuBytes = model.visionParameters * 2 + images * perImageValues * 2 + features;
        e.visionHostBytes = model.visionParameters * 4 + images * (perImageValues + scores) * 4 + features;
        // 2 FLOPs per parameter and token of the layers, the patch embedding included.
        e.visionTeraFlopsPerStep = 2.0 * double(model.visionParameters) * model.visionTokens * model.imagesPerSample
                                   * double(s.trainBatchSize) * std::max<qint64>(1, s.gradientAccumulationSteps) / 1e12;
    }
    e.hostMemoryBytes = trainingState + kHostRuntimeBytes + e.visionHostBytes;
    e.gpuMemoryBytes = trainingState + kDeviceOverheadBytes + e.visionGpuBytes;

    if (stepsPerSecond > 0)
        e.secondsTotal = double(s.maxTrainSteps) / stepsPerSecond;
    return e;
}

QStringList TrainingEstimates::memoryRemedies(const TrainingSettings &s)
{
    QStringList remedies;
    if (s.mixedPrecision == QLatin1String("no"))
        remedies << QStringLiteral("mixed precision bf16 (halves the activations)");
    if (!s.gradientCheckpointing)
        remedies << QStringLiteral("gradient checkpointing (keeps one block's activations instead of all)");
    if (s.trainBatchSize > 1)
        remedies << QStringLiteral("a smaller batch per GPU (%1), with gradient accumulation %2 to keep the effective batch")
                        .arg(std::max<qint64>(1, s.trainBatchSize / 2))
                        .arg(s.gradientAccumulationSteps * 2);
    remedies << QStringLiteral("the smaller model (RDT-170M)");
    return remedies;
}

} // namespace rdt
