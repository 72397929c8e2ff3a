// Local files as command streams for transfers: FileSource feeds a file (from an offset)
// into a remote command's standard input, FileSink writes its standard output into a
// file. Both hash every byte they move, continuing an MD5 that already covers the part
// of the file before the offset, so a resumed transfer still yields the whole file's MD5.
#pragma once

#include "CommandStreams.h"
#include "FileIdentity.h"
#include "Md5Context.h"

#include <QString>


namespace rdt {

class FileSource : public CommandInput {
public:
    // The file is opened by open(); `md5` must already cover bytes [0, offset).
    FileSource(QString path, qint64 offset, Md5Context md5);
    ~FileSource() override;

    [[nodiscard]] bool open(QString *error);
    qint64 read(char *buffer, qint64 maxBytes) override;
    QString errorString() const override { return m_error; }

    // After the end: whether the file is still the one that was opened (same size, mtime,
    // inode and ctime); false means it changed while being sent.
    bool unchangedSinceOpen() const;
    const FileIdentity &identity() const { return m_identity; }
    QByteArray md5() const { return m_md5.hexDigest(); }              // the whole file
    QByteArray sentMd5() const { return m_offset > 0 ? m_sentMd5.hexDigest() : m_md5.hexDigest(); }  // from the offset on

private:
    QString m_path;
    qint64 m_offset;
    Md5Context m_md5;
    Md5Context m_sentMd5;
    int m_fd = -1;
    FileIdentity m_identity;
    QString m_error;
};

class FileSink : public CommandOutput {
public:
    // Appends to `path` (created if missing) after truncating it to `offset` bytes;
    // `md5` must already cover bytes [0, offset).
    FileSink(QString path, qint64 offset, Md5Context md5);
    ~FileSink() override;

    [[nodiscard]] bool open(QString *error);
    bool write(const char *data, qint64 size) override;
    QString errorString() const override { return m_error; }

    // Flushes to the disk (before the rename that publishes the file) and closes.
    [[nodiscard]] bool finish(QString *error);
    QByteArray md5() const { return m_md5.hexDigest(); }

private:
    QString m_path;
    qint64 m_offset;
    Md5Context m_md5;
    int m_fd = -1;
    QString m_error;
};

} // namespace rdt
