// The server check's parsers of what the server's tools print: nvidia-smi's CSV (GpuInfo)
// and `df -Pk` (DiskUsage), on recorded and hand-made outputs, malformed ones included.
#include "DiskUsage.h"
#include "GpuInfo.h"

#include <QFile>
#include <QJsonObject>
#include <QtTest>

#include <limits>

using rdt::GpuInfo;

namespace {

const QString kDataDir = QStringLiteral(RDT_SOURCE_DIR "/tests/remote/data");

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s: %s", qPrintable(path), qPrintable(file.errorString()));
    return file.readAll();
}

} // namespace

class GpuDiskParsersTest : public QObject {
    Q_OBJECT

private slots:
    // --- nvidia-smi CSV ---

    void gpuCsvOf8xA800()
    {
        const auto gpus = GpuInfo::parseNvidiaSmiCsv(readFile(kDataDir + QStringLiteral("/nvidia-smi-8xA800.csv")));
        QVERIFY2(gpus.ok(), qPrintable(gpus.error().message));
        QCOMPARE(gpus->size(), 8);
        const GpuInfo &first = gpus->first();
        QCOMPARE(first.index, 0);
        QCOMPARE(first.name, QStringLiteral("NVIDIA A800-SXM4-80GB"));
        QCOMPARE(first.memoryTotalMiB.value_or(-1), 81920);
        QCOMPARE(first.memoryUsedMiB.value_or(-1), 71234);
        QCOMPARE(first.utilizationPercent.value_or(-1), 98);
        QCOMPARE(first.temperatureCelsius.value_or(-1), 63);
        QVERIFY(first.isBusy());
        QCOMPARE(gpus->last().index, 7);
        QVERIFY(!gpus->last().isBusy());
    }

    void gpuCsvNumbersBeyondRangeAreErrors()
    {
        // An integer cast of 1e300 or inf is undefined: such a field is "not a number" here.
        for (const QByteArray &field : {QByteArray("1e300"), QByteArray("inf"), QByteArray("-1e30")}) {
            const auto gpus = GpuInfo::parseNvidiaSmiCsv("0, NVIDIA A800-SXM4-80GB, " + field + ", 0, 5, 40\n");
            QVERIFY2(!gpus.ok(), field.constData());
        }
        const auto hot = GpuInfo::parseNvidiaSmiCsv("0, NVIDIA A800-SXM4-80GB, 81920, 0, 5, 1e12\n");
        QVERIFY2(hot.ok(), qPrintable(hot.error().message));
        QCOMPARE(hot->at(0).temperatureCelsius.value_or(-1), std::numeric_limits<int>::max());
        QJsonObject json = hot->at(0).toJson();
        json.insert(QStringLiteral("memory_total_mib"), 1e300);
        QVERIFY(!GpuInfo::fromJson(json).memoryTotalMiB);
    }

    void gpuCsvMissingValues()
    {
        const QByteArray csv =
            "0, NVIDIA A800-SXM4-80GB, 81920, 0, [N/A], [Not Supported]\n"
            "  1 ,  Tesla T4 ,[N/A],[N/A], N/A ,  41  \r\n"
            "\n"
            "2, NVIDIA GeForce RTX 4090, 24564.0, 20000.5, [Unknown Error], 90\n";
        const auto gpus = GpuInfo::parseNvidiaSmiCsv(csv);
        QVERIFY2(gpus.ok(), qPrintable(gpus.error().message));
        QCOMPARE(gpus->size(), 3);
        QVERIFY(!gpus->at(0).utilizationPercent);
        QVERIFY(!gpus->at(0).temperatureCelsius);
        QVERIFY(!gpus->at(0).isBusy());
        QCOMPARE(gpus->at(1).name, QStringLiteral("Tesla T4"));
        QVERIFY(!gpus->at(1).memoryTotalMiB);
        QCOMPARE(gpus->at(1).temperatureCelsius.value_or(-1), 41);
        QCOMPARE(gpus->at(2).memoryUsedMiB.value_or(-1), 20000);
        QVERIFY(gpus->at(2).isBusy());  // by memory alone
        const QJsonObject json = gpus->at(1).toJson();
        QVERIFY(json.value(QStringLiteral("memory_total_mib")).isNull());
        QCOMPARE(json.value(QStringLiteral("temperature_c")).toInt(), 41);
    }

