// rdtctl export against the throwaway topology: a run folder on the GPU host (metrics with
// a resume and a torn last line, run.yaml, the launcher's .rdt/ notes, a dataset file and a
// model folder), exported through the jump host; the CSV is parsed back and the
// configuration's MD5s compared with ones computed here. And the errors: no such run, no
// output asked for, an output that cannot be written (nothing left under its name).
#include "support_rdtctl.h"
#include "support_topology.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

namespace {

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

QString md5Of(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Md5).toHex());
}

// The CSV as rows of cells, header first; a comma-separated file with no quoting needed.
QList<QStringList> parseCsv(const QByteArray &csv)
{
    QList<QStringList> rows;
    for (const QByteArray &line : csv.split('\n'))
        if (!line.isEmpty())
            rows.append(QString::fromUtf8(line).split(QLatin1Char(',')));
    return rows;
}

} // namespace

class RunExportTest : public QObject {
    Q_OBJECT

private:
    Topology m_topo = Topology();
    QTemporaryDir m_work;
    QTemporaryDir m_home;
    QString m_root;
    QByteArray m_dataset = QByteArray("HDF5 stand-in bytes\n").repeated(1000);
    QByteArray m_weights = QByteArray("safetensors stand-in").repeated(500);
    QByteArray m_modelConfig = QByteArray(R"({"hidden_size": 64, "depth": 2})");

    CliRun rdtctl(const QStringList &arguments)
    {
        return runRdtctl(QStringList{QStringLiteral("-F"), m_topo.sshConfigFile()} + arguments, m_home.path(), 120000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        const std::optional<Topology> topo = Topology::fromEnvironment();
        QVERIFY2(topo.has_value(), "run through `tests/sshd/topology run` (ctest does)");
        m_topo = *topo;
        // The GPU host is a namespace of this machine: the same path is the remote root there.
        m_root = QDir(m_work.path()).canonicalPath() + QStringLiteral("/root dir");
        const QString run = m_root + QStringLiteral("/runs/r1");
        const QString dataset = m_root + QStringLiteral("/datasets/libero tiny.hdf5");
        const QString model = m_root + QStringLiteral("/models/rdt-tiny");
        QVERIFY(writeFile(dataset, m_dataset));
        QVERIFY(writeFile(model + QStringLiteral("/model.safetensors"), m_weights));
        QVERIFY(writeFile(model + QStringLiteral("/config.json"), m_modelConfig));
        // Steps 1-3, a sample at 2, then a resume from step 2 that logs 3 again, and a line
        // still being written.
        QVERIFY(writeFile(run + QStringLiteral("/metrics.jsonl"),
                          "{\"event\":\"start\",\"time\":100,\"version\":\"t\",\"world_size\":1,\"config\":{}}\n"
                          "{\"step\":1,\"time\":101,\"loss\":0.5,\"lr\":0.0001,\"grad_norm\":2,\"samples_per_s\":8,\"epoch\":0}\n"
                          "{\"step\":2,\"time\":102,\"loss\":0.25,\"lr\":0.0001,\"grad_norm\":1.5,\"samples_per_s\":8,\"epoch\":0}\n"
                          "{\"event\":\"sample\",\"step\":2,\"time\":102.5,\"sample_mse\":0.125,\"sample_l2err\":0.3}\n"
                          "{\"step\":3,\"time\":103,\"loss\":0.2,\"lr\":0.0001,\"grad_norm\":1,\"samples_per_s\":8,\"epoch\":1}\n"
                          "{\"event\":\"start\",\"time\":200,\"version\":\"t\",\"world_size\":1,\"step\":2,\"config\":{}}\n"
                          "{\"step\":3,\"time\":201,\"loss\":0.1875,\"lr\":0.0001,\"grad_norm\":1,\"samples_per_s\":9,\"epoch\":1}\n"
                          "{\"step\":4,\"time\":202,\"loss\":0.1"));
        QVERIFY(writeFile(run + QStringLiteral("/run.yaml"), "model:\n  rdt:\n    hidden_size: 64\ntrain:\n  train_batch_size: 2\n"));
        QVERIFY(writeFile(run + QStringLiteral("/.rdt/trainer-args"),
                          ("--config\ntiny.yaml\n--dataset\n" + dataset + "\n--pretrained_model_name_or_path=" + model
                           + "\n--max_train_steps\n4\n").toUtf8()));
        QVERIFY(writeFile(run + QStringLiteral("/.rdt/trainer-env"), "CUDA_VISIBLE_DEVICES=0\nOMP_NUM_THREADS=4\n"));
        QVERIFY(writeFile(run + QStringLiteral("/.rdt/launcher-args"), ""));
    }

    void metricsCsvHasEveryMetricPerStep()
    {
        const QString csv = m_work.path() + QStringLiteral("/r1.csv");
        const CliRun run = rdtctl({QStringLiteral("export"), QStringLiteral("gpu"), QStringLiteral("--root"), m_root,
                                   QStringLiteral("r1"), QStringLiteral("--csv"), csv});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.contains("wrote 3 steps"), run.out.constData());
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QStringList> rows = parseCsv(file.readAll());
        QCOMPARE(rows.size(), 4);   // header and steps 1-3: step 4's line is not finished
        QCOMPARE(rows.at(0), QStringList({"step", "time", "loss", "lr", "grad_norm", "samples_per_s", "epoch",
                                          "sample_mse", "sample_l2err"}));
        QCOMPARE(rows.at(1), QStringList({"1", "101", "0.5", "1e-04", "2", "8", "0", "", ""}));
        QCOMPARE(rows.at(2), QStringList({"2", "102", "0.25", "1e-04", "1.5", "8", "0", "0.125", "0.3"}));
        // Step 3 as the resumed run logged it.
        QCOMPARE(rows.at(3), QStringList({"3", "201", "0.1875", "1e-04", "1", "9", "1", "", ""}));
    }

