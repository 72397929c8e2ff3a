// A local stand-in for a GPU server behind a jump host, for a first try of the workbench:
// two throwaway OpenSSH servers on loopback ports (a jump host and a "GPU" host that the
// jump forwards to), run as the current user under a temporary folder with host keys and
// a client key made for the occasion, a small LIBERO-format dataset and a small pretrained
// model folder, and the ssh_config and host profile that reach them. The servers stop when
// the Sandbox is destroyed (at the latest when the workbench exits); the folder goes with
// them unless a trainer still runs in it: then it stays, marked, and the next sandbox
// started under the same parent folder takes it up again, runs and all.
#pragma once

#include "HostProfile.h"
#include "Result.h"
#include "SandboxTrainers.h"

#include <QObject>
#include <QProcess>

#include <functional>
#include <memory>

namespace rdt {

struct SandboxOptions {
    QString sshd = QStringLiteral("/usr/sbin/sshd");   // sshd re-executes itself: absolute path
    QString sshKeygen = QStringLiteral("ssh-keygen");
    // The trainer (also installed as the GPU host's ROOT/bin/rdt-trainer) and the dataset
    // writer; empty: looked up beside this program, then on PATH.
    QString trainer;
    QString dataTool;
    QString parentFolder;   // empty: the system's temporary folder
};

class Sandbox : public QObject {
    Q_OBJECT
public:
    explicit Sandbox(SandboxOptions options = {}, QObject *parent = nullptr);
    ~Sandbox() override;   // stops the servers; removes the folder when no trainer runs in it

    void start();
    void stop();
    bool isReady() const { return m_ready; }

    // Valid once ready():
    HostProfile profile() const;         // "Sandbox": host sandbox-gpu via sandbox-jump
    QString sshConfigFile() const;       // aliases sandbox-jump, sandbox-gpu
    QString folder() const { return m_folder; }
    // True when start() took up a folder an earlier sandbox kept for its live trainers.
    bool isReused() const { return m_reused; }
    // The trainers running in the sandbox's runs folder now (local processes).
    QList<SandboxTrainer> liveTrainers() const;
    // The marker a kept folder carries; its text says why it was kept.
    static QString keptMarkerName() { return QStringLiteral("kept-for-live-runs"); }
    // The tiny RDT's configuration (RDT's base.yaml schema, hidden 64, depth 2) the sandbox
    // trains with; tests that train on a server use the same one.
    static const char *tinyModelConfig();
    QString remoteRoot() const;          // the GPU host's remote root (inside folder())
    QString localDataset() const;
    QString localModel() const;
    int jumpPort() const { return m_jumpPort; }
    int gpuPort() const { return m_gpuPort; }

    // Where a helper program is: beside this program first (the build and install put
    // them there), then PATH. Empty when neither has it.
    static QString findProgram(const QString &name);

Q_SIGNALS:
    void progress(const QString &step);
    void ready();
    void failed(const rdt::Error &error);

private:
    using Then = std::function<void()>;
    void run(const QString &what, const QString &program, const QStringList &arguments, Then then);
    bool takeUpKeptFolder(const QString &parent);
    void makeKeys();
    void startServers();
    void waitForServers(int attemptsLeft);
    void makeDataset();
    void makeModel();
    void finishModel();
    void finishReady();
    void releaseFolder();
    Result<void> writeFiles();
    QString path(const QString &relative) const;
    void fail(const QString &message);

    SandboxOptions m_options;
    QString m_folder;       // empty until start()
    bool m_reused = false;
    QList<QProcess *> m_servers;
    QProcess *m_step = nullptr;
    int m_jumpPort = 0;
    int m_gpuPort = 0;
    bool m_ready = false;
    bool m_stopping = false;
};

} // namespace rdt
