// The local sandbox. Every step is a QProcess (ssh-keygen, the data writer, the trainer)
// chained by its finished() signal, so the thread that owns the Sandbox (the GUI's) never
// waits. The sshd_config mirrors tests/sshd/topology's servers: no PAM, keys only,
// StrictModes off (the folder is the user's own temporary one), TCP forwarding on the
// jump so it can reach the GPU host's port.
#include "Sandbox.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <csignal>

#include <netinet/in.h>
#include <sys/prctl.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace rdt {

namespace {

// A loopback port nobody listens on now: bind to port 0 and read what the kernel chose.
// Another program could take it before sshd does; sshd then fails and says so.
int freeLoopbackPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0
        && ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0)
        port = ntohs(address.sin_port);
    ::close(fd);
    return port;
}

bool isListening(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return false;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(quint16(port));
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
    ::close(fd);
    return ok;
}

QString currentUser()
{
    const passwd *entry = ::getpwuid(::getuid());
    return entry ? QString::fromLocal8Bit(entry->pw_name) : qEnvironmentVariable("USER");
}

Result<void> writeText(const QString &path, const QByteArray &text)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(text) != text.size())
        return makeError(ErrorCode::LocalIo, QStringLiteral("sandbox: cannot write %1: %2").arg(path, file.errorString()));
    return {};
}

QByteArray readText(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QByteArray sshdConfig(const QString &dir, const QString &host, int port)
{
    return QStringLiteral("# sandbox sshd for %1 (written by RDT Workbench)\n"
                          "Port %2\n"
                          "ListenAddress 127.0.0.1\n"
                          "HostKey %3/keys/%1_host_ed25519\n"
                          "PidFile %3/%1/sshd.pid\n"
                          "AuthorizedKeysFile %3/authorized_keys\n"
                          "StrictModes no\n"
                          "UsePAM no\n"
                          "PermitRootLogin prohibit-password\n"
                          "PubkeyAuthentication yes\n"
                          "PasswordAuthentication no\n"
                          "KbdInteractiveAuthentication no\n"
                          "AllowTcpForwarding yes\n"
                          "X11Forwarding no\n"
                          "MaxSessions 32\n"
                          "MaxStartups 100\n"
                          "Subsystem sftp internal-sftp\n"
                          "UseDNS no\n"
                          "PrintMotd no\n"
                          "LogLevel VERBOSE\n")
        .arg(host)
        .arg(port)
        .arg(dir)
        .toUtf8();
}

// RDT's base.yaml schema with a tiny model (hidden 64, depth 2): a CPU trains it in seconds.
constexpr char kTinyConfig[] = R"yaml(# The sandbox's tiny RDT: RDT's base.yaml schema, hidden 64, depth 2.
common:
  img_history_size: 2
  action_chunk_size: 64
  num_cameras: 3
  state_dim: 128
dataset:
  tokenizer_max_length: 16
model:
  lang_adaptor: mlp2x_gelu
  img_adaptor: mlp2x_gelu
  state_adaptor: mlp3x_gelu
  lang_token_dim: 32
  img_token_dim: 24
  state_token_dim: 128
  img_num_patches: 4
  rdt:
    hidden_size: 64
    depth: 2
    num_heads: 4
    cond_pos_embed_type: multimodal
)yaml";

} // namespace

const char *Sandbox::tinyModelConfig()
{
    return kTinyConfig;
}

Sandbox::Sandbox(SandboxOptions options, QObject *parent) : QObject(parent), m_options(std::move(options)) {}

Sandbox::~Sandbox()
{
    stop();
}

QString Sandbox::findProgram(const QString &name)
{
    const QString here = QCoreApplication::applicationDirPath();
    // Installed side by side; in the build tree the trainer sits in training/ beside app/.
    for (const QString &candidate : {here + QLatin1Char('/') + name, here + QStringLiteral("/../training/") + name,
                                     here + QStringLiteral("/../app/") + name}) {
        const QFileInfo info(candidate);
        if (info.isFile() && info.isExecutable())
            return info.canonicalFilePath();
    }
    return QStandardPaths::findExecutable(name);
}

QString Sandbox::path(const QString &relative) const
{
    return m_folder + QLatin1Char('/') + relative;
}

QList<SandboxTrainer> Sandbox::liveTrainers() const
{
    return m_folder.isEmpty() ? QList<SandboxTrainer>() : SandboxTrainers::live(remoteRoot() + QStringLiteral("/runs"));
}

