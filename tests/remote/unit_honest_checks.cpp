// The server check's numbers say what they mean: the free-disk row warns only within 10 %
// of what a run needs (68 GiB free for a 50 GiB run is fine), and a server that trains on
// its CPUs by design (the sandbox) shows its missing GPU as expected, not as a failure, so
// the check as a whole can pass there. Parsed from the probe's own output format.
#include "CheckItem.h"
#include "ServerProbe.h"

#include <QtTest>

using rdt::CheckId;
using rdt::CheckItem;
using rdt::CheckStatus;

namespace {

// The probe's output with no GPU driver and `df -Pk` showing `freeGiB` available.
QByteArray probeOutput(qint64 freeGiB)
{
    const qint64 freeKiB = freeGiB << 20;
    const qint64 totalKiB = qint64(200) << 20;
    return "@@rdt-server-probe 1\n"
           "@@section gpus\n!nvidia-smi: not found on PATH\n@@status 127\n"
           "@@section disk\n|Filesystem 1024-blocks Used Available Capacity Mounted on\n|/dev/sda1 "
        + QByteArray::number(totalKiB) + ' ' + QByteArray::number(totalKiB - freeKiB) + ' ' + QByteArray::number(freeKiB)
        + " 50% /srv\n@@status 0\n@@end\n";
}

const CheckItem *itemOf(const QList<CheckItem> &items, CheckId id)
{
    for (const CheckItem &item : items)
        if (item.id == id)
            return &item;
    return nullptr;
}

} // namespace

class HonestChecksTest : public QObject {
    Q_OBJECT
private slots:
    void diskWarnsOnlyWhenTheNumbersSaySo_data()
    {
        QTest::addColumn<qint64>("freeGiB");
        QTest::addColumn<int>("status");
        QTest::newRow("68 GiB for 50") << qint64(68) << int(CheckStatus::Ok);
        QTest::newRow("56 GiB for 50") << qint64(56) << int(CheckStatus::Ok);
        QTest::newRow("54 GiB for 50") << qint64(54) << int(CheckStatus::Warning);
        QTest::newRow("40 GiB for 50") << qint64(40) << int(CheckStatus::Failed);
    }

    void diskWarnsOnlyWhenTheNumbersSaySo()
    {
        QFETCH(qint64, freeGiB);
        QFETCH(int, status);
        const auto items = rdt::ServerProbe::parse(probeOutput(freeGiB));
        QVERIFY2(items.ok(), qPrintable(items.error().message));
        const CheckItem *disk = itemOf(*items, CheckId::Disk);
        QVERIFY(disk);
        QVERIFY2(int(disk->status) == status, qPrintable(disk->detail));
        QVERIFY2(disk->detail.contains(QStringLiteral("a run needs 50 GiB")), qPrintable(disk->detail));
    }

    void missingGpuOnACpuServerIsExpected()
    {
        const auto gpuServer = rdt::ServerProbe::parse(probeOutput(100));
        QVERIFY(gpuServer.ok());
        QCOMPARE(itemOf(*gpuServer, CheckId::Gpus)->status, CheckStatus::Failed);

        rdt::ServerProbeExpectations cpuOnly;
        cpuOnly.gpusExpected = false;
        const auto sandbox = rdt::ServerProbe::parse(probeOutput(100), cpuOnly);
        QVERIFY(sandbox.ok());
        const CheckItem *gpus = itemOf(*sandbox, CheckId::Gpus);
        QCOMPARE(gpus->status, CheckStatus::Ok);
        QVERIFY2(gpus->detail.contains(QStringLiteral("as expected")), qPrintable(gpus->detail));
        QVERIFY2(gpus->detail.contains(QStringLiteral("nvidia-smi")), qPrintable(gpus->detail));   // what was found, still said
        QVERIFY(gpus->hint.isEmpty());
    }
};

QTEST_GUILESS_MAIN(HonestChecksTest)
#include "unit_honest_checks.moc"
