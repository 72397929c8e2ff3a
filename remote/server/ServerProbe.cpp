// Reads the probe script's sections (see ServerProbeScript.h for the format) and judges each
// check. Thresholds live in ServerProbeExpectations; the wording of details and hints here.
#include "ServerProbe.h"

#include "DiskUsage.h"
#include "GpuInfo.h"
#include "ShellQuote.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QRegularExpression>

#include <cmath>
#include <optional>

namespace rdt {

namespace {

constexpr char kHeader[] = "@@rdt-server-probe 1";
// The script's own limit on a hanging sub-command (`timeout 30`), and timeout(1)'s status.
constexpr int kTimeoutStatus = 124;
constexpr int kNotFoundStatus = 127;
// The A100/A800's maximum operating temperature (`nvidia-smi -q -d TEMPERATURE`); a few
// degrees above it the card slows down.
constexpr int kHotGpuCelsius = 85;

struct Section {
    QString name;
    QList<QByteArray> out;   // stdout lines, prefix removed
    QList<QByteArray> err;   // stderr lines, prefix removed
    int status = -1;         // -1: no @@status line

    QByteArray stdoutText() const { return out.join('\n'); }

    // The first thing worth quoting when the command failed: its first stderr line, else
    // its first stdout line.
    QString firstMessage() const
    {
        for (const QList<QByteArray> *lines : {&err, &out}) {
            for (const QByteArray &line : *lines) {
                if (!line.trimmed().isEmpty())
                    return QString::fromUtf8(line.trimmed());
            }
        }
        return {};
    }

