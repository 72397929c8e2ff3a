// Reads the run through RunExportReader, then writes each file under a temporary name and
// renames it, so a failed export never leaves half a file under the name asked for.
#include "ExportCommand.h"

#include "CliConnection.h"
#include "CommandArguments.h"
#include "RunExportReader.h"
#include "RunFolderLayout.h"

#include <QEventLoop>
#include <QSaveFile>

#include <cstdio>

namespace rdt {
namespace {

Result<void> writeFile(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return makeError(ErrorCode::LocalIo, QStringLiteral("write %1: %2").arg(path, file.errorString()));
    return {};
}

} // namespace

int runExportCommand(const CliOptions &options)
{
    const QString csvOption = QStringLiteral("--csv");
    const QString configOption = QStringLiteral("--config");
    Result<CommandArguments> parsed = parseCommandArguments(QStringLiteral("export"), options.arguments,
                                                            {QStringLiteral("--root"), csvOption, configOption}, {}, false);
    if (!parsed)
        return usageError(parsed.error().message);
    if (parsed->positionals.size() != 2 || !parsed->values.contains(QStringLiteral("--root")))
        return usageError(QStringLiteral("rdtctl export: HOST, --root DIR and NAME are required"));
    if (!parsed->values.contains(csvOption) && !parsed->values.contains(configOption))
        return usageError(QStringLiteral("rdtctl export: say what to write: --csv FILE, --config FILE or both"));
    const QString host = parsed->positionals.at(0);
    const QString name = parsed->positionals.at(1);
    if (Result<void> valid = RunFolderLayout::checkRunName(name); !valid)
        return usageError(QStringLiteral("rdtctl export: %1").arg(valid.error().message));

    Result<std::unique_ptr<SshClient>> client = connectFromCli(options, host);
    if (!client) {
        std::fprintf(stderr, "rdtctl: %s\n", qPrintable(client.error().message));
        return 255;
    }
    const int parts = (parsed->values.contains(csvOption) ? RunExportReader::Metrics : 0)
        | (parsed->values.contains(configOption) ? RunExportReader::Configuration : 0);
    RunExportReader reader(client->get());
    QEventLoop loop;
    QObject::connect(&reader, &RunExportReader::finished, &loop, &QEventLoop::quit);
    reader.start(host, parsed->values.value(QStringLiteral("--root")), name, parts);
    loop.exec();
    if (reader.error().code != ErrorCode::None) {
        std::fprintf(stderr, "rdtctl: %s\n", qPrintable(reader.error().message));
        return reader.error().code == ErrorCode::ConnectionLost ? 255 : 1;
    }
    if (parsed->values.contains(csvOption)) {
        const QString path = parsed->values.value(csvOption);
        if (Result<void> written = writeFile(path, reader.metricsCsv()); !written) {
            std::fprintf(stderr, "rdtctl: export run %s: %s\n", qPrintable(name), qPrintable(written.error().message));
            return 1;
        }
        std::printf("wrote %lld steps of run %s to %s\n", qlonglong(reader.metricsCsv().count('\n') - 1), qPrintable(name),
                    qPrintable(path));
    }
    if (parsed->values.contains(configOption)) {
        const QString path = parsed->values.value(configOption);
        if (Result<void> written = writeFile(path, reader.configuration().toText().toUtf8()); !written) {
            std::fprintf(stderr, "rdtctl: export run %s: %s\n", qPrintable(name), qPrintable(written.error().message));
            return 1;
        }
        std::printf("wrote the configuration of run %s to %s\n", qPrintable(name), qPrintable(path));
    }
    return 0;
}

} // namespace rdt
