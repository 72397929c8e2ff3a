// The checksum comparison side by side, one row per file of the dataset and the model:
// file, local size and MD5, remote size and MD5, state (same / different / missing).
#pragma once

#include "FileComparison.h"

#include <QAbstractTableModel>

#include <vector>

namespace rdt {

class ComparisonTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { FileColumn, LocalSizeColumn, LocalMd5Column, RemoteSizeColumn, RemoteMd5Column, StateColumn, ColumnCount };

    explicit ComparisonTableModel(QObject *parent = nullptr);

    // Replaces the rows of one part ("dataset", "model"), keeping the other's.
    void setPart(const QString &part, const FileComparison &comparison);
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString stateText(FileState state);

private:
    struct Row {
        QString part;
        ComparedFile file;
    };
    std::vector<Row> m_rows;
};

} // namespace rdt
