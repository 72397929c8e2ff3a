// The wizard's side of a launch: absolute paths and the trainer's location, then
// RunLauncher, whose error message carries the trainer's own lines after its first line.
#include "RunStarter.h"

#include "RemoteProcess.h"
#include "RunLauncher.h"
#include "RunStopper.h"
#include "SshClient.h"

#include <memory>

namespace rdt {

namespace {

// $1 root: prints $HOME, then the trainer the server check would use (ServerProbeScript's
// order), or "rdt-trainer" for RunLauncher to report as missing.
constexpr char kLocate[] = R"sh(root=$1
printf '%s\n' "$HOME"
case $root in "~") root=$HOME ;; "~/"*) root=$HOME/${root#??} ;; esac
PATH=$PATH:/usr/local/bin:$HOME/.local/bin
for c in "$root/bin/rdt-trainer" "$root/build/training/rdt-trainer"; do
    if [ -f "$c" ] && [ -x "$c" ]; then printf '%s\n' "$c"; exit 0; fi
done
command -v rdt-trainer 2>/dev/null || echo rdt-trainer
)sh";

// A stopped launch gives the trainer this long to write its final checkpoint: a
// cancelled launch has trained a few steps at most.
constexpr int kCancelGraceSeconds = 10;

// The flags whose values are paths on the server.
bool takesPath(const QString &flag)
{
    return flag == QLatin1String("--config") || flag == QLatin1String("--dataset")
           || flag == QLatin1String("--pretrained_model_name_or_path") || flag == QLatin1String("--resume_from_checkpoint")
           || flag == QLatin1String("--vision_encoder") || flag == QLatin1String("--lang_embeddings");
}

} // namespace

RunStarter::RunStarter(SshClient *client, QObject *parent) : QObject(parent), m_client(client) {}

RunStarter::~RunStarter()
{
    // Stops waiting; a started run keeps running, as it would after the workbench closes.
    if (m_process)
        m_process->cancel();
    if (m_launcher)
        m_launcher->cancel();
}

QString RunStarter::absolute(const QString &path) const
{
    if (path == QLatin1String("~"))
        return m_home;
    if (path.startsWith(QLatin1String("~/")))
        return m_home + path.mid(1);
    return path;
}

void RunStarter::start(const TrainingSettings &settings, const QString &remoteRoot, int startTimeoutSeconds)
{
    m_settings = settings;
    m_timeoutSeconds = startTimeoutSeconds;
    m_run = LaunchedRun{settings.runName, remoteRoot, {}, {}};
    m_error = {};
    m_failureOutput.clear();
    m_running = true;
    const QStringList problems = settings.problems();
    if (!problems.isEmpty()) {
        fail(makeError(ErrorCode::InvalidArgument, QStringLiteral("cannot launch: %1").arg(problems.join(QStringLiteral("; ")))));
        return;
    }
    if (!m_client || !m_client->isConnected()) {
        fail(makeError(ErrorCode::ConnectionLost, QStringLiteral("cannot launch: not connected")));
        return;
    }
    Q_EMIT stage(tr("Finding the home folder and the trainer on the server"));
    CommandSpec spec;
    spec.argv = {"sh", "-c", kLocate, "rdt-locate", remoteRoot.toUtf8()};
    spec.timeoutMs = 30000;
    m_process = m_client->start(spec);
    auto out = std::make_shared<QByteArray>();
    connect(m_process, &RemoteProcess::standardOutput, this, [out](const QByteArray &data) { *out += data; });
    connect(m_process, &RemoteProcess::finished, this, [this, out] {
        RemoteProcess *process = m_process;
        m_process = nullptr;
        process->deleteLater();
        const QList<QByteArray> lines = out->trimmed().split('\n');
        if (process->error().code != ErrorCode::None || process->exitStatus() != 0 || lines.value(0).isEmpty()) {
            fail(process->error().code != ErrorCode::None ? process->error()
                                                          : makeError(ErrorCode::RemoteFailed, QStringLiteral("the server's $HOME is not set")));
            return;
        }
        launch(QString::fromUtf8(lines.value(0)), QString::fromUtf8(lines.value(1, "rdt-trainer")));
    });
}