    void configurationNamesFlagsEnvironmentAndMd5s()
    {
        const QString path = m_work.path() + QStringLiteral("/r1.txt");
        const CliRun run = rdtctl({QStringLiteral("export"), QStringLiteral("gpu"), QStringLiteral("--root"), m_root,
                                   QStringLiteral("r1"), QStringLiteral("--config"), path});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        QVERIFY2(text.contains(QStringLiteral("[trainer flags]\n--config\ntiny.yaml\n--dataset\n")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("[launcher flags]\n(one process)\n")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("[environment]\nCUDA_VISIBLE_DEVICES=0\nOMP_NUM_THREADS=4\n")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("md5 %1  libero tiny.hdf5  (%2 bytes)").arg(md5Of(m_dataset)).arg(m_dataset.size())),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("md5 %1  model.safetensors").arg(md5Of(m_weights))), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("md5 %1  config.json").arg(md5Of(m_modelConfig))), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("[run.yaml]\nmodel:\n  rdt:\n    hidden_size: 64\n")), qPrintable(text));
    }

    void missingInputsAreSaidNotFatal()
    {
        const QString run = m_root + QStringLiteral("/runs/by-hand");
        QVERIFY(writeFile(run + QStringLiteral("/run.yaml"), "train:\n  dataset: \"/nowhere/x.hdf5\"\n"));
        const QString path = m_work.path() + QStringLiteral("/by-hand.txt");
        const CliRun cli = rdtctl({QStringLiteral("export"), QStringLiteral("gpu"), QStringLiteral("--root"), m_root,
                                   QStringLiteral("by-hand"), QStringLiteral("--config"), path, QStringLiteral("--csv"),
                                   m_work.path() + QStringLiteral("/by-hand.csv")});
        QVERIFY2(cli.exitCode == 0, cli.err.constData());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        QVERIFY2(text.contains(QStringLiteral("not started by the workbench")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("path: /nowhere/x.hdf5\nmd5: unknown (no such file or folder on the server)")),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("[pretrained model]\n(none: trained from scratch)")), qPrintable(text));
    }

    void errorsSayWhatAndLeaveNoFile()
    {
        CliRun run = rdtctl({QStringLiteral("export"), QStringLiteral("gpu"), QStringLiteral("--root"), m_root,
                             QStringLiteral("absent"), QStringLiteral("--csv"), m_work.path() + QStringLiteral("/a.csv")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("export run absent from gpu: no such run on the server"), run.err.constData());
        QVERIFY(!QFile::exists(m_work.path() + QStringLiteral("/a.csv")));

        run = rdtctl({QStringLiteral("export"), QStringLiteral("gpu"), QStringLiteral("--root"), m_root, QStringLiteral("r1")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("--csv FILE, --config FILE or both"), run.err.constData());

        const QString unwritable = m_work.path() + QStringLiteral("/no such folder/r1.csv");
        run = rdtctl({QStringLiteral("export"), QStringLiteral("gpu"), QStringLiteral("--root"), m_root, QStringLiteral("r1"),
                      QStringLiteral("--csv"), unwritable});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(qPrintable(QStringLiteral("write %1").arg(unwritable))), run.err.constData());
        QVERIFY(!QFile::exists(unwritable));
    }
};

QTEST_GUILESS_MAIN(RunExportTest)
#include "sshd_run_export.moc"