    // key=value lines; a line that does not start a key continues the previous value (a
    // path with a newline in it).
    QMap<QString, QString> values() const
    {
        static const QRegularExpression keyPattern(QStringLiteral("^([a-z_]+)=(.*)$"));
        QMap<QString, QString> map;
        QString lastKey;
        for (const QByteArray &raw : out) {
            const QString line = QString::fromUtf8(raw);
            const QRegularExpressionMatch match = keyPattern.match(line);
            if (match.hasMatch()) {
                lastKey = match.captured(1);
                map.insert(lastKey, match.captured(2));
            } else if (!lastKey.isEmpty()) {
                map[lastKey] += QLatin1Char('\n') + line;
            }
        }
        return map;
    }
};

QString formatBytes(qint64 bytes)
{
    const double value = double(bytes);
    if (value >= double(qint64(1) << 40))
        return QStringLiteral("%1 TiB").arg(value / double(qint64(1) << 40), 0, 'f', 1);
    if (value >= double(qint64(1) << 30)) {
        const double gib = value / double(qint64(1) << 30);
        return QStringLiteral("%1 GiB").arg(gib, 0, 'f', gib < 10 ? 1 : 0);
    }
    if (value >= double(qint64(1) << 20))
        return QStringLiteral("%1 MiB").arg(std::round(value / double(qint64(1) << 20)));
    if (value >= 1024)
        return QStringLiteral("%1 KiB").arg(std::round(value / 1024));
    return QStringLiteral("%1 bytes").arg(bytes);
}

// For hints the user will paste into a shell on the server.
QString quoted(const QString &path)
{
    return QString::fromUtf8(shellQuote(path.toUtf8()));
}

CheckItem makeItem(CheckId id, const QString &title, CheckStatus status, const QString &detail,
                   const QString &hint = {})
{
    CheckItem item;
    item.id = id;
    item.title = title;
    item.status = status;
    item.detail = detail;
    item.hint = hint;
    return item;
}

CheckItem missingSection(CheckId id, const QString &title, const QString &section)
{
    return makeItem(id, title, CheckStatus::Failed,
                    QStringLiteral("the server probe printed no \"%1\" section").arg(section),
                    QStringLiteral("the probe script and this parser disagree; report it with "
                                   "the output of `rdtctl check --json`"));
}

// "3 busy: GPU 0, 1, 2" style lists.
QString gpuList(const QList<int> &indices)
{
    QStringList numbers;
    for (int index : indices)
        numbers.append(QString::number(index));
    return numbers.join(QStringLiteral(", "));
}

CheckItem checkGpus(const Section *section)
{
    const QString title = QStringLiteral("GPUs");
    if (!section)
        return missingSection(CheckId::Gpus, title, QStringLiteral("gpus"));
    const QString driverHint = QStringLiteral(
        "install the NVIDIA driver that matches the GPUs (it provides nvidia-smi), or check "
        "that HOST is the GPU server and not the jump host");
    if (section->status == kNotFoundStatus)
        return makeItem(CheckId::Gpus, title, CheckStatus::Failed,
                        QStringLiteral("no NVIDIA driver: nvidia-smi is not on the server's PATH"),
                        driverHint);
    if (section->status == kTimeoutStatus)
        return makeItem(CheckId::Gpus, title, CheckStatus::Failed,
                        QStringLiteral("nvidia-smi did not answer within 30 s"),
                        QStringLiteral("the driver may be hung (see `dmesg` for Xid errors); "
                                       "ask the administrator to reset the GPUs or reboot"));
    if (section->status != 0)
        return makeItem(CheckId::Gpus, title, CheckStatus::Failed,
                        QStringLiteral("nvidia-smi failed with exit status %1: %2")
                            .arg(section->status)
                            .arg(section->firstMessage()),
                        QStringLiteral("\"couldn't communicate with the NVIDIA driver\" usually "
                                       "means the driver does not match the kernel: reinstall "
                                       "it or reboot into the kernel it was built for"));
    Result<QList<GpuInfo>> gpus = GpuInfo::parseNvidiaSmiCsv(section->stdoutText());
    if (!gpus)
        return makeItem(CheckId::Gpus, title, CheckStatus::Failed, gpus.error().message,
                        QStringLiteral("run `nvidia-smi` on the server and check its output"));
    if (gpus->isEmpty())
        return makeItem(CheckId::Gpus, title, CheckStatus::Failed,
                        QStringLiteral("nvidia-smi lists no GPUs"), driverHint);

    // "8 × NVIDIA A800-SXM4-80GB (80 GiB)", grouped by model in order of first appearance.
    QStringList models;
    QHash<QString, int> counts;
    QHash<QString, qint64> memory;
    QList<int> busy, hot;
    for (const GpuInfo &gpu : gpus.value()) {
        if (!counts.contains(gpu.name)) {
            models.append(gpu.name);
            memory.insert(gpu.name, gpu.memoryTotalMiB.value_or(0));
        }
        ++counts[gpu.name];
        if (gpu.isBusy())
            busy.append(gpu.index);
        if (gpu.temperatureCelsius && *gpu.temperatureCelsius >= kHotGpuCelsius)
            hot.append(gpu.index);
    }
    QStringList groups;
    for (const QString &model : models) {
        QString group = QStringLiteral("%1 × %2").arg(counts.value(model)).arg(model);
        if (memory.value(model) > 0)
            group += QStringLiteral(" (%1)").arg(formatBytes(memory.value(model) << 20));
        groups.append(group);
    }
    QString detail = groups.join(QStringLiteral(", "));
    CheckItem item = makeItem(CheckId::Gpus, title, CheckStatus::Ok, detail);
    item.gpus = gpus.value();
    QStringList hints;
    if (!busy.isEmpty()) {
        item.status = CheckStatus::Warning;
        item.detail += QStringLiteral("; %1 busy: GPU %2").arg(busy.size()).arg(gpuList(busy));
        hints.append(QStringLiteral("other jobs use some GPUs: train on the free ones, or wait "
                                    "(`nvidia-smi` shows the processes)"));
    } else {
        item.detail += QStringLiteral("; all idle");
    }
    if (!hot.isEmpty()) {
        item.status = CheckStatus::Warning;
        item.detail += QStringLiteral("; %1 at %2 °C or more: GPU %3")
                           .arg(hot.size())
                           .arg(kHotGpuCelsius)
                           .arg(gpuList(hot));
        hints.append(QStringLiteral("hot GPUs throttle: check the server's cooling"));
    }
    item.hint = hints.join(QStringLiteral("; "));
    return item;
}

CheckItem checkDisk(const Section *section, const ServerProbeExpectations &expectations)
{
    const QString title = QStringLiteral("Free disk");
    if (!section)
        return missingSection(CheckId::Disk, title, QStringLiteral("disk"));
    if (section->status != 0)
        return makeItem(CheckId::Disk, title, CheckStatus::Failed,
                        QStringLiteral("df -Pk on the remote root failed with exit status %1: %2")
                            .arg(section->status)
                            .arg(section->firstMessage()),
                        QStringLiteral("check that the root's filesystem is mounted"));
    Result<DiskUsage> usage = DiskUsage::parseDfPk(section->stdoutText());
    if (!usage)
        return makeItem(CheckId::Disk, title, CheckStatus::Failed, usage.error().message);
    const qint64 required = expectations.requiredFreeBytes;
    const QString detail = QStringLiteral("%1 free of %2 on %3 (a run needs %4)")
                               .arg(formatBytes(usage->availableBytes),
                                    formatBytes(usage->totalBytes), usage->mountPoint,
                                    formatBytes(required));
    const QString hint = QStringLiteral("free space on %1, or choose a remote root on a larger "
                                        "filesystem (`df -h` lists them)")
                             .arg(usage->mountPoint);
    if (usage->availableBytes < required)
        return makeItem(CheckId::Disk, title, CheckStatus::Failed, detail, hint);
    if (usage->availableBytes < 2 * required)
        return makeItem(CheckId::Disk, title, CheckStatus::Warning, detail,
                        hint + QStringLiteral("; checkpoints fill the rest quickly"));
    return makeItem(CheckId::Disk, title, CheckStatus::Ok, detail);
}

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

// gpuCount: what nvidia-smi listed, to tell a CPU-only LibTorch on a GPU server.
CheckItem checkTrainer(const Section *found, const Section *info, const QString &root,
                       int gpuCount, const ServerProbeExpectations &expectations)
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
    if (info->status == kTimeoutStatus)
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

CheckItem checkRoot(const Section *section)
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

// One model folder: which weights it has (safetensors first, as the trainer loads them),
// or why it is not usable.
struct ModelFolder {
    QString path;
    QString name;
    bool usable = false;
    QString description;  // "model.safetensors, 2.3 GiB" or what is missing
};

ModelFolder describeModel(const Section &section)
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
        model.description = QStringLiteral("%1, %2").arg(weights, formatBytes(weightBytes));
        const qint64 folderBytes = values.value(QStringLiteral("size_kb")).toLongLong() * 1024;
        // A folder much larger than its weights holds other things worth knowing about
        // (optimizer state, a second copy); say so, the user pays for it at every sync.
        // Below 256 MiB the difference is block rounding and small files.
        if (folderBytes > 2 * weightBytes && folderBytes - weightBytes > (qint64(256) << 20))
            model.description += QStringLiteral("; folder %1").arg(formatBytes(folderBytes));
    }
    return model;
}

