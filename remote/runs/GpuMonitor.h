// Per-GPU utilisation, memory and temperature every few seconds from ONE long-lived
// `nvidia-smi --query-gpu=... -l N` on the server, instead of a connection or a command per
// poll. A server without nvidia-smi (no NVIDIA driver) gives one clear line instead.
#pragma once

#include "GpuInfo.h"
#include "Result.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace rdt {

class RemoteProcess;
class SshClient;

class GpuMonitor : public QObject {
    Q_OBJECT
public:
    explicit GpuMonitor(SshClient *client, QObject *parent = nullptr);
    ~GpuMonitor() override;

    void start(int intervalSeconds = 2);
    void stop();
    bool isRunning() const { return !m_process.isNull(); }

    static QList<QByteArray> command(int intervalSeconds);

Q_SIGNALS:
    void sampled(const QList<rdt::GpuInfo> &gpus);    // every GPU, once per interval
    void unavailable(const QString &reason);          // "no NVIDIA driver on gpu01: nvidia-smi not found"
    void interrupted(const rdt::Error &error);        // the command ended (connection lost, nvidia-smi failed)

private:
    void onOutput(const QByteArray &data);
    void flush();
    void onFinished();

    SshClient *m_client;
    QPointer<RemoteProcess> m_process;
    QByteArray m_partial;          // an unfinished line
    bool m_sawHeader = false;      // the script's header line came (what is before it is a banner)
    QByteArray m_sample;           // complete lines of the sample being gathered
    int m_lastIndex = -1;
    QByteArray m_errorOutput;
    QTimer m_flushTimer;           // a sample ends when its lines stop coming
    bool m_unavailable = false;
};

} // namespace rdt
