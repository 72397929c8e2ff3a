// Reads the probe script's sections (see ServerProbeScript.h for the format) and hands each
// to its check: MachineChecks (GPUs, disk, CPU, memory, OS) and InstallChecks (trainer, root
// folders, pretrained model, tmux). Thresholds live in ServerProbeExpectations.
#include "ServerProbe.h"

#include "InstallChecks.h"
#include "MachineChecks.h"
#include "ProbeSection.h"

namespace rdt {

namespace {

constexpr char kHeader[] = "@@rdt-server-probe 1";

} // namespace

Result<QList<CheckItem>> ServerProbe::parse(const QByteArray &output,
                                            const ServerProbeExpectations &expectations)
{
    QList<ProbeSection> sections;
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
            ProbeSection section;
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

    auto find = [&](const char *name) -> const ProbeSection * {
        for (const ProbeSection &section : sections) {
            if (section.name == QLatin1String(name))
                return &section;
        }
        return nullptr;
    };
    QList<const ProbeSection *> models;
    for (const ProbeSection &section : sections) {
        if (section.name == QLatin1String("model"))
            models.append(&section);
    }
    const ProbeSection *root = find("root");
    const QString rootPath = root ? root->values().value(QStringLiteral("path")) : QString();

    QList<CheckItem> items;
    items.append(MachineChecks::gpus(find("gpus")));
    if (!expectations.gpusExpected && items.last().gpus.isEmpty())
        items.last() = MachineChecks::noGpusExpected(items.last());
    items.append(MachineChecks::disk(find("disk"), expectations));
    const int gpuCount = int(items.first().gpus.size());
    items.append(InstallChecks::trainer(find("trainer"), find("trainer-info"), rootPath,
                                        gpuCount, expectations));
    items.append(InstallChecks::rootFolders(root));
    items.append(InstallChecks::models(find("model-search"), models, rootPath));
    items.append(InstallChecks::tmux(find("tmux")));
    items.append(MachineChecks::cpu(find("cpu"), expectations));
    items.append(MachineChecks::memory(find("memory"), expectations));
    items.append(MachineChecks::os(find("os")));
    // CheckId::DatasetChecksum, ModelChecksum and DatasetStatistics (issue 3) are appended
    // by the sync code, which knows the local files; the probe cannot judge them.
    return items;
}

} // namespace rdt
