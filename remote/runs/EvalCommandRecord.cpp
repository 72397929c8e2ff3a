// eval-command.json: {"preset": NAME, "results": "libero-json", "results_file": FILE,
// "fields": {NAME: VALUE}}; a refusal names the file and the key.
#include "EvalCommandRecord.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace rdt {

EvalCommandRecord EvalCommandRecord::forPreset(const EvalCommandPreset &preset, const EvalCommandValues &userValues)
{
    EvalCommandRecord record;
    record.preset = preset.name;
    record.results = preset.results;
    record.resultsFile = preset.resultsFile;
    record.fields = preset.fields;
    for (const auto &[name, value] : userValues)
        record.fields[name] = value;
    return record;
}

QByteArray EvalCommandRecord::toJson() const
{
    QJsonObject values;
    for (const auto &[name, value] : fields)
        values.insert(name, value);
    const QJsonObject object{{QStringLiteral("preset"), preset},
                             {QStringLiteral("results"), evalResultsFormatName(results)},
                             {QStringLiteral("results_file"), resultsFile},
                             {QStringLiteral("fields"), values}};
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

Result<EvalCommandRecord> EvalCommandRecord::fromJson(const QByteArray &json, const QString &source)
{
    auto refused = [&](const QString &why) {
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("read eval record %1: %2").arg(source, why));
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return refused(QStringLiteral("not JSON at byte %1: %2").arg(parseError.offset).arg(parseError.errorString()));
    const QJsonObject object = document.object();
    EvalCommandRecord record;
    record.preset = object.value(QStringLiteral("preset")).toString();
    const QString results = object.value(QStringLiteral("results")).toString();
    const std::optional<EvalResultsFormat> format = evalResultsFormatNamed(results);
    if (!format)
        return refused(QStringLiteral("\"results\" is \"%1\"; it takes trainer, libero-json, openvla-videos or success-csv")
                           .arg(results));
    record.results = *format;
    record.resultsFile = object.value(QStringLiteral("results_file")).toString();
    // The results file is read from the local folder: it must stay inside it.
    if (record.resultsFile.startsWith(QLatin1Char('/')) || record.resultsFile.split(QLatin1Char('/')).contains(QStringLiteral("..")))
        return refused(QStringLiteral("\"results_file\" \"%1\" is not a path inside the eval folder").arg(record.resultsFile));
    const QJsonObject fields = object.value(QStringLiteral("fields")).toObject();
    for (auto it = fields.begin(); it != fields.end(); ++it)
        record.fields[it.key()] = it.value().toString();
    return record;
}

Result<std::optional<EvalCommandRecord>> EvalCommandRecord::read(const QString &folder)
{
    QFile file(QDir(folder).filePath(QLatin1String(kFileName)));
    if (!file.exists())
        return std::optional<EvalCommandRecord>();
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::LocalIo, QStringLiteral("read eval record %1: %2").arg(file.fileName(), file.errorString()));
    Result<EvalCommandRecord> record = fromJson(file.readAll(), file.fileName());
    if (!record)
        return record.error();
    return std::optional<EvalCommandRecord>(std::move(record).value());
}

} // namespace rdt
