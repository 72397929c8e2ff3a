// The machine's checks: what nvidia-smi, df, nproc, /proc/meminfo and os-release report,
// judged against ServerProbeExpectations.
#include "MachineChecks.h"

#include "DiskUsage.h"
#include "GpuInfo.h"

#include <QHash>

namespace rdt {

namespace {

// The A100/A800's maximum operating temperature (`nvidia-smi -q -d TEMPERATURE`); a few
// degrees above it the card slows down.
constexpr int kHotGpuCelsius = 85;

// "3 busy: GPU 0, 1, 2" style lists.
QString gpuList(const QList<int> &indices)
{
    QStringList numbers;
    for (int index : indices)
        numbers.append(QString::number(index));
    return numbers.join(QStringLiteral(", "));
}

} // namespace

CheckItem MachineChecks::gpus(const ProbeSection *section)
{
    const QString title = QStringLiteral("GPUs");
    if (!section)
        return missingSection(CheckId::Gpus, title, QStringLiteral("gpus"));
    const QString driverHint = QStringLiteral(
        "install the NVIDIA driver that matches the GPUs (it provides nvidia-smi), or check "
        "that HOST is the GPU server and not the jump host");
    if (section->status == ProbeSection::kNotFound)
        return makeItem(CheckId::Gpus, title, CheckStatus::Failed,
                        QStringLiteral("no NVIDIA driver: nvidia-smi is not on the server's PATH"),
                        driverHint);
    if (section->status == ProbeSection::kTimedOut)
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

CheckItem MachineChecks::noGpusExpected(const CheckItem &gpus)
{
    CheckItem item = gpus;
    item.status = CheckStatus::Ok;
    item.detail = QStringLiteral("none, as expected: this server trains on its CPUs (%1)").arg(gpus.detail);
    item.hint.clear();
    return item;
}

CheckItem MachineChecks::disk(const ProbeSection *section,
                              const ServerProbeExpectations &expectations)
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
    if (usage->availableBytes < required + required / 10)
        return makeItem(CheckId::Disk, title, CheckStatus::Warning, detail,
                        hint + QStringLiteral("; checkpoints fill the rest quickly"));
    return makeItem(CheckId::Disk, title, CheckStatus::Ok, detail);
}

CheckItem MachineChecks::cpu(const ProbeSection *section,
                             const ServerProbeExpectations &expectations)
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

CheckItem MachineChecks::memory(const ProbeSection *section,
                                const ServerProbeExpectations &expectations)
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

CheckItem MachineChecks::os(const ProbeSection *section)
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

} // namespace rdt
