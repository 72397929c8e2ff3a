// Local files as command streams for FileTransfer, leaving MD5 to a TransferHasher on its
// own thread (unlike LocalFileStreams, which hash on the connection's thread): the
// connection's thread then only reads or writes, encrypts and decrypts.
#pragma once

#include "CommandStreams.h"
#include "FileIdentity.h"

#include <QString>

#include <memory>

namespace rdt {

class TransferHasher;

// Feeds a local file from an offset into a remote command's standard input.
class PlainFileSource : public CommandInput {
public:
    PlainFileSource(QString path, qint64 offset);
    ~PlainFileSource() override;

    // Opens the file and notes its identity, which unchangedSinceOpen() compares with.
    [[nodiscard]] bool open(QString *error);
    qint64 read(char *buffer, qint64 maxBytes) override;
    QString errorString() const override { return m_error; }

    // Whether the file is still the one that was opened (same size, times, inode): a file
    // that changed while it was sent (or hashed) is sent again.
    bool unchangedSinceOpen() const;
    const FileIdentity &identity() const { return m_identity; }   // when it was opened

private:
    QString m_path;
    qint64 m_offset;
    int m_fd = -1;
    FileIdentity m_identity;
    QString m_error;
};

// Writes a remote command's standard output into a local part file from an offset, and
// tells the hasher how far the file is written, so the hasher follows right behind.
class PublishingFileSink : public CommandOutput {
public:
    PublishingFileSink(QString path, qint64 offset, std::shared_ptr<TransferHasher> hasher);
    ~PublishingFileSink() override;

    // Creates the file if needed and truncates it to the offset.
    [[nodiscard]] bool open(QString *error);
    bool write(const char *data, qint64 size) override;
    QString errorString() const override { return m_error; }

    // Flushes to the disk (before the rename that publishes the file), closes, and tells
    // the hasher that the file ends here.
    [[nodiscard]] bool finish(QString *error);

    // Gives a finished part the server file's modification time and permission bits as a
    // file made here would have them: through the local umask, never set-user-ID,
    // set-group-ID or sticky; through a descriptor opened without following links.
    [[nodiscard]] static bool setFinalModeAndTime(const QString &path, uint serverMode, qint64 mtimeSeconds,
                                                  QString *error);

private:
    QString m_path;
    qint64 m_offset;
    qint64 m_end;
    std::shared_ptr<TransferHasher> m_hasher;
    int m_fd = -1;
    QString m_error;
};

} // namespace rdt
