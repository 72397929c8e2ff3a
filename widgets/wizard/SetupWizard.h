// The setup wizard, the first thing a user sees: connection, server check, data and model,
// training configuration, launch. It owns the connection its pages share and hands the
// started run over with runStarted().
#pragma once

#include "HostProfile.h"
#include "RunStarter.h"

#include <QWizard>

#include <memory>

namespace rdt {

class ChecksumCache;
class ConnectionPage;
class DataModelPage;
class HostProfileStore;
class LaunchPage;
class ServerCheckPage;
class TrainingConfigPage;
class WizardSession;

class SetupWizard : public QWizard {
    Q_OBJECT
public:
    enum PageId { ConnectionPageId, ServerCheckPageId, DataModelPageId, TrainingPageId, LaunchPageId };

    // profiles: the saved host profiles to offer (not owned; may be null).
    explicit SetupWizard(HostProfileStore *profiles, QWidget *parent = nullptr);
    ~SetupWizard() override;

    WizardSession *session() const { return m_session; }
    ConnectionPage *connectionPage() const { return m_connection; }
    ServerCheckPage *serverCheckPage() const { return m_check; }
    DataModelPage *dataModelPage() const { return m_data; }
    TrainingConfigPage *trainingPage() const { return m_training; }
    LaunchPage *launchPage() const { return m_launch; }

    // Fills page 1 from a profile that comes with its own ssh_config (the sandbox's).
    void useProfile(const HostProfile &profile, const QString &sshConfigFile = {});

Q_SIGNALS:
    // The hand-over: the trainer of `run` wrote its start event; the dashboard takes it from
    // here (ROOT/runs/<run.name>/metrics.jsonl on the session's server).
    void runStarted(const rdt::LaunchedRun &run);
    // The user asked for the local sandbox (the app starts it and calls useProfile).
    void sandboxRequested();

private:
    WizardSession *m_session;
    std::unique_ptr<ChecksumCache> m_cache;
    ConnectionPage *m_connection;
    ServerCheckPage *m_check;
    DataModelPage *m_data;
    TrainingConfigPage *m_training;
    LaunchPage *m_launch;
};

} // namespace rdt
