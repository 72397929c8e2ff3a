// Training settings and the trainer's argv.
#include "TrainingSettings.h"

#include <QRegularExpression>

namespace rdt {

namespace {

// google/siglip-so400m-patch14-384's vision_model.* tensors: 27 layers of 1152-wide attention
// and a 4304-wide MLP, the 14x14 patch embedding and 729 positions.
constexpr qint64 kSiglipSo400mVisionParameters = 428'000'000;

} // namespace

QList<ModelSize> ModelSize::known()
{
    return {
        {QStringLiteral("RDT-1B"), 1'230'000'000, 2048, 28, 2 * 3 * 729 + 1024, 67, kSiglipSo400mVisionParameters},
        {QStringLiteral("RDT-170M"), 166'000'000, 1024, 14, 2 * 3 * 729 + 1024, 67, kSiglipSo400mVisionParameters},
        // The sandbox's model (hidden 64, depth 2, 4 patches per image, 16 language tokens).
        {QStringLiteral("tiny (sandbox)"), 200'000, 64, 2, 2 * 3 * 4 + 16},
    };
}

QStringList TrainingSettings::trainerFlags() const
{
    QStringList flags{QStringLiteral("--config"), config, QStringLiteral("--dataset"), dataset};
    auto add = [&flags](const char *flag, const QString &value) { flags << QStringLiteral("--") + QLatin1String(flag) << value; };
    if (!pretrained.isEmpty())
        add("pretrained_model_name_or_path", pretrained);
    if (!resumeFrom.isEmpty())
        add("resume_from_checkpoint", resumeFrom);
    if (!visionEncoder.isEmpty())
        add("vision_encoder", visionEncoder);
    if (!lang.isEmpty())
        add("lang", lang);
    else if (!langEmbeddings.isEmpty())
        add("lang_embeddings", langEmbeddings);
    add("train_batch_size", QString::number(trainBatchSize));
    add("learning_rate", QString::number(learningRate, 'g', 10));
    add("max_train_steps", QString::number(maxTrainSteps));
    add("checkpointing_period", QString::number(checkpointingPeriod));
    add("checkpoints_total_limit", QString::number(checkpointsTotalLimit));
    add("gradient_accumulation_steps", QString::number(gradientAccumulationSteps));
    if (gradientCheckpointing)
        flags << QStringLiteral("--gradient_checkpointing");
    add("mixed_precision", mixedPrecision);
    add("lr_scheduler", lrScheduler);
    add("lr_warmup_steps", QString::number(lrWarmupSteps));
    add("max_grad_norm", QString::number(maxGradNorm, 'g', 10));
    add("sample_period", QString::number(samplePeriod));
    add("dataloader_num_workers", QString::number(dataloaderNumWorkers));
    add("seed", QString::number(seed));
    add("device", device);
    return flags;
}

QString TrainingSettings::summary() const
{
    return QStringLiteral("%1 process%2 on %3, batch %4 per process, lr %5, %6 steps, a checkpoint every %7, %8")
        .arg(processes)
        .arg(processes == 1 ? QString() : QStringLiteral("es"))
        .arg(device)
        .arg(trainBatchSize)
        .arg(learningRate)
        .arg(maxTrainSteps)
        .arg(checkpointingPeriod)
        .arg(mixedPrecision == QLatin1String("no") ? QStringLiteral("fp32") : mixedPrecision);
}

QStringList TrainingSettings::problems() const
{
    QStringList problems;
    static const QRegularExpression runNamePattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]*$"));
    if (!runNamePattern.match(runName).hasMatch())
        problems << QStringLiteral("the run name must be letters, digits, '.', '_' or '-' (it is a folder and a tmux session)");
    if (config.isEmpty())
        problems << QStringLiteral("choose the model configuration (a base.yaml or a config.json on the server)");
    if (dataset.isEmpty())
        problems << QStringLiteral("choose the dataset on the server");
    // The trainer refuses a run without RDT's encoders unless the stand-in is chosen.
    if (visionEncoder.isEmpty())
        problems << QStringLiteral("no vision encoder: the server check found no SigLIP folder; enter one "
                                   "(--vision_encoder) or \"patch\" for the trainable stand-in (not RDT-conditioned)");
    if (langEmbeddings.isEmpty() && lang != QLatin1String("learned"))
        problems << QStringLiteral("no language embeddings: the server check found none; enter encode_lang.py's "
                                   "files (--lang_embeddings) or choose --lang learned (not RDT-conditioned)");
    for (const auto &[name, value] : environment)
        if (!isValidEnvironmentName(name))
            problems << QStringLiteral("environment variable name '%1' is not valid").arg(QString::fromUtf8(name));
    return problems;
}

} // namespace rdt
