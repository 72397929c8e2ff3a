// The server's GPUs as nvidia-smi reports them every 2 s: per GPU its utilisation, memory
// used of total and temperature, each with a two-minute history sparkline. A server
// without the NVIDIA driver shows one line saying so instead.
#pragma once

#include "GpuSample.h"

#include <QList>
#include <QWidget>

#include <map>

class QLabel;
class QVBoxLayout;

namespace rdt {

class GpuCard;

class GpuPanel : public QWidget {
    Q_OBJECT
public:
    // 60 polls at nvidia-smi's 2 s: two minutes of history.
    static constexpr int kHistoryLength = 60;

    explicit GpuPanel(QWidget *parent = nullptr);

public slots:
    // One poll: a card per GPU index, created on first sight, dropped when absent.
    void addSamples(const QList<GpuSample> &samples);
    // No GPU information to show, and why ("no NVIDIA driver on gpu01: nvidia-smi not found").
    void setUnavailable(const QString &message);
    // Which rank of which run each GPU carries (GPU index -> "run r1, rank 3"), shown on
    // its card; replaces the earlier roles.
    void setRoles(const std::map<int, QString> &roles);

public:
    int gpuCount() const { return int(m_cards.size()); }
    QString unavailableText() const;
    // For tests: the texts of one GPU's card, and its history lengths.
    QString cardText(int index) const;
    int historyLength(int index) const;

private:
    QVBoxLayout *m_cardsLayout;
    QLabel *m_unavailable;
    std::map<int, GpuCard *> m_cards;
    std::map<int, QString> m_roles;
};

} // namespace rdt
