// Flag lookup, run.yaml's train section, and the text layout of the configuration export.
#include "RunConfiguration.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>

namespace rdt {
namespace {

void appendFiles(QString &text, const QString &path, const FileChecksumList &files, const QString &problem)
{
    text += QStringLiteral("path: %1\n").arg(path);
    if (!problem.isEmpty()) {
        text += QStringLiteral("md5: unknown (%1)\n").arg(problem);
        return;
    }
    for (const FileChecksum &file : files)
        text += QStringLiteral("md5 %1  %2  (%3 bytes)\n").arg(file.md5, file.relativePath).arg(file.size);
}

void appendLines(QString &text, const QStringList &lines, const QString &none)
{
    if (lines.isEmpty())
        text += none + QLatin1Char('\n');
    for (const QString &line : lines)
        text += line + QLatin1Char('\n');
}

} // namespace

QString RunConfiguration::flagValue(const QStringList &arguments, const QString &name)
{
    QString dashed = name;
    dashed.replace(QLatin1Char('_'), QLatin1Char('-'));
    dashed.replace(0, 2, QStringLiteral("--"));
    QString underscored = name;
    underscored.replace(QLatin1Char('-'), QLatin1Char('_'));
    underscored.replace(0, 2, QStringLiteral("--"));
    QString value;
    // The last occurrence wins, as the trainer's parser reads them.
    for (int i = 0; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        for (const QString &form : {underscored, dashed}) {
            if (argument == form && i + 1 < arguments.size())
                value = arguments.at(i + 1);
            else if (argument.startsWith(form + QLatin1Char('=')))
                value = argument.mid(form.size() + 1);
        }
    }
    return value;
}

QString RunConfiguration::runYamlTrainValue(const QByteArray &runYaml, const QString &key)
{
    bool inTrain = false;
    const QByteArray prefix = "  " + key.toUtf8() + ": ";
    for (const QByteArray &line : runYaml.split('\n')) {
        if (!line.startsWith(' '))
            inTrain = line.trimmed() == "train:";
        else if (inTrain && line.startsWith(prefix)) {
            // The trainer writes each value as JSON (nlohmann's dump()).
            const QJsonDocument document = QJsonDocument::fromJson("[" + line.mid(prefix.size()) + "]");
            const QJsonValue value = document.isArray() ? document.array().at(0) : QJsonValue();
            return value.isString() ? value.toString() : QString::fromUtf8(line.mid(prefix.size()).trimmed());
        }
    }
    return {};
}

void RunConfiguration::findInputs()
{
    const auto find = [this](const QString &flag) {
        const QString fromFlags = flagValue(trainerArguments, QStringLiteral("--") + flag);
        return fromFlags.isEmpty() ? runYamlTrainValue(runYaml, flag) : fromFlags;
    };
    datasetPath = find(QStringLiteral("dataset"));
    modelPath = find(QStringLiteral("pretrained_model_name_or_path"));
}

QString RunConfiguration::toText() const
{
    QString text;
    text += QStringLiteral("# Configuration of run %1\n").arg(runFolder.section(QLatin1Char('/'), -1));
    text += QStringLiteral("host: %1\nrun folder: %2\n").arg(host, runFolder);
    text += QStringLiteral("exported: %1\n").arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    if (!startedByWorkbench)
        text += QStringLiteral("note: not started by the workbench (no .rdt/trainer-args): the flags come from run.yaml\n");

    text += QStringLiteral("\n[trainer flags]\n");
    appendLines(text, trainerArguments, QStringLiteral("(none recorded)"));
    text += QStringLiteral("\n[launcher flags]\n");
    appendLines(text, launcherArguments, QStringLiteral("(one process)"));
    text += QStringLiteral("\n[environment]\n");
    appendLines(text, environment, QStringLiteral("(nothing set)"));

    text += QStringLiteral("\n[dataset]\n");
    if (datasetPath.isEmpty())
        text += QStringLiteral("(not named by the flags or run.yaml)\n");
    else
        appendFiles(text, datasetPath, datasetFiles, datasetProblem);
    text += QStringLiteral("\n[pretrained model]\n");
    if (modelPath.isEmpty())
        text += QStringLiteral("(none: trained from scratch)\n");
    else
        appendFiles(text, modelPath, modelFiles, modelProblem);

    text += QStringLiteral("\n[run.yaml]\n");
    text += runYaml.isEmpty() ? QStringLiteral("(not written yet)\n") : QString::fromUtf8(runYaml);
    if (!text.endsWith(QLatin1Char('\n')))
        text += QLatin1Char('\n');
    return text;
}

} // namespace rdt
