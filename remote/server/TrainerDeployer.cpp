// The deploy sequence: inspect (one command: the trainer there, cmake, the build tool,
// LibTorch) -> up to date? done : check the tools -> mkdir -> write the archive to a local
// temporary file on a pool thread -> FileTransfer (verified, renamed into place) -> the
// build script (unpack, configure, build, install, verify), whose output streams back as
// progress.
#include "TrainerDeployer.h"

#include "CommandSpec.h"
#include "FileTransfer.h"
#include "RemoteProcess.h"
#include "SshClient.h"
#include "TrainerDeployScripts.h"
#include "TransferScripts.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QThreadPool>

namespace rdt {
namespace {

constexpr int kInspectTimeoutMs = 120000;   // importing torch in Python alone can take 20 s
constexpr int kSmallCommandTimeoutMs = 60000;

// What the trainer's source is called in messages about compile errors.
const QString kShownSourceFolder = QStringLiteral("training");

QString firstTrainerLine(const QList<QByteArray> &lines)
{
    for (const QByteArray &line : lines) {
        if (line.startsWith('|') && !line.mid(1).trimmed().isEmpty())
            return QString::fromUtf8(line.mid(1)).trimmed();
    }
    return {};
}

} // namespace

QString DeployProgress::stageName(Stage stage)
{
    switch (stage) {
    case Stage::Inspecting: return QStringLiteral("inspecting");
    case Stage::Uploading: return QStringLiteral("uploading");
    case Stage::Unpacking: return QStringLiteral("unpacking");
    case Stage::Configuring: return QStringLiteral("configuring");
    case Stage::Building: return QStringLiteral("building");
    case Stage::Installing: return QStringLiteral("installing");
    }
    return {};
}

TrainerDeployer::TrainerDeployer(SshClient *client, QObject *parent)
    : QObject(parent), m_client(client), m_alive(std::make_shared<bool>(true))
{
    qRegisterMetaType<rdt::DeployProgress>();
}

TrainerDeployer::~TrainerDeployer()
{
    *m_alive = false;
    cancel();
}

void TrainerDeployer::start(const DeployRequest &request)
{
    cancel();
    m_request = request;
    m_outcome = {};
    m_error = {};
    m_inspection = {};
    m_building = false;
    m_running = true;
    m_clock.start();
    m_what = QStringLiteral("deploy rdt-trainer to %1:%2").arg(m_client->route().target.displayName(), request.remoteRoot);
    for (const auto &variable : request.environment) {
        if (!isValidEnvironmentName(variable.first))
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("\"%1\" is not a valid environment variable name").arg(QString::fromUtf8(variable.first)));
    }
    if (request.remoteRoot.isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("no remote root given"));
    if (!m_source) {
        Result<TrainerSource> source = TrainerSource::embedded();
        if (!source)
            return fail(source.error().code, source.error().message);
        m_source = std::move(source).value();
    }

    report(DeployProgress::Stage::Inspecting, 0, 0, QStringLiteral("looking at the server's trainer, cmake and LibTorch"));
    CommandSpec spec;
    spec.argv = TrainerDeployScripts::inspect(request.remoteRoot, request.libtorchFolder);
    spec.environment = request.environment;
    spec.timeoutMs = kInspectTimeoutMs;
    run(spec, [this](const Captured &result) { inspected(result); });
}

