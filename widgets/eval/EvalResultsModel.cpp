// Numbers display with four significant digits and sort by value (Qt::EditRole).
#include "EvalResultsModel.h"

#include <cmath>

namespace rdt {

namespace {

QVariant figure(double value, int role)
{
    if (std::isnan(value))
        return role == Qt::DisplayRole ? QVariant(QStringLiteral("–")) : QVariant();
    return role == Qt::DisplayRole ? QVariant(QString::number(value, 'g', 4)) : QVariant(value);
}

} // namespace

EvalResultsModel::EvalResultsModel(QObject *parent) : QAbstractTableModel(parent) {}

void EvalResultsModel::setResults(const EvalResults &results)
{
    beginResetModel();
    m_results = results;
    m_rows.assign(m_results.episodes.size(), Row());
    for (size_t i = 0; i < m_rows.size(); ++i)
        m_rows[i].state = m_results.episodes[i].video.isEmpty() ? EvalVideoState::NotRecorded : EvalVideoState::OnServer;
    endResetModel();
}

void EvalResultsModel::clear()
{
    setResults(EvalResults());
}

void EvalResultsModel::setVideoState(int row, EvalVideoState state, int percent)
{
    if (row < 0 || row >= int(m_rows.size()))
        return;
    m_rows[size_t(row)] = Row{state, percent};
    emit dataChanged(index(row, VideoColumn), index(row, VideoColumn));
}

QString EvalResultsModel::videoStateText(EvalVideoState state, int percent)
{
    switch (state) {
    case EvalVideoState::NotRecorded: return tr("not recorded");
    case EvalVideoState::OnServer: return tr("on server");
    case EvalVideoState::Downloading: return percent >= 0 ? tr("downloading %1%").arg(percent) : tr("downloading");
    case EvalVideoState::Here: return tr("here");
    case EvalVideoState::Failed: return tr("download failed");
    }
    return {};
}

int EvalResultsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EvalResultsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EvalResultsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const EvalEpisodeResult &episode = m_results.episodes[size_t(index.row())];
    if (role == EpisodeRole)
        return index.row();
    if (role == Qt::TextAlignmentRole && index.column() != TaskColumn && index.column() != EpisodeColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == TaskColumn)
        return episode.task;
    if (role != Qt::DisplayRole && role != Qt::EditRole)
        return {};
    switch (Column(index.column())) {
    case EpisodeColumn:
        return role == Qt::EditRole ? QVariant(episode.index)
                                    : QVariant(QStringLiteral("%1 %2").arg(episode.index, 3, 10, QLatin1Char('0')).arg(episode.episode));
    case TaskColumn: return episode.task;
    case StepsColumn: return episode.steps;
    case MseColumn: return figure(episode.mse, role);
    case L2Column: return figure(episode.l2err, role);
    case GripperColumn: return figure(episode.gripperAgreement, role);
    case VideoColumn: {
        const Row &row = m_rows[size_t(index.row())];
        return role == Qt::EditRole ? QVariant(int(row.state)) : QVariant(videoStateText(row.state, row.percent));
    }
    case ColumnCount: break;
    }
    return {};
}

QVariant EvalResultsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case EpisodeColumn: return tr("Episode");
    case TaskColumn: return tr("Task");
    case StepsColumn: return tr("Steps");
    case MseColumn: return tr("MSE");
    case L2Column: return tr("L2 error");
    case GripperColumn: return tr("Gripper agreement");
    case VideoColumn: return tr("Video");
    case ColumnCount: break;
    }
    return {};
}

} // namespace rdt
