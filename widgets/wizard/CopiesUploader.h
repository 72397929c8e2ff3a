// The data page's work: compares the local dataset and model with the server's copies
// (both at once), reads the server's dataset_stat.json to decide whether the statistics
// still hold, and uploads what differs, part after part, with per-file and total progress.
// Everything runs over the session's SshClient; nothing here blocks the GUI thread.
#pragma once

#include "FileComparison.h"
#include "Result.h"
#include "StatisticsDecision.h"
#include "SyncPlan.h"
#include "TransferProgress.h"

#include "TransferRateEstimate.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <memory>
#include <vector>

namespace rdt {

class ChecksumCache;
class ChecksumComparer;
class RemoteProcess;
class SshClient;
class SyncRunner;

struct CopyPart {
    QString name;     // "dataset", "model"
    QString local;    // a file or a folder
    QString remote;
};

class CopiesUploader : public QObject {
    Q_OBJECT
public:
    CopiesUploader(SshClient *client, ChecksumCache *cache, QObject *parent = nullptr);
    ~CopiesUploader() override;

    // The dataset part (if any) is the one whose statistics are judged.
    void compare(const QList<CopyPart> &parts, const QString &remoteStatistics);
    // Uploads what differs in the named parts (all when empty), from the last comparison.
    void upload(const QStringList &partNames = {});
    void cancel();
    bool isBusy() const { return m_busy; }

    const Error &error() const { return m_error; }
    FileComparison comparison(const QString &part) const;
    qint64 bytesToSend(const QStringList &partNames = {}) const;
    // "Recompute": the reason in words, with both MD5s; empty when there is no dataset.
    QString statisticsVerdict() const { return m_statisticsText; }
    bool statisticsValid() const { return m_statisticsValid; }

Q_SIGNALS:
    void compared();
    // fileFraction: of the file now moving; total: over every file of this upload.
    void uploadProgress(const QString &file, double fileFraction, const rdt::TransferProgress &total);
    void uploadFinished();

private:
    struct Part {
        CopyPart copy;
        std::unique_ptr<ChecksumComparer> comparer;
        bool singleFile = false;
    };
    void comparisonDone();
    void readStatistics();
    void decideStatistics(int exitStatus, const QByteArray &json, const Error &error);
    void uploadNext();
    void finishUpload(const Error &error);

    SshClient *m_client;
    ChecksumCache *m_cache;
    std::vector<Part> m_parts;
    QString m_remoteStatistics;
    int m_comparing = 0;
    bool m_busy = false;
    Error m_error;
    QPointer<RemoteProcess> m_reader;
    QString m_statisticsText;
    bool m_statisticsValid = false;

    // Upload state: the queue of parts, the bytes of the finished ones, the current file.
    std::unique_ptr<SyncRunner> m_runner;
    QList<int> m_queue;
    qint64 m_totalBytes = 0;
    qint64 m_doneBytes = 0;       // of finished parts
    QElapsedTimer m_clock;        // since the upload started
    TransferRateEstimate m_rateEstimate;  // what the total's rate and time left come from
    qint64 m_fileStartBytes = 0;  // within the current part, where the current file began
    qint64 m_fileBytes = 0;
    qint64 m_nextFileStart = 0;
    QString m_currentFile;
    double m_rate = 0;
};

} // namespace rdt