void TrainerDeployer::cancel()
{
    if (!m_running)
        return;
    if (m_process) {
        disconnect(m_process, nullptr, this, nullptr);
        m_process->cancel();
        m_process = nullptr;
    }
    if (m_transfer) {
        disconnect(m_transfer.get(), nullptr, this, nullptr);
        m_transfer->cancel();
    }
    // The build script ends its session on the TERM a cancel sends, but sshd does not
    // always deliver that signal (the test topology's OpenSSH 9.2 does not), and a closed
    // channel alone leaves a silent compiler running: the session is ended by its
    // recorded id as well.
    if (m_building && m_client->isConnected()) {
        CommandSpec stop;
        stop.argv = TrainerDeployScripts::stopBuild(m_inspection.root);
        stop.timeoutMs = kSmallCommandTimeoutMs;
        m_stopProcess = m_client->start(stop);
        connect(m_stopProcess, &RemoteProcess::finished, m_stopProcess, &QObject::deleteLater);
        connect(m_stopProcess, &RemoteProcess::finished, this, [this] {
            m_stopProcess = nullptr;
            Q_EMIT stopFinished();
        });
    }
    fail(ErrorCode::Cancelled, QStringLiteral("cancelled while %1").arg(DeployProgress::stageName(m_stage)));
}

void TrainerDeployer::run(const CommandSpec &spec, std::function<void(const Captured &)> then)
{
    auto captured = std::make_shared<Captured>();
    RemoteProcess *process = m_client->start(spec);
    m_process = process;
    connect(process, &RemoteProcess::standardOutput, this, [captured](const QByteArray &data) { captured->out += data; });
    connect(process, &RemoteProcess::standardError, this, [captured](const QByteArray &data) { captured->err += data; });
    connect(process, &RemoteProcess::finished, this, [this, process, captured, then] {
        captured->exitStatus = process->exitStatus();
        captured->error = process->error();
        process->deleteLater();
        m_process = nullptr;
        then(*captured);
    });
}

void TrainerDeployer::inspected(const Captured &result)
{
    if (result.error.code != ErrorCode::None)
        return fail(result.error.code, result.error.message);
    Result<DeployInspection> inspection = DeployInspection::parse(result.out);
    if (!inspection) {
        const QString said = QString::fromUtf8(result.err).trimmed();
        return fail(inspection.error().code, said.isEmpty() ? inspection.error().message
                                                            : inspection.error().message + QStringLiteral(" (the server said: %1)").arg(said.left(300)));
    }
    m_inspection = std::move(inspection).value();
    m_what = QStringLiteral("deploy rdt-trainer to %1:%2").arg(m_client->route().target.displayName(), m_inspection.root);

    const TrainerSourceStamp &stamp = m_source->stamp();
    const bool sameVersion = !m_inspection.trainerPath.isEmpty() && m_inspection.trainerInfoStatus == 0
                             && m_inspection.trainerVersion == stamp.version;
    if (sameVersion && !m_request.force) {
        m_outcome.upToDate = true;
        m_outcome.trainerPath = m_inspection.trainerPath;
        m_outcome.version = m_inspection.trainerVersion;
        m_outcome.libtorch = m_inspection.trainerLibtorch;
        m_outcome.sourceDiffers = !m_inspection.installedSha256.isEmpty() && m_inspection.installedSha256 != stamp.sha256;
        return succeed();
    }
    if (Result<void> tools = checkBuildTools(); !tools)
        return fail(tools.error().code, tools.error().message);

    m_remoteArchive = TrainerDeployScripts::workFolder(m_inspection.root) + QLatin1Char('/') + m_source->archiveFileName();
    CommandSpec mkdir;
    mkdir.argv = TransferScripts::makeFolders({TrainerDeployScripts::workFolder(m_inspection.root)});
    mkdir.timeoutMs = kSmallCommandTimeoutMs;
    run(mkdir, [this](const Captured &made) {
        if (made.error.code != ErrorCode::None)
            return fail(made.error.code, made.error.message);
        if (made.exitStatus != 0)
            return fail(ErrorCode::RemoteFailed, QStringLiteral("cannot create %1: %2")
                                                     .arg(TrainerDeployScripts::workFolder(m_inspection.root),
                                                          QString::fromUtf8(made.err).trimmed()));
        writeArchive();
    });
}

