// The connection page. The route is resolved as rdtctl resolves `-J JUMPS HOST`, with the
// form's user and identity applied as a host profile's overrides.
#include "ConnectionPage.h"

#include "HostProfileStore.h"
#include "SshConfig.h"
#include "WizardSession.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace rdt {

namespace {

QStringList splitJumps(const QString &text)
{
    QStringList jumps;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!part.trimmed().isEmpty())
            jumps << part.trimmed();
    return jumps;
}

} // namespace

ConnectionPage::ConnectionPage(WizardSession *session, HostProfileStore *profiles, QWidget *parent)
    : QWizardPage(parent), m_session(session), m_profiles(profiles), m_profileBox(new QComboBox),
      m_host(new QLineEdit), m_jumps(new QLineEdit), m_user(new QLineEdit), m_identity(new QLineEdit),
      m_root(new QLineEdit), m_libtorch(new QLineEdit), m_test(new QPushButton(tr("Test connection"))), m_cancel(new QPushButton(tr("Cancel"))),
      m_sandbox(new QPushButton(tr("Try it in a local sandbox"))), m_steps(new QListWidget), m_note(new QLabel),
      m_refusal(new QLabel)
{
    setTitle(tr("Connection"));
    setSubTitle(tr("Where the GPU server is and how to reach it. Every hop's host key is checked against "
                   "~/.ssh/known_hosts."));

    m_host->setPlaceholderText(tr("gpu01, or user@host:port (an alias from ~/.ssh/config)"));
    m_jumps->setPlaceholderText(tr("jump01[,jump02]; empty: ProxyJump from ~/.ssh/config"));
    m_user->setPlaceholderText(tr("empty: from ~/.ssh/config, else your user name"));
    m_identity->setPlaceholderText(tr("empty: the SSH agent and ~/.ssh/config's IdentityFile"));
    m_root->setText(HostProfile::defaultRemoteRoot());
    m_libtorch->setPlaceholderText(tr("empty: an installed PyTorch's LibTorch, else the system's"));
    m_libtorch->setToolTip(tr("A LibTorch folder on the server, used when the workbench builds rdt-trainer there"));
    auto *browse = new QPushButton(tr("Browse…"));
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Identity file"), QDir::homePath() + QStringLiteral("/.ssh"));
        if (!file.isEmpty())
            m_identity->setText(file);
    });
    auto *identityRow = new QHBoxLayout;
    identityRow->addWidget(m_identity);
    identityRow->addWidget(browse);

    auto *form = new QFormLayout;
    form->addRow(tr("Saved profile:"), m_profileBox);
    form->addRow(tr("GPU server:"), m_host);
    form->addRow(tr("Jump host(s):"), m_jumps);
    form->addRow(tr("User:"), m_user);
    form->addRow(tr("Identity:"), identityRow);
    form->addRow(tr("Remote root:"), m_root);
    form->addRow(tr("LibTorch on server:"), m_libtorch);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_test);
    buttons->addWidget(m_cancel);
    buttons->addStretch();
    buttons->addWidget(m_sandbox);
    m_cancel->setEnabled(false);
    m_sandbox->setToolTip(tr("Starts two throwaway SSH servers on this computer (a jump host and a \"GPU\" host), "
                             "a small dataset and model, and fills in this page for them"));

    m_note->setWordWrap(true);
    m_refusal->setWordWrap(true);
    m_refusal->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_refusal->setStyleSheet(QStringLiteral("QLabel { color: #a40000; background: #fde8e8; border: 1px solid #a40000; "
                                            "padding: 8px; }"));
    m_refusal->hide();

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_steps, 1);
    layout->addWidget(m_refusal);
    layout->addWidget(m_note);

    reloadProfiles();
    connect(m_profileBox, &QComboBox::activated, this, [this](int index) {
        const HostProfile *profile = m_profiles ? m_profiles->find(m_profileBox->itemText(index)) : nullptr;
        if (profile)
            useProfile(QString(), *profile);
    });
    connect(m_test, &QPushButton::clicked, this, &ConnectionPage::testConnection);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_session->disconnectFromHost();
        addStep(tr("cancelled"), false);
        setBusy(false);
    });
    connect(m_sandbox, &QPushButton::clicked, this, &ConnectionPage::sandboxRequested);
    // Editing the form after a successful test means the test no longer holds.
    for (QLineEdit *edit : {m_host, m_jumps, m_user, m_identity})
        connect(edit, &QLineEdit::textEdited, this, [this] {
            if (m_session->isConnected()) {
                m_session->disconnectFromHost();
                Q_EMIT completeChanged();
            }
        });

    connect(m_session, &WizardSession::connectStep, this, [this](const QString &text, int hop, int hopCount) {
        m_lastHop = hop;
        m_hopCount = hopCount;
        addStep(text, true);
    });
    connect(m_session, &WizardSession::connected, this, [this] {
        addStep(tr("connected to %1").arg(m_host->text()), true);
        setBusy(false);
        Q_EMIT completeChanged();
    });
    connect(m_session, &WizardSession::connectFailed, this, &ConnectionPage::showFailure);
    connect(m_session, &WizardSession::connectionLost, this, [this](const Error &error) {
        showFailure(error);
        Q_EMIT completeChanged();
    });
}

void ConnectionPage::reloadProfiles()
{
    m_profileBox->clear();
    m_profileBox->addItem(tr("(none: type the host below)"));
    if (!m_profiles)
        return;
    (void)m_profiles->load();   // unreadable settings only mean no profiles to offer
    for (const HostProfile &profile : m_profiles->profiles())
        m_profileBox->addItem(profile.name);
}

