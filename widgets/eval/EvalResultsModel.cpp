// Numbers display with four significant digits and sort by value (Qt::EditRole).
#include "EvalResultsModel.h"

#include <cmath>

namespace rdt {

namespace {

// A closed-loop eval runs the policy in the simulator: there is no demonstration to compare
// its actions with, so it has no action errors, only success.
bool isClosedLoop(const EvalEpisodeResult &episode)
{
    return episode.success.has_value() || !episode.error.isEmpty();
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

QVariant EvalResultsModel::figure(const EvalEpisodeResult &episode, Column column, int role) const
{
    const double value = column == MseColumn ? episode.mse : column == L2Column ? episode.l2err : episode.gripperAgreement;
    if (!std::isnan(value)) {
        if (role == Qt::ToolTipRole)
            return column == GripperColumn ? tr("%1 of the %2 steps: the predicted gripper opens or closes as demonstrated")
                                                 .arg(QString::number(value * 100, 'f', 0) + QLatin1Char('%'))
                                                 .arg(episode.steps)
                                           : QVariant();
        return role == Qt::DisplayRole ? QVariant(QString::number(value, 'g', 4)) : QVariant(value);
    }
    if (role == Qt::ToolTipRole)
        return isClosedLoop(episode) ? tr("A closed-loop eval reports success, not action errors: it has no demonstration "
                                          "to compare the actions with")
                                     : tr("The eval wrote no figure for this episode (null in results.json)");
    return role == Qt::DisplayRole ? QVariant(notAvailable()) : QVariant();
}

QVariant EvalResultsModel::success(const EvalEpisodeResult &episode, int role) const
{
    if (!episode.error.isEmpty()) {
        if (role == Qt::ToolTipRole)
            return tr("The eval script reported an error for this episode: %1").arg(episode.error);
        return role == Qt::DisplayRole ? QVariant(tr("error")) : QVariant(-1);
    }
    if (!episode.success) {
        if (role == Qt::ToolTipRole)
            return tr("The trainer's open-loop eval compares actions with a demonstration; it has no success");
        return role == Qt::DisplayRole ? QVariant(notAvailable()) : QVariant();
    }
    if (role == Qt::ToolTipRole)
        return *episode.success ? tr("The episode reached its goal") : tr("The episode did not reach its goal");
    return role == Qt::DisplayRole ? QVariant(*episode.success ? tr("yes") : tr("no")) : QVariant(int(*episode.success));
}

QVariant EvalResultsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const EvalEpisodeResult &episode = m_results.episodes[size_t(index.row())];
    const Column column = Column(index.column());
    if (role == EpisodeRole)
        return index.row();
    if (role == Qt::TextAlignmentRole && column != TaskColumn && column != EpisodeColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        switch (column) {
        case TaskColumn: return episode.task;
        case SuccessColumn: return success(episode, role);
        case MseColumn:
        case L2Column:
        case GripperColumn: return figure(episode, column, role);
        default: return {};
        }
    }
    if (role != Qt::DisplayRole && role != Qt::EditRole)
        return {};
    switch (column) {
    case EpisodeColumn:
        return role == Qt::EditRole ? QVariant(episode.index)
                                    : QVariant(QStringLiteral("%1 %2").arg(episode.index, 3, 10, QLatin1Char('0')).arg(episode.episode));
    case TaskColumn: return episode.task;
    case StepsColumn: return episode.steps;
    case SuccessColumn: return success(episode, role);
    case MseColumn:
    case L2Column:
    case GripperColumn: return figure(episode, column, role);
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
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (Column(section)) {
        case SuccessColumn: return tr("Did the episode reach its goal (a server's closed-loop LIBERO eval)");
        case MseColumn: return tr("Mean squared error of the predicted actions against the demonstration");
        case L2Column: return tr("RDT's normalised L2 error of the predicted actions");
        case GripperColumn: return tr("Gripper agreement: the share of steps whose predicted gripper opens or closes "
                                      "as demonstrated");
        default: return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case EpisodeColumn: return tr("Episode");
    case TaskColumn: return tr("Task");
    case StepsColumn: return tr("Steps");
    case SuccessColumn: return tr("Success");
    case MseColumn: return tr("MSE");
    case L2Column: return tr("L2");
    // Short: the full name made the column wider than the view, its values scrolled out of sight.
    case GripperColumn: return tr("Gripper");
    case VideoColumn: return tr("Video");
    case ColumnCount: break;
    }
    return {};
}

} // namespace rdt
