// A run's trainer is the process its pid file names (RUN/.rdt/trainer.pid, written by the
// launcher, which then execs the trainer in place; RUN/pid for the setup wizard's older
// launches), alive and with the run folder among its arguments (/proc/<pid>/cmdline), so
// a reused pid is not taken for a trainer. Readers of the run's files (the dashboard's
// followers) name the folder too, but no pid file names them.
#include "SandboxTrainers.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <csignal>

#include <unistd.h>

namespace rdt {

namespace {

qint64 pidIn(const QString &file)
{
    QFile pidFile(file);
    if (!pidFile.open(QIODevice::ReadOnly))
        return 0;
    bool ok = false;
    const qint64 pid = pidFile.readLine().trimmed().toLongLong(&ok);
    return ok && pid > 0 ? pid : 0;
}

bool namesFolder(qint64 pid, const QStringList &folders)
{
    QFile file(QStringLiteral("/proc/%1/cmdline").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return false;   // gone, or not ours to read
    const QByteArray arguments = file.readAll();
    for (const QString &folder : folders)
        if (arguments.contains(folder.toLocal8Bit()))
            return true;
    return false;
}

} // namespace

QList<SandboxTrainer> SandboxTrainers::live(const QString &runsFolder)
{
    QList<SandboxTrainer> trainers;
    if (runsFolder.isEmpty())
        return trainers;
    const QFileInfoList runs = QDir(runsFolder).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QFileInfo &run : runs) {
        // The launcher resolves the root without symlinks; a run started by hand may not.
        QStringList folders{QDir::cleanPath(run.absoluteFilePath())};
        if (const QString canonical = run.canonicalFilePath(); !canonical.isEmpty() && canonical != folders.first())
            folders << canonical;
        for (const QString &name : {QStringLiteral(".rdt/trainer.pid"), QStringLiteral("pid")}) {
            const qint64 pid = pidIn(run.absoluteFilePath() + QLatin1Char('/') + name);
            if (pid > 0 && pid != ::getpid() && ::kill(pid_t(pid), 0) == 0 && namesFolder(pid, folders)) {
                trainers.append({pid, folders.first()});
                break;
            }
        }
    }
    return trainers;
}

int SandboxTrainers::interrupt(const QList<SandboxTrainer> &trainers)
{
    int reached = 0;
    for (const SandboxTrainer &trainer : trainers)
        if (trainer.pid > 0 && ::kill(pid_t(trainer.pid), SIGINT) == 0)
            ++reached;
    return reached;
}

} // namespace rdt
