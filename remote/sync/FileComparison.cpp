// FileComparison: a merge of the two listings sorted by relative path.
#include "FileComparison.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonValue>

#include <algorithm>

namespace rdt {

namespace {

QJsonValue sideToJson(const std::optional<FileChecksum> &file)
{
    if (!file)
        return QJsonValue(QJsonValue::Null);
    QJsonObject side;
    side.insert(QStringLiteral("size"), double(file->size));
    side.insert(QStringLiteral("mtime"),
                QDateTime::fromMSecsSinceEpoch(file->mtimeNs / 1000000, Qt::UTC).toString(Qt::ISODateWithMs));
    // As a string: a double cannot hold nanoseconds since 1970 exactly.
    side.insert(QStringLiteral("mtime_ns"), QString::number(file->mtimeNs));
    side.insert(QStringLiteral("md5"), file->md5);
    return side;
}

FileChecksumList sortedByPath(FileChecksumList files)
{
    std::sort(files.begin(), files.end(),
              [](const FileChecksum &a, const FileChecksum &b) { return a.relativePath < b.relativePath; });
    return files;
}

bool sameContent(const FileChecksum &a, const FileChecksum &b)
{
    if (a.size != b.size)
        return false;
    if (a.md5.isEmpty() && b.md5.isEmpty())
        return true;
    return a.md5 == b.md5;
}

} // namespace

FileComparison FileComparison::compare(const FileChecksumList &local, const FileChecksumList &remote)
{
    const FileChecksumList here = sortedByPath(local);
    const FileChecksumList there = sortedByPath(remote);
    FileComparison comparison;
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < here.size() || j < there.size()) {
        ComparedFile file;
        if (j >= there.size() || (i < here.size() && here[i].relativePath < there[j].relativePath)) {
            file.relativePath = here[i].relativePath;
            file.state = FileState::MissingThere;
            file.local = here[i++];
        } else if (i >= here.size() || there[j].relativePath < here[i].relativePath) {
            file.relativePath = there[j].relativePath;
            file.state = FileState::MissingHere;
            file.remote = there[j++];
        } else {
            file.relativePath = here[i].relativePath;
            file.state = sameContent(here[i], there[j]) ? FileState::Same : FileState::Different;
            file.local = here[i++];
            file.remote = there[j++];
        }
        comparison.m_files.append(file);
    }
    return comparison;
}

int FileComparison::count(FileState state) const
{
    return int(std::count_if(m_files.cbegin(), m_files.cend(), [state](const ComparedFile &f) { return f.state == state; }));
}

bool FileComparison::isIdentical() const
{
    return count(FileState::Same) == m_files.size();
}

QString FileComparison::stateName(FileState state)
{
    switch (state) {
    case FileState::Same:
        return QStringLiteral("same");
    case FileState::Different:
        return QStringLiteral("different");
    case FileState::MissingHere:
        return QStringLiteral("missing_here");
    case FileState::MissingThere:
        return QStringLiteral("missing_there");
    }
    return {};
}

QJsonObject FileComparison::toJson() const
{
    QJsonObject counts;
    for (FileState state : {FileState::Same, FileState::Different, FileState::MissingHere, FileState::MissingThere})
        counts.insert(stateName(state), count(state));
    QJsonArray files;
    for (const ComparedFile &file : m_files) {
        QJsonObject entry;
        entry.insert(QStringLiteral("path"), file.relativePath);
        entry.insert(QStringLiteral("state"), stateName(file.state));
        entry.insert(QStringLiteral("local"), sideToJson(file.local));
        entry.insert(QStringLiteral("remote"), sideToJson(file.remote));
        files.append(entry);
    }
    QJsonObject json;
    json.insert(QStringLiteral("identical"), isIdentical());
    json.insert(QStringLiteral("counts"), counts);
    json.insert(QStringLiteral("files"), files);
    return json;
}

} // namespace rdt
