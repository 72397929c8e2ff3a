// Field names as `rdt-trainer eval` writes them (BRIEF's shared formats).
#include "EvalEvent.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace rdt {
namespace {

double number(const QJsonObject &object, const char *key)
{
    const QJsonValue value = object.value(QLatin1String(key));
    return value.isDouble() ? value.toDouble() : std::numeric_limits<double>::quiet_NaN();
}

int whole(const QJsonObject &object, const char *key, int fallback)
{
    const QJsonValue value = object.value(QLatin1String(key));
    const double d = value.toDouble(-1);
    return value.isDouble() && d >= 0 && d <= 1e9 ? int(d) : fallback;
}

} // namespace

std::optional<EvalEvent> EvalEvent::fromLine(const QByteArray &line)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    const QString name = object.value(QLatin1String("event")).toString();
    EvalEvent event;
    if (name == QLatin1String("start"))
        event.kind = Kind::Start;
    else if (name == QLatin1String("episode"))
        event.kind = Kind::Episode;
    else if (name == QLatin1String("error"))
        event.kind = Kind::Error;
    else if (name == QLatin1String("done"))
        event.kind = Kind::Done;
    else
        return std::nullopt;
    event.time = object.value(QLatin1String("time")).toDouble();
    event.episodes = whole(object, "episodes", -1);
    event.checkpoint = object.value(QLatin1String("checkpoint")).toString();
    event.index = whole(object, "index", -1);
    event.episode = object.value(QLatin1String("episode")).toString();
    event.task = object.value(QLatin1String("task")).toString();
    event.steps = whole(object, "steps", 0);
    event.mse = number(object, "mse");
    event.l2err = number(object, "l2err");
    event.gripperAgreement = number(object, "gripper_agreement");
    event.video = object.value(QLatin1String("video")).toString();
    event.message = object.value(QLatin1String("message")).toString();
    return event;
}

} // namespace rdt
