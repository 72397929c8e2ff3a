// MD5 of a local file or of its first N bytes, as md5sum prints it, read in large sequential
// blocks through OpenSSL's EVP interface; cancellable, with progress. Safe to use from any
// thread; one Md5Hasher per thread when callbacks differ.
#pragma once

#include "Result.h"

#include <QString>

#include <atomic>
#include <functional>

namespace rdt {

class Md5Hasher {
public:
    // 1 MiB: large enough that syscalls vanish next to hashing (md5sum reads 32 KiB), small
    // enough that progress and cancel answer within a millisecond or two.
    static constexpr qint64 kReadSize = qint64(1) << 20;

    // Called on the hashing thread after each block with the bytes hashed so far in this file.
    using Progress = std::function<void(qint64 bytesDone)>;

    Md5Hasher() = default;

    // The flag is polled between blocks; once true the hash ends with ErrorCode::Cancelled.
    // Not owned; it must outlive the calls.
    void setCancelFlag(const std::atomic<bool> *cancel) { m_cancel = cancel; }
    void setProgress(Progress progress) { m_progress = std::move(progress); }

    // 32 lowercase hex digits. Errors: "hashing /data/x.hdf5: permission denied".
    [[nodiscard]] Result<QString> hashFile(const QString &path) const;

    // MD5 of the first `length` bytes (the transfer engine checks a partial copy before it
    // resumes). A file shorter than `length` is an error: that prefix does not exist.
    [[nodiscard]] Result<QString> hashPrefix(const QString &path, qint64 length) const;

    [[nodiscard]] static QString hashBytes(const QByteArray &data);

private:
    // length < 0: to the end of the file.
    Result<QString> hash(const QString &path, qint64 length) const;

    const std::atomic<bool> *m_cancel = nullptr;
    Progress m_progress;
};

} // namespace rdt
