// A local listing set against a remote one, file by file: the same, different, missing here
// (on the server only) or missing there (on the workstation only), with both sides' sizes
// and checksums. What `rdtctl diff` prints and what SyncPlan is made from.
#pragma once

#include "FileChecksum.h"

#include <QJsonObject>
#include <QList>

#include <optional>

namespace rdt {

enum class FileState {
    Same,          // both sides, equal size and MD5
    Different,     // both sides, size or MD5 differ
    MissingHere,   // on the server only
    MissingThere,  // on the workstation only
};

struct ComparedFile {
    QString relativePath;
    FileState state = FileState::Same;
    std::optional<FileChecksum> local;
    std::optional<FileChecksum> remote;
};

class FileComparison {
public:
    // Files are matched by relative path. To compare two single files under different names,
    // give both the same relativePath first. A file without an MD5 on either side compares by
    // size alone only if both lack it; otherwise it is Different (never assumed the same).
    [[nodiscard]] static FileComparison compare(const FileChecksumList &local, const FileChecksumList &remote);

    const QList<ComparedFile> &files() const { return m_files; }   // sorted by relative path
    int count(FileState state) const;
    bool isIdentical() const;

    // {"identical": bool, "counts": {"same": n, "different": n, "missing_here": n,
    //  "missing_there": n}, "files": [{"path", "state", "local": {"size", "mtime",
    //  "mtime_ns", "md5"} or null, "remote": {...} or null}]}  (state: one of the count keys)
    [[nodiscard]] QJsonObject toJson() const;
    [[nodiscard]] static QString stateName(FileState state);

private:
    QList<ComparedFile> m_files;
};

} // namespace rdt
