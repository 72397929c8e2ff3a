// The runs of a host profile: name (with its plot colour and an overlay checkbox), state,
// step / max, last loss and start time. Checking a run overlays it in the plot.
#pragma once

#include "RunRow.h"

#include <QAbstractTableModel>
#include <QColor>

#include <vector>

namespace rdt {

class RunListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, StateColumn, StepColumn, LossColumn, StartColumn, ColumnCount };
    // Qt::UserRole on any column: the run's name.
    static constexpr int NameRole = Qt::UserRole + 1;

    explicit RunListModel(QObject *parent = nullptr);

    // Replaces the list, keeping the overlay choice and colour of runs still present.
    void setRuns(const QList<RunRow> &runs);
    // Updates the run with this name, or appends it.
    void updateRun(const RunRow &run);
    void setColour(const QString &name, const QColor &colour);
    void setOverlay(const QString &name, bool overlay);
    bool isOverlaid(const QString &name) const;

    int rowOf(const QString &name) const;   // -1: not listed
    const RunRow &run(int row) const { return m_rows[size_t(row)].run; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void overlayToggled(const QString &name, bool overlay);

private:
    struct Row {
        RunRow run;
        QColor colour;
        bool overlay = false;
    };
    std::vector<Row> m_rows;
};

} // namespace rdt
