// The results table of one eval: an episode per row with its task, steps, success (a
// server's closed-loop eval), action errors (the trainer's open-loop eval) and where its
// video is (not recorded, on the server, downloading, here). A figure the eval did not
// report reads "n/a", its tooltip saying why. Rows come from the eval's results (results.json
// or a server script's own files); video states from the download.
#pragma once

#include "EvalResults.h"

#include <QAbstractTableModel>

#include <vector>

namespace rdt {

enum class EvalVideoState { NotRecorded, OnServer, Downloading, Here, Failed };

class EvalResultsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        EpisodeColumn,
        TaskColumn,
        StepsColumn,
        SuccessColumn,
        MseColumn,
        L2Column,
        GripperColumn,
        VideoColumn,
        ColumnCount
    };
    // Qt::UserRole on any column: the row's index into results().episodes.
    static constexpr int EpisodeRole = Qt::UserRole + 1;

    explicit EvalResultsModel(QObject *parent = nullptr);

    // Every recorded video starts OnServer; setVideoState() moves it along.
    void setResults(const EvalResults &results);
    void clear();
    const EvalResults &results() const { return m_results; }

    void setVideoState(int row, EvalVideoState state, int percent = -1);
    EvalVideoState videoState(int row) const { return m_rows[size_t(row)].state; }
    static QString videoStateText(EvalVideoState state, int percent);
    static QString notAvailable() { return QStringLiteral("n/a"); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant figure(const EvalEpisodeResult &episode, Column column, int role) const;
    QVariant success(const EvalEpisodeResult &episode, int role) const;

    struct Row {
        EvalVideoState state = EvalVideoState::NotRecorded;
        int percent = -1;
    };
    EvalResults m_results;
    std::vector<Row> m_rows;   // parallel to m_results.episodes
};

} // namespace rdt
