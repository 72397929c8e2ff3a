// A tinted frame with the reason and two buttons.
#include "TakenRunNote.h"

#include "NextRunName.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace rdt {

TakenRunNote::TakenRunNote(QWidget *parent)
    : QWidget(parent), m_text(new QLabel), m_resume(new QPushButton), m_rename(new QPushButton)
{
    setObjectName(QStringLiteral("takenRunNote"));
    setAttribute(Qt::WA_StyledBackground);
    setStyleSheet(QStringLiteral("#takenRunNote { background: #fff4d6; border: 1px solid #d9b44a; border-radius: 3px; }"));
    m_text->setWordWrap(true);
    auto *layout = new QHBoxLayout(this);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_resume);
    layout->addWidget(m_rename);
    connect(m_resume, &QPushButton::clicked, this, [this] { Q_EMIT resumeRequested(m_name); });
    connect(m_rename, &QPushButton::clicked, this, [this] { Q_EMIT renameRequested(m_freeName); });
    hide();
}

void TakenRunNote::showFor(const QString &name, const QString &host, const QStringList &existing)
{
    m_name = name;
    m_taken = !name.isEmpty() && existing.contains(name);
    setVisible(m_taken);
    if (!m_taken)
        return;
    m_freeName = NextRunName::after(name, existing);
    m_text->setText(tr("A run named <b>%1</b> already exists on %2: launching would not start a new run. Resume it, "
                       "or launch under a free name.")
                        .arg(name.toHtmlEscaped(), host.toHtmlEscaped()));
    m_resume->setText(tr("Resume %1").arg(name));
    m_rename->setText(tr("Use %1").arg(m_freeName));
}

QString TakenRunNote::text() const
{
    return m_taken ? m_text->text() : QString();
}

} // namespace rdt
