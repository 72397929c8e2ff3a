// The plot's legend: one entry per plotted run (the current one first, then the overlaid
// ones), a line in the run's colour and its name, so overlaid curves can be told apart.
#pragma once

#include <QColor>
#include <QList>
#include <QWidget>

class QLabel;

namespace rdt {

class PlotLegend : public QWidget {
    Q_OBJECT
public:
    struct Entry {
        QString run;
        QColor colour;
        bool current = false;
    };

    explicit PlotLegend(QWidget *parent = nullptr);

    void setEntries(const QList<Entry> &entries);
    QList<Entry> entries() const { return m_entries; }

private:
    QLabel *m_text;
    QList<Entry> m_entries;
};

} // namespace rdt
