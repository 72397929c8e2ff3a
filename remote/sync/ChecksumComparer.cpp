// ChecksumComparer: two independent runs joined when the second one finishes; the first
// error cancels the other side so that a dead connection does not wait for a 2 GB hash.
#include "ChecksumComparer.h"

#include "ChecksumCache.h"

#include <QFileInfo>

namespace rdt {

ChecksumComparer::ChecksumComparer(SshClient *client, QObject *parent)
    : QObject(parent), m_local(this), m_remote(client, this)
{
    connect(&m_local, &LocalChecksums::progress, this, [this](const ChecksumProgress &p) {
        m_localProgress = p;
        Q_EMIT progress(m_localProgress, m_remoteProgress);
    });
    connect(&m_remote, &RemoteChecksums::progress, this, [this](const ChecksumProgress &p) {
        m_remoteProgress = p;
        Q_EMIT progress(m_localProgress, m_remoteProgress);
    });
    connect(&m_local, &LocalChecksums::finished, this, [this] {
        m_localDone = true;
        if (m_local.error().code == ErrorCode::None)
            m_localFiles = m_local.files();
        sideFinished();
    });
    connect(&m_remote, &RemoteChecksums::finished, this, [this] {
        m_remoteDone = true;
        sideFinished();
    });
}

void ChecksumComparer::start(const QString &localPath, const QString &remotePath)
{
    Q_ASSERT(!m_running);
    m_running = true;
    m_localDone = false;
    m_remoteDone = false;
    m_localFiles.clear();
    m_comparison = FileComparison();
    m_error = Error();
    m_warnings.clear();
    m_localProgress = ChecksumProgress();
    m_remoteProgress = ChecksumProgress();

    const QFileInfo local(localPath);
    m_localExists = local.exists();
    m_localIsFile = m_localExists && !local.isDir();
    m_remote.setOptions(m_remoteOptions);
    m_remote.start(remotePath);
    if (m_localExists) {
        m_local.setOptions(m_localOptions);
        m_local.start(localPath);
    } else {
        m_localDone = true;   // nothing here yet: every server file is "missing here"
    }
}

void ChecksumComparer::cancel()
{
    m_local.cancel();
    m_remote.cancel();
}

void ChecksumComparer::sideFinished()
{
    // The first failure stops the other side; its own "cancelled" is then not the story.
    const Error &localError = m_local.error();
    const Error &remoteError = m_remote.error();
    if (m_error.code == ErrorCode::None) {
        if (m_localExists && m_localDone && localError.code != ErrorCode::None)
            m_error = localError;
        else if (m_remoteDone && remoteError.code != ErrorCode::None)
            m_error = remoteError;
        if (m_error.code != ErrorCode::None)
            cancel();
    }
    if (!m_localDone || !m_remoteDone)
        return;

    m_running = false;
    if (m_localOptions.cache && m_localOptions.cache->isModified()) {
        const Result<void> saved = m_localOptions.cache->save();
        if (!saved)
            m_warnings.append(saved.error().message);
    }
    m_warnings.append(m_remote.warnings());
    if (m_error.code == ErrorCode::None) {
        FileChecksumList local = m_localFiles;
        if (m_localIsFile && local.size() == 1 && m_remote.rootKind() == RemoteRootKind::File && m_remote.files().size() == 1)
            local.first().relativePath = m_remote.files().first().relativePath;
        m_comparison = FileComparison::compare(local, m_remote.files());
    }
    Q_EMIT finished();
}

} // namespace rdt
