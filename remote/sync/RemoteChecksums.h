// MD5s of the files of a folder or of one file on the server, over an SshClient: one
// listing command, a few md5sum commands side by side for the files the server cache does
// not vouch for (a 2.3 GB model and a 1 GB dataset hash at the same time, each on a core of
// its own), and one command that saves the server cache. The server's half of a comparison.
#pragma once

#include "ChecksumProgress.h"
#include "FileChecksum.h"
#include "RemoteChecksumParser.h"
#include "Result.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

#include <vector>

namespace rdt {

class RemoteProcess;
class SshClient;

struct RemoteChecksumOptions {
    // Read and write ROOT/.rdt/md5-cache (for a file root: beside the file). Entries match
    // only on the same size, mtime, ctime, inode and device, as ChecksumCache's do.
    bool useServerCache = true;
    // Entries for files changed this close to the server's clock are not written: see
    // LocalChecksumOptions::racyWindowMs.
    qint64 racyWindowMs = 2000;
};

// Usage (in the thread that owns the client, e.g. the GUI thread):
//   auto *sums = new RemoteChecksums(client, this);
//   connect(sums, &RemoteChecksums::finished, ...);   // then rootKind(), files(), error()
//   sums->start("~/rdt/datasets/libero_10");
// Start LocalChecksums at the same time: the two sides hash in parallel.
// A root that does not exist is not an error: finished() with rootKind() Missing and no
// files, so a comparison shows every local file as missing there.
class RemoteChecksums : public QObject {
    Q_OBJECT
public:
    explicit RemoteChecksums(SshClient *client, QObject *parent = nullptr);
    ~RemoteChecksums() override;

    void setOptions(const RemoteChecksumOptions &options) { m_options = options; }
    void start(const QString &remoteRoot);
    void cancel();
    bool isRunning() const { return m_stage != Stage::Idle; }

    // After finished():
    RemoteRootKind rootKind() const { return m_rootKind; }
    const FileChecksumList &files() const { return m_files; }   // sorted by relative path
    const Error &error() const { return m_error; }              // code None: none
    const QStringList &warnings() const { return m_warnings; }  // e.g. the cache was not saved
    int filesFromCache() const { return m_progress.filesFromCache; }

Q_SIGNALS:
    void progress(const rdt::ChecksumProgress &progress);
    void finished();

private:
    enum class Stage { Idle, Listing, Hashing, SavingCache };

    // One of the hash commands that run side by side, with its share of the files.
    struct HashGroup {
        QPointer<RemoteProcess> process;
        QList<int> files;              // indexes into m_listing.files, largest first
        QByteArray out;
        qsizetype scanOffset = 0;
        Error error;
    };

    void runStage(Stage stage, const QList<QByteArray> &argv, const QByteArray &standardInput = {});
    void onFinished();
    void onHashGroupFinished(size_t group);
    void countHashed(HashGroup &group);
    void afterListing();
    void startHashing();
    void afterHashing();
    void saveCacheOrFinish();
    void finish(const Error &error = {});
    QString where() const;   // "/data on gpu01"
    QString standardErrorText() const;

    QPointer<SshClient> m_client;
    RemoteChecksumOptions m_options;
    Stage m_stage = Stage::Idle;
    QString m_root;
    QPointer<RemoteProcess> m_process;
    QByteArray m_out;
    QByteArray m_err;
    std::vector<HashGroup> m_hashGroups;
    int m_hashGroupsRunning = 0;
    bool m_cancelled = false;
    int m_hashRounds = 0;

    RemoteListingOutput m_listing;
    QList<int> m_toHash;               // indexes into m_listing.files
    QList<QString> m_md5;              // by index into m_listing.files
    QHash<QByteArray, int> m_indexOfPath;
    RemoteCache m_newCache;
    bool m_cacheChanged = false;

    RemoteRootKind m_rootKind = RemoteRootKind::Missing;
    FileChecksumList m_files;
    Error m_error;
    QStringList m_warnings;
    ChecksumProgress m_progress;
};

} // namespace rdt
