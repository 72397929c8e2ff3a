// The encoder rows of the server check end to end on the GPU host behind the jump host:
// the check script finds a SigLIP folder in the Hugging Face cache the wizard's runs use
// (ROOT/hf-cache/hub) or under ROOT/models, the server's real rdt-trainer reads it and the
// language embeddings with its own readers, and the rows say found where, missing, or the
// wrong shape, with the folders the run should get. The tiny SigLIP is written by
// siglip_reference.py (transformers' layout), the embeddings as the trainer's safetensors map.
#include "Sandbox.h"
#include "support_files.h"
#include "support_ssh_session.h"
#include "support_topology.h"

#include "EncoderCheck.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>

using rdt::CheckStatus;

namespace {

// The sandbox's tiny RDT (remote/server/Sandbox.cpp): 4 image tokens x 24, language 32.
constexpr int kLangDim = 32;

QString run(const QString &program, const QStringList &arguments)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, arguments);
    if (!process.waitForFinished(120000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return QStringLiteral("%1 failed: %2").arg(program, QString::fromUtf8(process.readAll()));
    return {};
}

// A safetensors file of float32 [3, kLangDim] tensors, one per instruction ("" is the
// embedding a dropped instruction gets).
QByteArray languageMap(const QStringList &instructions)
{
    QJsonObject header;
    QByteArray data;
    for (const QString &instruction : instructions) {
        const qint64 begin = data.size();
        for (int i = 0; i < 3 * kLangDim; ++i) {
            const float value = float(i % 7) / 7.0f;
            data.append(reinterpret_cast<const char *>(&value), sizeof value);
        }
        header.insert(instruction, QJsonObject{{QStringLiteral("dtype"), QStringLiteral("F32")},
                                               {QStringLiteral("shape"), QJsonArray{3, kLangDim}},
                                               {QStringLiteral("data_offsets"), QJsonArray{begin, qint64(data.size())}}});
    }
    QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
    while (json.size() % 8)
        json.append(' ');
    QByteArray length(8, '\0');
    qToLittleEndian<quint64>(quint64(json.size()), length.data());
    return length + json + data;
}

} // namespace

class EncoderCheckTest : public QObject {
    Q_OBJECT

private:
    Topology m_topo = Topology();
    std::unique_ptr<rdt::SshClient> m_client;
    QTemporaryDir m_home;   // the gpu host shares this machine's file system
    QString m_siglip;       // a tiny SigLIP folder
    QString m_dataset;      // sandbox LIBERO data: "pick up the red block"

    rdt::EncoderCheckOutcome runCheck(const rdt::EncoderCheckRequest &request)
    {
        rdt::EncoderCheck check(m_client.get());
        QSignalSpy finished(&check, &rdt::EncoderCheck::finished);
        check.start(request);
        if (!finished.wait(120000))
            qWarning("encoder check did not finish");
        if (check.error().code != rdt::ErrorCode::None)
            qWarning("encoder check failed: %s", qPrintable(check.error().message));
        return check.outcome();
    }

    QString makeRoot(const QString &name, bool withTrainer)
    {
        const QString root = m_home.filePath(name);
        QDir().mkpath(root + QStringLiteral("/bin"));
        if (withTrainer)
            QFile::link(QStringLiteral(RDT_TRAINER_BINARY), root + QStringLiteral("/bin/rdt-trainer"));
        writeFile(root + QStringLiteral("/tiny.yaml"), rdt::Sandbox::tinyModelConfig());
        return root;
    }

