// Rows of runs in the order the back end lists them.
#include "RunListModel.h"

#include <QBrush>

#include <cmath>

namespace rdt {

namespace {

QColor stateColour(RunRowState state)
{
    switch (state) {
    case RunRowState::Running:
        return QColor(0x15, 0x80, 0x3d);
    case RunRowState::Finished:
        return QColor(0x1d, 0x4e, 0xd8);
    case RunRowState::Failed:
        return QColor(0xb9, 0x1c, 0x1c);
    case RunRowState::Stopped:
        return QColor(0xb4, 0x53, 0x09);
    case RunRowState::Unknown:
        break;
    }
    return QColor(0x6b, 0x72, 0x80);
}

} // namespace

RunListModel::RunListModel(QObject *parent) : QAbstractTableModel(parent) {}

void RunListModel::setRuns(const QList<RunRow> &runs)
{
    // The same runs in the same order, maybe with new ones after them (the usual listing):
    // rows change in place, so the view keeps its selection and scroll position.
    bool samePrefix = size_t(runs.size()) >= m_rows.size();
    for (size_t i = 0; samePrefix && i < m_rows.size(); ++i)
        samePrefix = m_rows[i].run.name == runs[int(i)].name;
    if (samePrefix) {
        const size_t kept = m_rows.size();
        for (size_t i = 0; i < kept; ++i)
            m_rows[i].run = runs[int(i)];
        if (kept > 0)
            emit dataChanged(index(0, 0), index(int(kept) - 1, ColumnCount - 1));
        if (size_t(runs.size()) > kept) {
            beginInsertRows({}, int(kept), int(runs.size()) - 1);
            for (int i = int(kept); i < runs.size(); ++i)
                m_rows.push_back({runs[i], {}, false});
            endInsertRows();
        }
        return;
    }
    std::vector<Row> rows;
    rows.reserve(size_t(runs.size()));
    for (const RunRow &run : runs) {
        Row row{run, {}, false};
        const int old = rowOf(run.name);
        if (old >= 0) {
            row.colour = m_rows[size_t(old)].colour;
            row.overlay = m_rows[size_t(old)].overlay;
        }
        rows.push_back(row);
    }
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

void RunListModel::updateRun(const RunRow &run)
{
    const int row = rowOf(run.name);
    if (row < 0) {
        beginInsertRows({}, rowCount(), rowCount());
        m_rows.push_back({run, {}, false});
        endInsertRows();
        return;
    }
    m_rows[size_t(row)].run = run;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void RunListModel::setColour(const QString &name, const QColor &colour)
{
    const int row = rowOf(name);
    if (row < 0)
        return;
    m_rows[size_t(row)].colour = colour;
    emit dataChanged(index(row, NameColumn), index(row, NameColumn), {Qt::DecorationRole});
}

void RunListModel::setOverlay(const QString &name, bool overlay)
{
    const int row = rowOf(name);
    if (row >= 0)
        setData(index(row, NameColumn), overlay ? Qt::Checked : Qt::Unchecked, Qt::CheckStateRole);
}

bool RunListModel::isOverlaid(const QString &name) const
{
    const int row = rowOf(name);
    return row >= 0 && m_rows[size_t(row)].overlay;
}

int RunListModel::rowOf(const QString &name) const
{
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].run.name == name)
            return int(i);
    }
    return -1;
}

int RunListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RunListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Row &row = m_rows[size_t(index.row())];
    const RunRow &run = row.run;
    if (role == NameRole)
        return run.name;
    if (index.column() == NameColumn) {
        if (role == Qt::CheckStateRole)
            return row.overlay ? Qt::Checked : Qt::Unchecked;
        if (role == Qt::DecorationRole && row.colour.isValid())
            return row.colour;
        if (role == Qt::ToolTipRole)
            return tr("Check to overlay %1 in the plot").arg(run.name);
    }
    if (role == Qt::ToolTipRole)   // the name in full, whatever the column's width
        return tr("%1: %2, step %3").arg(run.name, runStateName(run.state)).arg(run.step);
    if (index.column() == StateColumn && role == Qt::ForegroundRole)
        return QBrush(stateColour(run.state));
    if (role == Qt::TextAlignmentRole && (index.column() == StepColumn || index.column() == LossColumn))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case NameColumn:
        return run.name;
    case StateColumn:
        return runStateName(run.state);
    case StepColumn:
        return run.maxSteps > 0 ? QStringLiteral("%1 / %2").arg(run.step).arg(run.maxSteps) : QString::number(run.step);
    case LossColumn:
        return std::isfinite(run.lastLoss) ? QString::number(run.lastLoss, 'g', 4) : QStringLiteral("–");
    case StartColumn:
        return run.startTime.isValid() ? run.startTime.toString(QStringLiteral("MMM d HH:mm")) : QString();
    }
    return {};
}

bool RunListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || index.column() != NameColumn || role != Qt::CheckStateRole)
        return false;
    Row &row = m_rows[size_t(index.row())];
    const bool overlay = value.value<Qt::CheckState>() == Qt::Checked;
    if (overlay == row.overlay)
        return true;
    row.overlay = overlay;
    emit dataChanged(index, index, {Qt::CheckStateRole});
    emit overlayToggled(row.run.name, overlay);
    return true;
}

Qt::ItemFlags RunListModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == NameColumn)
        flags |= Qt::ItemIsUserCheckable;
    return flags;
}

QVariant RunListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Run");
    case StateColumn:
        return tr("State");
    case StepColumn:
        return tr("Step");
    case LossColumn:
        return tr("Loss");
    case StartColumn:
        return tr("Started");
    }
    return {};
}

} // namespace rdt
