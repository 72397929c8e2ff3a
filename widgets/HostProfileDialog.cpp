// Layout, file pickers and validation of the host profile form.
#include "HostProfileDialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace rdt {

HostProfileDialog::HostProfileDialog(const HostProfile &profile, QWidget *parent)
    : QDialog(parent), m_name(new QLineEdit), m_host(new QLineEdit), m_jumps(new QLineEdit),
      m_user(new QLineEdit), m_port(new QSpinBox), m_remoteRoot(new QLineEdit), m_error(new QLabel),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setWindowTitle(tr("Host profile"));
    m_name->setObjectName(QStringLiteral("name"));
    m_host->setObjectName(QStringLiteral("host"));
    m_jumps->setObjectName(QStringLiteral("jumps"));
    m_user->setObjectName(QStringLiteral("user"));
    m_port->setObjectName(QStringLiteral("port"));
    m_remoteRoot->setObjectName(QStringLiteral("remoteRoot"));

    m_name->setPlaceholderText(tr("e.g. lab A800 server"));
    m_host->setPlaceholderText(tr("gpu01, or user@gpu.example.org:22"));
    m_jumps->setPlaceholderText(tr("empty: ProxyJump from ~/.ssh/config; else jump1,user@jump2:2222"));
    m_user->setPlaceholderText(tr("from ~/.ssh/config, else your local user"));
    // 0 stands for "not set" so that ssh_config's Port still applies.
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("from ~/.ssh/config"));
    m_remoteRoot->setPlaceholderText(HostProfile::defaultRemoteRoot());

    QWidget *identityRow = nullptr;
    QWidget *datasetRow = nullptr;
    QWidget *modelRow = nullptr;
    m_identity = pathField(tr("empty: the SSH agent and ~/.ssh/config"), false,
                           tr("Private key for %1"), &identityRow);
    m_dataset = pathField(tr("the dataset file on this computer"), false, tr("Dataset for %1"),
                          &datasetRow);
    m_model = pathField(tr("the pretrained model folder on this computer"), true,
                        tr("Pretrained model for %1"), &modelRow);
    m_identity->setObjectName(QStringLiteral("identityFile"));
    m_dataset->setObjectName(QStringLiteral("localDatasetPath"));
    m_model->setObjectName(QStringLiteral("localModelPath"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Name"), m_name);
    form->addRow(tr("GPU &server"), m_host);
    form->addRow(tr("&Jump hosts"), m_jumps);
    form->addRow(tr("&User"), m_user);
    form->addRow(tr("&Port"), m_port);
    form->addRow(tr("&Identity file"), identityRow);
    form->addRow(tr("&Remote root"), m_remoteRoot);
    form->addRow(tr("Local &dataset"), datasetRow);
    form->addRow(tr("Local &model"), modelRow);

    m_error->setObjectName(QStringLiteral("error"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_error->hide();

    auto *note = new QLabel(tr("No password or passphrase is stored: keys stay in their files and "
                               "the SSH agent."));
    note->setWordWrap(true);
    note->setEnabled(false);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &HostProfileDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &HostProfileDialog::reject);

    setProfile(profile);
    setMinimumWidth(560);
}

// A line edit with a "Browse…" button beside it, put together in *row for the form.
QLineEdit *HostProfileDialog::pathField(const QString &placeholder, bool directory,
                                        const QString &caption, QWidget **row)
{
    auto *edit = new QLineEdit;
    edit->setPlaceholderText(placeholder);
    auto *browse = new QPushButton(tr("Browse…"));
    *row = new QWidget;
    auto *layout = new QHBoxLayout(*row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit);
    layout->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, [this, edit, directory, caption] {
        const QString title = caption.arg(m_name->text().isEmpty() ? tr("this profile") : m_name->text());
        const QString start = edit->text().isEmpty() ? QDir::homePath() : edit->text();
        const QString chosen = directory ? QFileDialog::getExistingDirectory(this, title, start)
                                         : QFileDialog::getOpenFileName(this, title, start);
        if (!chosen.isEmpty())
            edit->setText(chosen);
    });
    return edit;
}

void HostProfileDialog::setProfile(const HostProfile &profile)
{
    m_name->setText(profile.name);
    m_host->setText(profile.host);
    m_jumps->setText(profile.jumps.join(QLatin1Char(',')));
    m_user->setText(profile.user);
    m_port->setValue(profile.port);
    m_identity->setText(profile.identityFile);
    m_remoteRoot->setText(profile.remoteRoot);
    m_dataset->setText(profile.localDatasetPath);
    m_model->setText(profile.localModelPath);
}

HostProfile HostProfileDialog::profile() const
{
    HostProfile profile;
    profile.name = m_name->text().trimmed();
    profile.host = m_host->text().trimmed();
    for (const QString &jump : m_jumps->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!jump.trimmed().isEmpty())
            profile.jumps.append(jump.trimmed());
    profile.user = m_user->text().trimmed();
    profile.port = m_port->value();
    profile.identityFile = m_identity->text().trimmed();
    profile.remoteRoot = m_remoteRoot->text().trimmed();
    if (profile.remoteRoot.isEmpty())
        profile.remoteRoot = HostProfile::defaultRemoteRoot();
    profile.localDatasetPath = m_dataset->text().trimmed();
    profile.localModelPath = m_model->text().trimmed();
    return profile;
}

void HostProfileDialog::setError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

QString HostProfileDialog::error() const { return m_error->text(); }

void HostProfileDialog::accept()
{
    const Result<void> valid = profile().validate();
    if (!valid) {
        setError(valid.error().message);
        (profile().name.isEmpty() ? m_name : m_host)->setFocus();
        return;
    }
    setError(QString());
    QDialog::accept();
}

} // namespace rdt
