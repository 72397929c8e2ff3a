// Md5Hasher: POSIX reads into one reusable buffer, OpenSSL EVP for the digest. The EVP
// context and the file descriptor each have one owner that frees them on every path.
#include "Md5Hasher.h"

#include <QFile>

#include <openssl/evp.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include <fcntl.h>
#include <unistd.h>

namespace rdt {

namespace {

struct DigestContextDeleter {
    void operator()(EVP_MD_CTX *context) const { EVP_MD_CTX_free(context); }
};
using DigestContext = std::unique_ptr<EVP_MD_CTX, DigestContextDeleter>;

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : m_fd(fd) {}
    ~FileDescriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    FileDescriptor(const FileDescriptor &) = delete;
    FileDescriptor &operator=(const FileDescriptor &) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};

QString systemReason(int error)
{
    // strerror's "Permission denied" reads better in our messages starting lowercase.
    QString reason = QString::fromLocal8Bit(std::strerror(error));
    if (!reason.isEmpty())
        reason[0] = reason[0].toLower();
    return reason;
}

Error hashError(ErrorCode code, const QString &path, const QString &why)
{
    return makeError(code, QStringLiteral("hashing %1: %2").arg(path, why));
}

QString toHex(const unsigned char *digest, unsigned int length)
{
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(digest), int(length)).toHex());
}

} // namespace

Result<QString> Md5Hasher::hashFile(const QString &path) const
{
    return hash(path, -1);
}

Result<QString> Md5Hasher::hashPrefix(const QString &path, qint64 length) const
{
    Q_ASSERT(length >= 0);
    return hash(path, length);
}

QString Md5Hasher::hashBytes(const QByteArray &data)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digestLength = 0;
    EVP_Digest(data.constData(), size_t(data.size()), digest, &digestLength, EVP_md5(), nullptr);
    return toHex(digest, digestLength);
}

Result<QString> Md5Hasher::hash(const QString &path, qint64 length) const
{
    const FileDescriptor file(::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC));
    if (file.get() < 0)
        return hashError(ErrorCode::LocalIo, path, systemReason(errno));
    // Tells the kernel to read ahead aggressively; a hint, so its failure does not matter.
    (void)::posix_fadvise(file.get(), 0, 0, POSIX_FADV_SEQUENTIAL);

    DigestContext context(EVP_MD_CTX_new());
    if (!context || EVP_DigestInit_ex(context.get(), EVP_md5(), nullptr) != 1)
        return hashError(ErrorCode::LocalIo, path, QStringLiteral("OpenSSL could not start an MD5 digest"));

    const std::unique_ptr<char[]> buffer(new char[kReadSize]);
    qint64 done = 0;
    for (;;) {
        if (m_cancel && m_cancel->load(std::memory_order_relaxed))
            return hashError(ErrorCode::Cancelled, path, QStringLiteral("cancelled"));
        qint64 want = kReadSize;
        if (length >= 0)
            want = qMin(want, length - done);
        if (want == 0)
            break;
        const ssize_t got = ::read(file.get(), buffer.get(), size_t(want));
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return hashError(ErrorCode::LocalIo, path, systemReason(errno));
        }
        if (got == 0) {
            if (length >= 0)
                return hashError(ErrorCode::InvalidArgument, path,
                                 QStringLiteral("the file has %1 bytes, fewer than the %2 asked for")
                                     .arg(done)
                                     .arg(length));
            break;
        }
        EVP_DigestUpdate(context.get(), buffer.get(), size_t(got));
        done += got;
        if (m_progress)
            m_progress(done);
    }

    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digestLength = 0;
    if (EVP_DigestFinal_ex(context.get(), digest, &digestLength) != 1)
        return hashError(ErrorCode::LocalIo, path, QStringLiteral("OpenSSL could not finish the MD5 digest"));
    return toHex(digest, digestLength);
}

} // namespace rdt
