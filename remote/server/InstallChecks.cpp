// What is installed under the remote root: the trainer (and what it says about itself),
// the root's folders, the pretrained model, tmux. Hints are commands to paste on the server.
#include "InstallChecks.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QRegularExpression>

#include <optional>

namespace rdt {

namespace {

// What `rdt-trainer info --json` says about itself (training/cli/InfoCommand.cpp:
// {"version", "libtorch", "cuda_available", "cuda_device_count", ...}). From plain text only
// the first dotted number, so an older trainer without --json still reports a version.
struct TrainerInfo {
    QString version;
    QString libtorch;
    std::optional<bool> cudaAvailable;
    int cudaDeviceCount = 0;
};

TrainerInfo parseTrainerInfo(const QByteArray &output)
{
    TrainerInfo info;
    const QJsonDocument document = QJsonDocument::fromJson(output.trimmed());
    if (document.isObject()) {
        const QJsonObject object = document.object();
        info.version = object.value(QStringLiteral("version")).toString();
        info.libtorch = object.value(QStringLiteral("libtorch")).toString();
        if (object.value(QStringLiteral("cuda_available")).isBool())
            info.cudaAvailable = object.value(QStringLiteral("cuda_available")).toBool();
        info.cudaDeviceCount = object.value(QStringLiteral("cuda_device_count")).toInt();
        return info;
    }
    static const QRegularExpression versionPattern(QStringLiteral("\\b(\\d+\\.\\d+(\\.\\d+)?)\\b"));
    info.version = versionPattern.match(QString::fromUtf8(output)).captured(1);
    return info;
}

// One model folder: which weights it has (safetensors first, as the trainer loads them),
// or why it is not usable.
struct ModelFolder {
    QString path;
    QString name;
    bool usable = false;
    QString description;  // "model.safetensors, 2.3 GiB" or what is missing
};

ModelFolder describeModel(const ProbeSection &section)
{
    const QMap<QString, QString> values = section.values();
    ModelFolder model;
    model.path = values.value(QStringLiteral("path"));
    model.name = model.path.section(QLatin1Char('/'), -1, -1, QString::SectionSkipEmpty);
    if (values.value(QStringLiteral("exists")) != QLatin1String("1")) {
        model.description = QStringLiteral("%1 does not exist").arg(model.path);
        return model;
    }
    const bool config = values.contains(QStringLiteral("config_json"));
    QString weights;
    qint64 weightBytes = 0;
    for (const auto &[key, file] : {std::pair{"model_safetensors", "model.safetensors"},
                                    std::pair{"pytorch_model_bin", "pytorch_model.bin"}}) {
        if (values.contains(QLatin1String(key))) {
            weights = QLatin1String(file);
            weightBytes = values.value(QLatin1String(key)).toLongLong();
            break;
        }
    }
    if (!config && weights.isEmpty()) {
        model.description = QStringLiteral("%1 has neither config.json nor weights").arg(model.path);
    } else if (!config) {
        model.description = QStringLiteral("%1 has %2 but no config.json").arg(model.path, weights);
    } else if (weights.isEmpty()) {
        model.description = QStringLiteral("%1 has config.json but neither model.safetensors nor "
                                           "pytorch_model.bin").arg(model.path);
    } else if (weightBytes == 0) {
        model.description = QStringLiteral("%1/%2 is empty").arg(model.path, weights);
    } else {
        model.usable = true;
        model.description = QStringLiteral("%1, %2").arg(weights, ProbeCheck::formatBytes(weightBytes));
        const qint64 folderBytes = values.value(QStringLiteral("size_kb")).toLongLong() * 1024;
        // A folder much larger than its weights holds other things worth knowing about
        // (optimizer state, a second copy); say so, the user pays for it at every sync.
        // Below 256 MiB the difference is block rounding and small files.
        if (folderBytes > 2 * weightBytes && folderBytes - weightBytes > (qint64(256) << 20))
            model.description += QStringLiteral("; folder %1").arg(ProbeCheck::formatBytes(folderBytes));
    }
    return model;
}

} // namespace

// gpuCount: what nvidia-smi listed, to tell a CPU-only LibTorch on a GPU server.
CheckItem InstallChecks::trainer(const ProbeSection *found, const ProbeSection *info,
                                 const QString &root, int gpuCount,
                                 const ServerProbeExpectations &expectations)
{
    const QString title = QStringLiteral("Trainer (rdt-trainer)");
    if (!found)
        return missingSection(CheckId::Trainer, title, QStringLiteral("trainer"));
    // TrainerDeployer does exactly this: the wizard's "install / update trainer" fix and
    // `rdtctl deploy` build this workbench's trainer there and install it in ROOT/bin.
    const QString buildHint =
        QStringLiteral("the Fix button or `rdtctl deploy HOST --root %1` builds it on the server into %2")
            .arg(root.isEmpty() ? QStringLiteral("ROOT") : quoted(root),
                 root.isEmpty() ? QStringLiteral("ROOT/bin") : quoted(root + QStringLiteral("/bin")));
    if (found->status != 0)
        return makeItem(CheckId::Trainer, title, CheckStatus::Failed,
                        QStringLiteral("rdt-trainer is not in the root's bin/ or build/training/ "
                                       "and not on PATH"),
                        buildHint);
    const QString path = found->values().value(QStringLiteral("path"));
    if (!info)
        return missingSection(CheckId::Trainer, title, QStringLiteral("trainer-info"));
    if (info->status == ProbeSection::kTimedOut)
        return makeItem(CheckId::Trainer, title, CheckStatus::Failed,
                        QStringLiteral("%1 info --json did not finish within 30 s").arg(path),
                        QStringLiteral("run it on the server to see where it hangs"));
    if (info->status != 0)
        return makeItem(CheckId::Trainer, title, CheckStatus::Failed,
                        QStringLiteral("%1 does not run: `info --json` exited with status %2: %3")
                            .arg(path)
                            .arg(info->status)
                            .arg(info->firstMessage()),
                        QStringLiteral("a missing LibTorch, HDF5 or FFmpeg library is the usual "
                                       "cause (`ldd %1`); otherwise rebuild it: %2")
                            .arg(quoted(path), buildHint));
    const TrainerInfo trainer = parseTrainerInfo(info->stdoutText());
    QString expected = expectations.trainerVersion;
    if (expected.isEmpty())
        expected = QStringLiteral(RDT_VERSION);
    if (trainer.version.isEmpty())
        return makeItem(CheckId::Trainer, title, CheckStatus::Warning,
                        QStringLiteral("%1 runs but reports no version").arg(path),
                        QStringLiteral("rebuild it from this workbench's sources: %1").arg(buildHint));
    QString detail = QStringLiteral("%1, version %2").arg(path, trainer.version);
    if (!trainer.libtorch.isEmpty())
        detail += QStringLiteral(", LibTorch %1").arg(trainer.libtorch);
    if (trainer.cudaAvailable)
        detail += *trainer.cudaAvailable
            ? QStringLiteral(", CUDA with %1 device(s)").arg(trainer.cudaDeviceCount)
            : QStringLiteral(", no CUDA");
    if (trainer.version != expected)
        return makeItem(CheckId::Trainer, title, CheckStatus::Warning,
                        detail + QStringLiteral("; this workbench is %1").arg(expected),
                        QStringLiteral("metrics and flags may differ between versions; rebuild "
                                       "it from this workbench's sources: %1").arg(buildHint));
    // Debian's libtorch is built without CUDA: on a GPU server that trains on the CPU, a
    // hundred times slower, without any error.
    if (gpuCount > 0 && trainer.cudaAvailable && !*trainer.cudaAvailable)
        return makeItem(CheckId::Trainer, title, CheckStatus::Warning,
                        detail + QStringLiteral(" although the server has %1 GPU(s): training "
                                                "would run on the CPU").arg(gpuCount),
                        QStringLiteral("build rdt-trainer against a CUDA build of LibTorch "
                                       "(cmake -DCMAKE_PREFIX_PATH=/path/to/libtorch-cuda)"));
    return makeItem(CheckId::Trainer, title, CheckStatus::Ok, detail);
}

CheckItem InstallChecks::rootFolders(const ProbeSection *section)
{
    const QString title = QStringLiteral("Remote root folders");
    if (!section)
        return missingSection(CheckId::RootFolders, title, QStringLiteral("root"));
    const QMap<QString, QString> values = section->values();
    const QString root = values.value(QStringLiteral("path"));
    if (section->status != 0 || root.isEmpty())
        return makeItem(CheckId::RootFolders, title, CheckStatus::Failed,
                        QStringLiteral("no remote root folder was given"),
                        QStringLiteral("pass the folder that holds datasets/, checkpoints/ and "
                                       "configs/ with --root DIR"));
    const QStringList expected{QStringLiteral("datasets"), QStringLiteral("checkpoints"),
                               QStringLiteral("configs")};
    QStringList createArguments;
    for (const QString &folder : expected)
        createArguments.append(quoted(root + QLatin1Char('/') + folder));
    const QString createHint = QStringLiteral("create them on the server: mkdir -p %1")
                                   .arg(createArguments.join(QLatin1Char(' ')));
    if (values.value(QStringLiteral("exists")) != QLatin1String("1"))
        return makeItem(CheckId::RootFolders, title, CheckStatus::Failed,
                        QStringLiteral("%1 does not exist").arg(root), createHint);
    if (values.value(QStringLiteral("directory")) != QLatin1String("1"))
        return makeItem(CheckId::RootFolders, title, CheckStatus::Failed,
                        QStringLiteral("%1 is a file, not a folder").arg(root),
                        QStringLiteral("choose a folder as the remote root"));
    QString shown = root;
    const QString absolute = values.value(QStringLiteral("absolute"));
    if (!absolute.isEmpty() && absolute != root)
        shown += QStringLiteral(" (%1)").arg(absolute);
    if (values.value(QStringLiteral("writable")) != QLatin1String("1"))
        return makeItem(CheckId::RootFolders, title, CheckStatus::Failed,
                        QStringLiteral("%1 is not writable for the SSH user").arg(shown),
                        QStringLiteral("ask the owner for write access, or choose a folder in "
                                       "your home or on a scratch disk"));
    QStringList missing;
    for (const QString &folder : expected) {
        if (values.value(QStringLiteral("folder_") + folder) != QLatin1String("1"))
            missing.append(folder);
    }
    if (!missing.isEmpty()) {
        QStringList missingArguments;
        for (const QString &folder : missing)
            missingArguments.append(quoted(root + QLatin1Char('/') + folder));
        return makeItem(CheckId::RootFolders, title, CheckStatus::Warning,
                        QStringLiteral("%1 lacks %2/").arg(shown, missing.join(QStringLiteral("/, "))),
                        QStringLiteral("create them on the server: mkdir -p %1")
                            .arg(missingArguments.join(QLatin1Char(' '))));
    }
    return makeItem(CheckId::RootFolders, title, CheckStatus::Ok,
                    QStringLiteral("%1 with datasets/, checkpoints/ and configs/").arg(shown));
}

CheckItem InstallChecks::models(const ProbeSection *search,
                                const QList<const ProbeSection *> &models, const QString &root)
{
    const QString title = QStringLiteral("Pretrained model");
    if (!search)
        return missingSection(CheckId::PretrainedModel, title, QStringLiteral("model-search"));
    const QString requested = search->values().value(QStringLiteral("requested"));
    const QString uploadHint =
        QStringLiteral("put the pretrained folder (config.json with model.safetensors or "
                       "pytorch_model.bin, e.g. rdt-1b) into %1/NAME")
            .arg(root.isEmpty() ? QStringLiteral("ROOT/checkpoints")
                                : quoted(root + QStringLiteral("/checkpoints")));
    if (models.isEmpty()) {
        if (!requested.isEmpty())
            return makeItem(CheckId::PretrainedModel, title, CheckStatus::Failed,
                            QStringLiteral("the server probe did not look at %1").arg(requested));
        return makeItem(CheckId::PretrainedModel, title, CheckStatus::Warning,
                        QStringLiteral("no pretrained model under checkpoints/ or models/ of "
                                       "the root; training would start from scratch"),
                        uploadHint);
    }
    QStringList usable, unusable;
    for (const ProbeSection *section : models) {
        const ModelFolder model = describeModel(*section);
        if (model.usable)
            usable.append(QStringLiteral("%1 (%2)").arg(model.name, model.description));
        else
            unusable.append(model.description);
    }
    if (!requested.isEmpty()) {
        // An explicitly named folder must be usable itself.
        if (usable.isEmpty())
            return makeItem(CheckId::PretrainedModel, title, CheckStatus::Failed,
                            unusable.join(QStringLiteral("; ")), uploadHint);
        return makeItem(CheckId::PretrainedModel, title, CheckStatus::Ok, usable.first());
    }
    if (usable.isEmpty())
        return makeItem(CheckId::PretrainedModel, title, CheckStatus::Warning,
                        unusable.join(QStringLiteral("; ")), uploadHint);
    return makeItem(CheckId::PretrainedModel, title, CheckStatus::Ok,
                    usable.join(QStringLiteral("; ")));
}

CheckItem InstallChecks::tmux(const ProbeSection *section)
{
    const QString title = QStringLiteral("tmux");
    if (!section)
        return missingSection(CheckId::Tmux, title, QStringLiteral("tmux"));
    if (section->status == 0)
        return makeItem(CheckId::Tmux, title, CheckStatus::Ok, section->firstMessage());
    const QString why = section->status == ProbeSection::kNotFound
        ? QStringLiteral("tmux is not installed")
        : QStringLiteral("tmux -V failed with exit status %1: %2")
              .arg(section->status)
              .arg(section->firstMessage());
    return makeItem(CheckId::Tmux, title, CheckStatus::Warning,
                    why + QStringLiteral("; without it a run stops when the connection drops"),
                    QStringLiteral("install it on the server: sudo apt-get install tmux"));
}

} // namespace rdt
