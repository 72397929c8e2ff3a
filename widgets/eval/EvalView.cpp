// The playlist holds only episodes whose video file is here: the player never opens a
// file that is still on the server (it would report a missing file as an error).
#include "EvalView.h"

#include "EvalLaunchPanel.h"
#include "EvalPlayer.h"

#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace rdt {

EvalView::EvalView(QWidget *parent) : QWidget(parent)
{
    m_launch = new EvalLaunchPanel(this);
    m_model = new EvalResultsModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(Qt::EditRole);
    m_table = new QTableView(this);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(EvalResultsModel::EpisodeColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    // Columns are sized by fitColumns(), the task taking what is left: the header's own
    // ResizeToContents reserves room for a sort arrow in every column, which pushed the last
    // columns (gripper agreement, video) out of a dashboard-sized view.
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setSectionResizeMode(EvalResultsModel::TaskColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setMinimumSectionSize(48);
    m_table->setWordWrap(false);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_player = new EvalPlayer(this);
    m_cache = new QLabel(this);
    m_clearCache = new QPushButton(tr("Clear"), this);
    m_clearCache->setObjectName(QStringLiteral("clearEvalCache"));
    m_clearCache->setToolTip(tr("Delete the downloaded eval videos and results of every run on this machine"));
    auto *cacheRow = new QHBoxLayout;
    cacheRow->addWidget(m_cache, 1);
    cacheRow->addWidget(m_clearCache);

    auto *resultsColumn = new QWidget(this);
    auto *resultsLayout = new QVBoxLayout(resultsColumn);
    resultsLayout->setContentsMargins(0, 0, 0, 0);
    resultsLayout->addWidget(m_launch);
    resultsLayout->addWidget(m_summary);
    resultsLayout->addWidget(m_table, 1);
    resultsLayout->addLayout(cacheRow);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(resultsColumn);
    splitter->addWidget(m_player);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({700, 700});   // the whole results table, and the video as large as fits
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(splitter);

    connect(m_clearCache, &QPushButton::clicked, this, &EvalView::clearCacheRequested);
    connect(m_model, &QAbstractItemModel::modelReset, this, &EvalView::fitColumns);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &EvalView::fitColumns);
    connect(m_table->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this, &EvalView::fitColumns);
    connect(m_table, &QTableView::activated, this, &EvalView::rowChosen);
    connect(m_table, &QTableView::clicked, this, &EvalView::rowChosen);
    connect(m_player, &EvalPlayer::episodeOpened, this, [this](int index) {
        if (index < 0 || index >= int(m_playlistRows.size()))
            return;
        const QModelIndex row = m_proxy->mapFromSource(m_model->index(m_playlistRows[size_t(index)], 0));
        const QSignalBlocker blocker(m_table);
        m_table->selectRow(row.row());
    });
    clearResults(tr("No eval of this checkpoint yet"));
    setCacheSize(0);
}

void EvalView::fitColumns()
{
    QHeaderView *header = m_table->horizontalHeader();
    QFont bold = header->font();
    bold.setBold(true);   // some styles draw header text bold: measure it so
    const QFontMetrics headerText(bold);
    const QFontMetrics cellText(m_table->font());
    const int padding = 2 * style()->pixelMetric(QStyle::PM_HeaderMargin, nullptr, header) + 6;
    for (int column = 0; column < EvalResultsModel::ColumnCount; ++column) {
        if (column == EvalResultsModel::TaskColumn)
            continue;
        int width = headerText.horizontalAdvance(m_model->headerData(column, Qt::Horizontal).toString()) + padding;
        if (header->isSortIndicatorShown() && header->sortIndicatorSection() == column)
            width += header->height();   // the arrow, square, beside the text
        for (int row = 0; row < m_model->rowCount(); ++row)
            width = std::max(width, cellText.horizontalAdvance(m_model->index(row, column).data().toString()) + padding);
        header->resizeSection(column, width);
    }
}

void EvalView::setCacheSize(qint64 bytes)
{
    m_cache->setText(tr("Downloaded evals on this machine: %1").arg(QLocale().formattedDataSize(bytes)));
    m_clearCache->setEnabled(bytes > 0);
}

QString EvalView::cacheText() const
{
    return m_cache->text();
}

void EvalView::setResults(const EvalResults &results, const QString &localFolder)
{
    m_localFolder = localFolder;
    m_model->setResults(results);
    m_summary->setText(summaryOf(results));
    refreshLocalVideos();
}

QString EvalView::summaryOf(const EvalResults &results)
{
    const EvalFigures &all = results.aggregate;
    auto number = [](double value) { return std::isnan(value) ? EvalResultsModel::notAvailable() : QString::number(value, 'g', 4); };
    QStringList parts;
    if (!std::isnan(all.successRate)) {
        int successes = 0;
        int known = 0;
        for (const EvalEpisodeResult &episode : results.episodes) {
            known += episode.success.has_value() ? 1 : 0;
            successes += episode.success.value_or(false) ? 1 : 0;
        }
        QString rate = tr("success rate %1%").arg(QString::number(all.successRate * 100, 'f', 1));
        if (known > 0)
            rate += tr(" (%1 of %2)").arg(successes).arg(known);
        parts.append(rate);
    }   // an open-loop eval has no success to report: nothing is said rather than "n/a"
    // A closed-loop eval has no action errors at all: one word says so instead of three "n/a".
    if (std::isnan(all.mse) && std::isnan(all.l2err) && std::isnan(all.gripperAgreement) && !std::isnan(all.successRate))
        parts.append(tr("no action errors (closed loop)"));
    else
        parts.append(tr("MSE %1, L2 error %2, gripper agreement %3")
                         .arg(number(all.mse), number(all.l2err), number(all.gripperAgreement)));
    const QString what = !results.weights.isEmpty() ? tr("%1 weights").arg(results.weights) : results.command;
    const QString head = what.isEmpty() ? results.checkpoint : tr("%1 (%2)").arg(results.checkpoint, what);
    return tr("%1: %2 episodes, %3").arg(head).arg(all.episodes).arg(parts.join(QStringLiteral(", ")));
}

void EvalView::clearResults(const QString &why)
{
    m_localFolder.clear();
    m_model->clear();
    m_summary->setText(why);
    m_playlistRows.clear();
    m_player->setEpisodes({});
}

void EvalView::setVideoState(int row, EvalVideoState state, int percent)
{
    const bool arrived = state == EvalVideoState::Here && row >= 0 && row < m_model->rowCount()
                         && m_model->videoState(row) != EvalVideoState::Here;
    m_model->setVideoState(row, state, percent);
    if (arrived)
        rebuildPlaylist();
}

void EvalView::refreshLocalVideos()
{
    const std::vector<EvalEpisodeResult> &episodes = m_model->results().episodes;
    for (int row = 0; row < int(episodes.size()); ++row) {
        const QString &video = episodes[size_t(row)].video;
        if (!video.isEmpty() && !m_localFolder.isEmpty() && QFileInfo(localPath(video)).isFile())
            m_model->setVideoState(row, EvalVideoState::Here);
    }
    rebuildPlaylist();
}

QString EvalView::localPath(const QString &relative) const
{
    return QDir(m_localFolder).filePath(relative);
}

void EvalView::rebuildPlaylist()
{
    const int playingRow = m_player->currentEpisode() >= 0 && m_player->currentEpisode() < int(m_playlistRows.size())
                               ? m_playlistRows[size_t(m_player->currentEpisode())] : -1;
    std::vector<PlayerEpisode> playlist;
    m_playlistRows.clear();
    const std::vector<EvalEpisodeResult> &episodes = m_model->results().episodes;
    for (int row = 0; row < int(episodes.size()); ++row) {
        if (m_model->videoState(row) != EvalVideoState::Here)
            continue;
        const EvalEpisodeResult &episode = episodes[size_t(row)];
        const QString actions = localPath(episode.actionsFile());
        playlist.push_back({QStringLiteral("%1 %2: %3").arg(episode.index, 3, 10, QLatin1Char('0')).arg(episode.episode, episode.task),
                            localPath(episode.video), QFileInfo(actions).isFile() ? actions : QString()});
        m_playlistRows.push_back(row);
    }
    const auto kept = std::find(m_playlistRows.begin(), m_playlistRows.end(), playingRow);
    // EvalPlayer keeps the episode on screen playing when it stays current.
    m_player->setEpisodes(std::move(playlist), kept != m_playlistRows.end() ? int(kept - m_playlistRows.begin()) : 0);
}

void EvalView::playEpisode(int row)
{
    const auto found = std::find(m_playlistRows.begin(), m_playlistRows.end(), row);
    if (found != m_playlistRows.end()) {
        m_player->openEpisode(int(found - m_playlistRows.begin()));
        return;
    }
    if (row >= 0 && row < m_model->rowCount() && m_model->videoState(row) == EvalVideoState::OnServer)
        emit videosWanted(m_model->results().checkpoint);
}

void EvalView::rowChosen(const QModelIndex &proxyIndex)
{
    if (!proxyIndex.isValid())
        return;
    const int row = m_proxy->mapToSource(proxyIndex).row();
    const auto found = std::find(m_playlistRows.begin(), m_playlistRows.end(), row);
    if (found != m_playlistRows.end() && int(found - m_playlistRows.begin()) == m_player->currentEpisode())
        return;   // already on screen: keep its position
    playEpisode(row);
}

QString EvalView::summaryText() const
{
    return m_summary->text();
}

} // namespace rdt