void RunStarter::launch(const QString &home, const QString &trainer)
{
    m_home = home;
    LaunchRequest request;
    request.remoteRoot = absolute(m_run.remoteRoot);
    request.runName = m_run.name;
    request.trainer = trainer;
    request.startTimeoutSeconds = m_timeoutSeconds;
    const QStringList flags = m_settings.trainerFlags();
    for (qsizetype i = 0; i < flags.size(); ++i)
        request.trainerArguments.append(i > 0 && takesPath(flags.at(i - 1)) && flags.at(i) != QLatin1String("latest")
                                            ? absolute(flags.at(i)) : flags.at(i));
    for (const auto &[name, value] : m_settings.environment)
        request.environment.append({name, absolute(QString::fromUtf8(value)).toUtf8()});
    // Data parallel: the trainer's own launcher starts one worker per process on this node;
    // port 0 lets it pick a free one, so two runs on one server do not collide.
    if (m_settings.processes > 1)
        request.launcherArguments = {QStringLiteral("--nproc_per_node"), QString::number(m_settings.processes),
                                     QStringLiteral("--master_port"), QStringLiteral("0")};
    m_run.runFolder = request.remoteRoot + QStringLiteral("/runs/") + m_run.name;
    Q_EMIT stage(tr("Starting %1 in %2 with %3; waiting for the trainer's start event in its metrics.jsonl")
                     .arg(m_run.name, m_run.runFolder, trainer));
    m_launcher = new RunLauncher(m_client, this);
    connect(m_launcher, &RunLauncher::finished, this, &RunStarter::launched);
    m_launcher->start(request);
}

void RunStarter::launched()
{
    RunLauncher *launcher = m_launcher;
    m_launcher = nullptr;
    launcher->deleteLater();
    if (launcher->error().code != ErrorCode::None) {
        // RunLauncher: "what: why" on the first line, the trainer's own lines after it.
        const QString message = launcher->error().message;
        const qsizetype lineBreak = message.indexOf(QLatin1Char('\n'));
        QString first = lineBreak < 0 ? message : message.left(lineBreak);
        if (first.endsWith(QLatin1Char(':')))
            first.chop(1);   // it introduced the lines that now go to the failure output
        fail(makeError(launcher->error().code, first),
             lineBreak < 0 ? QString() : message.mid(lineBreak + 1));
        return;
    }
    const LaunchOutcome &outcome = launcher->outcome();
    m_run.runFolder = outcome.folder;
    m_run.detachedWith = outcome.method == QLatin1String("tmux")
        ? QStringLiteral("tmux session rdt-%1").arg(m_run.name)
        : QStringLiteral("setsid (pid %1)").arg(outcome.pid);
    m_running = false;
    Q_EMIT started();
}

void RunStarter::cancel()
{
    if (!m_running)
        return;
    if (m_process) {
        disconnect(m_process, nullptr, this, nullptr);
        m_process->cancel();
        m_process = nullptr;
    }
    if (m_launcher) {
        disconnect(m_launcher, nullptr, this, nullptr);
        m_launcher->cancel();
        m_launcher->deleteLater();
        // The launch may have started the trainer already: stop it. The stopper belongs
        // to the connection, so it finishes even when this starter goes first.
        if (m_client && m_client->isConnected()) {
            auto *stopper = new RunStopper(m_client, m_client);
            connect(stopper, &RunStopper::finished, stopper, &QObject::deleteLater);
            stopper->stop(absolute(m_run.remoteRoot), m_run.name, kCancelGraceSeconds);
        }
    }
    fail(makeError(ErrorCode::Cancelled, QStringLiteral("launch of %1 cancelled").arg(m_run.name)));
}

void RunStarter::fail(const Error &error, const QString &output)
{
    m_running = false;
    m_error = error;
    m_failureOutput = output;
    Q_EMIT failed();
}

} // namespace rdt
