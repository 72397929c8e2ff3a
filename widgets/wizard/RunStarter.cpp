// The wizard's run launcher. The trainer's console output (its one-line failure at the
// command's edge, before train.log exists) goes to console.log in the run folder, which is
// what a failure shows.
#include "RunStarter.h"

#include "RemoteProcess.h"
#include "ShellQuote.h"
#include "SshClient.h"

#include <memory>

namespace rdt {

namespace {

// $1 run folder, $2 tmux session name, $3 the command to detach (already quoted), $4 the
// tmux socket ("" for tmux's default); the script arrives on standard input. Exit 3: the
// folder already holds a run.
constexpr char kLaunch[] = R"sh(dir=$1
sock=$4
mkdir -p -- "$dir" || exit 1
if [ -e "$dir/metrics.jsonl" ]; then echo "$dir already holds a run: choose another run name" >&2; exit 3; fi
cat > "$dir/launch.sh" || exit 1
chmod +x "$dir/launch.sh"
rm -f -- "$dir/pid"
PATH=$PATH:/usr/local/bin:/usr/bin:/bin
workbench_tmux() { if [ -n "$sock" ]; then tmux -S "$sock" "$@"; else tmux "$@"; fi; }
# tmux's server must not hold this command's output open, or the command never ends.
if command -v tmux >/dev/null 2>&1 && workbench_tmux new-session -d -s "$2" "$3" </dev/null >/dev/null 2>&1; then
    if [ -n "$sock" ]; then echo "tmux session $2; attach with: tmux -S $sock attach -t $2"; else echo "tmux session $2"; fi
else
    setsid nohup sh -c "$3" >/dev/null 2>&1 </dev/null &
    echo "setsid (pid $!)"
fi
)sh";

// $1 run folder, $2 seconds to wait. Exit 0 on `start`; 4 when the trainer ended or wrote
// an `error` event first; 5 on the timeout. The failure's output is the console's tail.
constexpr char kWaitForStart[] = R"sh(dir=$1
limit=$(( $2 * 5 ))
i=0
while :; do
    if [ -f "$dir/metrics.jsonl" ]; then
        if grep -q '"event": *"start"' "$dir/metrics.jsonl"; then echo started; exit 0; fi
        if grep -q '"event": *"error"' "$dir/metrics.jsonl"; then
            sleep 0.5   # the trainer prints its own line as it exits
            if [ -s "$dir/console.log" ]; then tail -n 20 "$dir/console.log" >&2
            else grep '"event": *"error"' "$dir/metrics.jsonl" | tail -n 5 >&2; fi
            exit 4
        fi
    fi
    if [ -f "$dir/pid" ] && ! kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
        sleep 0.2
        if [ -f "$dir/metrics.jsonl" ] && grep -q '"event": *"start"' "$dir/metrics.jsonl"; then echo started; exit 0; fi
        tail -n 20 "$dir/console.log" >&2; exit 4
    fi
    i=$((i + 1))
    if [ "$i" -ge "$limit" ]; then tail -n 20 "$dir/console.log" >&2; exit 5; fi
    sleep 0.2
done
)sh";

// $1 run folder: stops the run this launch started (the trainer, then its shell).
constexpr char kStop[] = R"sh(if [ -f "$1/pid" ]; then p=$(cat "$1/pid"); pkill -TERM -P "$p" 2>/dev/null; kill "$p" 2>/dev/null; fi; exit 0)sh";

struct Captured {
    QByteArray out;
    QByteArray err;
};

QString tmuxSessionName(const QString &runName)
{
    // tmux turns '.' and ':' in session names into '_'; say what it will be called.
    QString name = QStringLiteral("rdt-") + runName;
    name.replace(QLatin1Char('.'), QLatin1Char('_'));
    name.replace(QLatin1Char(':'), QLatin1Char('_'));
    return name;
}

} // namespace

RunStarter::RunStarter(SshClient *client, QObject *parent) : QObject(parent), m_client(client) {}

