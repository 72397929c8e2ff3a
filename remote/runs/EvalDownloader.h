// Brings one eval's files (results.json, actions/, videos/, events.jsonl, eval.log) from the
// server into a local folder, the eval cache's for that host / run / checkpoint, with the
// folder sync: MD5 on both sides, only what is missing or changed moves, each file resumable
// and verified and never half-written under its final name. A second download of an
// unchanged eval moves nothing. Files only here are kept.
#pragma once

#include "ChecksumCache.h"
#include "Result.h"
#include "SyncPlan.h"
#include "TransferProgress.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace rdt {

class ChecksumComparer;
class SshClient;
class SyncRunner;

class EvalDownloader : public QObject {
    Q_OBJECT
public:
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
    void onCompared();
    void onSynced();
    void finish(const Error &error = {});

    SshClient *m_client;
    ChecksumCache m_cache;
    QPointer<ChecksumComparer> m_comparer;
    QPointer<SyncRunner> m_runner;
    SyncPlan m_plan;
    QString m_what;
    QString m_local;
    QString m_remote;
    QString m_current;               // the file the runner is moving
    bool m_running = false;
    int m_filesMoved = 0;
    qint64 m_bytesMoved = 0;
    Error m_error;
};

} // namespace rdt