CheckItem checkModels(const Section *search, const QList<const Section *> &models,
                      const QString &root)
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
    for (const Section *section : models) {
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

CheckItem checkTmux(const Section *section)
{
    const QString title = QStringLiteral("tmux");
    if (!section)
        return missingSection(CheckId::Tmux, title, QStringLiteral("tmux"));
    if (section->status == 0)
        return makeItem(CheckId::Tmux, title, CheckStatus::Ok, section->firstMessage());
    const QString why = section->status == kNotFoundStatus
        ? QStringLiteral("tmux is not installed")
        : QStringLiteral("tmux -V failed with exit status %1: %2")
              .arg(section->status)
              .arg(section->firstMessage());
    return makeItem(CheckId::Tmux, title, CheckStatus::Warning,
                    why + QStringLiteral("; without it a run stops when the connection drops"),
                    QStringLiteral("install it on the server: sudo apt-get install tmux"));
}

CheckItem checkCpu(const Section *section, const ServerProbeExpectations &expectations)
{
    const QString title = QStringLiteral("CPU");
    if (!section)
        return missingSection(CheckId::Cpu, title, QStringLiteral("cpu"));
    const QMap<QString, QString> values = section->values();
    bool ok = false;
    const int count = values.value(QStringLiteral("count")).toInt(&ok);
    const QString model = values.value(QStringLiteral("model")).simplified();
    if (!ok || count <= 0)
        return makeItem(CheckId::Cpu, title, CheckStatus::Warning,
                        QStringLiteral("could not count the CPU cores"));
    QString detail = QStringLiteral("%1 cores").arg(count);
    if (!model.isEmpty())
        detail += QStringLiteral(", %1").arg(model);
    if (count < expectations.minimumCpuCount)
        return makeItem(CheckId::Cpu, title, CheckStatus::Warning, detail,
                        QStringLiteral("fewer than %1 cores: lower --dataloader_num_workers, and "
                                       "expect data loading to slow training")
                            .arg(expectations.minimumCpuCount));
    return makeItem(CheckId::Cpu, title, CheckStatus::Ok, detail);
}

CheckItem checkMemory(const Section *section, const ServerProbeExpectations &expectations)
{
    const QString title = QStringLiteral("Memory");
    if (!section)
        return missingSection(CheckId::Memory, title, QStringLiteral("memory"));
    const QMap<QString, QString> values = section->values();
    const qint64 total = values.value(QStringLiteral("total_kb")).toLongLong() * 1024;
    if (section->status != 0 || total <= 0)
        return makeItem(CheckId::Memory, title, CheckStatus::Warning,
                        QStringLiteral("could not read the memory size: %1")
                            .arg(section->firstMessage()));
    QString detail = formatBytes(total);
    if (values.contains(QStringLiteral("available_kb")))
        detail += QStringLiteral(", %1 available")
                      .arg(formatBytes(values.value(QStringLiteral("available_kb")).toLongLong()
                                       * 1024));
    if (total < expectations.minimumMemoryBytes)
        return makeItem(CheckId::Memory, title, CheckStatus::Warning, detail,
                        QStringLiteral("less than %1: loading RDT-1B's weights and the data "
                                       "loader may run out of memory; use fewer workers")
                            .arg(formatBytes(expectations.minimumMemoryBytes)));
    return makeItem(CheckId::Memory, title, CheckStatus::Ok, detail);
}

CheckItem checkOs(const Section *section)
{
    const QString title = QStringLiteral("Operating system");
    if (!section)
        return missingSection(CheckId::OperatingSystem, title, QStringLiteral("os"));
    const QMap<QString, QString> values = section->values();
    QString pretty = values.value(QStringLiteral("pretty")).trimmed();
    if (pretty.size() >= 2 && (pretty.startsWith(QLatin1Char('"')) || pretty.startsWith(QLatin1Char('\''))))
        pretty = pretty.mid(1, pretty.size() - 2);
    const QString kernel = values.value(QStringLiteral("kernel"));
    QStringList parts;
    if (!pretty.isEmpty())
        parts.append(pretty);
    parts.append(QStringLiteral("%1 %2 %3").arg(kernel, values.value(QStringLiteral("release")),
                                                values.value(QStringLiteral("machine")))
                     .simplified());
    const QString detail = parts.join(QStringLiteral(", "));
    if (kernel != QLatin1String("Linux"))
        return makeItem(CheckId::OperatingSystem, title, CheckStatus::Failed, detail,
                        QStringLiteral("rdt-trainer and the NVIDIA tooling it uses need Linux"));
    return makeItem(CheckId::OperatingSystem, title, CheckStatus::Ok, detail);
}

} // namespace

