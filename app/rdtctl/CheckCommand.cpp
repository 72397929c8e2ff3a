// Check: connect, run the server probe, print the checklist as a table or as JSON.
// Exit status: 0 all ok, 1 warnings, 2 failures, 255 connection failed.
#include "CheckCommand.h"

#include "ChecksumCache.h"
#include "CliConnection.h"
#include "CopiesCheck.h"
#include "ServerCheck.h"

#include <QEventLoop>
#include <QJsonDocument>

#include <cstdio>

namespace rdt {
namespace {

QString valueOr(const std::optional<qint64> &value, const char *unit)
{
    return value ? QStringLiteral("%1 %2").arg(*value).arg(QLatin1String(unit)) : QStringLiteral("n/a");
}

QString gpuLine(const GpuInfo &gpu)
{
    return QStringLiteral("GPU %1  %2  memory %3 / %4  utilisation %5  %6")
        .arg(gpu.index)
        .arg(gpu.name, valueOr(gpu.memoryUsedMiB, "MiB"), valueOr(gpu.memoryTotalMiB, "MiB"),
             gpu.utilizationPercent ? QStringLiteral("%1 %").arg(*gpu.utilizationPercent) : QStringLiteral("n/a"),
             gpu.temperatureCelsius ? QStringLiteral("%1 °C").arg(*gpu.temperatureCelsius) : QStringLiteral("n/a"));
}

void printTable(const QList<CheckItem> &items)
{
    for (const CheckItem &item : items) {
        std::printf("%-8s %-21s %s\n", qPrintable(CheckItem::statusName(item.status).toUpper()),
                    qPrintable(item.title), qPrintable(item.detail));
        for (const GpuInfo &gpu : item.gpus)
            std::printf("%30s%s\n", "", qPrintable(gpuLine(gpu)));
        if (item.status != CheckStatus::Ok && !item.hint.isEmpty())
            std::printf("%30shint: %s\n", "", qPrintable(item.hint));
    }
}

} // namespace

int runCheckCommand(const CliOptions &options)
{
    QString host;
    QString root;
    LocalCopies copies;
    bool json = false;
    const QStringList &arguments = options.arguments;
    for (int i = 0; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (argument == QLatin1String("--json")) {
            json = true;
        } else if (i + 1 < arguments.size() && argument == QLatin1String("--root")) {
            root = arguments.at(++i);
        } else if (i + 1 < arguments.size() && argument == QLatin1String("--remote-model")) {
            copies.remoteModel = arguments.at(++i);
        } else if (i + 1 < arguments.size() && argument == QLatin1String("--dataset")) {
            copies.localDataset = arguments.at(++i);
        } else if (i + 1 < arguments.size() && argument == QLatin1String("--remote-dataset")) {
            copies.remoteDataset = arguments.at(++i);
        } else if (i + 1 < arguments.size() && argument == QLatin1String("--model")) {
            copies.localModel = arguments.at(++i);
        } else if (i + 1 < arguments.size() && argument == QLatin1String("--stats")) {
            copies.remoteStatistics = arguments.at(++i);
        } else if (!argument.startsWith(QLatin1Char('-')) && host.isEmpty()) {
            host = argument;
        } else {
            std::fprintf(stderr, "rdtctl check: unexpected argument \"%s\"\n%s", qPrintable(argument), qPrintable(cliUsage()));
            return 2;
        }
    }
    if (host.isEmpty() || root.isEmpty()) {
        std::fprintf(stderr, "rdtctl check: HOST and --root DIR are required\n%s", qPrintable(cliUsage()));
        return 2;
    }
    Result<std::unique_ptr<SshClient>> client = connectFromCli(options, host);
    if (!client) {
        std::fprintf(stderr, "rdtctl: %s\n", qPrintable(client.error().message));
        return 255;
    }
    ServerCheck check(client.value().get());
    QEventLoop loop;
    QObject::connect(&check, &ServerCheck::finished, &loop, &QEventLoop::quit);
    copies = copies.resolved(root);
    // The probe looks at the model folder the comparison will use, when there is one.
    check.start(root, copies.remoteModel);
    loop.exec();
    if (check.error().code != ErrorCode::None) {
        std::fprintf(stderr, "rdtctl: %s\n", qPrintable(check.error().message));
        return 255;
    }
    QList<CheckItem> items = check.items();
    if (!copies.localDataset.isEmpty() || !copies.localModel.isEmpty()) {
        ChecksumCache cache;
        (void)cache.load();   // no cache only means hashing again
        CopiesCheck copiesCheck(client.value().get(), &cache);
        QObject::connect(&copiesCheck, &CopiesCheck::finished, &loop, &QEventLoop::quit);
        copiesCheck.start(copies);
        loop.exec();
        items += copiesCheck.items();
    }
    if (json) {
        QJsonObject document;
        document.insert(QStringLiteral("host"), host);
        document.insert(QStringLiteral("root"), root);
        document.insert(QStringLiteral("status"), CheckItem::statusName(CheckItem::worstStatus(items)));
        document.insert(QStringLiteral("items"), CheckItem::toJsonArray(items));
        std::fputs(QJsonDocument(document).toJson(QJsonDocument::Indented).constData(), stdout);
    } else {
        printTable(items);
    }
    switch (CheckItem::worstStatus(items)) {
    case CheckStatus::Ok: return 0;
    case CheckStatus::Warning: return 1;
    case CheckStatus::Failed: return 2;
    }
    return 2;
}

} // namespace rdt