    void gpuCsvErrors_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<QString>("expected");
        QTest::newRow("header left on") << QByteArray("index, name, memory.total [MiB], a, b, c\n")
                                        << "line 1";
        QTest::newRow("too few fields") << QByteArray("0, A800, 81920\n") << "found 3";
        QTest::newRow("units left on") << QByteArray("0, A800, 81920 MiB, 3 MiB, 0 %, 30\n")
                                       << "nounits";
        QTest::newRow("second line bad") << QByteArray("0, A, 1, 1, 1, 1\nNVIDIA-SMI has failed\n")
                                         << "line 2";
    }

    void gpuCsvErrors()
    {
        QFETCH(QByteArray, csv);
        QFETCH(QString, expected);
        const auto gpus = GpuInfo::parseNvidiaSmiCsv(csv);
        QVERIFY(!gpus.ok());
        QVERIFY2(gpus.error().message.contains(expected), qPrintable(gpus.error().message));
    }

    // --- df -Pk ---

    void dfOutput()
    {
        const QByteArray df =
            "Filesystem     1024-blocks      Used Available Capacity Mounted on\n"
            "/dev/nvme0n1p2  3750000000 1000000000 2750000000      27% /data/scratch space\n";
        const auto usage = rdt::DiskUsage::parseDfPk(df);
        QVERIFY2(usage.ok(), qPrintable(usage.error().message));
        QCOMPARE(usage->filesystem, QStringLiteral("/dev/nvme0n1p2"));
        QCOMPARE(usage->mountPoint, QStringLiteral("/data/scratch space"));
        QCOMPARE(usage->totalBytes, qint64(3750000000) * 1024);
        QCOMPARE(usage->availableBytes, qint64(2750000000) * 1024);

        const auto network = rdt::DiskUsage::parseDfPk(
            "Filesystem 1024-blocks Used Available Capacity Mounted on\n"
            "server:/export/home - - - - /home\n");
        QVERIFY2(network.ok(), qPrintable(network.error().message));
        QCOMPARE(network->availableBytes, 0);

        const auto bad = rdt::DiskUsage::parseDfPk("df: /nope: No such file or directory\n");
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().message.contains(QStringLiteral("No such file")),
                 qPrintable(bad.error().message));
    }

    // Found by tests/fuzz/disk_usage (corpus/disk_usage/nfs): KiB counts whose bytes pass
    // qint64 were multiplied anyway (undefined behaviour, a negative size in practice).
    void dfCountsBeyondAByteCountAreRefused()
    {
        for (const QByteArray &count : {QByteArray("9007199254740993"), QByteArray("99999999999999999999999")}) {
            const auto usage = rdt::DiskUsage::parseDfPk("Filesystem 1024-blocks Used Available Capacity Mounted on\n"
                                                         "server:/export " + count + " 1 2 1% /home/my dir\n");
            QVERIFY(!usage.ok());
            QVERIFY2(usage.error().message.contains(QString::fromLatin1(count) + QStringLiteral(" KiB is more than")),
                     qPrintable(usage.error().message));
        }
        const auto largest = rdt::DiskUsage::parseDfPk("Filesystem 1024-blocks Used Available Capacity Mounted on\n"
                                                       "big 9007199254740991 0 9007199254740991 0% /big\n");
        QVERIFY2(largest.ok(), qPrintable(largest.error().message));
        QCOMPARE(largest->totalBytes, qint64(9007199254740991) * 1024);
    }
};

QTEST_GUILESS_MAIN(GpuDiskParsersTest)
#include "unit_gpu_disk_parsers.moc"