// Each missing piece is its own message, naming what is missing and where it looked.
Result<void> TrainerDeployer::checkBuildTools() const
{
    const DeployInspection &server = m_inspection;
    const QString minimum = m_source->stamp().minimumCmake;
    if (server.cmakePath.isEmpty())
        return makeError(ErrorCode::RemoteFailed, QStringLiteral("cmake is not installed on the server (not on PATH=%1); "
                                                                 "install CMake %2 or newer (apt install cmake, or pip install --user cmake)")
                                                      .arg(server.path, minimum));
    if (!minimum.isEmpty() && !versionAtLeast(server.cmakeVersion, minimum))
        return makeError(ErrorCode::RemoteFailed, QStringLiteral("cmake %1 at %2 is too old: the trainer needs CMake %3 or newer "
                                                                 "(pip install --user cmake)")
                                                      .arg(server.cmakeVersion, server.cmakePath, minimum));
    if (server.generator.isEmpty())
        return makeError(ErrorCode::RemoteFailed, QStringLiteral("neither ninja nor make is installed on the server (PATH=%1)")
                                                      .arg(server.path));
    if (!server.missingTools.isEmpty())
        return makeError(ErrorCode::RemoteFailed, QStringLiteral("%1 not installed on the server (PATH=%2)")
                                                      .arg(server.missingTools.join(QStringLiteral(" and ")),
                                                           server.missingTools.size() > 1 ? QStringLiteral("are") : QStringLiteral("is"))
                                                      .arg(server.path));
    if (server.libtorchSource.isEmpty())
        return makeError(ErrorCode::RemoteFailed, QStringLiteral("no LibTorch in %1: looked for %2")
                                                      .arg(m_request.libtorchFolder, server.looked.join(QStringLiteral(", "))));
    return {};
}

void TrainerDeployer::writeArchive()
{
    report(DeployProgress::Stage::Uploading, 0, int(m_source->archive().size()), m_source->archiveFileName());
    m_localFolder = std::make_unique<QTemporaryDir>();
    if (!m_localFolder->isValid())
        return fail(ErrorCode::LocalIo, QStringLiteral("cannot make a temporary folder: %1").arg(m_localFolder->errorString()));
    const QString path = m_localFolder->filePath(m_source->archiveFileName());
    const QByteArray bytes = m_source->archive();
    std::weak_ptr<bool> alive = m_alive;
    QPointer<TrainerDeployer> self = this;
    QThreadPool::globalInstance()->start([path, bytes, alive, self] {
        QFile file(path);
        QString problem;
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.flush())
            problem = QStringLiteral("writing %1: %2").arg(path, file.errorString());
        file.close();
        if (alive.expired())
            return;
        QMetaObject::invokeMethod(self, [self, alive, path, problem] {
            if (alive.expired() || !self || !self->m_running)
                return;
            if (!problem.isEmpty())
                return self->fail(ErrorCode::LocalIo, problem);
            self->upload(path);
        }, Qt::QueuedConnection);
    });
}

void TrainerDeployer::upload(const QString &localArchive)
{
    m_transfer = std::make_unique<FileTransfer>(m_client);
    connect(m_transfer.get(), &FileTransfer::progress, this, [this](const TransferProgress &moved) {
        report(DeployProgress::Stage::Uploading, int(moved.bytesDone), int(moved.bytesTotal), m_source->archiveFileName());
    });
    connect(m_transfer.get(), &FileTransfer::finished, this, [this] {
        const Error error = m_transfer->error();
        m_transfer.release()->deleteLater();
        m_localFolder.reset();
        if (error.code != ErrorCode::None)
            return fail(error.code, error.message);
        startBuild();
    });
    m_transfer->upload(localArchive, m_remoteArchive);
}

