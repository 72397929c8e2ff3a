// StatisticsDecision: find the entry, collect the recorded MD5s by file name, compare them
// with the dataset's. Every way of not knowing (no entry, no MD5 recorded) means recompute.
#include "StatisticsDecision.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QStringList>

namespace rdt {

namespace {

bool isHdf5Name(const QString &name)
{
    return name.endsWith(QLatin1String(".hdf5")) || name.endsWith(QLatin1String(".h5"));
}

// As training/data/LiberoScan.cpp's datasetStem: "libero_10/" -> "libero_10",
// "x/scene10.hdf5" -> "scene10".
QString datasetStem(QString path)
{
    while (path.size() > 1 && path.endsWith(QLatin1Char('/')))
        path.chop(1);
    const QFileInfo info(path);
    return isHdf5Name(info.fileName()) ? info.completeBaseName() : info.fileName();
}

} // namespace

QString StatisticsDecision::verdict() const
{
    return m_valid ? QStringLiteral("statistics valid for this dataset") : QStringLiteral("recompute");
}

StatisticsDecision StatisticsDecision::recompute(const QString &reason)
{
    StatisticsDecision decision;
    decision.m_reason = reason;
    return decision;
}

StatisticsDecision StatisticsDecision::decide(const QByteArray &statJson, const FileChecksumList &dataset,
                                              const QString &datasetPath)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(statJson, &parseError);
    if (document.isNull() || !document.isObject())
        return recompute(QStringLiteral("dataset_stat.json is not a JSON object (%1)")
                             .arg(document.isNull() ? parseError.errorString() : QStringLiteral("another JSON value")));
    const QJsonObject root = document.object();

    const QString wanted = datasetStem(datasetPath);
    QString name;
    if (root.contains(wanted) && root.value(wanted).isObject())
        name = wanted;
    else if (root.size() == 1 && root.begin().value().isObject())
        name = root.begin().key();
    else
        return recompute(QStringLiteral("dataset_stat.json has no entry for %1 (it has: %2)")
                             .arg(wanted, root.keys().join(QStringLiteral(", "))));
    const QJsonObject entry = root.value(name).toObject();

    // Recorded MD5s by file name; "md5" alone (one file) has no name and matches any one file.
    QMap<QString, QString> recorded;
    for (const QJsonValue &file : entry.value(QStringLiteral("files")).toArray()) {
        const QJsonObject object = file.toObject();
        const QString md5 = object.value(QStringLiteral("md5")).toString();
        if (!md5.isEmpty())
            recorded.insert(object.value(QStringLiteral("name")).toString(), md5.toLower());
    }
    const QString singleMd5 = entry.value(QStringLiteral("md5")).toString().toLower();

    FileChecksumList files;
    if (dataset.size() == 1) {
        files = dataset;
    } else {
        for (const FileChecksum &file : dataset)
            if (!file.relativePath.contains(QLatin1Char('/')) && isHdf5Name(file.relativePath))
                files.append(file);
    }
    if (files.isEmpty())
        return recompute(QStringLiteral("the dataset %1 holds no .hdf5 or .h5 files").arg(datasetPath));

    StatisticsDecision decision;
    decision.m_datasetName = name;
    if (files.size() == 1) {
        const FileChecksum &file = files.first();
        const QString fileName = QFileInfo(file.relativePath).fileName();
        QString expected = singleMd5;
        if (expected.isEmpty() && recorded.size() == 1)
            expected = recorded.first();
        if (expected.isEmpty())
            expected = recorded.value(fileName);
        decision.m_recordedMd5 = expected;
        decision.m_datasetMd5 = file.md5;
        if (expected.isEmpty()) {
            decision.m_reason = QStringLiteral("dataset_stat.json records no MD5 for %1 (written by a tool that does not "
                                               "record one)").arg(name);
        } else if (expected == file.md5) {
            decision.m_valid = true;
            decision.m_reason = QStringLiteral("dataset_stat.json records MD5 %1 for %2, and %3 has that MD5")
                                    .arg(expected, name, datasetPath);
        } else {
            decision.m_reason = QStringLiteral("dataset_stat.json records MD5 %1 for %2, but %3 has MD5 %4")
                                    .arg(expected, name, datasetPath, file.md5);
        }
        return decision;
    }

    // A folder: every .hdf5 file must be recorded with its MD5, and nothing recorded may be gone.
    QStringList problems;
    for (const FileChecksum &file : std::as_const(files)) {
        const QString expected = recorded.value(file.relativePath);
        if (expected.isEmpty()) {
            problems.append(QStringLiteral("%1 is not in the statistics").arg(file.relativePath));
        } else if (expected != file.md5) {
            if (decision.m_recordedMd5.isEmpty()) {
                decision.m_recordedMd5 = expected;
                decision.m_datasetMd5 = file.md5;
            }
            problems.append(QStringLiteral("%1: recorded MD5 %2, the file has MD5 %3").arg(file.relativePath, expected, file.md5));
        }
        recorded.remove(file.relativePath);
    }
    for (auto it = recorded.cbegin(); it != recorded.cend(); ++it)
        problems.append(QStringLiteral("%1 is in the statistics but not in the dataset").arg(it.key()));
    if (problems.isEmpty()) {
        decision.m_valid = true;
        decision.m_reason = QStringLiteral("dataset_stat.json records the MD5 of each of the %1 files of %2, and they all match")
                                .arg(files.size())
                                .arg(datasetPath);
    } else {
        decision.m_reason = QStringLiteral("%1 of %2: %3").arg(name, datasetPath, problems.join(QStringLiteral("; ")));
    }
    return decision;
}

} // namespace rdt
