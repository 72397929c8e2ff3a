// Checkpoint rows sorted by step, each paired with the nearest sample event's MSE.
#include "CheckpointTableModel.h"

#include <QBrush>
#include <QFont>
#include <QLocale>

#include <algorithm>
#include <cstdlib>

namespace rdt {

CheckpointTableModel::CheckpointTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void CheckpointTableModel::setCheckpoints(const std::vector<CheckpointRow> &checkpoints)
{
    beginResetModel();
    m_rows.clear();
    for (const CheckpointRow &checkpoint : checkpoints)
        m_rows.push_back(Row{checkpoint, 0, -1});
    std::sort(m_rows.begin(), m_rows.end(), [](const Row &a, const Row &b) { return a.checkpoint.step < b.checkpoint.step; });
    endResetModel();
    recomputeMse();
}

void CheckpointTableModel::setSamples(const std::vector<SampleEvent> &samples)
{
    m_samples = samples;
    recomputeMse();
}

void CheckpointTableModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_samples.clear();
    m_bestRow = -1;
    endResetModel();
}

void CheckpointTableModel::recomputeMse()
{
    m_bestRow = -1;
    for (size_t i = 0; i < m_rows.size(); ++i) {
        Row &row = m_rows[i];
        row.sampleStep = -1;
        // Samples are few (one per --sample_period): a linear scan is fine.
        for (const SampleEvent &sample : m_samples) {
            if (row.sampleStep < 0 ||
                std::llabs(sample.step - row.checkpoint.step) < std::llabs(row.sampleStep - row.checkpoint.step)) {
                row.sampleStep = sample.step;
                row.sampleMse = sample.sampleMse;
            }
        }
        if (row.sampleStep >= 0 && (m_bestRow < 0 || row.sampleMse < m_rows[size_t(m_bestRow)].sampleMse))
            m_bestRow = int(i);
    }
    if (!m_rows.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int CheckpointTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CheckpointTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CheckpointTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Row &row = m_rows[size_t(index.row())];
    const bool best = index.row() == m_bestRow;
    if (role == BestRole)
        return best;
    if (role == Qt::FontRole && best) {
        QFont font;
        font.setBold(true);
        return font;
    }
    if (role == Qt::BackgroundRole && best)
        return QBrush(QColor(0xdc, 0xfc, 0xe7));
    if (role == Qt::TextAlignmentRole && index.column() != TimeColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && row.sampleStep >= 0)
        return tr("sample event at step %1").arg(row.sampleStep);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case StepColumn:
        return row.checkpoint.step;
    case TimeColumn:
        return row.checkpoint.time.isValid() ? row.checkpoint.time.toString(QStringLiteral("MMM d HH:mm"))
                                             : QString();
    case SizeColumn:
        return row.checkpoint.sizeBytes >= 0 ? QLocale::c().formattedDataSize(row.checkpoint.sizeBytes)
                                             : QStringLiteral("–");
    case SampleMseColumn:
        if (row.sampleStep < 0)
            return QStringLiteral("–");
        return QString::number(row.sampleMse, 'g', 5) + (best ? QStringLiteral("  \u2605 best") : QString());
    }
    return {};
}

QVariant CheckpointTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StepColumn:
        return tr("Step");
    case TimeColumn:
        return tr("Time");
    case SizeColumn:
        return tr("Size");
    case SampleMseColumn:
        return tr("Sample MSE");
    }
    return {};
}

} // namespace rdt
