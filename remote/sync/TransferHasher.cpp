// TransferHasher: pread() in 1 MiB blocks (large enough that syscalls vanish next to MD5)
// from a descriptor of its own; in FollowWriter mode it never reads past what the writer
// has published, so it hashes exactly the bytes that were written, read back from the
// page cache while they are still there.
#include "TransferHasher.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <unistd.h>

namespace rdt {
namespace {

constexpr qint64 kBlockSize = qint64(1) << 20;

QString systemError(const QString &path)
{
    return QStringLiteral("hashing %1: %2").arg(path, QString::fromLocal8Bit(strerror(errno)));
}

} // namespace

TransferHasher::TransferHasher(QString path, qint64 offset, Md5Context prefix, bool alsoFromOffset)
    : m_path(std::move(path)), m_offset(offset), m_md5Context(std::move(prefix)), m_alsoFromOffset(alsoFromOffset),
      m_published(offset)
{
}

TransferHasher::~TransferHasher()
{
    cancel();
    if (m_thread.joinable())
        m_thread.join();
}

void TransferHasher::start(Mode mode, std::function<void()> done)
{
    m_done = std::move(done);
    m_thread = std::thread([this, mode] { run(mode); });
}

void TransferHasher::publish(qint64 end)
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_published = qMax(m_published, end);
    }
    m_wake.notify_one();
}

void TransferHasher::close(qint64 end)
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_published = qMax(m_published, end);
        m_closed = true;
    }
    m_wake.notify_one();
}

void TransferHasher::cancel()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_cancelled.store(true);
    }
    m_wake.notify_one();
}

qint64 TransferHasher::waitForBytes(qint64 hashed, bool *closed)
{
    std::unique_lock<std::mutex> lock(m_mutex);
    // Waking per megabyte rather than per network read keeps the two threads from
    // trading the lock thousands of times a second.
    m_wake.wait(lock, [&] { return m_cancelled.load() || m_closed || m_published - hashed >= kBlockSize; });
    *closed = m_closed;
    return m_cancelled.load() ? -1 : m_published;
}

void TransferHasher::run(Mode mode)
{
    const int fd = ::open(QFile::encodeName(m_path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        m_error = systemError(m_path);
        m_done();
        return;
    }
    if (mode == Mode::WholeFile)
        (void)posix_fadvise(fd, m_offset, 0, POSIX_FADV_SEQUENTIAL);
    const std::unique_ptr<char[]> buffer(new char[kBlockSize]);
    qint64 position = m_offset;
    qint64 limit = -1;   // WholeFile: until the end of the file
    bool closed = mode == Mode::WholeFile;
    while (m_error.isEmpty()) {
        if (m_cancelled.load()) {
            m_error = QStringLiteral("hashing %1: cancelled").arg(m_path);
            break;
        }
        if (mode == Mode::FollowWriter && (position >= limit || limit - position < kBlockSize) && !closed) {
            limit = waitForBytes(position, &closed);
            if (limit < 0)
                continue;   // cancelled: reported at the top
        }
        qint64 want = kBlockSize;
        if (limit >= 0)
            want = qMin(want, limit - position);
        if (want == 0) {
            if (closed)
                break;
            continue;
        }
        const ssize_t got = pread(fd, buffer.get(), size_t(want), position);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            m_error = systemError(m_path);
            break;
        }
        if (got == 0) {
            if (limit >= 0)   // the writer said these bytes exist
                m_error = QStringLiteral("hashing %1: the file is shorter than what was written to it").arg(m_path);
            break;
        }
        m_md5Context.update(buffer.get(), got);
        if (m_alsoFromOffset)
            m_fromOffsetContext.update(buffer.get(), got);
        position += got;
    }
    ::close(fd);
    m_end = position;
    if (m_error.isEmpty()) {
        m_md5 = m_md5Context.hexDigest();
        m_fromOffsetMd5 = m_alsoFromOffset ? m_fromOffsetContext.hexDigest() : m_md5;
    }
    m_done();
}

} // namespace rdt