RunStarter::~RunStarter()
{
    // Stops waiting (the wait loop on the server ends with its channel); a started run
    // keeps running, as it would after the workbench closes.
    if (m_process)
        m_process->cancel();
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
    m_launched = false;
    const QStringList problems = settings.problems();
    if (!problems.isEmpty()) {
        fail(makeError(ErrorCode::InvalidArgument, QStringLiteral("cannot launch: %1").arg(problems.join(QStringLiteral("; ")))));
        return;
    }
    if (!m_client || !m_client->isConnected()) {
        fail(makeError(ErrorCode::ConnectionLost, QStringLiteral("cannot launch: not connected")));
        return;
    }
    Q_EMIT stage(tr("Finding the home folder on the server"));
    CommandSpec spec;
    spec.argv = {"sh", "-c", "printf '%s' \"$HOME\""};
    spec.timeoutMs = 30000;
    m_process = m_client->start(spec);
    auto out = std::make_shared<QByteArray>();
    connect(m_process, &RemoteProcess::standardOutput, this, [out](const QByteArray &data) { *out += data; });
    connect(m_process, &RemoteProcess::finished, this, [this, out] {
        RemoteProcess *process = m_process;
        m_process = nullptr;
        process->deleteLater();
        if (process->error().code != ErrorCode::None || process->exitStatus() != 0 || out->isEmpty()) {
            fail(process->error().code != ErrorCode::None ? process->error()
                                                          : makeError(ErrorCode::RemoteFailed, QStringLiteral("the server's $HOME is not set")));
            return;
        }
        launch(QString::fromUtf8(*out));
    });
}

QByteArray RunStarter::launchScript() const
{
    const QString root = absolute(m_run.remoteRoot);
    TrainingSettings settings = m_settings;
    settings.config = absolute(settings.config);
    settings.dataset = absolute(settings.dataset);
    settings.pretrained = absolute(settings.pretrained);
    if (settings.resumeFrom != QLatin1String("latest"))
        settings.resumeFrom = absolute(settings.resumeFrom);
    EnvironmentList environment;
    for (const auto &[name, value] : settings.environment)
        environment.append({name, absolute(QString::fromUtf8(value)).toUtf8()});
    const QByteArray dir = shellQuote(m_run.runFolder.toUtf8());
    const QByteArray quotedRoot = shellQuote(root.toUtf8());

    QByteArray script = "#!/bin/sh\n# Written by RDT Workbench: the command this run was started with.\n";
    script += "cd " + dir + " || exit 1\n";
    script += "echo $$ > pid\n";
    // Where the server check looks for the trainer, in the same order.
    script += "PATH=$PATH:/usr/local/bin:$HOME/.local/bin\n";
    script += "trainer=\nfor candidate in " + quotedRoot + "/bin/rdt-trainer " + quotedRoot
            + "/build/training/rdt-trainer; do\n  if [ -x \"$candidate\" ]; then trainer=$candidate; break; fi\ndone\n";
    script += "if [ -z \"$trainer\" ]; then trainer=$(command -v rdt-trainer) || "
              "{ echo 'rdt-trainer: not in ROOT/bin, ROOT/build/training or on PATH' > console.log; exit 127; }; fi\n";
    // Every word quoted; only the trainer's path is the lookup's variable. No `exec`: the
    // trainer made the leader of tmux's pane session dies at once, without a word (seen
    // with LibTorch 1.13 on Debian 12), so this shell stays its parent and `pid` is the
    // shell's, alive exactly as long as the trainer.
    QByteArray command;
    if (!environment.isEmpty()) {
        command += "env";
        for (const auto &[name, value] : environment)
            command += ' ' + shellQuote(name + '=' + value);
        command += ' ';
    }
    command += "\"$trainer\"";
    for (const QByteArray &argument : settings.trainerArguments(m_run.runFolder))
        command += ' ' + shellQuote(argument);
    script += command + " >> console.log 2>&1 < /dev/null\n";
    return script;
}

