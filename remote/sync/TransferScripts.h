// The server-side halves of a transfer: small POSIX sh scripts run with their paths as
// positional parameters (never pasted into the script's text), each one round trip.
// A leading "~/" in a path means the remote home, as a user typing it expects.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace rdt {

class TransferScripts {
public:
    // The temporary name a file is written under until it is complete and verified:
    // ".NAME.rdt-part" in the destination folder (same file system, so the final rename
    // is atomic), stable so that a later transfer finds it and resumes.
    static QString partPath(const QString &finalPath);

    // Upload, step 1. Prints "dir ok|missing|readonly", "part SIZE [MD5]" (-1: none; the
    // MD5 only when SIZE <= maxPartSize), "final SIZE" and "free KIB".
    static QList<QByteArray> prepareUpload(const QString &finalPath, qint64 maxPartSize);
    // Upload, step 2: appends standard input to the part from byte `offset` (truncating
    // it to 0 first when offset is 0) and prints the MD5 of what it received; stderr
    // ends with "rdt-write-status N".
    static QList<QByteArray> receiveUpload(const QString &finalPath, qint64 offset);
    // Upload, step 3: mode and mtime onto the part, then rename it over the final name.
    static QList<QByteArray> finishUpload(const QString &finalPath, uint mode, qint64 mtimeSeconds);
    // Removes a part that failed verification.
    static QList<QByteArray> discardPart(const QString &finalPath);

    // Download, step 1: "SIZE MTIME MODE(octal)" of the file, or "missing".
    static QList<QByteArray> statFile(const QString &path);
    // MD5 of the first `bytes` bytes (all of the file when bytes < 0), as md5sum prints.
    static QList<QByteArray> md5Prefix(const QString &path, qint64 bytes);
    // Download, step 2: the file's bytes from `offset` on, to standard output.
    static QList<QByteArray> sendFrom(const QString &path, qint64 offset);
    // Creates each folder with its parents (mkdir -p), in one command.
    static QList<QByteArray> makeFolders(const QStringList &folders);
    // Removes each file (rm -f), in one command.
    static QList<QByteArray> removeFiles(const QStringList &files);
    // Free space of the file system holding `path`'s folder, in KiB.
    static QList<QByteArray> freeSpace(const QString &path);

    // Every script above whose standard output is read prints this header first
    // (ScriptAnswer), then its answer (for sendFrom: the file's bytes). Anything before it
    // is the login shell's.
    static QByteArray headerTag();
    // What a script printed after its header line; nothing if the header never came (the
    // script did not run, or its output was cut).
    static std::optional<QByteArray> answer(const QByteArray &output);

    // Reading the answers: prepareUpload's "key value..." lines as key -> value, and the
    // MD5 (the first word) of what md5Prefix or receiveUpload printed; empty without a header.
    static QHash<QByteArray, QByteArray> answerLines(const QByteArray &output);
    static QByteArray md5Of(const QByteArray &output);
};

} // namespace rdt
