// What the wizard's pages share: the connection (the application's, from a ConnectionOwner,
// or else one SshClient owned here), the remote
// root, the local and remote copies of the dataset and the model, and what the server
// check found (GPUs, free disk, the trainer). Pages read it and fill their parts in.
#pragma once

#include "CheckItem.h"
#include "CopiesCheck.h"
#include "GpuInfo.h"
#include "HostConnection.h"
#include "HostProfile.h"
#include "Result.h"
#include "SshHost.h"
#include "SshQuestions.h"

#include <QObject>
#include <QPointer>

namespace rdt {

class ConnectionOwner;
class SshClient;

class WizardSession : public QObject {
    Q_OBJECT
public:
    explicit WizardSession(QObject *parent = nullptr);
    ~WizardSession() override;

    // Questions the connection asks (host keys, passphrases); set before connecting.
    void setQuestions(const SshQuestions &questions) { m_questions = questions; }
    // The application's connections (not owned): the wizard shares the one to its server
    // with every other view instead of holding its own, and a drop is mended there (the
    // pages see no connection meanwhile; connected() comes again once it is back).
    void setConnections(ConnectionOwner *connections) { m_connections = connections; }
    HostConnection *host() const { return m_host; }

    // Drops any earlier connection and starts a new one; connectStep / connected /
    // connectFailed report it.
    void connectTo(const SshRoute &route);
    void disconnectFromHost();
    SshClient *client() const;
    bool isConnected() const;

    QString sshConfigFile;         // empty: ~/.ssh/config (the sandbox brings its own)
    HostProfile profile;           // host, jumps, remote root, local paths (what page 1 shows)
    QString remoteDataset;         // empty: ROOT/datasets/<name of the local dataset>
    QString remoteModel;           // empty: ROOT/checkpoints/<name of the local model>
    QList<CheckItem> checkItems;   // the last server check
    qint64 freeDiskBytes = -1;     // under the remote root; -1: not known
    QString trainerPath;           // where the check found rdt-trainer; empty: not found
    QStringList existingRuns;      // run folders under the remote root, as far as known
    bool cpuOnlyServer = false;    // the sandbox: no GPU is expected there
    // What the encoder check found usable (absolute, on the server); the run gets them as
    // --vision_encoder and --lang_embeddings. Empty: none usable.
    QString visionEncoder;
    QString langEmbeddings;

    // The local copies and where they go, with the empty remote paths filled in from the root.
    LocalCopies copies() const;
    QList<GpuInfo> gpus() const;

Q_SIGNALS:
    void connectStep(const QString &text, int hop, int hopCount);
    void connected();
    void connectFailed(const rdt::Error &error);
    void connectionLost(const rdt::Error &error);

private:
    void retire();
    void dropEndedClient();

    void followHost(HostConnection *host);

    SshQuestions m_questions;
    SshClient *m_client = nullptr;           // without a ConnectionOwner: owned
    ConnectionOwner *m_connections = nullptr;
    QPointer<HostConnection> m_host;         // with one: the server the wizard uses
};

} // namespace rdt