void RunStarter::launch(const QString &home)
{
    m_home = home;
    const QString root = absolute(m_run.remoteRoot);
    m_run.runFolder = root + QStringLiteral("/runs/") + m_run.name;
    Q_EMIT stage(tr("Starting %1 in %2").arg(m_run.name, m_run.runFolder));
    CommandSpec spec;
    // The workbench's runs share a tmux server of their own (a socket under ROOT/runs): a
    // user's tmux server may have been started in another environment (PATH, mounts, a
    // namespace long gone) that the run would inherit. Unix socket paths end at 107 bytes;
    // a deeper root falls back to tmux's default server.
    QByteArray socket = (root + QStringLiteral("/runs/.tmux-socket")).toUtf8();
    if (socket.size() > 100)
        socket.clear();
    spec.argv = {"sh", "-c", kLaunch, "rdt-launch", m_run.runFolder.toUtf8(), tmuxSessionName(m_run.name).toUtf8(),
                 "sh " + shellQuote((m_run.runFolder + QStringLiteral("/launch.sh")).toUtf8()), socket};
    spec.standardInput = launchScript();
    spec.timeoutMs = 30000;
    m_process = m_client->start(spec);
    auto captured = std::make_shared<Captured>();
    connect(m_process, &RemoteProcess::standardOutput, this, [captured](const QByteArray &data) { captured->out += data; });
    connect(m_process, &RemoteProcess::standardError, this, [captured](const QByteArray &data) { captured->err += data; });
    connect(m_process, &RemoteProcess::finished, this, [this, captured] {
        RemoteProcess *process = m_process;
        m_process = nullptr;
        process->deleteLater();
        if (process->error().code != ErrorCode::None) {
            fail(process->error());
            return;
        }
        if (process->exitStatus() != 0) {
            fail(makeError(ErrorCode::RemoteFailed, QStringLiteral("starting %1 on the server failed: %2")
                                                        .arg(m_run.name, QString::fromUtf8(captured->err).trimmed())));
            return;
        }
        m_launched = true;
        m_run.detachedWith = QString::fromUtf8(captured->out).trimmed();
        waitForStart();
    });
}

void RunStarter::waitForStart()
{
    Q_EMIT stage(tr("Started (%1); waiting for the trainer's start event in %2/metrics.jsonl")
                     .arg(m_run.detachedWith, m_run.runFolder));
    CommandSpec spec;
    spec.argv = {"sh", "-c", kWaitForStart, "rdt-wait", m_run.runFolder.toUtf8(), QByteArray::number(m_timeoutSeconds)};
    m_process = m_client->start(spec);
    auto captured = std::make_shared<Captured>();
    connect(m_process, &RemoteProcess::standardError, this, [captured](const QByteArray &data) { captured->err += data; });
    connect(m_process, &RemoteProcess::finished, this, [this, captured] {
        RemoteProcess *process = m_process;
        m_process = nullptr;
        process->deleteLater();
        const QString output = QString::fromUtf8(captured->err).trimmed();
        if (process->error().code != ErrorCode::None) {
            fail(process->error(), output);
        } else if (process->exitStatus() == 0) {
            m_running = false;
            Q_EMIT started();
        } else if (process->exitStatus() == 5) {
            fail(makeError(ErrorCode::Timeout, QStringLiteral("%1 wrote no start event within %2 s")
                                                   .arg(m_run.name).arg(m_timeoutSeconds)), output);
        } else {
            fail(makeError(ErrorCode::RemoteFailed, QStringLiteral("the trainer of %1 stopped before it started training")
                                                        .arg(m_run.name)), output);
        }
    });
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
    if (m_launched && m_client && m_client->isConnected()) {
        CommandSpec spec;
        spec.argv = {"sh", "-c", kStop, "rdt-stop", m_run.runFolder.toUtf8()};
        spec.timeoutMs = 30000;
        RemoteProcess *stop = m_client->start(spec);
        connect(stop, &RemoteProcess::finished, stop, &QObject::deleteLater);
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