Result<QList<CheckItem>> ServerProbe::parse(const QByteArray &output,
                                            const ServerProbeExpectations &expectations)
{
    QList<Section> sections;
    bool started = false;
    bool ended = false;
    for (QByteArray line : output.split('\n')) {
        if (line.endsWith('\r'))
            line.chop(1);
        if (!started) {
            // A chatty .bashrc may print before the script starts; skip to the header.
            started = line == kHeader;
            continue;
        }
        if (line.startsWith("@@section ")) {
            Section section;
            section.name = QString::fromUtf8(line.mid(10).trimmed());
            sections.append(section);
        } else if (line.startsWith("@@status ") && !sections.isEmpty()) {
            bool ok = false;
            sections.last().status = line.mid(9).trimmed().toInt(&ok);
            if (!ok)
                sections.last().status = -1;
        } else if (line == "@@end") {
            ended = true;
            break;
        } else if (line.startsWith('|') && !sections.isEmpty()) {
            sections.last().out.append(line.mid(1));
        } else if (line.startsWith('!') && !sections.isEmpty()) {
            sections.last().err.append(line.mid(1));
        }
    }
    if (!started) {
        const QString start = QString::fromUtf8(output.left(200)).trimmed();
        return makeError(ErrorCode::RemoteFailed,
                         QStringLiteral("server check: the probe script did not start (no \"%1\" "
                                        "line); the server printed: %2")
                             .arg(QString::fromLatin1(kHeader),
                                  start.isEmpty() ? QStringLiteral("nothing") : start));
    }
    if (!ended) {
        const QString last = sections.isEmpty() ? QStringLiteral("none")
                                                : QStringLiteral("\"%1\"").arg(sections.last().name);
        return makeError(ErrorCode::RemoteFailed,
                         QStringLiteral("server check: the probe's output stopped before its end "
                                        "(last section %1): the connection or the script died")
                             .arg(last));
    }

    auto find = [&](const char *name) -> const Section * {
        for (const Section &section : sections) {
            if (section.name == QLatin1String(name))
                return &section;
        }
        return nullptr;
    };
    QList<const Section *> models;
    for (const Section &section : sections) {
        if (section.name == QLatin1String("model"))
            models.append(&section);
    }
    const Section *root = find("root");
    const QString rootPath = root ? root->values().value(QStringLiteral("path")) : QString();

    QList<CheckItem> items;
    items.append(checkGpus(find("gpus")));
    items.append(checkDisk(find("disk"), expectations));
    const int gpuCount = int(items.first().gpus.size());
    items.append(checkTrainer(find("trainer"), find("trainer-info"), rootPath, gpuCount,
                              expectations));
    items.append(checkRoot(root));
    items.append(checkModels(find("model-search"), models, rootPath));
    items.append(checkTmux(find("tmux")));
    items.append(checkCpu(find("cpu"), expectations));
    items.append(checkMemory(find("memory"), expectations));
    items.append(checkOs(find("os")));
    // CheckId::DatasetChecksum, ModelChecksum and DatasetStatistics (issue 3) are appended
    // by the sync code, which knows the local files; the probe cannot judge them.
    return items;
}

} // namespace rdt
