// Brings one eval's files (results.json, actions/, videos/, events.jsonl, eval.log) from the
// server into a local folder, the eval cache's for that host / run / checkpoint, with the
// folder sync: MD5 on both sides, only what is missing or changed moves, each file resumable
// and verified and never half-written under its final name. A second download of an
// unchanged eval moves nothing. Files only here are kept. The files move over a few SSH
// channels at once (lanes of about equal bytes, results.json first), so twenty videos do
// not pay twenty round trips one after another.
#pragma once

#include "ChecksumCache.h"
#include "FileChecksum.h"
#include "Result.h"
#include "SyncPlan.h"
#include "TransferProgress.h"

#include <QObject>
#include <QPointer>

#include <memory>
#include <vector>

namespace rdt {

class ChecksumComparer;
class SshClient;
class SyncRunner;

class EvalDownloader : public QObject {
    Q_OBJECT
public:
    static constexpr int kLanes = 4;   // channels at once: sshd allows 10 a connection by default (MaxSessions)

    explicit EvalDownloader(SshClient *client, QObject *parent = nullptr);
    ~EvalDownloader() override;

    void start(const QString &remoteRoot, const QString &runName, const QString &checkpoint, const QString &localFolder);
    void cancel();   // what arrived whole stays; a file cut off resumes next time

    bool isRunning() const { return m_running; }
    const SyncPlan &plan() const { return m_plan; }          // after planned()
    int filesMoved() const { return m_filesMoved; }
    qint64 bytesMoved() const { return m_bytesMoved; }
    const Error &error() const { return m_error; }
    QString localFolder() const { return m_local; }

Q_SIGNALS:
    void planned(const rdt::SyncPlan &plan);                 // the comparison is done
    void fileStarted(const QString &relativePath, qint64 bytes);
    void fileArrived(const QString &relativePath);           // verified, under its final name
    void progress(const rdt::TransferProgress &total, const QString &currentFile);
    void finished();

private:
    struct Lane {
        QPointer<SyncRunner> runner;
        QString current;              // the file it is moving
        TransferProgress progress;
        bool done = false;
    };

    void onCompared();
    void startLanes(const FileChecksumList &local, const FileChecksumList &remote);
    void onLaneFinished(int lane);
    void onLaneProgress();
    void finish(const Error &error = {});

    SshClient *m_client;
    ChecksumCache m_cache;
    QPointer<ChecksumComparer> m_comparer;
    std::vector<Lane> m_lanes;
    SyncPlan m_plan;
    QString m_what;
    QString m_local;
    QString m_remote;
    Error m_laneError;               // the first lane's failure
    bool m_running = false;
    int m_filesMoved = 0;
    qint64 m_bytesMoved = 0;
    Error m_error;
};

} // namespace rdt
