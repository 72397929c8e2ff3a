// Readers for the closed-loop eval scripts' outputs. The formats are the scripts' own (see
// the header), so each reader is lenient where the scripts vary (a missing "steps", a
// suffix after the task in a video name) and strict where a guess would show wrong figures.
#include "ServerEvalResults.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace rdt {

namespace {

Error resultsError(const QString &source, const QString &why)
{
    return makeError(ErrorCode::InvalidArgument, QStringLiteral("read eval results %1: %2").arg(source, why));
}

// Per-task and overall success from the episodes' own success flags.
void summariseSuccess(EvalResults &results)
{
    std::map<QString, std::pair<int, int>> perTask;  // successes, episodes
    int successes = 0;
    for (const EvalEpisodeResult &episode : results.episodes) {
        auto &[taskSuccesses, taskEpisodes] = perTask[episode.task];
        ++taskEpisodes;
        if (episode.success.value_or(false)) {
            ++taskSuccesses;
            ++successes;
        }
    }
    for (const auto &[task, counts] : perTask) {
        EvalFigures &figures = results.tasks[task];
        figures.episodes = counts.second;
        figures.successRate = double(counts.first) / counts.second;
    }
    results.aggregate.episodes = int(results.episodes.size());
    if (!results.episodes.empty())
        results.aggregate.successRate = double(successes) / double(results.episodes.size());
}

// eval_rdt_libero.py: task_{task_idx+1:02d}_{task_name[:30]}_{timestamp}.mp4.
const QRegularExpression kSeedVideo(QStringLiteral(R"((?:^|/)task_(\d+)_[^/]*\.mp4$)"));

// OpenVLA: {DATE_TIME}--episode={idx}--success={success}--task={slug}[--suffix].mp4, the
// slug being the task lower-cased with spaces and dots as underscores, cut at 50 characters.
const QRegularExpression kOpenVlaVideo(
    QStringLiteral(R"(^(.*?)--episode=(\d+)--success=(True|False)--task=(.*?)(?:--[^/]*)?\.mp4$)"));

QStringList splitCsvLine(const QString &line)
{
    QStringList cells;
    QString cell;
    bool quoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < line.size() && line.at(i + 1) == QLatin1Char('"')) {
                cell += c;
                ++i;
            } else if (c == QLatin1Char('"')) {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            cells.append(cell.trimmed());
            cell.clear();
        } else {
            cell += c;
        }
    }
    cells.append(cell.trimmed());
    return cells;
}

qsizetype columnNamed(const QStringList &header, std::initializer_list<const char *> names)
{
    for (const char *name : names) {
        const qsizetype at = header.indexOf(QLatin1String(name), 0);
        if (at >= 0)
            return at;
    }
    return -1;
}

// "0.8", "80", "80%": a rate in [0, 1]; NaN if it is none of those.
double successRate(QString text)
{
    const bool percent = text.endsWith(QLatin1Char('%'));
    if (percent)
        text.chop(1);
    bool ok = false;
    double value = text.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(value) || value < 0)
        return std::numeric_limits<double>::quiet_NaN();
    if (percent || value > 1.0)
        value /= 100.0;
    return value <= 1.0 ? value : std::numeric_limits<double>::quiet_NaN();
}

QStringList videosUnder(const QString &folder)
{
    QStringList videos;
    const QDir root(folder);
    QDirIterator it(folder, {QStringLiteral("*.mp4")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        videos.append(root.relativeFilePath(it.next()));
    videos.sort();
    return videos;
}

Result<QByteArray> readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::LocalIo, QStringLiteral("read eval results %1: %2").arg(path, file.errorString()));
    return file.readAll();
}

} // namespace

Result<EvalResults> ServerEvalResults::fromLiberoJson(const QByteArray &json, const QString &source,
                                                      const QStringList &videos)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return resultsError(source, QStringLiteral("not JSON at byte %1: %2")
                                        .arg(parseError.offset)
                                        .arg(parseError.errorString()));
    const QJsonObject object = document.object();
    if (!object.value(QStringLiteral("task_results")).isArray())
        return resultsError(source, QStringLiteral("\"task_results\" is missing or not a list"));

    // The newest video of each task (the names end in a timestamp, so they sort by time).
    std::map<int, QString> videoOfTask;
    for (const QString &video : videos) {
        const QRegularExpressionMatch match = kSeedVideo.match(video);
        if (match.hasMatch())
            videoOfTask[match.captured(1).toInt()] = video;
    }

    EvalResults results;
    const QJsonArray tasks = object.value(QStringLiteral("task_results")).toArray();
    for (qsizetype i = 0; i < tasks.size(); ++i) {
        const QJsonObject entry = tasks.at(i).toObject();
        EvalEpisodeResult episode;
        episode.index = int(i);
        episode.episode = QStringLiteral("task_%1").arg(i + 1, 2, 10, QLatin1Char('0'));
        episode.task = entry.value(QStringLiteral("task_name")).toString();
        if (episode.task.isEmpty())
            return resultsError(source, QStringLiteral("task_results[%1] has no \"task_name\"").arg(i));
        if (!entry.value(QStringLiteral("success")).isBool())
            return resultsError(source, QStringLiteral("task_results[%1] (%2) has no true/false \"success\"")
                                            .arg(i)
                                            .arg(episode.task));
        episode.success = entry.value(QStringLiteral("success")).toBool();
        episode.steps = entry.value(QStringLiteral("steps")).toInt();
        episode.error = entry.value(QStringLiteral("error")).toString();
        const auto video = videoOfTask.find(int(i) + 1);
        if (video != videoOfTask.end())
            episode.video = video->second;
        results.episodes.push_back(std::move(episode));
    }
    summariseSuccess(results);
    // The script's own figure where it wrote one (it counts errored tasks as failures too).
    const QJsonValue rate = object.value(QStringLiteral("success_rate"));
    if (rate.isDouble())
        results.aggregate.successRate = rate.toDouble();
    return results;
}

