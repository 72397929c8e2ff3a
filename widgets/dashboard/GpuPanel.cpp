// The GPU panel: cards by GPU index, or the one "unavailable" line.
#include "GpuPanel.h"

#include "GpuCard.h"

#include <QLabel>
#include <QVBoxLayout>

#include <set>

namespace rdt {

GpuPanel::GpuPanel(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_unavailable = new QLabel(this);
    m_unavailable->setWordWrap(true);
    m_unavailable->setStyleSheet(QStringLiteral("color: #92400e; background: #fef3c7; border-radius: 4px; "
                                                "padding: 6px;"));
    m_unavailable->hide();
    layout->addWidget(m_unavailable);
    m_cardsLayout = new QVBoxLayout;
    m_cardsLayout->setSpacing(6);
    layout->addLayout(m_cardsLayout);
    layout->addStretch(1);
}

void GpuPanel::addSamples(const QList<GpuSample> &samples)
{
    m_unavailable->hide();
    std::set<int> present;
    for (const GpuSample &sample : samples) {
        present.insert(sample.index);
        GpuCard *&card = m_cards[sample.index];
        if (!card) {
            card = new GpuCard(kHistoryLength, this);
            // Cards stay in index order whatever order the lines came in.
            const int position = int(std::distance(m_cards.begin(), m_cards.find(sample.index)));
            m_cardsLayout->insertWidget(position, card);
            const auto role = m_roles.find(sample.index);
            card->setRole(role == m_roles.end() ? QString() : role->second);
        }
        card->addSample(sample);
    }
    for (auto it = m_cards.begin(); it != m_cards.end();) {
        if (present.count(it->first)) {
            ++it;
            continue;
        }
        delete it->second;
        it = m_cards.erase(it);
    }
}

void GpuPanel::setUnavailable(const QString &message)
{
    for (auto &[index, card] : m_cards)
        delete card;
    m_cards.clear();
    m_unavailable->setText(message);
    m_unavailable->show();
}

QString GpuPanel::unavailableText() const
{
    return m_unavailable->isHidden() ? QString() : m_unavailable->text();
}

void GpuPanel::setRoles(const std::map<int, QString> &roles)
{
    m_roles = roles;
    for (auto &[index, card] : m_cards) {
        const auto role = m_roles.find(index);
        card->setRole(role == m_roles.end() ? QString() : role->second);
    }
}

QString GpuPanel::cardText(int index) const
{
    const auto found = m_cards.find(index);
    return found == m_cards.end() ? QString() : found->second->text();
}

int GpuPanel::historyLength(int index) const
{
    const auto found = m_cards.find(index);
    return found == m_cards.end() ? 0 : found->second->historyLength();
}

} // namespace rdt
