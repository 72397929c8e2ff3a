// Layout and button states of the connection form.
#include "ConnectionPanel.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTime>
#include <QVBoxLayout>

namespace rdt {

ConnectionPanel::ConnectionPanel(QWidget *parent)
    : QWidget(parent), m_host(new QLineEdit), m_jumps(new QLineEdit), m_root(new QLineEdit),
      m_connect(new QPushButton(tr("Connect"))), m_check(new QPushButton(tr("Check server"))),
      m_cancel(new QPushButton(tr("Cancel"))), m_state(new QLabel), m_log(new QPlainTextEdit)
{
    m_host->setPlaceholderText(tr("gpu01, or user@gpu.example.org:22"));
    m_jumps->setPlaceholderText(tr("from ~/.ssh/config, or user@jump.example.org"));
    m_root->setPlaceholderText(tr("~/RoboticsDiffusionTransformer"));
    m_root->setText(QStringLiteral("~/RoboticsDiffusionTransformer"));

    auto *form = new QFormLayout;
    form->addRow(tr("GPU server"), m_host);
    form->addRow(tr("Jump hosts"), m_jumps);
    form->addRow(tr("Remote root"), m_root);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_connect);
    buttons->addWidget(m_check);
    buttons->addWidget(m_cancel);
    buttons->addStretch();
    buttons->addWidget(m_state);

    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(2000);
    m_log->setPlaceholderText(tr("Each hop is reported here as it is reached, verified and authenticated."));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_log);

    connect(m_connect, &QPushButton::clicked, this, [this] {
        if (m_current == State::Disconnected)
            Q_EMIT connectRequested();
        else
            Q_EMIT disconnectRequested();
    });
    connect(m_check, &QPushButton::clicked, this, &ConnectionPanel::checkRequested);
    connect(m_cancel, &QPushButton::clicked, this, &ConnectionPanel::cancelRequested);
    connect(m_host, &QLineEdit::returnPressed, m_connect, &QPushButton::click);
    setState(State::Disconnected);
}

QString ConnectionPanel::host() const { return m_host->text().trimmed(); }

QStringList ConnectionPanel::jumps() const
{
    return m_jumps->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
}

QString ConnectionPanel::remoteRoot() const { return m_root->text().trimmed(); }
void ConnectionPanel::setHost(const QString &host) { m_host->setText(host); }
void ConnectionPanel::setJumps(const QString &jumps) { m_jumps->setText(jumps); }
void ConnectionPanel::setRemoteRoot(const QString &root) { m_root->setText(root); }

void ConnectionPanel::setState(State state)
{
    m_current = state;
    const bool idle = state == State::Disconnected;
    m_host->setEnabled(idle);
    m_jumps->setEnabled(idle);
    m_root->setEnabled(state != State::Checking);
    m_connect->setText(idle ? tr("Connect") : tr("Disconnect"));
    m_connect->setEnabled(state != State::Connecting);
    m_check->setEnabled(state == State::Connected);
    m_cancel->setEnabled(state == State::Connecting || state == State::Checking);
    switch (state) {
    case State::Disconnected: m_state->setText(tr("Not connected")); break;
    case State::Connecting: m_state->setText(tr("Connecting…")); break;
    case State::Connected: m_state->setText(tr("Connected")); break;
    case State::Checking: m_state->setText(tr("Checking the server…")); break;
    }
}

void ConnectionPanel::appendStep(const ConnectStep &step)
{
    appendMessage(step.describe());
}

void ConnectionPanel::appendMessage(const QString &message, bool isError)
{
    const QString time = QTime::currentTime().toString(QStringLiteral("HH:mm:ss"));
    m_log->appendPlainText(QStringLiteral("%1  %2%3").arg(time, isError ? QStringLiteral("ERROR: ") : QString(), message));
}

} // namespace rdt
