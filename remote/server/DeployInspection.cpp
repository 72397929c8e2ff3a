// Parsing the inspect script's "@word value" lines; "|LINE"s after "@trainer-info" are
// the trainer's own output.
#include "DeployInspection.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace rdt {

Result<DeployInspection> DeployInspection::parse(const QByteArray &output)
{
    QList<QByteArray> lines = output.split('\n');
    const qsizetype header = lines.indexOf("@rdt-deploy-inspect 1");
    if (header < 0)
        return makeError(ErrorCode::Protocol, QStringLiteral("the server's answer is not the deploy inspection's: %1")
                                                  .arg(QString::fromUtf8(output.left(200)).simplified()));
    DeployInspection inspection;
    QStringList trainerLines;
    bool ended = false;
    for (const QByteArray &line : lines.mid(header + 1)) {
        if (line.startsWith('|')) {
            trainerLines.append(QString::fromUtf8(line.mid(1)));
            continue;
        }
        const qsizetype space = line.indexOf(' ');
        const QByteArray word = space < 0 ? line : line.left(space);
        const QString rest = space < 0 ? QString() : QString::fromUtf8(line.mid(space + 1));
        if (word == "@root") {
            inspection.root = rest;
        } else if (word == "@trainer") {
            inspection.trainerPath = rest;
        } else if (word == "@trainer-info") {
            inspection.trainerInfoStatus = rest.toInt();
        } else if (word == "@installed-sha256") {
            inspection.installedSha256 = rest;
        } else if (word == "@cmake") {
            const qsizetype cut = rest.lastIndexOf(QLatin1Char(' '));
            inspection.cmakePath = cut < 0 ? rest : rest.left(cut);
            inspection.cmakeVersion = cut < 0 ? QString() : rest.mid(cut + 1);
        } else if (word == "@generator") {
            inspection.generator = rest;
        } else if (word == "@missing") {
            inspection.missingTools.append(rest);
        } else if (word == "@libtorch") {
            const qsizetype cut = rest.indexOf(QLatin1Char(' '));
            inspection.libtorchSource = cut < 0 ? rest : rest.left(cut);
            inspection.libtorchCMakeDir = cut < 0 ? QString() : rest.mid(cut + 1);
        } else if (word == "@looked") {
            inspection.looked.append(rest);
        } else if (word == "@path") {
            inspection.path = rest;
        } else if (word == "@end") {
            ended = true;
        }
    }
    if (!ended)
        return makeError(ErrorCode::Protocol,
                         QStringLiteral("the deploy inspection ended early (the connection or the script died)"));
    inspection.trainerOutput = trainerLines.join(QLatin1Char('\n')).trimmed();
    for (const QString &line : trainerLines) {
        const QJsonDocument document = QJsonDocument::fromJson(line.trimmed().toUtf8());
        if (document.isObject()) {
            inspection.trainerVersion = document.object().value(QStringLiteral("version")).toString();
            inspection.trainerLibtorch = document.object().value(QStringLiteral("libtorch")).toString();
        }
    }
    return inspection;
}

QString DeployInspection::libtorchCMakeArgument() const
{
    return libtorchCMakeDir.isEmpty() ? QStringLiteral("-UTorch_DIR") : QStringLiteral("-DTorch_DIR=") + libtorchCMakeDir;
}

bool versionAtLeast(const QString &version, const QString &minimum)
{
    const QStringList have = version.split(QLatin1Char('.'));
    const QStringList need = minimum.split(QLatin1Char('.'));
    for (qsizetype i = 0; i < qMax(have.size(), need.size()); ++i) {
        const int a = have.value(i).toInt();
        const int b = need.value(i).toInt();
        if (a != b)
            return a > b;
    }
    return true;
}

} // namespace rdt
