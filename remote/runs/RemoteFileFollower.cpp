// The follow loop runs on the server; this side decodes its frames into signals.
#include "RemoteFileFollower.h"

#include "RemoteProcess.h"
#include "SshClient.h"

#include <QLoggingCategory>

// QT_LOGGING_RULES="rdt.follow.debug=true" traces every follow: start, output, stop, end.
Q_LOGGING_CATEGORY(rdtFollow, "rdt.follow", QtWarningMsg)

namespace rdt {
namespace {

// $1 path, $2 offset, $3 inode expected ("" = any), $4 poll interval in seconds.
// Each data frame is padded with newlines to the announced length in case the file shrank
// between stat and dd (the next stat then reports the truncation), so the framing holds.
// The @alive heartbeat makes a loop whose connection is gone die of SIGPIPE within
// seconds instead of polling forever on the server.
constexpr char kScript[] = R"SH(f=$1 off=$2 ino=$3 poll=$4
case $f in "~") f=$HOME ;; "~/"*) f=$HOME/${f#??} ;; esac
printf '\n@rdt-follow 1\n'
idle=0 missing= caught=
while :; do
  if s=$(stat -L -c '%s %i' -- "$f" 2>/dev/null); then
    missing=
    size=${s% *} now=${s#* }
    if [ -n "$ino" ] && [ "$now" != "$ino" ]; then
      printf '@reset replaced %s\n' "$now"; off=0
    elif [ "$size" -lt "$off" ]; then
      printf '@reset truncated %s\n' "$now"; off=0
    fi
    ino=$now
    if [ "$size" -gt "$off" ]; then
      n=$((size - off)); [ "$n" -gt 1048576 ] && n=1048576
      printf '@data %s %s\n' "$off" "$n"
      { dd if="$f" bs=65536 skip="$off" count="$n" iflag=skip_bytes,count_bytes 2>/dev/null; yes ''; } | head -c "$n"
      off=$((off + n)) idle=0 caught=
      continue
    fi
    [ -n "$caught" ] || { printf '@eof %s %s\n' "$off" "$ino"; caught=1; }
  else
    [ -n "$missing" ] || { printf '@missing\n'; missing=1; caught=; }
  fi
  idle=$((idle + 1))
  if [ "$idle" -ge 10 ]; then printf '@alive %s\n' "$off"; idle=0; fi
  sleep "$poll"
done
)SH";

} // namespace

RemoteFileFollower::RemoteFileFollower(QObject *parent) : QObject(parent)
{
    m_silence.setSingleShot(true);
    m_silence.setInterval(kSilenceLimitMs);
    connect(&m_silence, &QTimer::timeout, this, &RemoteFileFollower::onSilence);
}

RemoteFileFollower::~RemoteFileFollower()
{
    stop();
}

QList<QByteArray> RemoteFileFollower::command(const QString &path, qint64 offset, const QByteArray &inode, int pollMs)
{
    return {"sh", "-c", kScript, "rdt-follow", path.toUtf8(), QByteArray::number(offset), inode,
            QByteArray::number(pollMs / 1000.0, 'f', 3)};
}

void RemoteFileFollower::start(SshClient *client, const QString &path, qint64 offset, const QByteArray &inode)
{
    stop();
    m_path = path;
    m_inode = inode;
    m_errorOutput.clear();
    m_decoder = {};
    m_received = 0;
    CommandSpec spec;
    spec.argv = command(path, offset, inode);
    spec.longLived = true;
    m_process = client->start(spec);
    qCDebug(rdtFollow) << "follow" << path << "from" << offset << "inode" << inode << "process" << m_process->id();
    connect(m_process, &RemoteProcess::standardOutput, this, &RemoteFileFollower::onOutput);
    connect(m_process, &RemoteProcess::standardError, this, [this](const QByteArray &data) {
        m_errorOutput = (m_errorOutput + data).right(2000);
    });
    connect(m_process, &RemoteProcess::finished, this, &RemoteFileFollower::onFinished);
    m_silence.start();
}

void RemoteFileFollower::stop()
{
    m_silence.stop();
    if (!m_process)
        return;
    qCDebug(rdtFollow) << "stop following" << m_path << "process" << m_process->id();
    disconnect(m_process, nullptr, this, nullptr);
    m_process->cancel();
    m_process->deleteLater();
    m_process = nullptr;
}

void RemoteFileFollower::onOutput(const QByteArray &output)
{
    m_received += output.size();
    m_silence.start();
    Result<QList<FollowFrame>> frames = m_decoder.feed(output);
    qCDebug(rdtFollow) << m_path << "output" << output.size() << "bytes, header seen" << m_decoder.sawHeader()
                       << "frames" << (frames ? frames.value().size() : -1) << output.left(60);
    if (!frames) {
        const Error error = makeError(frames.error().code, QStringLiteral("%1 (following %2)").arg(frames.error().message, m_path));
        stop();
        Q_EMIT interrupted(error);
        return;
    }
    for (const FollowFrame &frame : frames.value()) {
        if (!m_process)
            return;   // a receiver stopped us
        switch (frame.kind) {
        case FollowFrame::Kind::Data:
            Q_EMIT dataArrived(frame.offset, frame.bytes);
            break;
        case FollowFrame::Kind::Reset:
            m_inode = frame.inode;
            Q_EMIT fileReset(frame.reason);
            break;
        case FollowFrame::Kind::Missing:
            Q_EMIT fileMissing();
            break;
        case FollowFrame::Kind::EndOfFile:
            m_inode = frame.inode;
            Q_EMIT caughtUp(frame.offset);
            break;
        case FollowFrame::Kind::Alive:
            break;
        }
    }
}

void RemoteFileFollower::onFinished()
{
    m_silence.stop();
    RemoteProcess *process = m_process;
    m_process = nullptr;
    Error error = process->error();
    const int exitStatus = process->exitStatus();
    process->deleteLater();
    qCDebug(rdtFollow) << "follow of" << m_path << "ended, status" << exitStatus << error.message;
    if (error.code == ErrorCode::None) {
        const QString said = QString::fromUtf8(m_errorOutput).trimmed();
        error = makeError(ErrorCode::RemoteFailed,
                          QStringLiteral("following %1 stopped: the follow command exited with status %2%3")
                              .arg(m_path).arg(exitStatus)
                              .arg(said.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(said.right(300))));
    } else {
        error.message = QStringLiteral("following %1: %2").arg(m_path, error.message);
    }
    Q_EMIT interrupted(error);
}

// Also reached when the process went away without a word (its client was deleted): the
// owner hears of it either way.
void RemoteFileFollower::onSilence()
{
    const QString what = !m_process ? QStringLiteral("the follow command is gone without an exit status")
        : m_decoder.sawHeader() ? QStringLiteral("no output for %1 s (the script sends a heartbeat every few seconds)")
                                      .arg(m_silence.interval() / 1000.0)
                                : QStringLiteral("the follow script did not start within %1 s (%2 bytes before its header)")
                                      .arg(m_silence.interval() / 1000.0).arg(m_received);
    qCDebug(rdtFollow) << "follow of" << m_path << "stalled:" << what;
    stop();
    Q_EMIT interrupted(makeError(ErrorCode::Timeout, QStringLiteral("following %1 stalled: %2").arg(m_path, what)));
}

} // namespace rdt
