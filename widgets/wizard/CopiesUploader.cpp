// Comparison, statistics verdict and upload for the data page.
#include "CopiesUploader.h"

#include "ChecksumCache.h"
#include "ChecksumComparer.h"
#include "RemoteProcess.h"
#include "SshClient.h"
#include "SyncRunner.h"

#include <QFileInfo>

namespace rdt {

namespace {

// Prints the file, or exits 3 when there is none: "no statistics" is an answer, not an error.
constexpr char kReadStatistics[] =
    R"sh(p=$1; case $p in "~/"*) p=$HOME/${p#??} ;; esac; [ -f "$p" ] || exit 3; exec cat -- "$p")sh";

} // namespace

CopiesUploader::CopiesUploader(SshClient *client, ChecksumCache *cache, QObject *parent)
    : QObject(parent), m_client(client), m_cache(cache)
{
}

CopiesUploader::~CopiesUploader() = default;

void CopiesUploader::compare(const QList<CopyPart> &parts, const QString &remoteStatistics)
{
    cancel();
    m_parts.clear();
    m_error = {};
    m_statisticsText.clear();
    m_statisticsValid = false;
    m_remoteStatistics = remoteStatistics;
    m_busy = true;
    m_comparing = int(parts.size());
    for (const CopyPart &copy : parts) {
        Part part;
        part.copy = copy;
        part.singleFile = QFileInfo(copy.local).isFile();
        part.comparer = std::make_unique<ChecksumComparer>(m_client);
        part.comparer->setLocalOptions({m_cache});
        connect(part.comparer.get(), &ChecksumComparer::finished, this, &CopiesUploader::comparisonDone);
        m_parts.push_back(std::move(part));
    }
    for (Part &part : m_parts)
        part.comparer->start(part.copy.local, part.copy.remote);
    if (m_parts.empty()) {
        m_busy = false;
        Q_EMIT compared();
    }
}

void CopiesUploader::comparisonDone()
{
    if (--m_comparing > 0)
        return;
    for (const Part &part : m_parts) {
        if (part.comparer->error().code != ErrorCode::None && m_error.code == ErrorCode::None)
            m_error = part.comparer->error();
    }
    readStatistics();
}

void CopiesUploader::readStatistics()
{
    const auto dataset = std::find_if(m_parts.begin(), m_parts.end(),
                                      [](const Part &part) { return part.copy.name == QLatin1String("dataset"); });
    if (dataset == m_parts.end() || m_error.code != ErrorCode::None || m_remoteStatistics.isEmpty()) {
        m_busy = false;
        Q_EMIT compared();
        return;
    }
    CommandSpec spec;
    spec.argv = {"sh", "-c", kReadStatistics, "rdt-read-stats", m_remoteStatistics.toUtf8()};
    spec.timeoutMs = 30000;
    m_reader = m_client->start(spec);
    auto json = std::make_shared<QByteArray>();
    connect(m_reader, &RemoteProcess::standardOutput, this, [json](const QByteArray &data) { *json += data; });
    connect(m_reader, &RemoteProcess::finished, this, [this, json] {
        RemoteProcess *reader = m_reader;
        m_reader = nullptr;
        reader->deleteLater();
        decideStatistics(reader->exitStatus(), *json, reader->error());
        m_busy = false;
        Q_EMIT compared();
    });
}

void CopiesUploader::decideStatistics(int exitStatus, const QByteArray &json, const Error &error)
{
    const Part &dataset = *std::find_if(m_parts.begin(), m_parts.end(),
                                        [](const Part &part) { return part.copy.name == QLatin1String("dataset"); });
    const FileComparison comparison = dataset.comparer->comparison();
    const bool datasetMatches = comparison.isIdentical() && !comparison.files().isEmpty();
    if (error.code != ErrorCode::None) {
        m_statisticsText = tr("Could not read %1: %2").arg(m_remoteStatistics, error.message);
        return;
    }
    if (exitStatus == 3) {
        m_statisticsText = tr("Recompute the statistics: there is no %1 on the server yet.").arg(m_remoteStatistics);
        return;
    }
    const StatisticsDecision decision =
        StatisticsDecision::decide(json, dataset.comparer->remoteFiles(), dataset.copy.remote);
    m_statisticsValid = decision.isValid() && datasetMatches;
    if (m_statisticsValid) {
        m_statisticsText = tr("No need to recompute the statistics: %1 records MD5 %2 for %3, and the dataset on the "
                              "server and your copy both have MD5 %4.")
                               .arg(m_remoteStatistics, decision.recordedMd5(), decision.datasetName(), decision.datasetMd5());
    } else if (decision.isValid()) {
        m_statisticsText = tr("The statistics on the server belong to the dataset there (MD5 %1), but your copy "
                              "differs: once it is uploaded, recompute them.")
                               .arg(decision.datasetMd5());
    } else {
        m_statisticsText = tr("Recompute the statistics: %1").arg(decision.reason());
    }
}

FileComparison CopiesUploader::comparison(const QString &name) const
{
    for (const Part &part : m_parts)
        if (part.copy.name == name && part.comparer->error().code == ErrorCode::None)
            return part.comparer->comparison();
    return {};
}

qint64 CopiesUploader::bytesToSend(const QStringList &partNames) const
{
    qint64 bytes = 0;
    for (const Part &part : m_parts)
        if ((partNames.isEmpty() || partNames.contains(part.copy.name)) && part.comparer->error().code == ErrorCode::None)
            bytes += SyncPlan::make(part.comparer->comparison(), SyncDirection::Push).bytesToSend();
    return bytes;
}

void CopiesUploader::upload(const QStringList &partNames)
{
    if (m_busy)
        return;
    m_error = {};
    m_queue.clear();
    for (int i = 0; i < int(m_parts.size()); ++i)
        if (partNames.isEmpty() || partNames.contains(m_parts[size_t(i)].copy.name))
            m_queue << i;
    m_totalBytes = bytesToSend(partNames);
    m_doneBytes = 0;
    m_clock.start();
    m_rateEstimate.start(0);
    m_busy = true;
    uploadNext();
}

void CopiesUploader::uploadNext()
{
    while (!m_queue.isEmpty()) {
        const Part &part = m_parts[size_t(m_queue.takeFirst())];
        const SyncPlan plan = SyncPlan::make(part.comparer->comparison(), SyncDirection::Push);
        if (plan.transfers().isEmpty())
            continue;
        m_runner = std::make_unique<SyncRunner>(m_client);
        m_nextFileStart = 0;
        const qint64 partBytes = plan.bytesToSend();
        connect(m_runner.get(), &SyncRunner::fileStarted, this, [this](const QString &path, qint64 bytes) {
            m_currentFile = path;
            m_fileStartBytes = m_nextFileStart;
            m_fileBytes = bytes;
            m_nextFileStart += bytes;
        });
        connect(m_runner.get(), &SyncRunner::progress, this, [this](const TransferProgress &progress, const QString &) {
            TransferProgress total;
            total.bytesTotal = m_totalBytes;
            total.bytesDone = m_doneBytes + progress.bytesDone;
            m_rateEstimate.add(double(m_clock.elapsed()) / 1000.0, total.bytesDone);
            total.bytesPerSecond = m_rateEstimate.bytesPerSecond();
            total.secondsLeft = m_rateEstimate.secondsLeft(total.bytesTotal - total.bytesDone);
            const double file = m_fileBytes > 0 ? double(progress.bytesDone - m_fileStartBytes) / double(m_fileBytes) : 1.0;
            Q_EMIT uploadProgress(m_currentFile, qBound(0.0, file, 1.0), total);
        });
        connect(m_runner.get(), &SyncRunner::finished, this, [this, partBytes] {
            if (m_runner->error().code != ErrorCode::None) {
                finishUpload(m_runner->error());
                return;
            }
            m_doneBytes += partBytes;
            uploadNext();
        });
        m_runner->run(plan, part.copy.local, part.copy.remote, part.singleFile);
        return;
    }
    finishUpload({});
}

void CopiesUploader::finishUpload(const Error &error)
{
    m_error = error;
    m_busy = false;
    m_queue.clear();
    Q_EMIT uploadFinished();
}

void CopiesUploader::cancel()
{
    for (Part &part : m_parts)
        if (part.comparer && part.comparer->isRunning()) {
            disconnect(part.comparer.get(), nullptr, this, nullptr);
            part.comparer->cancel();
        }
    if (m_reader) {
        disconnect(m_reader, nullptr, this, nullptr);
        m_reader->cancel();
        m_reader = nullptr;
    }
    if (m_runner && m_runner->isRunning()) {
        // finished() still comes, with a Cancelled error: the page hears of it that way.
        m_runner->cancel();
        return;
    }
    if (m_busy) {
        m_busy = false;
        m_error = makeError(ErrorCode::Cancelled, tr("comparison cancelled"));
        Q_EMIT compared();
    }
}

} // namespace rdt