// A folder an earlier sandbox kept (its marker, its keys, its dataset and model all there)
// is taken up: the marker goes, so no second workbench takes it too.
bool Sandbox::takeUpKeptFolder(const QString &parent)
{
    const QFileInfoList candidates = QDir(parent).entryInfoList({QStringLiteral("rdt-sandbox-*")}, QDir::Dirs | QDir::NoDotAndDotDot,
                                                                QDir::Time);
    for (const QFileInfo &candidate : candidates) {
        const QDir dir(candidate.absoluteFilePath());
        if (!dir.exists(keptMarkerName()) || !dir.exists(QStringLiteral("client/id_ed25519"))
            || !dir.exists(QStringLiteral("keys/jump_host_ed25519")) || !dir.exists(QStringLiteral("keys/gpu_host_ed25519"))
            || !dir.exists(QStringLiteral("local/libero_sandbox_pick.hdf5"))
            || !dir.exists(QStringLiteral("local/rdt-sandbox-tiny/config.json")))
            continue;
        if (!QFile::remove(dir.filePath(keptMarkerName())))
            continue;   // another workbench took it a moment ago
        m_folder = dir.absolutePath();
        m_reused = true;
        return true;
    }
    return false;
}

QString Sandbox::remoteRoot() const
{
    return path(QStringLiteral("server/rdt"));
}

QString Sandbox::localDataset() const
{
    return path(QStringLiteral("local/libero_sandbox_pick.hdf5"));
}

QString Sandbox::localModel() const
{
    return path(QStringLiteral("local/rdt-sandbox-tiny"));
}

QString Sandbox::sshConfigFile() const
{
    return path(QStringLiteral("ssh_config"));
}

HostProfile Sandbox::profile() const
{
    HostProfile profile;
    profile.name = QStringLiteral("Sandbox");
    profile.host = QStringLiteral("sandbox-gpu");
    profile.remoteRoot = remoteRoot();
    profile.localDatasetPath = localDataset();
    profile.localModelPath = localModel();
    return profile;
}

void Sandbox::start()
{
    if (m_options.trainer.isEmpty())
        m_options.trainer = findProgram(QStringLiteral("rdt-trainer"));
    if (m_options.dataTool.isEmpty())
        m_options.dataTool = findProgram(QStringLiteral("rdt-sandbox-data"));
    if (!QFileInfo(m_options.sshd).isExecutable())
        return fail(QStringLiteral("sandbox: no sshd at %1 (install openssh-server)").arg(m_options.sshd));
    if (m_options.trainer.isEmpty())
        return fail(QStringLiteral("sandbox: rdt-trainer is neither beside this program nor on PATH (build it: ninja rdt-trainer)"));
    if (m_options.dataTool.isEmpty())
        return fail(QStringLiteral("sandbox: rdt-sandbox-data is neither beside this program nor on PATH (build it: ninja rdt-sandbox-data)"));
    const QString parent = m_options.parentFolder.isEmpty() ? QDir::tempPath() : m_options.parentFolder;
    if (takeUpKeptFolder(parent)) {
        Q_EMIT progress(tr("Taking up the sandbox kept in %1 (%n trainer(s) still running)", nullptr,
                           int(liveTrainers().size())).arg(m_folder));
        return startServers();   // new ports: the files that name them are written again
    }
    QTemporaryDir made(parent + QStringLiteral("/rdt-sandbox-XXXXXX"));
    if (!made.isValid())
        return fail(QStringLiteral("sandbox: cannot create a folder in %1: %2").arg(parent, made.errorString()));
    made.setAutoRemove(false);   // removed by stop(), unless a trainer still runs in it
    m_folder = made.path();
    m_reused = false;
    for (const char *folder : {"keys", "client", "jump", "gpu", "local", "server/rdt/bin"})
        QDir(m_folder).mkpath(QString::fromLatin1(folder));
    makeKeys();
}

void Sandbox::run(const QString &what, const QString &program, const QStringList &arguments, Then then)
{
    Q_EMIT progress(what);
    m_step = new QProcess(this);
    m_step->setProcessChannelMode(QProcess::MergedChannels);
    m_step->setStandardInputFile(QProcess::nullDevice());
    connect(m_step, &QProcess::finished, this, [this, what, then](int exitCode, QProcess::ExitStatus status) {
        QProcess *step = m_step;
        m_step = nullptr;
        step->deleteLater();
        if (m_stopping)
            return;
        if (status != QProcess::NormalExit || exitCode != 0) {
            const QString output = QString::fromLocal8Bit(step->readAll()).trimmed();
            return fail(QStringLiteral("sandbox: %1 failed (exit %2): %3").arg(what).arg(exitCode).arg(output.right(600)));
        }
        then();
    });
    connect(m_step, &QProcess::errorOccurred, this, [this, what, program](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart || !m_step)
            return;
        m_step->deleteLater();
        m_step = nullptr;
        fail(QStringLiteral("sandbox: %1: cannot run %2").arg(what, program));
    });
    m_step->start(program, arguments);
}

