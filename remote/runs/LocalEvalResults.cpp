// A record wins over what the folder holds: a folder reused by a second eval keeps the
// first one's files (the download never deletes), and only the record says which is current.
#include "LocalEvalResults.h"

#include "ServerEvalResults.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QRegularExpression>

namespace rdt {
namespace {

bool hasOpenVlaVideo(const QString &folder)
{
    static const QRegularExpression named(QStringLiteral(R"(--episode=\d+--success=(True|False)--task=.*\.mp4$)"));
    QDirIterator it(folder, {QStringLiteral("*.mp4")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        if (named.match(it.next()).hasMatch())
            return true;
    }
    return false;
}

} // namespace

Result<std::optional<LocalEvalSource>> LocalEvalResults::sourceOf(const QString &folder)
{
    const QDir dir(folder);
    Result<std::optional<EvalCommandRecord>> record = EvalCommandRecord::read(folder);
    if (!record)
        return record.error();
    if (*record) {
        const EvalCommandRecord &said = **record;
        LocalEvalSource source{said.results, said.resultsFile, said.preset};
        if (source.format == EvalResultsFormat::Trainer)
            source.resultsFile = QStringLiteral("results.json");
        const bool present = source.format == EvalResultsFormat::OpenVlaVideos ? hasOpenVlaVideo(folder)
                                                                               : QFileInfo(dir.filePath(source.resultsFile)).isFile();
        return present ? std::optional<LocalEvalSource>(source) : std::nullopt;
    }
    if (QFileInfo(dir.filePath(QStringLiteral("results.json"))).isFile())
        return std::optional<LocalEvalSource>(LocalEvalSource{EvalResultsFormat::Trainer, QStringLiteral("results.json"), {}});
    if (QFileInfo(dir.filePath(QLatin1String(kLiberoResultsFile))).isFile())
        return std::optional<LocalEvalSource>(
            LocalEvalSource{EvalResultsFormat::LiberoJson, QLatin1String(kLiberoResultsFile), {}});
    if (hasOpenVlaVideo(folder))
        return std::optional<LocalEvalSource>(LocalEvalSource{EvalResultsFormat::OpenVlaVideos, {}, {}});
    return std::optional<LocalEvalSource>();
}

Result<std::optional<EvalResults>> LocalEvalResults::load(const QString &folder, const QString &checkpoint)
{
    Result<std::optional<LocalEvalSource>> source = sourceOf(folder);
    if (!source)
        return source.error();
    if (!*source)
        return std::optional<EvalResults>();
    Result<EvalResults> results = ServerEvalResults::load((*source)->format, folder, (*source)->resultsFile);
    if (!results)
        return results.error();
    EvalResults loaded = std::move(results).value();
    if (loaded.checkpoint.isEmpty())
        loaded.checkpoint = checkpoint;
    loaded.command = (*source)->preset;
    return std::optional<EvalResults>(std::move(loaded));
}

} // namespace rdt
