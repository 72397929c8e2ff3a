// Dataset, then model, then statistics: one comparison at a time, each reusing the
// checksum caches on both sides, so a second check of unchanged files costs almost nothing.
#include "CopiesCheck.h"

#include "ChecksumCache.h"
#include "ChecksumComparer.h"
#include "CommandSpec.h"
#include "ScriptAnswer.h"
#include "RemoteProcess.h"
#include "ShellQuote.h"
#include "SshClient.h"
#include "StatisticsDecision.h"

#include <QFileInfo>

namespace rdt {

namespace {

// The statistics reader's header (ScriptAnswer): a login banner is not part of the JSON.
const QByteArray kStatisticsHeader = QByteArrayLiteral("@rdt-read-stats 1");

} // namespace

LocalCopies LocalCopies::resolved(const QString &remoteRoot) const
{
    LocalCopies copies = *this;
    const QString root = remoteRoot.endsWith(QLatin1Char('/')) ? remoteRoot.chopped(1) : remoteRoot;
    if (copies.remoteDataset.isEmpty() && !copies.localDataset.isEmpty())
        copies.remoteDataset = root + QStringLiteral("/datasets/") + QFileInfo(copies.localDataset).fileName();
    if (copies.remoteModel.isEmpty() && !copies.localModel.isEmpty())
        copies.remoteModel = root + QStringLiteral("/checkpoints/") + QFileInfo(copies.localModel).fileName();
    if (copies.remoteStatistics.isEmpty())
        copies.remoteStatistics = root + QStringLiteral("/configs/dataset_stat.json");
    return copies;
}

CopiesCheck::CopiesCheck(SshClient *client, ChecksumCache *cache, QObject *parent)
    : QObject(parent), m_client(client), m_cache(cache)
{
}

CopiesCheck::~CopiesCheck() = default;

void CopiesCheck::start(const LocalCopies &copies)
{
    m_copies = copies;
    m_items.clear();
    m_remoteDataset.clear();
    m_datasetOnServer = false;
    compareDataset();
}

void CopiesCheck::cancel()
{
    if (m_comparer)
        m_comparer->cancel();
    if (m_reader)
        m_reader->cancel();
}

CheckItem CopiesCheck::copyItem(CheckId id, const QString &title, const QString &local, const QString &remote) const
{
    CheckItem item;
    item.id = id;
    item.title = title;
    const QString host = m_client->route().target.displayName();
    const QString push = QStringLiteral("rdtctl push '%1' '%2:%3'").arg(local, host, remote);
    if (m_comparer->error().code != ErrorCode::None) {
        item.status = CheckStatus::Failed;
        item.detail = m_comparer->error().message;
        return item;
    }
    const FileComparison &comparison = m_comparer->comparison();
    if (m_comparer->remoteRootKind() == RemoteRootKind::Missing) {
        item.status = CheckStatus::Failed;
        item.detail = QStringLiteral("%1 is not on the server").arg(remote);
        item.hint = QStringLiteral("upload it (Fix in the wizard, or %1)").arg(push);
        return item;
    }
    if (comparison.isIdentical()) {
        item.status = CheckStatus::Ok;
        const QList<ComparedFile> &files = comparison.files();
        item.detail = files.size() == 1 && files.first().remote
            ? QStringLiteral("%1 matches the local copy (MD5 %2)").arg(remote, files.first().remote->md5)
            : QStringLiteral("%1 matches the local copy (%2 files, same MD5s)").arg(remote).arg(files.size());
        return item;
    }
    item.status = CheckStatus::Warning;
    item.detail = QStringLiteral("%1 differs from the local copy: %2 different, %3 only here, %4 only on the server")
                      .arg(remote)
                      .arg(comparison.count(FileState::Different))
                      .arg(comparison.count(FileState::MissingThere))
                      .arg(comparison.count(FileState::MissingHere));
    item.hint = QStringLiteral("upload what differs (Fix in the wizard, or %1)").arg(push);
    return item;
}

void CopiesCheck::compareDataset()
{
    if (m_copies.localDataset.isEmpty()) {
        compareModel();
        return;
    }
    m_comparer = std::make_unique<ChecksumComparer>(m_client);
    m_comparer->setLocalOptions({m_cache});
    connect(m_comparer.get(), &ChecksumComparer::finished, this, [this] {
        m_items.append(copyItem(CheckId::DatasetChecksum, QStringLiteral("Dataset vs local copy"), m_copies.localDataset,
                                m_copies.remoteDataset));
        m_remoteDataset = m_comparer->remoteFiles();
        m_datasetOnServer = m_comparer->error().code == ErrorCode::None
                            && m_comparer->remoteRootKind() != RemoteRootKind::Missing;
        compareModel();
    });
    m_comparer->start(m_copies.localDataset, m_copies.remoteDataset);
}

void CopiesCheck::compareModel()
{
    if (m_copies.localModel.isEmpty()) {
        readStatistics();
        return;
    }
    m_comparer = std::make_unique<ChecksumComparer>(m_client);
    m_comparer->setLocalOptions({m_cache});
    connect(m_comparer.get(), &ChecksumComparer::finished, this, [this] {
        m_items.append(copyItem(CheckId::ModelChecksum, QStringLiteral("Pretrained model vs local copy"), m_copies.localModel,
                                m_copies.remoteModel));
        readStatistics();
    });
    m_comparer->start(m_copies.localModel, m_copies.remoteModel);
}

void CopiesCheck::readStatistics()
{
    if (m_copies.localDataset.isEmpty() || !m_datasetOnServer) {
        Q_EMIT finished();
        return;
    }
    CommandSpec spec;
    spec.argv = {"sh", "-c",
                 ScriptAnswer::printHeader(kStatisticsHeader)
                     + R"sh(p=$1; case $p in "~/"*) p=$HOME/${p#??} ;; esac; [ -f "$p" ] || exit 3; exec cat -- "$p")sh",
                 "rdt-read-stats", m_copies.remoteStatistics.toUtf8()};
    m_reader = m_client->start(spec);
    auto json = std::make_shared<QByteArray>();
    connect(m_reader, &RemoteProcess::standardOutput, this, [json](const QByteArray &data) { *json += data; });
    connect(m_reader, &RemoteProcess::finished, this, [this, json] {
        RemoteProcess *reader = m_reader;
        m_reader = nullptr;
        reader->deleteLater();
        CheckItem item;
        item.id = CheckId::DatasetStatistics;
        item.title = QStringLiteral("Dataset statistics");
        const QString compute = QStringLiteral("compute them on the server: rdt-trainer stats --dataset '%1' --out '%2'")
                                    .arg(m_copies.remoteDataset, m_copies.remoteStatistics);
        if (reader->error().code != ErrorCode::None) {
            item.status = CheckStatus::Failed;
            item.detail = reader->error().message;
        } else if (reader->exitStatus() == 3) {
            item.status = CheckStatus::Warning;
            item.detail = QStringLiteral("no statistics at %1: recompute").arg(m_copies.remoteStatistics);
            item.hint = compute;
        } else {
            const QByteArray statistics = ScriptAnswer::after(*json, kStatisticsHeader).value_or(QByteArray());
            const StatisticsDecision decision = StatisticsDecision::decide(statistics, m_remoteDataset, m_copies.remoteDataset);
            item.status = decision.isValid() ? CheckStatus::Ok : CheckStatus::Warning;
            item.detail = QStringLiteral("%1: %2").arg(decision.verdict(), decision.reason());
            if (!decision.isValid())
                item.hint = compute;
        }
        m_items.append(item);
        Q_EMIT finished();
    });
}

} // namespace rdt
