// Reads an eval's results.json; a refusal names the file and what is wrong in it.
#include "EvalResults.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace rdt {

namespace {

Error formatError(const QString &source, const QString &why)
{
    return makeError(ErrorCode::InvalidArgument, QStringLiteral("read eval results %1: %2").arg(source, why));
}

// JSON has no NaN: a figure the eval could not compute is absent or null.
double number(const QJsonObject &object, const char *key)
{
    const QJsonValue value = object.value(QLatin1String(key));
    return value.isDouble() ? value.toDouble() : std::numeric_limits<double>::quiet_NaN();
}

EvalFigures figures(const QJsonObject &object)
{
    EvalFigures result;
    result.episodes = object.value(QStringLiteral("episodes")).toInt();
    result.mse = number(object, "mse");
    result.l2err = number(object, "l2err");
    result.gripperAgreement = number(object, "gripper_agreement");
    return result;
}

} // namespace

Result<EvalResults> EvalResults::fromJson(const QByteArray &json, const QString &source)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return formatError(source, QStringLiteral("not JSON at byte %1: %2")
                                       .arg(parseError.offset).arg(parseError.errorString()));
    if (!document.isObject())
        return formatError(source, QStringLiteral("not a JSON object"));
    const QJsonObject object = document.object();
    if (!object.value(QStringLiteral("episodes")).isArray())
        return formatError(source, QStringLiteral("\"episodes\" is missing or not an array"));

    EvalResults results;
    results.checkpoint = object.value(QStringLiteral("checkpoint")).toString();
    results.weights = object.value(QStringLiteral("weights")).toString();
    results.flags = object.value(QStringLiteral("flags")).toObject();
    const QJsonArray episodes = object.value(QStringLiteral("episodes")).toArray();
    for (qsizetype i = 0; i < episodes.size(); ++i) {
        const QJsonObject entry = episodes.at(i).toObject();
        EvalEpisodeResult episode;
        episode.index = entry.value(QStringLiteral("index")).toInt(int(i));
        episode.episode = entry.value(QStringLiteral("episode")).toString();
        if (episode.episode.isEmpty())
            return formatError(source, QStringLiteral("episodes[%1] has no \"episode\" name").arg(i));
        episode.file = entry.value(QStringLiteral("file")).toString();
        episode.task = entry.value(QStringLiteral("task")).toString();
        episode.steps = entry.value(QStringLiteral("steps")).toInt();
        episode.mse = number(entry, "mse");
        episode.l2err = number(entry, "l2err");
        episode.gripperAgreement = number(entry, "gripper_agreement");
        for (const QJsonValue &value : entry.value(QStringLiteral("mse_per_dim")).toArray())
            episode.msePerDim.push_back(value.toDouble());
        episode.video = entry.value(QStringLiteral("video")).toString();
        results.episodes.push_back(std::move(episode));
    }
    const QJsonObject tasks = object.value(QStringLiteral("tasks")).toObject();
    for (auto it = tasks.begin(); it != tasks.end(); ++it)
        results.tasks[it.key()] = figures(it.value().toObject());
    results.aggregate = figures(object.value(QStringLiteral("aggregate")).toObject());
    return results;
}

Result<EvalResults> EvalResults::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::LocalIo, QStringLiteral("read eval results %1: %2").arg(path, file.errorString()));
    return fromJson(file.readAll(), path);
}

} // namespace rdt
