// Reads and checks an eval episode's actions file; every refusal names the file and the key.
#include "EvalActions.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace rdt {

namespace {

Error formatError(const QString &source, const QString &why)
{
    return makeError(ErrorCode::InvalidArgument, QStringLiteral("read actions %1: %2").arg(source, why));
}

// Reads `key` as rows of dims.size() numbers; an empty error string means it succeeded.
QString readRows(const QJsonObject &object, const QString &key, int width,
                 std::vector<std::vector<double>> &rows)
{
    const QJsonValue value = object.value(key);
    if (!value.isArray())
        return QStringLiteral("\"%1\" is missing or not an array").arg(key);
    const QJsonArray array = value.toArray();
    rows.reserve(size_t(array.size()));
    for (qsizetype step = 0; step < array.size(); ++step) {
        const QJsonArray row = array.at(step).toArray();
        if (row.size() != width)
            return QStringLiteral("\"%1\"[%2] has %3 numbers, expected %4 (one per dim)")
                .arg(key).arg(step).arg(row.size()).arg(width);
        std::vector<double> values(static_cast<size_t>(width));
        for (int dim = 0; dim < width; ++dim) {
            if (!row.at(dim).isDouble())
                return QStringLiteral("\"%1\"[%2][%3] is not a number").arg(key).arg(step).arg(dim);
            values[size_t(dim)] = row.at(dim).toDouble();
        }
        rows.push_back(std::move(values));
    }
    return {};
}

} // namespace

int EvalActions::stepAt(qint64 positionMs) const
{
    const int step = int(std::floor(double(positionMs) * fps / 1000.0 + 1e-6));
    return std::max(0, step);
}

qint64 EvalActions::positionOf(int step) const
{
    return qint64(std::floor(double(std::max(0, step)) * 1000.0 / fps + 1e-6));
}

Result<EvalActions> EvalActions::fromJson(const QByteArray &json, const QString &source)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return formatError(source, QStringLiteral("not JSON at byte %1: %2")
                                       .arg(parseError.offset).arg(parseError.errorString()));
    if (!document.isObject())
        return formatError(source, QStringLiteral("not a JSON object"));
    const QJsonObject object = document.object();

    EvalActions actions;
    actions.episode = object.value(QStringLiteral("episode")).toString();
    actions.task = object.value(QStringLiteral("task")).toString();
    actions.fps = object.value(QStringLiteral("fps")).toDouble(0.0);
    if (!(actions.fps > 0.0))
        return formatError(source, QStringLiteral("\"fps\" is missing or not a positive number"));
    actions.execHorizon = object.value(QStringLiteral("exec_horizon")).toInt(0);
    for (const QJsonValue &dim : object.value(QStringLiteral("dims")).toArray())
        actions.dims << dim.toString();
    if (actions.dims.isEmpty())
        return formatError(source, QStringLiteral("\"dims\" is missing or empty"));
    for (const QJsonValue &start : object.value(QStringLiteral("chunk_starts")).toArray())
        actions.chunkStarts.push_back(start.toInt());

    const int width = int(actions.dims.size());
    QString why = readRows(object, QStringLiteral("predicted"), width, actions.predicted);
    if (why.isEmpty())
        why = readRows(object, QStringLiteral("demonstrated"), width, actions.demonstrated);
    if (!why.isEmpty())
        return formatError(source, why);
    if (actions.predicted.size() != actions.demonstrated.size())
        return formatError(source, QStringLiteral("%1 predicted steps but %2 demonstrated")
                                       .arg(actions.predicted.size()).arg(actions.demonstrated.size()));
    return actions;
}

Result<EvalActions> EvalActions::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::LocalIo, QStringLiteral("read actions %1: %2").arg(path, file.errorString()));
    return fromJson(file.readAll(), path);
}

} // namespace rdt
