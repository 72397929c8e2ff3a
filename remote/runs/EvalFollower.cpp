// Lines are cut at '\n' with their file offsets kept, so resume() neither repeats nor skips
// an event. A process found gone twice in a row (the second look after the follower has had
// time to read the file's last lines) is an eval that ended without done or error.
#include "EvalFollower.h"

#include "EvalFolder.h"
#include "EvalList.h"
#include "SshClient.h"

namespace rdt {

EvalFollower::EvalFollower(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<rdt::EvalEvent>();
    m_liveness.setInterval(kLivenessMs);
    connect(&m_liveness, &QTimer::timeout, this, &EvalFollower::checkLiveness);
    connect(&m_follower, &RemoteFileFollower::dataArrived, this, &EvalFollower::onData);
    connect(&m_follower, &RemoteFileFollower::fileReset, this, [this] {
        // A new eval of the checkpoint replaced the file: its events start again.
        m_partial.clear();
        m_completeOffset = 0;
        m_episodesDone = 0;
        m_episodesTotal = -1;
    });
    connect(&m_follower, &RemoteFileFollower::interrupted, this, [this](const Error &error) {
        m_liveness.stop();
        Q_EMIT interrupted(error);
    });
}

EvalFollower::~EvalFollower() = default;

void EvalFollower::start(SshClient *client, const QString &remoteRoot, const QString &runName, const QString &checkpoint)
{
    stop();
    m_client = client;
    m_root = remoteRoot;
    m_run = runName;
    m_checkpoint = checkpoint;
    m_partial.clear();
    m_completeOffset = 0;
    m_episodesDone = 0;
    m_episodesTotal = -1;
    m_deadChecks = 0;
    m_finished = false;
    m_follower.start(client, EvalFolder::eventsPath(remoteRoot, runName, checkpoint), 0);
    m_liveness.start();
}

void EvalFollower::resume(SshClient *client)
{
    m_client = client;
    m_partial.clear();
    m_deadChecks = 0;
    m_follower.start(client, EvalFolder::eventsPath(m_root, m_run, m_checkpoint), m_completeOffset, m_follower.inode());
    m_liveness.start();
}

void EvalFollower::stop()
{
    m_follower.stop();
    m_liveness.stop();
    if (m_probe)
        m_probe->deleteLater();
    m_probe = nullptr;
}

void EvalFollower::onData(qint64 offset, const QByteArray &bytes)
{
    if (m_finished)
        return;
    if (offset != m_completeOffset + m_partial.size()) {
        // Not where we stand: the follower restarted the file (fileReset came first).
        m_partial.clear();
        m_completeOffset = offset;
    }
    m_partial += bytes;
    qsizetype start = 0;
    for (qsizetype newline = m_partial.indexOf('\n'); newline >= 0; newline = m_partial.indexOf('\n', start)) {
        const QByteArray line = m_partial.mid(start, newline - start);
        start = newline + 1;
        if (std::optional<EvalEvent> event = EvalEvent::fromLine(line))
            onEvent(*event);
        if (m_finished)
            break;
    }
    m_completeOffset += start;
    m_partial.remove(0, start);
}

void EvalFollower::onEvent(const EvalEvent &event)
{
    switch (event.kind) {
    case EvalEvent::Kind::Start:
        m_episodesTotal = event.episodes;
        m_episodesDone = 0;
        Q_EMIT started(event.episodes);
        break;
    case EvalEvent::Kind::Episode:
        m_episodesDone = event.index + 1;
        Q_EMIT episodeFinished(event);
        break;
    case EvalEvent::Kind::Error:
        finish();
        Q_EMIT failed(event.message.simplified());
        break;
    case EvalEvent::Kind::Done:
        finish();
        Q_EMIT done(event.episodes);
        break;
    }
}

void EvalFollower::finish()
{
    m_finished = true;
    stop();
}

void EvalFollower::checkLiveness()
{
    if (m_finished || m_probe || !m_client)
        return;
    m_probe = new EvalList(m_client, this);
    connect(m_probe, &EvalList::finished, this, &EvalFollower::onLivenessChecked);
    m_probe->refresh(m_root, m_run, m_checkpoint);
}

void EvalFollower::onLivenessChecked()
{
    EvalList *probe = m_probe;
    m_probe = nullptr;
    if (!probe)
        return;
    probe->deleteLater();
    if (m_finished || probe->error().code != ErrorCode::None || probe->evals().isEmpty())
        return;   // a lost connection reaches us through the follower
    const EvalInfo &info = probe->evals().first();
    if (info.state == EvalState::Running) {
        m_deadChecks = 0;
        return;
    }
    if (++m_deadChecks < 2)
        return;
    finish();
    if (info.state == EvalState::Stopped)
        Q_EMIT failed(QStringLiteral("the eval of %1 was stopped after %2 episodes").arg(m_checkpoint).arg(m_episodesDone));
    else if (info.state == EvalState::Done)
        Q_EMIT done(info.episodesDone);
    else
        Q_EMIT failed(info.detail.simplified());
}

} // namespace rdt
