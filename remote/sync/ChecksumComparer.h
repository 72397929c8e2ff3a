// Both halves of a comparison at once: LocalChecksums on the workstation and RemoteChecksums
// on the server run at the same time, then FileComparison sets them side by side. What
// `rdtctl diff`, `sync` and the GUI's sync page start.
#pragma once

#include "ChecksumProgress.h"
#include "FileComparison.h"
#include "LocalChecksums.h"
#include "RemoteChecksums.h"

#include <QObject>
#include <QStringList>

namespace rdt {

class SshClient;

// Usage (in the thread that owns the client):
//   ChecksumCache cache;  (void)cache.load();
//   ChecksumComparer comparer(client);
//   comparer.setLocalOptions({&cache});
//   connect(&comparer, &ChecksumComparer::finished, ...);   // comparison() or error()
//   comparer.start("/data/libero_10", "~/rdt/datasets/libero_10");
// A missing side is not an error: its files are all "missing" (pull into a new folder, push
// to a new server). When both roots are single files, the local file is compared under the
// server file's name, so "a.hdf5" against "gpu:data/b.hdf5" compares contents. The local
// cache, if given, is saved when the run added to it (a failure to save is a warning).
class ChecksumComparer : public QObject {
    Q_OBJECT
public:
    explicit ChecksumComparer(SshClient *client, QObject *parent = nullptr);

    void setLocalOptions(const LocalChecksumOptions &options) { m_localOptions = options; }
    void setRemoteOptions(const RemoteChecksumOptions &options) { m_remoteOptions = options; }
    void start(const QString &localPath, const QString &remotePath);
    void cancel();
    bool isRunning() const { return m_running; }

    // After finished():
    const FileComparison &comparison() const { return m_comparison; }
    const Error &error() const { return m_error; }
    const QStringList &warnings() const { return m_warnings; }
    bool localExists() const { return m_localExists; }
    RemoteRootKind remoteRootKind() const { return m_remote.rootKind(); }
    const FileChecksumList &localFiles() const { return m_localFiles; }
    const FileChecksumList &remoteFiles() const { return m_remote.files(); }

Q_SIGNALS:
    void progress(const rdt::ChecksumProgress &local, const rdt::ChecksumProgress &remote);
    void finished();

private:
    void sideFinished();

    LocalChecksumOptions m_localOptions;
    RemoteChecksumOptions m_remoteOptions;
    LocalChecksums m_local;
    RemoteChecksums m_remote;
    ChecksumProgress m_localProgress;
    ChecksumProgress m_remoteProgress;
    bool m_running = false;
    bool m_localDone = false;
    bool m_remoteDone = false;
    bool m_localExists = false;
    bool m_localIsFile = false;
    FileChecksumList m_localFiles;
    FileComparison m_comparison;
    Error m_error;
    QStringList m_warnings;
};

} // namespace rdt
