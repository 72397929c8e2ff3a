// From two listings to a decision: FileComparison's four states, SyncPlan for push and pull
// with and without --delete (bytes counted, nothing deleted unless asked), the JSON that
// `rdtctl diff --json` prints, and the dataset statistics verdict with both MD5s as reason.
#include "FileComparison.h"
#include "StatisticsDecision.h"
#include "SyncPlan.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

namespace {

rdt::FileChecksum file(const QString &path, qint64 size, const QString &md5)
{
    rdt::FileChecksum f;
    f.relativePath = path;
    f.size = size;
    f.mtimeNs = 1700000000123456789LL;
    f.md5 = md5;
    return f;
}

const QString kA = QStringLiteral("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
const QString kB = QStringLiteral("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
const QString kC = QStringLiteral("cccccccccccccccccccccccccccccccc");

// local: same.bin, changed.bin (other MD5), resized.bin, only-here.bin
// remote: same.bin, changed.bin, resized.bin, only-there/x.bin
rdt::FileComparison sampleComparison()
{
    const rdt::FileChecksumList local = {
        file(QStringLiteral("only-here.bin"), 300, kC), file(QStringLiteral("same.bin"), 10, kA),
        file(QStringLiteral("changed.bin"), 20, kA), file(QStringLiteral("resized.bin"), 31, kA),
    };
    const rdt::FileChecksumList remote = {
        file(QStringLiteral("same.bin"), 10, kA), file(QStringLiteral("changed.bin"), 20, kB),
        file(QStringLiteral("resized.bin"), 30, kA), file(QStringLiteral("only-there/x.bin"), 4000, kB),
    };
    return rdt::FileComparison::compare(local, remote);
}

QByteArray statJson(const QString &md5, const QString &name = QStringLiteral("libero_10"))
{
    // Plain literals: moc does not read raw string literals in a test file.
    return QStringLiteral("{\"%1\": {\"dataset_name\": \"%1\", \"state_mean\": [0.0], \"state_std\": [1.0], "
                          "\"state_min\": [0.0], \"state_max\": [1.0], \"md5\": \"%2\", \"files\": [{\"name\": "
                          "\"%1.hdf5\", \"md5\": \"%2\", \"episodes\": 2, \"steps\": 40}], \"episodes\": 2, \"steps\": 40}}")
        .arg(name, md5)
        .toUtf8();
}

} // namespace

class ChecksumSyncTest : public QObject {
    Q_OBJECT

private slots:
    void comparisonStates()
    {
        const rdt::FileComparison comparison = sampleComparison();
        QCOMPARE(comparison.files().size(), 5);
        QStringList order;
        for (const rdt::ComparedFile &f : comparison.files())
            order.append(f.relativePath + QLatin1Char('=') + rdt::FileComparison::stateName(f.state));
        QCOMPARE(order, (QStringList{QStringLiteral("changed.bin=different"), QStringLiteral("only-here.bin=missing_there"),
                                     QStringLiteral("only-there/x.bin=missing_here"), QStringLiteral("resized.bin=different"),
                                     QStringLiteral("same.bin=same")}));
        QCOMPARE(comparison.count(rdt::FileState::Different), 2);
        QVERIFY(!comparison.isIdentical());

        const rdt::FileComparison same = rdt::FileComparison::compare({file(QStringLiteral("a"), 1, kA)},
                                                                      {file(QStringLiteral("a"), 1, kA)});
        QVERIFY(same.isIdentical());
        QVERIFY(rdt::FileComparison::compare({}, {}).isIdentical());
        // An MD5 on one side only is never taken as a match.
        QVERIFY(!rdt::FileComparison::compare({file(QStringLiteral("a"), 1, kA)}, {file(QStringLiteral("a"), 1, QString())})
                     .isIdentical());
    }

    void comparisonJson()
    {
        const QJsonObject json = sampleComparison().toJson();
        QCOMPARE(json.value(QStringLiteral("identical")).toBool(true), false);
        QCOMPARE(json.value(QStringLiteral("counts")).toObject().value(QStringLiteral("missing_here")).toInt(), 1);
        const QJsonArray files = json.value(QStringLiteral("files")).toArray();
        QCOMPARE(files.size(), 5);
        const QJsonObject changed = files.at(0).toObject();
        QCOMPARE(changed.value(QStringLiteral("path")).toString(), QStringLiteral("changed.bin"));
        QCOMPARE(changed.value(QStringLiteral("state")).toString(), QStringLiteral("different"));
        QCOMPARE(changed.value(QStringLiteral("local")).toObject().value(QStringLiteral("md5")).toString(), kA);
        QCOMPARE(changed.value(QStringLiteral("remote")).toObject().value(QStringLiteral("md5")).toString(), kB);
        QCOMPARE(changed.value(QStringLiteral("remote")).toObject().value(QStringLiteral("mtime_ns")).toString(),
                 QStringLiteral("1700000000123456789"));
        QCOMPARE(changed.value(QStringLiteral("remote")).toObject().value(QStringLiteral("mtime")).toString(),
                 QStringLiteral("2023-11-14T22:13:20.123Z"));
        QVERIFY(files.at(1).toObject().value(QStringLiteral("remote")).isNull());
    }

    void pushPlan()
    {
        const rdt::SyncPlan keep = rdt::SyncPlan::make(sampleComparison(), rdt::SyncDirection::Push);
        QStringList sent;
        for (const rdt::PlannedTransfer &t : keep.transfers())
            sent.append(t.relativePath);
        QCOMPARE(sent, (QStringList{QStringLiteral("changed.bin"), QStringLiteral("only-here.bin"), QStringLiteral("resized.bin")}));
        QCOMPARE(keep.bytesToSend(), qint64(20 + 300 + 31));
        QVERIFY(keep.transfers().at(0).replaces);
        QVERIFY(!keep.transfers().at(1).replaces);
        QVERIFY(keep.deletions().isEmpty());
        QCOMPARE(keep.extrasKept(), QStringList{QStringLiteral("only-there/x.bin")});
        QCOMPARE(keep.unchangedCount(), 1);
        QCOMPARE(keep.summary(), QStringLiteral("push: 3 files to send (351 bytes), 1 only at the destination "
                                                "(kept; --delete removes them), 1 unchanged"));

        const rdt::SyncPlan remove = rdt::SyncPlan::make(sampleComparison(), rdt::SyncDirection::Push, true);
        QCOMPARE(remove.deletions(), QStringList{QStringLiteral("only-there/x.bin")});
        QVERIFY(remove.extrasKept().isEmpty());
        const QJsonObject json = remove.toJson();
        QCOMPARE(json.value(QStringLiteral("direction")).toString(), QStringLiteral("push"));
        QCOMPARE(json.value(QStringLiteral("bytes")).toInt(), 351);
        QCOMPARE(json.value(QStringLiteral("delete")).toArray().size(), 1);
        QCOMPARE(json.value(QStringLiteral("send")).toArray().size(), 3);
    }

    void pullPlan()
    {
        const rdt::SyncPlan plan = rdt::SyncPlan::make(sampleComparison(), rdt::SyncDirection::Pull, true);
        QStringList sent;
        for (const rdt::PlannedTransfer &t : plan.transfers())
            sent.append(t.relativePath);
        QCOMPARE(sent, (QStringList{QStringLiteral("changed.bin"), QStringLiteral("only-there/x.bin"), QStringLiteral("resized.bin")}));
        QCOMPARE(plan.bytesToSend(), qint64(20 + 4000 + 30));   // the server's sizes
        QCOMPARE(plan.deletions(), QStringList{QStringLiteral("only-here.bin")});

        const rdt::SyncPlan nothing = rdt::SyncPlan::make(rdt::FileComparison::compare({file(QStringLiteral("a"), 1, kA)},
                                                                                      {file(QStringLiteral("a"), 1, kA)}),
                                                          rdt::SyncDirection::Pull);
        QVERIFY(nothing.isEmpty());
        QCOMPARE(nothing.summary(), QStringLiteral("pull: 0 files to send (0 bytes), 1 unchanged"));
    }

    void statisticsForOneFile()
    {
        const rdt::FileChecksumList dataset = {file(QStringLiteral("libero_10.hdf5"), 100, kA)};
        const rdt::StatisticsDecision valid =
            rdt::StatisticsDecision::decide(statJson(kA), dataset, QStringLiteral("~/rdt/datasets/libero_10.hdf5"));
        QVERIFY2(valid.isValid(), qPrintable(valid.reason()));
        QCOMPARE(valid.verdict(), QStringLiteral("statistics valid for this dataset"));
        QCOMPARE(valid.datasetName(), QStringLiteral("libero_10"));
        QVERIFY2(valid.reason().contains(kA), qPrintable(valid.reason()));

        const rdt::StatisticsDecision stale =
            rdt::StatisticsDecision::decide(statJson(kB), dataset, QStringLiteral("~/rdt/datasets/libero_10.hdf5"));
        QVERIFY(!stale.isValid());
        QCOMPARE(stale.verdict(), QStringLiteral("recompute"));
        QCOMPARE(stale.recordedMd5(), kB);
        QCOMPARE(stale.datasetMd5(), kA);
        QVERIFY2(stale.reason().contains(kA) && stale.reason().contains(kB), qPrintable(stale.reason()));

        // One entry under another name is still the one to check.
        QVERIFY(rdt::StatisticsDecision::decide(statJson(kA, QStringLiteral("other")), dataset, QStringLiteral("x/libero_10.hdf5"))
                    .isValid());
    }

    void statisticsThatCannotBeTrusted()
    {
        const rdt::FileChecksumList dataset = {file(QStringLiteral("libero_10.hdf5"), 100, kA)};
        const QString path = QStringLiteral("libero_10.hdf5");
        const rdt::StatisticsDecision broken = rdt::StatisticsDecision::decide("{not json", dataset, path);
        QVERIFY(!broken.isValid());
        QVERIFY2(broken.reason().startsWith(QLatin1String("dataset_stat.json is not a JSON object")), qPrintable(broken.reason()));

        // RDT's own script records no MD5: nothing vouches for the statistics.
        const rdt::StatisticsDecision noMd5 = rdt::StatisticsDecision::decide(
            "{\"libero_10\": {\"state_mean\": [0], \"state_std\": [1], \"state_min\": [0], \"state_max\": [1]}}", dataset,
            path);
        QVERIFY(!noMd5.isValid());
        QVERIFY2(noMd5.reason().contains(QLatin1String("no MD5")), qPrintable(noMd5.reason()));

        const QByteArray two = "{\"a\": {\"md5\": \"" + kA.toLatin1() + "\"}, \"b\": {\"md5\": \"" + kA.toLatin1() + "\"}}";
        const rdt::StatisticsDecision ambiguous = rdt::StatisticsDecision::decide(two, dataset, path);
        QVERIFY(!ambiguous.isValid());
        QVERIFY2(ambiguous.reason().contains(QLatin1String("no entry for libero_10 (it has: a, b)")), qPrintable(ambiguous.reason()));
    }

    void statisticsForAFolder()
    {
        const QByteArray json = QStringLiteral("{\"libero_10\": {\"files\": [{\"name\": \"a.hdf5\", \"md5\": \"%1\"}, "
                                               "{\"name\": \"b.hdf5\", \"md5\": \"%2\"}]}}")
                                    .arg(kA, kB)
                                    .toUtf8();
        rdt::FileChecksumList dataset = {file(QStringLiteral("a.hdf5"), 1, kA), file(QStringLiteral("b.hdf5"), 1, kB),
                                         file(QStringLiteral("notes.txt"), 1, kC), file(QStringLiteral("sub/c.hdf5"), 1, kC)};
        const rdt::StatisticsDecision valid = rdt::StatisticsDecision::decide(json, dataset, QStringLiteral("data/libero_10/"));
        QVERIFY2(valid.isValid(), qPrintable(valid.reason()));

        dataset[1].md5 = kC;
        const rdt::StatisticsDecision changed = rdt::StatisticsDecision::decide(json, dataset, QStringLiteral("data/libero_10"));
        QVERIFY(!changed.isValid());
        QCOMPARE(changed.recordedMd5(), kB);
        QCOMPARE(changed.datasetMd5(), kC);

        dataset[1].md5 = kB;
        dataset.append(file(QStringLiteral("new.h5"), 1, kC));
        const rdt::StatisticsDecision added = rdt::StatisticsDecision::decide(json, dataset, QStringLiteral("data/libero_10"));
        QVERIFY(!added.isValid());
        QVERIFY2(added.reason().contains(QLatin1String("new.h5 is not in the statistics")), qPrintable(added.reason()));
    }
};

QTEST_GUILESS_MAIN(ChecksumSyncTest)
#include "unit_checksum_sync.moc"
