// MD5 of a transferred file on a thread of its own, so that the connection's thread only
// encrypts and moves bytes: MD5 costs as much CPU as the ciphers of both hops together,
// and in one thread with them it set the pace of the whole transfer. Upload: hashes the
// local file from an offset to its end while it is being sent. Download: follows the part
// file as the connection's thread writes it (publish()), reading back what was written.
#pragma once

#include "Md5Context.h"

#include <QByteArray>
#include <QString>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace rdt {

class TransferHasher {
public:
    enum class Mode { WholeFile, FollowWriter };

    // `prefix` must already cover bytes [0, offset) of the file. With `alsoFromOffset`,
    // fromOffsetMd5() is the MD5 of the bytes from the offset on (what a resumed upload sends).
    TransferHasher(QString path, qint64 offset, Md5Context prefix, bool alsoFromOffset);
    ~TransferHasher();   // cancels and joins

    TransferHasher(const TransferHasher &) = delete;
    TransferHasher &operator=(const TransferHasher &) = delete;

    // `done` runs on the hashing thread once the hash is complete, failed or cancelled.
    void start(Mode mode, std::function<void()> done);
    // FollowWriter: bytes [0, end) of the file are written and may be read. Any thread.
    void publish(qint64 end);
    // FollowWriter: the file ends at `end`; nothing more will be written. Any thread.
    void close(qint64 end);
    void cancel();

    // After done: empty error means md5() is valid.
    QString error() const { return m_error; }
    QByteArray md5() const { return m_md5; }                 // of the whole file
    QByteArray fromOffsetMd5() const { return m_fromOffsetMd5; }
    qint64 bytesHashed() const { return m_end; }             // the file's size

private:
    void run(Mode mode);
    // FollowWriter: waits until more than `hashed` bytes are published, or the end.
    // Returns the published end, or -1 when cancelled.
    qint64 waitForBytes(qint64 hashed, bool *closed);

    const QString m_path;
    const qint64 m_offset;
    Md5Context m_md5Context;
    Md5Context m_fromOffsetContext;
    const bool m_alsoFromOffset;
    std::function<void()> m_done;
    std::thread m_thread;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    qint64 m_published = 0;          // guarded by m_mutex
    bool m_closed = false;           // guarded by m_mutex
    std::atomic<bool> m_cancelled{false};

    // Written by the hashing thread before done() runs, read after it.
    QString m_error;
    QByteArray m_md5;
    QByteArray m_fromOffsetMd5;
    qint64 m_end = 0;
};

} // namespace rdt
