// QProcess around rdtctl; the binary's path comes from the build (RDT_RDTCTL_BINARY).
#include "support_rdtctl.h"

#include <QDir>
#include <QProcess>

CliRun runRdtctl(const QStringList &arguments, const QString &home, int waitMs)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("HOME"), home);
    environment.insert(QStringLiteral("XDG_CACHE_HOME"), QDir(home).filePath(QStringLiteral("cache")));
    // The user's eval presets and settings are the test home's, whatever the caller's environment says.
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), QDir(home).filePath(QStringLiteral(".config")));
    process.setProcessEnvironment(environment);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(QStringLiteral(RDT_RDTCTL_BINARY), arguments);
    if (!process.waitForFinished(waitMs))
        process.kill();
    process.waitForFinished();
    CliRun run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}
