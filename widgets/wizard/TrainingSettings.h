// The run the wizard will start: the trainer's flags (contract 1, RDT's names and this
// trainer's defaults from training/train/TrainOptions.h), the run's name, the model size the
// estimates assume, the process count and the environment, and the argv it makes (presets:
// TrainingPresets).
#pragma once

#include "ShellQuote.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace rdt {

// The model the estimates are made for. Parameter counts from the official checkpoints;
// condition tokens: 2 frames x 3 cameras x SigLIP's 27x27 patches + T5's 1024 tokens.
struct ModelSize {
    QString name;
    qint64 parameters = 0;
    int hiddenSize = 0;
    int depth = 0;
    int conditionTokens = 0;   // image + language tokens the blocks cross-attend to
    int actionTokens = 67;     // 64 actions + state + timestep + frequency tokens
    // The frozen SigLIP so400m-patch14-384 tower RDT conditions on (its vision_model: 27
    // layers, width 1152, MLP 4304, 729 tokens per 384 px image); 0 for the sandbox's model,
    // which trains with the patch stand-in.
    qint64 visionParameters = 0;
    int visionTokens = 729;
    int visionHidden = 1152;
    int visionIntermediate = 4304;
    int visionLayers = 27;
    int imagesPerSample = 6;   // 2 frames x 3 cameras, the unused slot RDT's background image

    static QList<ModelSize> known();   // RDT-1B, RDT-170M, the sandbox's tiny model
};

struct TrainingSettings {
    QString runName;
    QString config;              // remote: a base.yaml or a pretrained folder's config.json
    QString dataset;             // remote
    QString pretrained;          // remote folder or file; empty: from scratch
    QString resumeFrom;          // "latest", a checkpoint folder, or empty
    // RDT's conditioning (remote paths): the SigLIP folder, or "patch" for the trainable
    // stand-in; the T5 embeddings, or lang "learned" for the learned word table.
    QString visionEncoder;
    QString langEmbeddings;
    QString lang;
    int processes = 1;           // one per GPU; more than 1: `rdt-trainer launch --nproc_per_node`
    qint64 trainBatchSize = 4;
    double learningRate = 1e-4;
    qint64 maxTrainSteps = 1000;
    qint64 checkpointingPeriod = 500;
    qint64 checkpointsTotalLimit = 0;   // 0: keep all
    qint64 gradientAccumulationSteps = 1;
    bool gradientCheckpointing = false;
    QString mixedPrecision = QStringLiteral("no");   // no | bf16
    QString lrScheduler = QStringLiteral("constant");
    qint64 lrWarmupSteps = 500;
    double maxGradNorm = 1.0;
    qint64 samplePeriod = 0;
    qint64 dataloaderNumWorkers = 2;
    qint64 seed = 0;
    QString device = QStringLiteral("cpu");
    QString modelSize = QStringLiteral("RDT-1B");
    EnvironmentList environment;

    // The flags after `rdt-trainer train`, but --output_dir: RunLauncher adds that
    // (ROOT/runs/<runName>).
    QStringList trainerFlags() const;
    // One line for the user: "8 processes, batch 4 per GPU, lr 0.0001, 30000 steps…"
    QString summary() const;
    // Empty when the settings can be launched; otherwise what is wrong, one line each.
    QStringList problems() const;
};

} // namespace rdt
