// KnownFailures on the lines the programs really print: rdt-trainer's errors as train.log
// records them ("error: ...") and as stderr shows them ("rdt-trainer train: ..."), LibTorch's
// CUDA messages, the dynamic loader's, PyTorch's DataLoader's; and ordinary lines that
// must not be mistaken for failures.
#include "KnownFailures.h"

#include <QtTest>

using rdt::FailureKind;
using rdt::KnownFailures;

Q_DECLARE_METATYPE(rdt::FailureKind)

class KnownFailuresTest : public QObject {
    Q_OBJECT

private slots:
    void recognisesTrainerLines_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<FailureKind>("kind");
        QTest::addColumn<QString>("inRemedyOrExplanation");

        QTest::newRow("trainer oom") << QStringLiteral(
            "error: out of memory with --train_batch_size 32 on cuda: try a smaller --train_batch_size, "
            "--gradient_checkpointing or --mixed_precision bf16 (CUDA out of memory. Tried to allocate 2.00 GiB)")
                                     << FailureKind::CudaOutOfMemory << QStringLiteral("--train_batch_size 16");
        QTest::newRow("main oom") << QStringLiteral("rdt-trainer train: out of memory: try a smaller "
                                                    "--train_batch_size, --gradient_checkpointing or --mixed_precision bf16")
                                  << FailureKind::CudaOutOfMemory << QStringLiteral("--gradient_checkpointing");
        QTest::newRow("libtorch oom") << QStringLiteral("error: LibTorch: CUDA error: out of memory")
                                      << FailureKind::CudaOutOfMemory << QStringLiteral("bf16");
        QTest::newRow("trainer nan") << QStringLiteral("error: loss is NaN at step 1235; stopped, checkpoint-1000 is "
                                                       "the last good checkpoint")
                                     << FailureKind::NanLoss << QStringLiteral("checkpoint-1000");
        QTest::newRow("step line nan") << QStringLiteral("step 88 loss nan lr 0.0001 grad_norm nan samples/s 41.2")
                                       << FailureKind::NanLoss << QStringLiteral("--learning_rate");
        QTest::newRow("dataset folder") << QStringLiteral("error: /data/libero_10: no such file or folder")
                                        << FailureKind::DatasetNotFound << QStringLiteral("/data/libero_10");
        QTest::newRow("dataset empty") << QStringLiteral("rdt-trainer train: /data/libero_10: the folder holds no "
                                                         ".hdf5 or .h5 files")
                                       << FailureKind::DatasetNotFound << QStringLiteral("--dataset");
        QTest::newRow("dataset file") << QStringLiteral("error: /data/libero_10/KITCHEN_SCENE3.hdf5: not an HDF5 file")
                                      << FailureKind::DatasetNotFound << QStringLiteral("--dataset");
        QTest::newRow("statistics") << QStringLiteral("FileNotFoundError: [Errno 2] No such file or directory: "
                                                      "'configs/dataset_stat.json'")
                                    << FailureKind::StatisticsNotFound << QStringLiteral("rdt-trainer stats");
        QTest::newRow("weights folder") << QStringLiteral("error: pretrained weights /models/rdt-1b: folder holds "
                                                          "neither model.safetensors nor pytorch_model.bin")
                                        << FailureKind::PretrainedWeightsMissing << QStringLiteral("/models/rdt-1b");
        QTest::newRow("weights path") << QStringLiteral("rdt-trainer train: pretrained weights /models/rdt-170m: no "
                                                        "such file or folder")
                                      << FailureKind::PretrainedWeightsMissing
                                      << QStringLiteral("--pretrained_model_name_or_path");
        QTest::newRow("loader") << QStringLiteral("rdt-trainer: error while loading shared libraries: "
                                                  "libtorch_cuda.so: cannot open shared object file: No such file or "
                                                  "directory")
                                << FailureKind::SharedLibraryNotFound << QStringLiteral("libtorch_cuda.so");
        QTest::newRow("worker killed") << QStringLiteral("RuntimeError: DataLoader worker (pid 4242) is killed by "
                                                         "signal: Killed.")
                                       << FailureKind::DataloaderStall << QStringLiteral("--dataloader_num_workers");
        QTest::newRow("loader timeout") << QStringLiteral("RuntimeError: DataLoader timed out after 300 seconds")
                                        << FailureKind::DataloaderStall << QStringLiteral("--dataloader_num_workers");
    }

    void recognisesTrainerLines()
    {
        QFETCH(QString, line);
        QFETCH(FailureKind, kind);
        QFETCH(QString, inRemedyOrExplanation);
        const std::optional<rdt::KnownFailure> failure = KnownFailures::recognise(line);
        QVERIFY2(failure, qPrintable(QStringLiteral("not recognised: ") + line));
        QCOMPARE(failure->kind, kind);
        QCOMPARE(failure->line, line);
        QVERIFY(!failure->title.isEmpty());
        QVERIFY(!failure->remedy.isEmpty());
        const QString text = failure->explanation + QLatin1Char(' ') + failure->remedy;
        QVERIFY2(text.contains(inRemedyOrExplanation), qPrintable(text));
    }

    void ignoresOrdinaryLines()
    {
        const QStringList lines = {
            QStringLiteral("step 120 loss 0.0412 lr 0.0001 grad_norm 0.53 samples/s 44.1"),
            QStringLiteral("dataset libero_10: 379 episodes, 101469 steps, 128x128 images"),
            QStringLiteral("pretrained: loaded /models/rdt-170m/model.safetensors, 0 missing, 0 unexpected keys"),
            QStringLiteral("sample at step 500: mse 0.0123 l2err 0.2"),
            QStringLiteral("saved checkpoint-1000"),
            QStringLiteral("resume: no checkpoint in /runs/a, starting a new run"),
        };
        for (const QString &line : lines)
            QVERIFY2(!KnownFailures::recognise(line), qPrintable(line));
    }

    void recogniseAllKeepsOnePerKindInOrder()
    {
        const QStringList lines = {
            QStringLiteral("step 1 loss 0.9 lr 0 grad_norm 3 samples/s 40"),
            QStringLiteral("RuntimeError: DataLoader timed out after 300 seconds"),
            QStringLiteral("error: LibTorch: CUDA error: out of memory"),
            QStringLiteral("RuntimeError: DataLoader timed out after 300 seconds"),
        };
        const QList<rdt::KnownFailure> found = KnownFailures::recogniseAll(lines);
        QCOMPARE(found.size(), 2);
        QCOMPARE(found[0].kind, FailureKind::DataloaderStall);
        QCOMPARE(found[1].kind, FailureKind::CudaOutOfMemory);
    }

    void dataWaitAboveHalfTheStepIsAStall()
    {
        QVERIFY(!KnownFailures::recogniseDataWait(0.1, 1.0));
        QVERIFY(!KnownFailures::recogniseDataWait(0.5, 0.0));
        const auto stall = KnownFailures::recogniseDataWait(0.8, 1.0, 2);
        QVERIFY(stall);
        QCOMPARE(stall->kind, FailureKind::DataloaderStall);
        QVERIFY2(stall->explanation.contains(QLatin1String("80%")), qPrintable(stall->explanation));
        QVERIFY2(stall->explanation.contains(QLatin1String("--dataloader_num_workers 2")), qPrintable(stall->explanation));
    }
};

QTEST_GUILESS_MAIN(KnownFailuresTest)
#include "unit_known_failures.moc"
