// The dialog opens window-modal (open(), not exec()): the event loop, and so the
// connection's answers, keep running while the user browses.
#include "RemotePathBrowseButton.h"

#include "RemoteFolderDialog.h"
#include "RemoteFolderListing.h"
#include "SshClient.h"

#include <QHBoxLayout>
#include <QLineEdit>
#include <QToolTip>

namespace rdt {

RemotePathBrowseButton::RemotePathBrowseButton(QLineEdit *field, ClientSource client, QWidget *parent)
    : QPushButton(tr("Browse…"), parent), m_field(field), m_client(std::move(client))
{
    setToolTip(tr("Choose a folder or file on the server"));
    connect(this, &QPushButton::clicked, this, &RemotePathBrowseButton::browse);
}

QWidget *RemotePathBrowseButton::row(QLineEdit *field, ClientSource client, QWidget *parent)
{
    auto *widget = new QWidget(parent);
    auto *layout = new QHBoxLayout(widget);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(field, 1);
    layout->addWidget(new RemotePathBrowseButton(field, std::move(client), widget));
    return widget;
}

void RemotePathBrowseButton::browse()
{
    SshClient *client = m_client ? m_client() : nullptr;
    if (!client || !client->isConnected()) {
        QToolTip::showText(mapToGlobal(rect().bottomLeft()), tr("Connect to the server first"), this);
        return;
    }
    if (m_dialog)
        return m_dialog->raise();
    // A listing per dialog: its answers die with it, whichever connection it used.
    m_listing = new RemoteFolderListing(client, this);
    m_dialog = new RemoteFolderDialog(m_listing, m_field->text(), window());
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_dialog, &QDialog::accepted, this, [this] {
        if (m_dialog)
            m_field->setText(m_dialog->selectedPath());
    });
    connect(m_dialog, &QObject::destroyed, this, [this] {
        m_dialog = nullptr;
        if (m_listing)
            m_listing->deleteLater();
        m_listing = nullptr;
    });
    m_dialog->open();
}

} // namespace rdt
