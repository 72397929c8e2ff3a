// The checkpoints of one run: step, time, size, and the sample MSE logged nearest that
// step; the checkpoint with the lowest such MSE is marked best.
#pragma once

#include "CheckpointRow.h"
#include "MetricPoint.h"

#include <QAbstractTableModel>

#include <vector>

namespace rdt {

class CheckpointTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { StepColumn, TimeColumn, SizeColumn, SampleMseColumn, ColumnCount };
    // Qt::UserRole on any column: true for the best row.
    static constexpr int BestRole = Qt::UserRole + 1;

    explicit CheckpointTableModel(QObject *parent = nullptr);

    // Replaces every row: what the server holds now (pruned checkpoints disappear).
    void setCheckpoints(const std::vector<CheckpointRow> &rows);
    // The run's sample events, to find each checkpoint's nearest MSE.
    void setSamples(const std::vector<SampleEvent> &samples);
    void clear();

    const CheckpointRow &checkpoint(int row) const { return m_rows[size_t(row)].checkpoint; }
    int bestRow() const { return m_bestRow; }   // -1: no checkpoint has an MSE

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        CheckpointRow checkpoint;
        double sampleMse = 0;
        qint64 sampleStep = -1;   // -1: no sample event yet
    };
    void recomputeMse();

    std::vector<Row> m_rows;   // by step
    std::vector<SampleEvent> m_samples;
    int m_bestRow = -1;
};

} // namespace rdt
