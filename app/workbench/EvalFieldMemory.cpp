// Settings: evalFields/<host>/<preset> = {field: value}. Host and preset names are base64
// (QSettings reads '/' as groups and a preset's name holds slashes).
#include "EvalFieldMemory.h"

#include <QSettings>
#include <QVariantMap>

namespace rdt {
namespace {

QString key(const QString &host, const QString &preset)
{
    auto encoded = [](const QString &text) {
        return QString::fromLatin1(text.toUtf8().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    };
    return QStringLiteral("evalFields/%1/%2").arg(encoded(host.isEmpty() ? QStringLiteral("local") : host), encoded(preset));
}

} // namespace

EvalCommandValues EvalFieldMemory::values(const QString &host, const QString &preset)
{
    EvalCommandValues values;
    const QVariantMap stored = QSettings().value(key(host, preset)).toMap();
    for (auto it = stored.begin(); it != stored.end(); ++it)
        values[it.key()] = it.value().toString();
    return values;
}

void EvalFieldMemory::remember(const QString &host, const QString &preset, const EvalCommandValues &values)
{
    QSettings settings;
    if (values.empty()) {
        settings.remove(key(host, preset));
        return;
    }
    QVariantMap stored;
    for (const auto &[name, value] : values)
        stored.insert(name, value);
    settings.setValue(key(host, preset), stored);
}

} // namespace rdt