Result<EvalResults> ServerEvalResults::fromOpenVlaVideos(const QStringList &videos, const QString &source)
{
    struct Named {
        QString prefix;
        int number;
        bool success;
        QString task;
        QString video;
    };
    std::vector<Named> named;
    QString newest;
    for (const QString &video : videos) {
        const QRegularExpressionMatch match = kOpenVlaVideo.match(video.section(QLatin1Char('/'), -1));
        if (!match.hasMatch())
            continue;
        QString task = match.captured(4);
        task.replace(QLatin1Char('_'), QLatin1Char(' '));
        named.push_back({match.captured(1), match.captured(2).toInt(), match.captured(3) == QLatin1String("True"),
                         task.trimmed(), video});
        newest = std::max(newest, match.captured(1));
    }
    if (named.empty())
        return resultsError(source, QStringLiteral("no video named as OpenVLA's eval names them "
                                                   "(<time>--episode=N--success=True--task=<task>.mp4)"));
    std::sort(named.begin(), named.end(), [](const Named &a, const Named &b) { return a.number < b.number; });
    EvalResults results;
    for (const Named &entry : named) {
        if (entry.prefix != newest)
            continue;
        EvalEpisodeResult episode;
        episode.index = entry.number;
        episode.episode = QStringLiteral("episode %1").arg(entry.number);
        episode.task = entry.task;
        episode.success = entry.success;
        episode.video = entry.video;
        results.episodes.push_back(std::move(episode));
    }
    summariseSuccess(results);
    return results;
}

Result<EvalResults> ServerEvalResults::fromSuccessCsv(const QByteArray &csv, const QString &source)
{
    QStringList lines = QString::fromUtf8(csv).split(QLatin1Char('\n'));
    for (QString &line : lines)
        line = line.trimmed();
    lines.removeAll(QString());
    if (lines.isEmpty())
        return resultsError(source, QStringLiteral("empty"));
    QStringList header = splitCsvLine(lines.first());
    for (QString &name : header)
        name = name.toLower();
    const qsizetype taskColumn = columnNamed(header, {"task", "task_name", "task_description", "task_id"});
    const qsizetype rateColumn = columnNamed(header, {"success_rate", "success", "sr"});
    const qsizetype episodesColumn = columnNamed(header, {"episodes", "trials", "num_episodes", "n"});
    if (taskColumn < 0 || rateColumn < 0)
        return resultsError(source, QStringLiteral("the header \"%1\" names no task column (task, task_name, "
                                                   "task_description) or no success column (success_rate, success)")
                                        .arg(lines.first()));
    EvalResults results;
    double weighted = 0;
    int weights = 0;
    bool everyRowCounted = true;
    for (qsizetype row = 1; row < lines.size(); ++row) {
        const QStringList cells = splitCsvLine(lines.at(row));
        if (cells.size() <= std::max(taskColumn, rateColumn))
            return resultsError(source, QStringLiteral("line %1 has %2 cells, fewer than the header").arg(row + 1).arg(cells.size()));
        const QString task = cells.at(taskColumn);
        const double rate = successRate(cells.at(rateColumn));
        if (std::isnan(rate))
            return resultsError(source, QStringLiteral("line %1: \"%2\" is not a success rate").arg(row + 1).arg(cells.at(rateColumn)));
        const int episodes = episodesColumn >= 0 && episodesColumn < cells.size() ? cells.at(episodesColumn).toInt() : 0;
        static const QStringList summaryRows{QStringLiteral("average"), QStringLiteral("mean"), QStringLiteral("overall"),
                                             QStringLiteral("total"), QStringLiteral("all")};
        if (summaryRows.contains(task.toLower())) {
            results.aggregate.successRate = rate;
            results.aggregate.episodes = episodes;
            continue;
        }
        EvalFigures &figures = results.tasks[task];
        figures.successRate = rate;
        figures.episodes = episodes;
        everyRowCounted = everyRowCounted && episodes > 0;
        weighted += rate * std::max(episodes, 1);
        weights += std::max(episodes, 1);
    }
    if (results.tasks.empty())
        return resultsError(source, QStringLiteral("no task rows"));
    if (std::isnan(results.aggregate.successRate)) {
        // Weighted by episodes when every row says how many; otherwise each task counts once.
        results.aggregate.successRate = weighted / weights;
        results.aggregate.episodes = everyRowCounted ? weights : 0;
    }
    return results;
}

Result<EvalResults> ServerEvalResults::load(EvalResultsFormat format, const QString &folder, const QString &resultsFile)
{
    const QString path = QDir(folder).filePath(resultsFile);
    switch (format) {
    case EvalResultsFormat::Trainer:
        return EvalResults::load(QDir(folder).filePath(QStringLiteral("results.json")));
    case EvalResultsFormat::LiberoJson: {
        Result<QByteArray> json = readFile(path);
        if (!json)
            return json.error();
        return fromLiberoJson(*json, path, videosUnder(folder));
    }
    case EvalResultsFormat::OpenVlaVideos:
        return fromOpenVlaVideos(videosUnder(folder), folder);
    case EvalResultsFormat::SuccessCsv: {
        Result<QByteArray> csv = readFile(path);
        if (!csv)
            return csv.error();
        return fromSuccessCsv(*csv, path);
    }
    }
    return resultsError(folder, QStringLiteral("unknown results format"));
}

} // namespace rdt
