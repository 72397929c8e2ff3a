// POSIX I/O for FileTransfer's streams; errors name the file and the system's reason.
#include "TransferStreams.h"

#include "TransferHasher.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rdt {
namespace {

QString systemError(const QString &operation, const QString &path)
{
    return QStringLiteral("%1 %2: %3").arg(operation, path, QString::fromLocal8Bit(strerror(errno)));
}

// The process's file mode creation mask, read without changing it (umask(2) can only be
// read by setting it, which would race with the other threads creating files).
mode_t currentUmask()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("Umask:")) {
                bool ok = false;
                const uint mask = line.mid(6).trimmed().toUInt(&ok, 8);
                if (ok)
                    return mode_t(mask & 0777);
            }
        }
    }
    return 022;   // the common default, when /proc is not there to say
}

} // namespace

PlainFileSource::PlainFileSource(QString path, qint64 offset) : m_path(std::move(path)), m_offset(offset)
{
}

PlainFileSource::~PlainFileSource()
{
    if (m_fd >= 0)
        close(m_fd);
}

bool PlainFileSource::open(QString *error)
{
    m_fd = ::open(QFile::encodeName(m_path).constData(), O_RDONLY | O_CLOEXEC);
    if (m_fd < 0) {
        *error = systemError(QStringLiteral("reading"), m_path);
        return false;
    }
    Result<FileIdentity> identity = FileIdentity::of(m_path);
    if (!identity) {
        *error = identity.error().message;
        return false;
    }
    m_identity = identity.value();
    if (lseek(m_fd, m_offset, SEEK_SET) != m_offset) {
        *error = systemError(QStringLiteral("seeking in"), m_path);
        return false;
    }
    posix_fadvise(m_fd, m_offset, 0, POSIX_FADV_SEQUENTIAL);
    return true;
}

qint64 PlainFileSource::read(char *buffer, qint64 maxBytes)
{
    ssize_t n;
    do {
        n = ::read(m_fd, buffer, size_t(maxBytes));
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        m_error = systemError(QStringLiteral("reading"), m_path);
        return -1;
    }
    return n;
}

bool PlainFileSource::unchangedSinceOpen() const
{
    const Result<FileIdentity> now = FileIdentity::of(m_path);
    return now && now.value() == m_identity;
}

PublishingFileSink::PublishingFileSink(QString path, qint64 offset, std::shared_ptr<TransferHasher> hasher)
    : m_path(std::move(path)), m_offset(offset), m_end(offset), m_hasher(std::move(hasher))
{
}

PublishingFileSink::~PublishingFileSink()
{
    if (m_fd >= 0)
        close(m_fd);
}

bool PublishingFileSink::open(QString *error)
{
    // O_NOFOLLOW: a symbolic link planted under the part's name must not redirect the
    // bytes elsewhere.
    m_fd = ::open(QFile::encodeName(m_path).constData(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (m_fd < 0 || ftruncate(m_fd, m_offset) != 0 || lseek(m_fd, m_offset, SEEK_SET) != m_offset) {
        *error = systemError(QStringLiteral("writing"), m_path);
        return false;
    }
    return true;
}

bool PublishingFileSink::write(const char *data, qint64 size)
{
    while (size > 0) {
        const ssize_t n = ::write(m_fd, data, size_t(size));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            m_error = systemError(QStringLiteral("writing"), m_path);
            return false;
        }
        data += n;
        size -= n;
        m_end += n;
    }
    m_hasher->publish(m_end);
    return true;
}

bool PublishingFileSink::finish(QString *error)
{
    if (m_fd < 0)
        return true;
    // Written bytes are readable before they reach the disk: the hasher finishes its
    // last block while fsync waits for the disk.
    m_hasher->close(m_end);
    const bool ok = fsync(m_fd) == 0;
    if (!ok)
        *error = systemError(QStringLiteral("flushing"), m_path);
    close(m_fd);
    m_fd = -1;
    return ok;
}

bool PublishingFileSink::setFinalModeAndTime(const QString &path, uint serverMode, qint64 mtimeSeconds, QString *error)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        *error = systemError(QStringLiteral("opening"), path);
        return false;
    }
    const struct timespec times[2] = {{0, UTIME_OMIT}, {time_t(mtimeSeconds), 0}};
    futimens(fd, times);
    fchmod(fd, mode_t(serverMode) & 0777 & ~currentUmask());
    close(fd);
    return true;
}

} // namespace rdt