    // The hub layout a Hugging Face download leaves: refs/main names the snapshot.
    bool putInHubCache(const QString &hub)
    {
        const QString repo = hub + QStringLiteral("/models--google--siglip-so400m-patch14-384");
        const QString snapshot = repo + QStringLiteral("/snapshots/5e1a2b");
        if (!QDir().mkpath(snapshot) || !QDir().mkpath(repo + QStringLiteral("/refs")))
            return false;
        for (const QString &file : QDir(m_siglip).entryList(QDir::Files))
            if (!QFile::copy(m_siglip + QLatin1Char('/') + file, snapshot + QLatin1Char('/') + file))
                return false;
        return writeFile(repo + QStringLiteral("/refs/main"), "5e1a2b\n");
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
        QVERIFY(m_home.isValid());
        if (QProcess::execute(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-c"), QStringLiteral("import torch")}) != 0)
            QSKIP("python3-torch is not installed (scripts/setup installs it): no tiny SigLIP to check");
        m_siglip = m_home.filePath(QStringLiteral("siglip-tiny"));
        QString problem = run(QStringLiteral("/usr/bin/python3"),
                              {QStringLiteral(RDT_SOURCE_DIR "/tests/training/python/siglip_reference.py"), QStringLiteral("make"),
                               m_siglip, QStringLiteral("--hidden"), QStringLiteral("24"), QStringLiteral("--heads"),
                               QStringLiteral("4"), QStringLiteral("--mlp"), QStringLiteral("40"), QStringLiteral("--image"),
                               QStringLiteral("16"), QStringLiteral("--patch"), QStringLiteral("8")});
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        m_dataset = m_home.filePath(QStringLiteral("libero_sandbox.hdf5"));
        problem = run(QStringLiteral(RDT_SANDBOX_DATA_BINARY), {m_dataset, QStringLiteral("--demos"), QStringLiteral("2")});
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    // Found in the Hugging Face cache the wizard's runs use, shaped for the model, the
    // embeddings covering the dataset: both rows ok, and the paths the run should get.
    void foundInTheCacheAndCovered()
    {
        const QString root = makeRoot(QStringLiteral("covered"), true);
        QVERIFY(putInHubCache(root + QStringLiteral("/hf-cache/hub")));
        const QString lang = root + QStringLiteral("/lang.safetensors");
        QVERIFY(writeFile(lang, languageMap({QStringLiteral("pick up the red block"), QString()})));
        const rdt::EncoderCheckOutcome outcome =
            runCheck({root, m_dataset, root + QStringLiteral("/tiny.yaml"), QString(), lang});
        QCOMPARE(outcome.items.size(), 2);
        const rdt::CheckItem &vision = outcome.items.at(0);
        QVERIFY2(vision.status == CheckStatus::Ok, qPrintable(vision.detail));
        QVERIFY2(vision.detail.contains(QLatin1String("Hugging Face cache")), qPrintable(vision.detail));
        QVERIFY2(vision.detail.contains(QLatin1String("4 tokens x 24")), qPrintable(vision.detail));
        QCOMPARE(outcome.visionEncoder, root + QStringLiteral("/hf-cache/hub/models--google--siglip-so400m-patch14-384/snapshots/5e1a2b"));
        const rdt::CheckItem &language = outcome.items.at(1);
        QVERIFY2(language.status == CheckStatus::Ok, qPrintable(language.detail));
        QCOMPARE(outcome.langEmbeddings, lang);
        QCOMPARE(rdt::CheckItem::idName(language.id), QStringLiteral("language-embeddings"));
    }

    // An instruction without an embedding and a SigLIP of another shape than the model's
    // (RDT-1B's 729 x 1152 without a config): failed rows that say which and why, and no
    // encode Fix on a server without RDT's checkout, with the reason.
    void missingInstructionAndWrongShape()
    {
        const QString root = makeRoot(QStringLiteral("uncovered"), true);
        QVERIFY(QDir().mkpath(root + QStringLiteral("/models")));
        QVERIFY(QFile::link(m_siglip, root + QStringLiteral("/models/siglip-so400m-patch14-384")));
        const QString lang = root + QStringLiteral("/lang.safetensors");
        QVERIFY(writeFile(lang, languageMap({QStringLiteral("open the drawer"), QString()})));
        const rdt::EncoderCheckOutcome outcome = runCheck({root, m_dataset, QString(), QString(), lang});
        QCOMPARE(outcome.items.size(), 2);
        const rdt::CheckItem &vision = outcome.items.at(0);
        QVERIFY(vision.status == CheckStatus::Failed);
        QVERIFY2(vision.detail.contains(QLatin1String("729 x 1152")) && vision.detail.contains(QLatin1String("remote root")),
                 qPrintable(vision.detail));
        QVERIFY(outcome.visionEncoder.isEmpty());
        const rdt::CheckItem &language = outcome.items.at(1);
        QVERIFY(language.status == CheckStatus::Failed);
        // Without --config the width is T5-XXL's: the width is what is wrong first.
        QVERIFY2(language.detail.contains(QLatin1String("width 32")), qPrintable(language.detail));
        QVERIFY2(language.hint.contains(QLatin1String("no Fix here: no RDT checkout")), qPrintable(language.hint));

        const rdt::EncoderCheckOutcome shaped =
            runCheck({root, m_dataset, root + QStringLiteral("/tiny.yaml"), QString(), lang});
        QVERIFY(shaped.items.at(0).status == CheckStatus::Ok);
        QVERIFY2(shaped.items.at(1).detail.contains(QLatin1String("1 of 1 instructions")), qPrintable(shaped.items.at(1).detail));
        QCOMPARE(shaped.missingInstructions, QStringList{QStringLiteral("pick up the red block")});
    }

    // Nothing there: a missing SigLIP says how to get it; without a trainer the rows are
    // warnings that say why nothing was read.
    void nothingThereAndNoTrainer()
    {
        const QString root = makeRoot(QStringLiteral("empty"), true);
        rdt::EncoderCheckOutcome outcome = runCheck({root, m_dataset, root + QStringLiteral("/tiny.yaml"), QString(), QString()});
        QCOMPARE(outcome.items.size(), 2);
        QVERIFY(outcome.items.at(0).status == CheckStatus::Failed);
        QVERIFY2(outcome.items.at(0).hint.contains(QLatin1String("huggingface-cli download google/siglip-so400m-patch14-384")),
                 qPrintable(outcome.items.at(0).hint));
        QVERIFY(outcome.items.at(1).status == CheckStatus::Failed);
        QVERIFY2(outcome.items.at(1).detail.contains(QLatin1String("lang_embeddings")), qPrintable(outcome.items.at(1).detail));

        const QString bare = makeRoot(QStringLiteral("bare"), false);
        outcome = runCheck({bare, m_dataset, QString(), QString(), QString()});
        QCOMPARE(outcome.items.size(), 2);
        QVERIFY(outcome.items.at(0).status == CheckStatus::Warning);
        QVERIFY2(outcome.items.at(0).detail.contains(QLatin1String("no rdt-trainer")), qPrintable(outcome.items.at(0).detail));
    }
};

QTEST_GUILESS_MAIN(EncoderCheckTest)
#include "sshd_encoder_check.moc"
