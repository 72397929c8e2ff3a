// Page 1 of the setup wizard: where the server is (a saved profile, or host, jump hosts,
// user, identity and remote root), "Test connection" showing each hop as it is passed, the
// failing hop named on error, a changed host key refused in red with the risk explained,
// and a local sandbox for a first try without a server.
#pragma once

#include "HostProfile.h"
#include "Result.h"

#include <QWizardPage>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace rdt {

class HostProfileStore;
class WizardSession;

class ConnectionPage : public QWizardPage {
    Q_OBJECT
public:
    ConnectionPage(WizardSession *session, HostProfileStore *profiles, QWidget *parent = nullptr);

    bool isComplete() const override;
    bool validatePage() override;

    // Fills the form (and the session's ssh_config) from a profile, e.g. the sandbox's.
    void useProfile(const QString &sshConfigFile, const HostProfile &profile);
    void testConnection();
    // Shows a line under the buttons: progress of the sandbox, or an error.
    void showNote(const QString &text, bool isError = false);

Q_SIGNALS:
    void sandboxRequested();

private:
    void readForm();
    void reloadProfiles();
    void addStep(const QString &text, bool ok);
    void showFailure(const Error &error);
    static QString shortReason(ErrorCode code);
    void setBusy(bool busy);

    WizardSession *m_session;
    HostProfileStore *m_profiles;
    QComboBox *m_profileBox;
    QLineEdit *m_host;
    QLineEdit *m_jumps;
    QLineEdit *m_user;
    QLineEdit *m_identity;
    QLineEdit *m_root;
    QLineEdit *m_libtorch;
    QPushButton *m_test;
    QPushButton *m_cancel;
    QPushButton *m_sandbox;
    QListWidget *m_steps;
    QLabel *m_note;
    QLabel *m_refusal;   // red: the changed-key refusal
    int m_lastHop = 0;
    int m_hopCount = 1;
    QStringList m_hopNames;   // display names of the route's hops, for the failing one
};

} // namespace rdt