void TrainerDeployer::startBuild()
{
    m_reader = BuildOutputReader();
    m_reader.setSourceFolder(TrainerDeployScripts::workFolder(m_inspection.root) + QStringLiteral("/source"), kShownSourceFolder);
    m_buildLines.clear();
    m_pendingLine.clear();
    m_building = true;
    CommandSpec spec;
    spec.argv = TrainerDeployScripts::build(m_inspection.root, m_remoteArchive, m_inspection.generator,
                                            m_inspection.libtorchCMakeArgument(), m_source->stamp().version,
                                            m_source->stamp().text(), m_request.extraCmakeArguments);
    spec.environment = m_request.environment;
    spec.timeoutMs = m_request.buildTimeoutSeconds * 1000;
    run(spec, [this](const Captured &result) { buildFinished(result); });
    connect(m_process, &RemoteProcess::standardOutput, this, &TrainerDeployer::buildOutput);
    connect(m_process, &RemoteProcess::standardError, this, &TrainerDeployer::buildOutput);
}

// The script's "@..." and "|..." lines are kept for the end; everything else is the build
// tools' output and goes to the reader for progress and errors.
void TrainerDeployer::buildOutput(const QByteArray &data)
{
    m_pendingLine += data;
    qsizetype start = 0;
    for (qsizetype end = m_pendingLine.indexOf('\n'); end >= 0; end = m_pendingLine.indexOf('\n', start)) {
        const QByteArray line = m_pendingLine.mid(start, end - start);
        start = end + 1;
        if (line.startsWith("@stage ")) {
            const QByteArray stage = line.mid(7).split(' ').value(0);
            if (stage == "unpack")
                report(DeployProgress::Stage::Unpacking, 0, 0, QStringLiteral("unpacking the source"));
            else if (stage == "configure")
                report(DeployProgress::Stage::Configuring, 0, 0,
                       QStringLiteral("cmake -G %1 %2").arg(m_inspection.generator, m_inspection.libtorchCMakeArgument()));
            else if (stage == "build") {
                m_reader = BuildOutputReader();
                m_reader.setSourceFolder(TrainerDeployScripts::workFolder(m_inspection.root) + QStringLiteral("/source"), kShownSourceFolder);
                report(DeployProgress::Stage::Building, 0, 0,
                       QStringLiteral("building with %1 jobs").arg(QString::fromUtf8(line.mid(13).trimmed())));
            } else if (stage == "install")
                report(DeployProgress::Stage::Installing, 0, 0, TrainerDeployScripts::installedTrainer(m_inspection.root));
            continue;
        }
        if (line.startsWith('@') || line.startsWith('|')) {
            m_buildLines += line + '\n';
            continue;
        }
        if (m_reader.feed(line + '\n'))
            report(m_stage, m_reader.stepsDone(), m_reader.stepsTotal(), m_reader.lastStep());
    }
    m_pendingLine.remove(0, start);
}

