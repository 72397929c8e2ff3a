// The patterns follow what the programs actually print: rdt-trainer's TrainerError texts
// (training/train/Trainer.cpp, training/weights/WeightsLoader.cpp, training/data/*), which
// train.log records as "error: <message>" and stderr as "rdt-trainer train: <message>";
// LibTorch's and PyTorch's CUDA messages; and the glibc dynamic loader's.
#include "KnownFailures.h"

#include <QRegularExpression>

#include <set>

namespace rdt {

namespace {

constexpr auto kInsensitive = QRegularExpression::CaseInsensitiveOption;

// "CUDA out of memory. Tried to allocate ...", "CUDA error: out of memory",
// "CUDA_ERROR_OUT_OF_MEMORY", and the trainer's own "out of memory with --train_batch_size 4
// on cuda: try ..." (Trainer.cpp describeOutOfMemory) or "out of memory: try ..." (main.cpp).
const QRegularExpression kOutOfMemory(QStringLiteral(R"(out[ _]of[ _]memory)"), kInsensitive);
const QRegularExpression kBatchSize(QStringLiteral(R"(--train_batch_size[ =](\d+))"));

// The trainer: "loss is NaN at step 1235; stopped, checkpoint-1000 is the last good
// checkpoint"; its step lines print a NaN as "loss nan"; Python scripts say "Loss is NaN".
const QRegularExpression kNanLoss(QStringLiteral(R"(\bloss\b(?: is)?[ :=]+(nan|inf|-inf)\b)"), kInsensitive);
const QRegularExpression kNanStep(QStringLiteral(R"(at step (\d+))"));
const QRegularExpression kLastGoodCheckpoint(QStringLiteral(R"((checkpoint-\d+) is the last good checkpoint)"));

// WeightsLoader.cpp: "pretrained weights DIR: folder holds neither model.safetensors nor
// pytorch_model.bin" and "pretrained weights PATH: no such file or folder"; Hugging Face's
// "does not appear to have a file named pytorch_model.bin, model.safetensors".
const QRegularExpression kWeightsMissing(
    QStringLiteral(R"(pretrained weights (\S+): (no such file or folder|folder holds neither)|)"
                   R"((model\.safetensors|pytorch_model\.bin).*(no such file|not found|does not appear to have))"),
    kInsensitive);

// RDT's dataset_stat.json, missing: "No such file or directory: '.../dataset_stat.json'"
// (Python) or "dataset_stat.json: no such file" / "cannot open" (ours).
const QRegularExpression kStatisticsMissing(
    QStringLiteral(R"(dataset_stat\.json.*(no such file|not found|cannot open)|)"
                   R"((no such file|not found|cannot open).*dataset_stat\.json)"),
    kInsensitive);

// The data readers (LiberoScan.cpp, LiberoFile.cpp): "PATH: no such file or folder",
// "PATH: the folder holds no .hdf5 or .h5 files", "FILE.hdf5: no such file", "FILE.hdf5:
// not an HDF5 file". A bare "PATH: no such file or folder" after "error: " comes only from
// the dataset scan: the weights and config messages carry their own prefix, checked first.
const QRegularExpression kDatasetMissing(
    QStringLiteral(R"(holds no \.hdf5 or \.h5 files|)"
                   R"(\.(hdf5|h5)\b.*: (no such file|not an HDF5 file|cannot open as HDF5)|)"
                   R"(^(?:error: |rdt-trainer train: )(\S+): no such file or folder$|)"
                   R"(--dataset\b.*(no such file|not found))"),
    kInsensitive);

// glibc: "rdt-trainer: error while loading shared libraries: libtorch_cuda.so: cannot open
// shared object file: No such file or directory"; Python's ImportError/OSError say the same.
const QRegularExpression kSharedLibrary(QStringLiteral(R"((\S+\.so[.\d]*): cannot open shared object file)"));

// PyTorch's loader: "DataLoader worker (pid(s) 4242) exited unexpectedly", "DataLoader
// worker (pid 4242) is killed by signal: Killed", "DataLoader timed out after 300 seconds".
const QRegularExpression kDataloaderStall(
    QStringLiteral(R"(DataLoader (worker|timed out)|data ?loader.*\bstall)"), kInsensitive);

// Every pattern above needs one of these words: one pass over an ordinary line (a step
// line, most of a log) rules it out instead of seven.
const QRegularExpression kAnyFailureWord(
    QStringLiteral(R"(memory|nan|inf|no such|not found|holds no|not an hdf5|cannot open|neither|does not appear|)"
                   R"(shared object|data ?loader)"),
    kInsensitive);

QString capture(const QRegularExpression &pattern, const QString &line, int group = 1)
{
    return pattern.match(line).captured(group);
}

KnownFailure outOfMemory(const QString &line)
{
    KnownFailure failure{FailureKind::CudaOutOfMemory, QStringLiteral("CUDA out of memory"), {}, {}, line};
    const QString batch = capture(kBatchSize, line);
    failure.explanation = batch.isEmpty()
        ? QStringLiteral("The GPU ran out of memory for the model, its activations and the optimizer state.")
        : QStringLiteral("The GPU ran out of memory at --train_batch_size %1.").arg(batch);
    const int smaller = batch.isEmpty() ? 0 : std::max(1, batch.toInt() / 2);
    failure.remedy = (smaller > 0 ? QStringLiteral("Restart with --train_batch_size %1 "
                                                   "(--gradient_accumulation_steps 2 keeps the effective batch), ")
                                        .arg(smaller)
                                  : QStringLiteral("Restart with a smaller --train_batch_size, "))
        + QStringLiteral("add --gradient_checkpointing, or train in --mixed_precision bf16.");
    return failure;
}

KnownFailure nanLoss(const QString &line)
{
    KnownFailure failure{FailureKind::NanLoss, QStringLiteral("Loss is NaN"), {}, {}, line};
    const QString step = capture(kNanStep, line);
    const QString checkpoint = capture(kLastGoodCheckpoint, line);
    failure.explanation = QStringLiteral("The loss stopped being a finite number%1; the weights after it are useless.")
                              .arg(step.isEmpty() ? QString() : QStringLiteral(" at step %1").arg(step));
    failure.remedy = (checkpoint.isEmpty() ? QStringLiteral("Resume from the last checkpoint ")
                                           : QStringLiteral("Resume from %1 ").arg(checkpoint))
        + QStringLiteral("with a lower --learning_rate (half), keep --max_grad_norm 1.0, and prefer "
                         "--mixed_precision bf16 to fp16. If it recurs at the same step, check the dataset for "
                         "NaN or huge values.");
    return failure;
}

KnownFailure weightsMissing(const QString &line)
{
    KnownFailure failure{FailureKind::PretrainedWeightsMissing, QStringLiteral("Pretrained weights missing"), {}, {},
                         line};
    const QString path = capture(kWeightsMissing, line);
    failure.explanation = QStringLiteral("The trainer found no weights%1: it needs model.safetensors or "
                                         "pytorch_model.bin (safetensors first, as RDT's loader does).")
                              .arg(path.isEmpty() ? QString() : QStringLiteral(" at %1").arg(path));
    failure.remedy = QStringLiteral("Sync the pretrained model folder to the server so it holds one of the two "
                                    "files, or point --pretrained_model_name_or_path at the weight file itself.");
    return failure;
}

KnownFailure statisticsMissing(const QString &line)
{
    return {FailureKind::StatisticsNotFound, QStringLiteral("Dataset statistics not found"),
            QStringLiteral("dataset_stat.json, the state statistics RDT normalises with, is not where the run "
                           "looks for it."),
            QStringLiteral("Compute them on the server with `rdt-trainer stats --dataset PATH --out "
                           "dataset_stat.json`, or sync the local copy when its recorded MD5 matches the dataset."),
            line};
}

KnownFailure datasetMissing(const QString &line)
{
    const QString path = capture(kDatasetMissing, line, 3);
    return {FailureKind::DatasetNotFound, QStringLiteral("Dataset not found"),
            QStringLiteral("The trainer could not read the LIBERO dataset%1.")
                .arg(path.isEmpty() ? QString() : QStringLiteral(" at %1").arg(path)),
            QStringLiteral("Sync the dataset to the server, or fix --dataset: it takes one LIBERO .hdf5 file or a "
                           "folder of them."),
            line};
}

KnownFailure sharedLibraryMissing(const QString &line)
{
    const QString library = capture(kSharedLibrary, line);
    return {FailureKind::SharedLibraryNotFound, QStringLiteral("Shared library not found"),
            QStringLiteral("The dynamic loader cannot find %1, so the trainer cannot start.").arg(library),
            QStringLiteral("Install the package that provides %1, or add its folder to LD_LIBRARY_PATH in the run's "
                           "environment (for LibTorch: the lib/ folder of LibTorch or of the conda environment). "
                           "`ldd $(which rdt-trainer)` lists every missing library.")
                .arg(library),
            line};
}

KnownFailure dataloaderStall(const QString &line, const QString &explanation)
{
    return {FailureKind::DataloaderStall, QStringLiteral("Data loader stall"), explanation,
            QStringLiteral("Change --dataloader_num_workers: fewer when workers are killed (each holds its own "
                           "HDF5 buffers in memory), more when the GPU waits for batches. A dataset on a network "
                           "mount is slow too: copy it to a local disk."),
            line};
}

} // namespace

std::optional<KnownFailure> KnownFailures::recognise(const QString &line)
{
    if (!kAnyFailureWord.match(line).hasMatch())
        return std::nullopt;
    // Order matters where messages overlap: a weights or statistics path can end in a name
    // the dataset pattern would take, and an out-of-memory line can mention a step.
    if (kOutOfMemory.match(line).hasMatch())
        return outOfMemory(line);
    if (kSharedLibrary.match(line).hasMatch())
        return sharedLibraryMissing(line);
    if (kWeightsMissing.match(line).hasMatch())
        return weightsMissing(line);
    if (kStatisticsMissing.match(line).hasMatch())
        return statisticsMissing(line);
    if (kDatasetMissing.match(line).hasMatch())
        return datasetMissing(line);
    if (kDataloaderStall.match(line).hasMatch())
        return dataloaderStall(line, QStringLiteral("The data loader's workers died or stopped delivering batches."));
    if (kNanLoss.match(line).hasMatch())
        return nanLoss(line);
    return std::nullopt;
}

QList<KnownFailure> KnownFailures::recogniseAll(const QStringList &lines)
{
    return firstOfEachKind(lines, &KnownFailures::recognise);
}

QList<KnownFailure> KnownFailures::firstOfEachKind(const QStringList &lines, const Recogniser &recognise)
{
    QList<KnownFailure> found;
    std::set<FailureKind> seen;
    for (const QString &line : lines) {
        std::optional<KnownFailure> failure = recognise(line);
        if (failure && seen.insert(failure->kind).second)
            found.append(*failure);
    }
    return found;
}

std::optional<KnownFailure> KnownFailures::recogniseDataWait(double dataWaitSeconds, double stepSeconds,
                                                             int dataloaderWorkers)
{
    // Half the step time: below it the GPU is still the bottleneck most of the time.
    constexpr double kStallFraction = 0.5;
    if (!(stepSeconds > 0) || !(dataWaitSeconds > kStallFraction * stepSeconds))
        return std::nullopt;
    const int percent = qRound(100.0 * std::min(1.0, dataWaitSeconds / stepSeconds));
    QString explanation = QStringLiteral("Steps spend %1% of their time waiting for batches (data_wait_s %2 s of "
                                         "%3 s)")
                              .arg(percent)
                              .arg(dataWaitSeconds, 0, 'g', 3)
                              .arg(stepSeconds, 0, 'g', 3);
    explanation += dataloaderWorkers >= 0
        ? QStringLiteral(" with --dataloader_num_workers %1.").arg(dataloaderWorkers)
        : QStringLiteral(".");
    return dataloaderStall({}, explanation);
}

} // namespace rdt
