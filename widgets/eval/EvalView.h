// The Eval view, a tab of the run dashboard: the launch panel (checkpoint, options,
// progress, Cancel) above the eval's results table and the embedded player. Choosing an
// episode in the table plays its video when it is here, and asks for it when it is not;
// the player's previous/next walk the episodes whose videos are here.
#pragma once

#include "EvalResultsModel.h"

#include <QWidget>

#include <vector>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace rdt {

class EvalLaunchPanel;
class EvalPlayer;

class EvalView : public QWidget {
    Q_OBJECT
public:
    explicit EvalView(QWidget *parent = nullptr);

    // An eval's results and the local folder its files are (or will be) downloaded to;
    // videos already there are marked here.
    void setResults(const EvalResults &results, const QString &localFolder);
    void clearResults(const QString &why);
    void setVideoState(int row, EvalVideoState state, int percent = -1);
    // Re-reads which videos are in the local folder (after a download).
    void refreshLocalVideos();
    void playEpisode(int row);

    EvalLaunchPanel *launchPanel() const { return m_launch; }
    EvalResultsModel *resultsModel() const { return m_model; }
    QTableView *resultsTable() const { return m_table; }
    EvalPlayer *player() const { return m_player; }
    QString summaryText() const;
    // "checkpoint-200 (ema weights): 3 episodes, MSE 0.02, ..." or, for a
    // server's closed-loop eval, "... success rate 33.3% (1 of 3), no action errors".
    static QString summaryOf(const EvalResults &results);
    // The local eval cache's size (EvalCache::sizeBytes), shown beside its Clear button.
    void setCacheSize(qint64 bytes);
    QString cacheText() const;

signals:
    void videosWanted(const QString &checkpoint);   // an episode was chosen whose video is not here
    void clearCacheRequested();

private:
    void rebuildPlaylist();
    void fitColumns();
    void rowChosen(const QModelIndex &proxyIndex);
    QString localPath(const QString &relative) const;

    EvalLaunchPanel *m_launch = nullptr;
    EvalResultsModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_cache = nullptr;
    QPushButton *m_clearCache = nullptr;
    EvalPlayer *m_player = nullptr;
    QString m_localFolder;
    std::vector<int> m_playlistRows;   // the model row of each player episode
};

} // namespace rdt
