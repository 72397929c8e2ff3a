// The setup wizard's pages and their wiring.
#include "SetupWizard.h"

#include "ChecksumCache.h"
#include "ConnectionPage.h"
#include "DataModelPage.h"
#include "LaunchPage.h"
#include "ServerCheckPage.h"
#include "TrainingConfigPage.h"
#include "WizardSession.h"

#include <QMessageBox>

namespace rdt {

SetupWizard::SetupWizard(HostProfileStore *profiles, QWidget *parent)
    : QWizard(parent), m_session(new WizardSession(this)), m_cache(std::make_unique<ChecksumCache>())
{
    setWindowTitle(tr("RDT Workbench: set up a training run"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnLastPage, false);
    setOption(QWizard::NoCancelButton, true);   // the window's own close does that
    // A missing or unreadable cache only means hashing again; the file is small.
    (void)m_cache->load();

    m_connection = new ConnectionPage(m_session, profiles);
    m_check = new ServerCheckPage(m_session, m_cache.get());
    m_data = new DataModelPage(m_session, m_cache.get());
    m_training = new TrainingConfigPage(m_session);
    m_launch = new LaunchPage(m_session, m_training);
    setPage(ConnectionPageId, m_connection);
    setPage(ServerCheckPageId, m_check);
    setPage(DataModelPageId, m_data);
    setPage(TrainingPageId, m_training);
    setPage(LaunchPageId, m_launch);
    setStartId(ConnectionPageId);
    resize(1100, 760);

    connect(m_connection, &ConnectionPage::sandboxRequested, this, &SetupWizard::sandboxRequested);
    connect(m_launch, &LaunchPage::runStarted, this, &SetupWizard::runStarted);
    // An upload asked for on the check page happens on the data page, with its progress.
    connect(m_check, &ServerCheckPage::uploadRequested, this, [this](bool dataset, bool model) {
        QStringList parts;
        if (dataset)
            parts << QStringLiteral("dataset");
        if (model)
            parts << QStringLiteral("model");
        next();
        m_data->upload(parts);
    });
    // A dropped connection sends the user back to page 1, where it can be tested again.
    connect(m_session, &WizardSession::connectionLost, this, [this](const Error &error) {
        if (currentId() != ConnectionPageId)
            QMessageBox::warning(this, tr("Connection lost"), error.message);
    });
}

SetupWizard::~SetupWizard() = default;

void SetupWizard::useProfile(const HostProfile &profile, const QString &sshConfigFile)
{
    if (currentId() != ConnectionPageId)
        restart();
    m_connection->useProfile(sshConfigFile, profile);
}

} // namespace rdt
