// nvidia-smi prints one line per GPU each interval, all at once; a sample ends at a line
// whose index does not grow, or shortly after its last line.
#include "GpuMonitor.h"

#include "RemoteProcess.h"
#include "SshClient.h"

namespace rdt {
namespace {

// The columns GpuInfo::parseNvidiaSmiCsv reads, in its order.
constexpr char kScript[] = R"SH(
printf '\n@rdt-gpu-monitor 1\n'
PATH=$PATH:/usr/local/bin:/usr/bin:/bin:/usr/local/nvidia/bin
command -v nvidia-smi >/dev/null 2>&1 || { echo '@no-nvidia-smi'; exit 0; }
exec nvidia-smi --query-gpu=index,name,memory.total,memory.used,utilization.gpu,temperature.gpu \
  --format=csv,noheader,nounits -l "$1"
)SH";

// Lines of one sample arrive within milliseconds; the next sample comes seconds later.
constexpr int kSampleGapMs = 150;

} // namespace

GpuMonitor::GpuMonitor(SshClient *client, QObject *parent) : QObject(parent), m_client(client)
{
    qRegisterMetaType<QList<rdt::GpuInfo>>();
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(kSampleGapMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &GpuMonitor::flush);
}

GpuMonitor::~GpuMonitor()
{
    stop();
}

QList<QByteArray> GpuMonitor::command(int intervalSeconds)
{
    return {"sh", "-c", kScript, "rdt-gpu-monitor", QByteArray::number(qMax(1, intervalSeconds))};
}

void GpuMonitor::start(int intervalSeconds)
{
    stop();
    m_partial.clear();
    m_sawHeader = false;
    m_sample.clear();
    m_lastIndex = -1;
    m_errorOutput.clear();
    m_unavailable = false;
    CommandSpec spec;
    spec.argv = command(intervalSeconds);
    spec.longLived = true;
    m_process = m_client->start(spec);
    connect(m_process, &RemoteProcess::standardOutput, this, &GpuMonitor::onOutput);
    connect(m_process, &RemoteProcess::standardError, this, [this](const QByteArray &data) {
        m_errorOutput = (m_errorOutput + data).right(2000);
    });
    connect(m_process, &RemoteProcess::finished, this, &GpuMonitor::onFinished);
}

void GpuMonitor::stop()
{
    m_flushTimer.stop();
    if (!m_process)
        return;
    disconnect(m_process, nullptr, this, nullptr);
    m_process->cancel();
    m_process->deleteLater();
    m_process = nullptr;
}

void GpuMonitor::onOutput(const QByteArray &data)
{
    m_partial += data;
    qsizetype newline;
    while ((newline = m_partial.indexOf('\n')) >= 0) {
        const QByteArray line = m_partial.left(newline + 1);
        m_partial.remove(0, newline + 1);
        // Lines before the header are the login shell's (an rc file's echo).
        if (!m_sawHeader) {
            m_sawHeader = line.trimmed() == "@rdt-gpu-monitor 1";
            continue;
        }
        if (line.trimmed() == "@no-nvidia-smi") {
            m_unavailable = true;
            Q_EMIT unavailable(QStringLiteral("no NVIDIA driver on %1: nvidia-smi not found")
                                   .arg(m_client->route().target.displayName()));
            continue;
        }
        if (line.trimmed().isEmpty())
            continue;
        bool ok = false;
        const int index = line.left(line.indexOf(',')).trimmed().toInt(&ok);
        if (ok && index <= m_lastIndex)
            flush();
        m_lastIndex = ok ? index : m_lastIndex;
        m_sample += line;
    }
    if (!m_sample.isEmpty())
        m_flushTimer.start();
}

void GpuMonitor::flush()
{
    m_flushTimer.stop();
    if (m_sample.isEmpty())
        return;
    Result<QList<GpuInfo>> gpus = GpuInfo::parseNvidiaSmiCsv(m_sample);
    m_sample.clear();
    m_lastIndex = -1;
    if (gpus)
        Q_EMIT sampled(gpus.value());
    else
        Q_EMIT interrupted(gpus.error());
}

void GpuMonitor::onFinished()
{
    flush();
    RemoteProcess *process = m_process;
    m_process = nullptr;
    Error error = process->error();
    const int exitStatus = process->exitStatus();
    process->deleteLater();
    if (m_unavailable && error.code == ErrorCode::None)
        return;   // said once, by unavailable()
    if (error.code == ErrorCode::None) {
        const QString said = QString::fromUtf8(m_errorOutput).trimmed();
        error = makeError(ErrorCode::RemoteFailed, QStringLiteral("nvidia-smi on %1 exited with status %2%3")
                                                       .arg(m_client->route().target.displayName()).arg(exitStatus)
                                                       .arg(said.isEmpty() ? QString() : QStringLiteral(": ") + said.right(300)));
    } else {
        error.message = QStringLiteral("GPU monitor: %1").arg(error.message);
    }
    Q_EMIT interrupted(error);
}

} // namespace rdt