void TrainerDeployer::buildFinished(const Captured &result)
{
    m_building = false;
    if (!m_pendingLine.isEmpty())
        buildOutput("\n");
    m_reader.finish();
    if (result.error.code != ErrorCode::None)
        return fail(result.error.code, result.error.message);
    const QList<QByteArray> lines = m_buildLines.split('\n');
    if (!lines.contains("@rdt-deploy-build 1"))
        return fail(ErrorCode::RemoteFailed, QStringLiteral("the build script said nothing (exit status %1)%2")
                                                 .arg(result.exitStatus)
                                                 .arg(m_reader.fallbackError().isEmpty() ? QString()
                                                                                         : QStringLiteral(": ") + m_reader.fallbackError()));
    QByteArray installed;
    QByteArray info;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const qsizetype space = line.indexOf(' ');
        const QByteArray marker = space < 0 ? line : line.left(space);
        const QByteArray rest = space < 0 ? QByteArray() : line.mid(space + 1);
        if (marker == "@installed")
            installed = rest;
        else if (marker == "@info")
            info = rest;
        else if (marker == "@fail" || marker == "@configure-failed" || marker == "@build-failed" || marker == "@wrong-version")
            return fail(ErrorCode::RemoteFailed, buildFailure(marker, rest));
        else if (marker == "@verify-failed")
            return fail(ErrorCode::RemoteFailed, QStringLiteral("the new trainer does not run (`info --json` exited with "
                                                                "status %1): %2")
                                                     .arg(QString::fromUtf8(rest), firstTrainerLine(lines.mid(i + 1))));
    }
    if (installed.isEmpty())
        return fail(ErrorCode::RemoteFailed, QStringLiteral("the build script ended before installing (exit status %1): %2")
                                                 .arg(result.exitStatus)
                                                 .arg(m_reader.fallbackError()));
    const QJsonObject json = QJsonDocument::fromJson(info).object();
    m_outcome.trainerPath = QString::fromUtf8(installed);
    m_outcome.version = json.value(QStringLiteral("version")).toString();
    m_outcome.libtorch = json.value(QStringLiteral("libtorch")).toString();
    m_outcome.libtorchFrom = m_inspection.libtorchCMakeDir.isEmpty()
        ? m_inspection.libtorchSource
        : QStringLiteral("%1 (%2)").arg(m_inspection.libtorchSource, m_inspection.libtorchCMakeDir);
    m_outcome.buildSteps = m_reader.stepsDone();
    succeed();
}

QString TrainerDeployer::buildFailure(const QByteArray &marker, const QByteArray &rest) const
{
    if (marker == "@fail")
        return QString::fromUtf8(rest);
    if (marker == "@wrong-version")
        return QStringLiteral("the new trainer reports %1, not version %2")
            .arg(QString::fromUtf8(rest), m_source->stamp().version);
    if (marker == "@configure-failed") {
        const QString cmakeError = m_reader.cmakeError();
        // find_package(Torch) failing is the common case; say where we looked, not CMake's list.
        if (cmakeError.contains(QLatin1String("\"Torch\"")) || cmakeError.contains(QLatin1String("Torch_DIR"))) {
            QStringList looked = m_inspection.looked;
            if (!m_inspection.libtorchCMakeDir.isEmpty())
                looked.append(QStringLiteral("%1 (given to CMake as Torch_DIR, not taken)").arg(m_inspection.libtorchCMakeDir));
            looked.append(QStringLiteral("CMake's find_package(Torch) in its default prefixes"));
            return QStringLiteral("no LibTorch found; looked in: %1. Name a LibTorch folder (rdtctl deploy --libtorch DIR) "
                                  "or install PyTorch for python3").arg(looked.join(QStringLiteral("; ")));
        }
        return QStringLiteral("cmake failed (exit status %1): %2")
            .arg(QString::fromUtf8(rest), cmakeError.isEmpty() ? m_reader.fallbackError() : cmakeError);
    }
    const QString error = m_reader.firstError().isEmpty() ? m_reader.fallbackError() : m_reader.firstError();
    return QStringLiteral("the build failed (exit status %1): %2").arg(QString::fromUtf8(rest), error);
}

void TrainerDeployer::report(DeployProgress::Stage stage, int done, int total, const QString &detail)
{
    m_stage = stage;
    DeployProgress progress;
    progress.stage = stage;
    progress.done = done;
    progress.total = total;
    progress.detail = detail;
    Q_EMIT this->progress(progress);
}

void TrainerDeployer::fail(ErrorCode code, const QString &reason)
{
    if (!m_running)
        return;
    m_running = false;
    m_building = false;
    m_transfer.reset();
    m_localFolder.reset();
    m_outcome.seconds = m_clock.elapsed() / 1000.0;
    m_error = makeError(code, QStringLiteral("%1: %2").arg(m_what, reason));
    Q_EMIT finished();
}

void TrainerDeployer::succeed()
{
    m_running = false;
    m_outcome.seconds = m_clock.elapsed() / 1000.0;
    Q_EMIT finished();
}

} // namespace rdt