// Three keys, one after another: each ssh-keygen takes a few milliseconds.
void Sandbox::makeKeys()
{
    const auto keygen = [this](const QString &file) {
        return QStringList{QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"), QStringLiteral("-N"),
                           QString(), QStringLiteral("-C"), QStringLiteral("rdt-sandbox"), QStringLiteral("-f"), path(file)};
    };
    run(tr("Making the jump host's key"), m_options.sshKeygen, keygen(QStringLiteral("keys/jump_host_ed25519")), [=] {
        run(tr("Making the GPU host's key"), m_options.sshKeygen, keygen(QStringLiteral("keys/gpu_host_ed25519")), [=] {
            run(tr("Making your key for the sandbox"), m_options.sshKeygen, keygen(QStringLiteral("client/id_ed25519")),
                [this] { startServers(); });
        });
    });
}

Result<void> Sandbox::writeFiles()
{
    const QString dir = m_folder;
    if (Result<void> written = writeText(path(QStringLiteral("authorized_keys")), readText(path(QStringLiteral("client/id_ed25519.pub")))); !written)
        return written;
    // The sandbox made these keys itself a moment ago: they go straight into its own
    // known_hosts, so no question is asked about them.
    QByteArray knownHosts;
    for (const auto &[host, port] : {std::pair{QStringLiteral("jump"), m_jumpPort}, std::pair{QStringLiteral("gpu"), m_gpuPort}}) {
        const QList<QByteArray> fields = readText(path(QStringLiteral("keys/%1_host_ed25519.pub").arg(host))).split(' ');
        if (fields.size() < 2)
            return makeError(ErrorCode::LocalIo, QStringLiteral("sandbox: the %1 host's public key is unreadable").arg(host));
        knownHosts += QStringLiteral("[127.0.0.1]:%1 ").arg(port).toUtf8() + fields[0] + ' ' + fields[1].trimmed() + '\n';
    }
    if (Result<void> written = writeText(path(QStringLiteral("known_hosts")), knownHosts); !written)
        return written;
    const QString common = QStringLiteral("    HostName 127.0.0.1\n    User %1\n    IdentityFile %2/client/id_ed25519\n"
                                          "    IdentitiesOnly yes\n    UserKnownHostsFile %2/known_hosts\n")
                               .arg(currentUser(), dir);
    const QString config = QStringLiteral("# The sandbox's hosts (written by RDT Workbench)\n"
                                          "Host sandbox-jump\n    Port %1\n%3"
                                          "Host sandbox-gpu\n    Port %2\n    ProxyJump sandbox-jump\n%3")
                               .arg(m_jumpPort)
                               .arg(m_gpuPort)
                               .arg(common);
    if (Result<void> written = writeText(sshConfigFile(), config.toUtf8()); !written)
        return written;
    for (const auto &[host, port] : {std::pair{QStringLiteral("jump"), m_jumpPort}, std::pair{QStringLiteral("gpu"), m_gpuPort}})
        if (Result<void> written = writeText(path(host + QStringLiteral("/sshd_config")), sshdConfig(dir, host, port)); !written)
            return written;
    // The GPU host's trainer, where the server check and the launch look first.
    QFile::remove(remoteRoot() + QStringLiteral("/bin/rdt-trainer"));
    if (!QFile::link(m_options.trainer, remoteRoot() + QStringLiteral("/bin/rdt-trainer")))
        return makeError(ErrorCode::LocalIo, QStringLiteral("sandbox: cannot link the trainer into %1/bin").arg(remoteRoot()));
    return writeText(path(QStringLiteral("tiny-config.yaml")), tinyModelConfig());
}

void Sandbox::startServers()
{
    m_jumpPort = freeLoopbackPort();
    m_gpuPort = freeLoopbackPort();
    while (m_gpuPort == m_jumpPort && m_jumpPort != 0)
        m_gpuPort = freeLoopbackPort();
    if (!m_jumpPort || !m_gpuPort)
        return fail(QStringLiteral("sandbox: no free loopback port"));
    if (Result<void> written = writeFiles(); !written)
        return fail(written.error().message);
    Q_EMIT progress(tr("Starting the jump host on port %1 and the GPU host on port %2").arg(m_jumpPort).arg(m_gpuPort));
    for (const QString host : {QStringLiteral("jump"), QStringLiteral("gpu")}) {
        auto *server = new QProcess(this);
        server->setStandardInputFile(QProcess::nullDevice());
        server->setStandardOutputFile(path(host + QStringLiteral("/sshd.log")));
        server->setStandardErrorFile(path(host + QStringLiteral("/sshd.log")));
        // Should the workbench die without cleaning up (killed, crashed), the kernel stops
        // its servers too: nothing keeps listening for a program that is gone.
        server->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
        // -D: stay in the foreground, so the QProcess is the server and stopping it stops it.
        server->start(m_options.sshd, {QStringLiteral("-D"), QStringLiteral("-e"), QStringLiteral("-f"),
                                       path(host + QStringLiteral("/sshd_config"))});
        m_servers << server;
    }
    waitForServers(100);
}

