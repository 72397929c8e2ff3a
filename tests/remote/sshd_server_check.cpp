// The server check end to end on the GPU host behind the jump host: the real probe script
// over a real connection, without an NVIDIA driver and with a fake nvidia-smi that prints
// what 8 A800 cards print.
#include "support_ssh_session.h"
#include "support_topology.h"

#include "ServerCheck.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using rdt::CheckId;
using rdt::CheckStatus;

namespace {

const rdt::CheckItem *findItem(const QList<rdt::CheckItem> &items, CheckId id)
{
    for (const rdt::CheckItem &item : items)
        if (item.id == id)
            return &item;
    return nullptr;
}

} // namespace

class ServerCheckTest : public QObject {
    Q_OBJECT

private:
    Topology m_topo = Topology();
    std::unique_ptr<rdt::SshClient> m_client;
    QTemporaryDir m_root;   // the gpu host shares this machine's file system

    QList<rdt::CheckItem> runCheck(const QString &root)
    {
        rdt::ServerCheck check(m_client.get());
        QSignalSpy finished(&check, &rdt::ServerCheck::finished);
        check.start(root);
        if (!finished.wait(60000)) {
            qWarning("server check did not finish");
            return {};
        }
        if (check.error().code != rdt::ErrorCode::None)
            qWarning("server check failed: %s", qPrintable(check.error().message));
        return check.items();
    }

private slots:
    void initTestCase()
    {
        const std::optional<Topology> topo = Topology::fromEnvironment();
        QVERIFY2(topo.has_value(), "run through `tests/sshd/topology run` (ctest does)");
        m_topo = *topo;
        Connected c = connectRoute(m_topo.gpuRoute());
        QVERIFY2(c.client, qPrintable(c.error.message));
        m_client = std::move(c.client);
        QVERIFY(m_root.isValid());
    }

    void withoutDriverTheGpuItemFailsWithAHint()
    {
        const QList<rdt::CheckItem> items = runCheck(m_root.path());
        QVERIFY(!items.isEmpty());
        const rdt::CheckItem *gpus = findItem(items, CheckId::Gpus);
        QVERIFY(gpus);
        QCOMPARE(gpus->status, CheckStatus::Failed);
        QVERIFY2(gpus->detail.contains(QLatin1String("nvidia-smi")), qPrintable(gpus->detail));
        QVERIFY(!gpus->hint.isEmpty());
        const rdt::CheckItem *tmux = findItem(items, CheckId::Tmux);
        QVERIFY(tmux);
    }

    void eightA800sAreParsedIntoRows()
    {
        // A link, so the fake finds its CSV beside itself.
        const QString tool = QDir(m_topo.gpuBinDir()).filePath(QStringLiteral("nvidia-smi"));
        QVERIFY(QFile::link(QStringLiteral(RDT_SOURCE_DIR "/tests/remote/data/fake-nvidia-smi"), tool));
        const QList<rdt::CheckItem> items = runCheck(m_root.path());
        const rdt::CheckItem *gpus = findItem(items, CheckId::Gpus);
        QVERIFY(gpus);
        QVERIFY2(gpus->status != CheckStatus::Failed, qPrintable(gpus->detail));
        QCOMPARE(gpus->gpus.size(), 8);
        QVERIFY2(gpus->gpus[0].name.contains(QLatin1String("A800")), qPrintable(gpus->gpus[0].name));
        QVERIFY(gpus->gpus[7].memoryTotalMiB.has_value());
        QCOMPARE(gpus->gpus[7].index, 7);
    }

    void modelFolderAndRootFoldersAreSeen()
    {
        QDir root(m_root.path());
        QVERIFY(root.mkpath(QStringLiteral("datasets")));
        QVERIFY(root.mkpath(QStringLiteral("configs")));
        QVERIFY(root.mkpath(QStringLiteral("checkpoints/rdt-1b")));
        QFile config(root.filePath(QStringLiteral("checkpoints/rdt-1b/config.json")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write("{}");
        config.close();
        QFile weights(root.filePath(QStringLiteral("checkpoints/rdt-1b/pytorch_model.bin")));
        QVERIFY(weights.open(QIODevice::WriteOnly));
        weights.write(QByteArray(4096, 'x'));
        weights.close();

        const QList<rdt::CheckItem> items = runCheck(m_root.path());
        const rdt::CheckItem *folders = findItem(items, CheckId::RootFolders);
        QVERIFY(folders);
        QCOMPARE(folders->status, CheckStatus::Ok);
        const rdt::CheckItem *model = findItem(items, CheckId::PretrainedModel);
        QVERIFY(model);
        QVERIFY2(model->detail.contains(QLatin1String("pytorch_model.bin")), qPrintable(model->detail));
    }
};

QTEST_GUILESS_MAIN(ServerCheckTest)
#include "sshd_server_check.moc"
