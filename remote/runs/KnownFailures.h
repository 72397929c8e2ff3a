// Recognises the failures a training run commonly dies of from single lines of its
// train.log (the trainer's own messages, LibTorch's, the dynamic loader's, PyTorch's) and
// says what happened and what to do about it. Pure logic, so the dashboard and rdtctl
// can both explain a log the same way.
#pragma once

#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace rdt {

enum class FailureKind {
    CudaOutOfMemory,
    NanLoss,
    DatasetNotFound,
    StatisticsNotFound,
    PretrainedWeightsMissing,
    SharedLibraryNotFound,
    DataloaderStall,
    // Evals (EvalLogFailures):
    HeadlessRenderingFailed,
    PythonModuleMissing,
    EvalFileMissing,
};

struct KnownFailure {
    FailureKind kind = FailureKind::CudaOutOfMemory;
    QString title;        // "CUDA out of memory"
    QString explanation;  // what happened, with what the line names (batch size, path, step)
    QString remedy;       // what to change, as flags the user can type
    QString line;         // the log line it was recognised in
};

class KnownFailures {
public:
    // The failure this line reports, if it is one of the known kinds.
    [[nodiscard]] static std::optional<KnownFailure> recognise(const QString &line);

    // Every failure in the lines, one per kind (the first line that shows it), in the order
    // the kinds first appear: a log that repeats an error a thousand times shows it once.
    [[nodiscard]] static QList<KnownFailure> recogniseAll(const QStringList &lines);

    // The same, with another recogniser (EvalLogFailures adds the evals' failures).
    using Recogniser = std::function<std::optional<KnownFailure>(const QString &)>;
    [[nodiscard]] static QList<KnownFailure> firstOfEachKind(const QStringList &lines, const Recogniser &recognise);

    // A stall seen in the metrics rather than the log: the trainer writes data_wait_s, the
    // time a step waited for its batch. Waiting for more than half of the step time over
    // recent steps means the loader, not the GPU, sets the pace.
    [[nodiscard]] static std::optional<KnownFailure> recogniseDataWait(double dataWaitSeconds, double stepSeconds,
                                                                        int dataloaderWorkers = -1);
};

} // namespace rdt