// Polls both ports every 100 ms (10 s in all): sshd says nothing when it is ready.
void Sandbox::waitForServers(int attemptsLeft)
{
    if (m_stopping)
        return;
    for (QProcess *server : m_servers)
        if (server->state() == QProcess::NotRunning) {
            const QString log = QString::fromLocal8Bit(readText(server->arguments().last().replace(
                QStringLiteral("sshd_config"), QStringLiteral("sshd.log")))).trimmed();
            return fail(QStringLiteral("sandbox: sshd stopped at once: %1").arg(log.right(600)));
        }
    if (isListening(m_jumpPort) && isListening(m_gpuPort))
        return m_reused ? finishReady() : makeDataset();
    if (attemptsLeft <= 0)
        return fail(QStringLiteral("sandbox: the servers did not listen on ports %1 and %2 within 10 s").arg(m_jumpPort).arg(m_gpuPort));
    QTimer::singleShot(100, this, [this, attemptsLeft] { waitForServers(attemptsLeft - 1); });
}

void Sandbox::makeDataset()
{
    run(tr("Writing a small LIBERO dataset"), m_options.dataTool, {localDataset()}, [this] { makeModel(); });
}

// A "pretrained" model: the tiny configuration trained for one step, so its folder is the
// real thing (config.json, model.safetensors, ema/) and loads as a pretrained model does.
void Sandbox::makeModel()
{
    run(tr("Making a small pretrained model (one training step on the CPU)"), m_options.trainer,
        {QStringLiteral("train"), QStringLiteral("--config"), path(QStringLiteral("tiny-config.yaml")), QStringLiteral("--dataset"),
         localDataset(), QStringLiteral("--output_dir"), path(QStringLiteral("model-run")), QStringLiteral("--max_train_steps"),
         QStringLiteral("1"), QStringLiteral("--checkpointing_period"), QStringLiteral("1"), QStringLiteral("--train_batch_size"),
         QStringLiteral("2"), QStringLiteral("--dataloader_num_workers"), QStringLiteral("0"), QStringLiteral("--lr_warmup_steps"),
         QStringLiteral("0"), QStringLiteral("--device"), QStringLiteral("cpu"),
         // The tiny model has neither SigLIP's nor T5's shapes: the stand-ins, opted into.
         QStringLiteral("--vision_encoder"), QStringLiteral("patch"), QStringLiteral("--lang"), QStringLiteral("learned")},
        [this] { finishModel(); });
}

void Sandbox::finishModel()
{
    const QString checkpoint = path(QStringLiteral("model-run/checkpoint-1"));
    if (!QDir().rename(checkpoint, localModel()))
        return fail(QStringLiteral("sandbox: the trainer wrote no %1").arg(checkpoint));
    // The training state is not part of a pretrained model.
    for (const char *file : {"optimizer.pt", "rng_state.safetensors", "trainer_state.json"})
        QFile::remove(localModel() + QLatin1Char('/') + QLatin1String(file));
    QDir(path(QStringLiteral("model-run"))).removeRecursively();
    finishReady();
}

void Sandbox::finishReady()
{
    m_ready = true;
    Q_EMIT progress(tr("Sandbox ready in %1").arg(m_folder));
    Q_EMIT ready();
}

void Sandbox::fail(const QString &message)
{
    stop();
    Q_EMIT failed(makeError(ErrorCode::LocalIo, message));
}

void Sandbox::stop()
{
    m_stopping = true;
    m_ready = false;
    if (m_step) {
        m_step->kill();
        m_step->waitForFinished(1000);
    }
    // SIGTERM makes the listening sshd exit at once; give it a moment, then be sure.
    for (QProcess *server : m_servers) {
        server->terminate();
        if (!server->waitForFinished(2000))
            server->kill();
    }
    qDeleteAll(m_servers);
    m_servers.clear();
    releaseFolder();
    m_stopping = false;
}

// Never deletes files a live process writes: with a trainer running, the folder stays
// and says why; the next sandbox takes it up (takeUpKeptFolder).
void Sandbox::releaseFolder()
{
    if (m_folder.isEmpty())
        return;
    const QList<SandboxTrainer> trainers = liveTrainers();
    if (trainers.isEmpty()) {
        QDir(m_folder).removeRecursively();
    } else {
        QStringList lines;
        for (const SandboxTrainer &trainer : trainers)
            lines << QStringLiteral("%1 %2").arg(trainer.pid).arg(trainer.runFolder);
        (void)writeText(path(keptMarkerName()),
                        QStringLiteral("Kept by RDT Workbench: these trainers were still running when it quit\n%1\n")
                            .arg(lines.join(QLatin1Char('\n')))
                            .toUtf8());
    }
    m_folder.clear();
}

} // namespace rdt
