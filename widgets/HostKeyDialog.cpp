// The unknown-host-key dialog. The fingerprint is selectable so the user can compare it
// with what the server's administrator published.
#include "HostKeyDialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace rdt {

HostKeyDialog::HostKeyDialog(const HostKeyQuestion &question, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Unknown host key"));
    auto *layout = new QVBoxLayout(this);
    auto *text = new QLabel(tr("<p>The authenticity of <b>%1</b> cannot be established: its key is not in "
                               "<tt>%2</tt>.</p><p>%3 key fingerprint:</p>")
                                .arg(question.host.toHtmlEscaped(), question.knownHostsFile.toHtmlEscaped(),
                                     question.keyType.toHtmlEscaped()));
    text->setWordWrap(true);
    layout->addWidget(text);
    auto *fingerprint = new QLabel(question.fingerprint);
    fingerprint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    fingerprint->setStyleSheet(QStringLiteral("font-family: monospace; font-size: 11pt; padding: 6px;"));
    layout->addWidget(fingerprint);
    auto *advice = new QLabel(tr("Compare it with the fingerprint your administrator gave you before accepting."));
    advice->setWordWrap(true);
    layout->addWidget(advice);

    auto *buttons = new QDialogButtonBox(this);
    QPushButton *remember = buttons->addButton(tr("Accept and remember"), QDialogButtonBox::AcceptRole);
    QPushButton *once = buttons->addButton(tr("Accept once"), QDialogButtonBox::AcceptRole);
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    // Trusting a key must be a choice, never the Enter key pressed out of habit: neither
    // accept button is (or becomes, on focus) the default; Cancel is.
    remember->setAutoDefault(false);
    once->setAutoDefault(false);
    cancel->setDefault(true);
    cancel->setFocus();
    connect(remember, &QPushButton::clicked, this, [this] {
        m_answer = HostKeyAnswer::AcceptAndRemember;
        accept();
    });
    connect(once, &QPushButton::clicked, this, [this] {
        m_answer = HostKeyAnswer::AcceptOnce;
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

HostKeyAnswer HostKeyDialog::ask(const HostKeyQuestion &question, QWidget *parent)
{
    HostKeyDialog dialog(question, parent);
    return dialog.exec() == QDialog::Accepted ? dialog.answer() : HostKeyAnswer::Reject;
}

} // namespace rdt
