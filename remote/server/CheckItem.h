// One line of the server checklist (`rdtctl check`, the setup wizard): what was checked, how
// it went, a one-line detail and a hint on how to fix it, with JSON for `rdtctl check --json`.
#pragma once

#include "GpuInfo.h"
#include "Result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace rdt {

enum class CheckStatus { Ok, Warning, Failed };

// Stable identifiers: the GUI keys its rows on them and scripts read them from --json.
enum class CheckId {
    // Filled by ServerProbe::parse, in this order.
    Gpus,
    Disk,
    Trainer,
    RootFolders,
    PretrainedModel,
    Tmux,
    Cpu,
    Memory,
    OperatingSystem,
    // Reserved for the sync issue (issue 3): they compare checksums of the server's files
    // with the local copies, so they need the local side and come from the sync code, not
    // from the probe. ServerProbe never emits them; the checklist appends them after it.
    DatasetChecksum,     // the server's dataset has the local dataset's MD5
    ModelChecksum,       // the server's pretrained weights match the local ones
    DatasetStatistics,   // dataset_stat.json records the dataset's current MD5
    // RDT's conditioning (EncoderCheck): the SigLIP folder and the T5 embeddings.
    VisionEncoder,
    LanguageEmbeddings,
};

struct CheckItem {
    CheckId id = CheckId::Gpus;
    QString title;        // "GPUs"
    CheckStatus status = CheckStatus::Failed;
    QString detail;       // one line: "8 × NVIDIA A800-SXM4-80GB (80 GiB); 4 busy: GPU 0-3"
    QString hint;         // how to fix it; empty when there is nothing to do
    QList<GpuInfo> gpus;  // per-GPU rows, for the GPUs item only

    static QString idName(CheckId id);            // "gpus", "dataset-checksum", ...
    static QString statusName(CheckStatus status);  // "ok", "warning", "failed"

    // The worst status among the items (Ok for none): rdtctl's exit code follows it.
    static CheckStatus worstStatus(const QList<CheckItem> &items);

    // {"id","title","status","detail","hint"[,"gpus":[...]]}; fromJson rejects unknown ids
    // and statuses, naming them.
    QJsonObject toJson() const;
    [[nodiscard]] static Result<CheckItem> fromJson(const QJsonObject &object);
    static QJsonArray toJsonArray(const QList<CheckItem> &items);
};

} // namespace rdt
