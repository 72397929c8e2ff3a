// Puts this workbench's trainer on a server: if the server's rdt-trainer reports this
// version, nothing is done; otherwise the trainer's source (TrainerSource) is uploaded under
// the remote root, built there against the server's LibTorch with CMake (Ninja when
// present, else make), installed as ROOT/bin/rdt-trainer once it runs, and verified.
// Asynchronous over an SshClient: progress comes as signals, cancel ends the remote build.
#pragma once

#include "BuildOutputReader.h"
#include "DeployInspection.h"
#include "Result.h"
#include "TrainerDeployment.h"
#include "TrainerSource.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

class QTemporaryDir;

namespace rdt {

class FileTransfer;
class RemoteProcess;
class SshClient;
struct CommandSpec;

class TrainerDeployer : public QObject {
    Q_OBJECT
public:
    explicit TrainerDeployer(SshClient *client, QObject *parent = nullptr);
    ~TrainerDeployer() override;

    // The source to deploy instead of the embedded one (TrainerSource::embedded()).
    void setSource(const TrainerSource &source) { m_source = source; }

    void start(const DeployRequest &request);
    void cancel();

    bool isRunning() const { return m_running; }
    // After a cancel during the build: the command that ends the build on the server is
    // still running (a caller about to close the connection waits for stopFinished()).
    bool isStoppingBuild() const { return !m_stopProcess.isNull(); }
    const DeployOutcome &outcome() const { return m_outcome; }
    const Error &error() const { return m_error; }   // code None: deployed or already up to date

Q_SIGNALS:
    void progress(const rdt::DeployProgress &progress);
    void finished();
    void stopFinished();

private:
    struct Captured {
        Error error;
        int exitStatus = -1;
        QByteArray out;
        QByteArray err;
    };

    void run(const CommandSpec &spec, std::function<void(const Captured &)> then);
    void inspected(const Captured &result);
    Result<void> checkBuildTools() const;
    void writeArchive();
    void upload(const QString &localArchive);
    void startBuild();
    void buildOutput(const QByteArray &data);
    void buildFinished(const Captured &result);
    QString buildFailure(const QByteArray &marker, const QByteArray &rest) const;
    void report(DeployProgress::Stage stage, int done, int total, const QString &detail);
    void fail(ErrorCode code, const QString &reason);
    void succeed();

    SshClient *m_client;
    DeployRequest m_request;
    std::optional<TrainerSource> m_source;
    DeployInspection m_inspection;
    QString m_what;                   // "deploy rdt-trainer to HOST:ROOT", for messages
    QString m_remoteArchive;
    bool m_running = false;
    bool m_building = false;          // the build command is running: a cancel must stop it
    DeployOutcome m_outcome;
    Error m_error;
    QElapsedTimer m_clock;
    QPointer<RemoteProcess> m_process;
    QPointer<RemoteProcess> m_stopProcess;   // ends a cancelled build on the server
    std::unique_ptr<FileTransfer> m_transfer;
    std::unique_ptr<QTemporaryDir> m_localFolder;   // the archive as a file, for FileTransfer
    BuildOutputReader m_reader;
    QByteArray m_buildLines;          // the build script's own "@..." and "|..." lines
    QByteArray m_pendingLine;
    DeployProgress::Stage m_stage = DeployProgress::Stage::Inspecting;
    std::shared_ptr<bool> m_alive;    // lets the pool thread that writes the archive see we are gone
};

} // namespace rdt