void ConnectionPage::useProfile(const QString &sshConfigFile, const HostProfile &profile)
{
    m_session->disconnectFromHost();
    m_session->sshConfigFile = sshConfigFile;
    m_session->profile = profile;
    m_host->setText(profile.host);
    m_jumps->setText(profile.jumps.join(QLatin1Char(',')));
    m_user->setText(profile.user);
    m_identity->setText(profile.identityFile);
    m_root->setText(profile.remoteRoot);
    m_libtorch->setText(profile.libtorchFolder);
    const int index = m_profileBox->findText(profile.name);
    if (index >= 0)
        m_profileBox->setCurrentIndex(index);
    Q_EMIT completeChanged();
}

void ConnectionPage::readForm()
{
    HostProfile &profile = m_session->profile;
    profile.host = m_host->text().trimmed();
    profile.jumps = splitJumps(m_jumps->text());
    profile.user = m_user->text().trimmed();
    profile.identityFile = m_identity->text().trimmed();
    profile.remoteRoot = m_root->text().trimmed().isEmpty() ? HostProfile::defaultRemoteRoot() : m_root->text().trimmed();
    profile.libtorchFolder = m_libtorch->text().trimmed();
}

void ConnectionPage::testConnection()
{
    readForm();
    m_steps->clear();
    m_refusal->hide();
    m_note->clear();
    if (m_session->profile.host.isEmpty()) {
        showNote(tr("Enter the GPU server: an alias from ~/.ssh/config or user@host"), true);
        return;
    }
    Result<SshConfig> config = SshConfig::load(m_session->sshConfigFile);
    if (!config) {
        showNote(config.error().message, true);
        return;
    }
    HostProfile profile = m_session->profile;
    if (profile.name.isEmpty())
        profile.name = profile.host;
    Result<SshRoute> route = profile.toRoute(config.value());
    if (!route) {
        showNote(route.error().message, true);
        return;
    }
    // Said once per test, before the hops: what of the user's ssh_config has no effect here.
    const QStringList ignored = config->ignoredKeywordsFor(profile.host);
    if (!ignored.isEmpty()) {
        QStringList keywords;   // "keyword (file:line)" -> keyword; the places go in the tooltip
        for (const QString &entry : ignored)
            keywords << entry.section(QLatin1Char(' '), 0, 0);
        auto *item = new QListWidgetItem(style()->standardIcon(QStyle::SP_MessageBoxInformation),
                                         tr("ssh_config keywords ignored here: %1").arg(keywords.join(QStringLiteral(", "))));
        item->setToolTip(tr("The workbench connects without these:\n%1\n`rdtctl config %2` lists them with the options it uses.")
                             .arg(ignored.join(QLatin1Char('\n')), profile.host));
        m_steps->addItem(item);
    }
    m_lastHop = 0;
    m_hopCount = int(route->hops().size());
    m_hopNames.clear();
    for (const SshHost &hop : route->hops())
        m_hopNames << hop.displayName();
    setBusy(true);
    m_session->connectTo(route.value());
    Q_EMIT completeChanged();
}

void ConnectionPage::addStep(const QString &text, bool ok)
{
    auto *item = new QListWidgetItem(style()->standardIcon(ok ? QStyle::SP_DialogApplyButton : QStyle::SP_MessageBoxCritical),
                                     text);
    m_steps->addItem(item);
    m_steps->scrollToBottom();
}

void ConnectionPage::showFailure(const Error &error)
{
    setBusy(false);
    const QString role = m_lastHop + 1 < m_hopCount ? tr("jump host") : tr("GPU server");
    const QString host = m_lastHop < m_hopNames.size() ? m_hopNames.at(m_lastHop) : QString();
    addStep(tr("hop %1 of %2 (%3 %4): %5").arg(m_lastHop + 1).arg(m_hopCount).arg(role, host, shortReason(error.code)), false);
    m_steps->item(m_steps->count() - 1)->setToolTip(error.message);
    if (error.code == ErrorCode::HostKeyChanged) {
        // The message already names the files and the ssh-keygen -R line; the box adds
        // what to do before running it.
        m_refusal->setText(tr("<b>Connection refused: the host key of %1 has changed.</b><br>%2<br><br>"
                              "Nothing was sent to it. Ask the server's administrator for its new fingerprint "
                              "(a man-in-the-middle attack looks exactly like this); only when it matches, "
                              "run the <tt>ssh-keygen -R</tt> command above and test again.")
                               .arg(host.toHtmlEscaped(), error.message.toHtmlEscaped()));
        m_refusal->show();
    } else {
        showNote(error.message, true);
    }
}

QString ConnectionPage::shortReason(ErrorCode code)
{
    switch (code) {
    case ErrorCode::HostKeyChanged: return tr("host key changed, refused");
    case ErrorCode::HostKeyUnknown: return tr("host key not accepted");
    case ErrorCode::AuthFailed: return tr("authentication refused");
    case ErrorCode::HostUnreachable: return tr("unreachable");
    case ErrorCode::Timeout: return tr("timed out");
    case ErrorCode::Cancelled: return tr("cancelled");
    case ErrorCode::ConnectionLost: return tr("connection lost");
    case ErrorCode::ConfigError:
    case ErrorCode::InvalidArgument: return tr("configuration error");
    default: return tr("failed");
    }
}

void ConnectionPage::showNote(const QString &text, bool isError)
{
    m_note->setText(text);
    m_note->setStyleSheet(isError ? QStringLiteral("color: #a40000;") : QString());
}

void ConnectionPage::setBusy(bool busy)
{
    m_test->setEnabled(!busy);
    m_cancel->setEnabled(busy);
}

bool ConnectionPage::isComplete() const
{
    return m_session->isConnected();
}

bool ConnectionPage::validatePage()
{
    readForm();   // the remote root may have been edited after the test
    return m_session->isConnected();
}

} // namespace rdt
