// The server checklist as a table: one row per check item, then one row per GPU under
// the GPUs item, so a server's eight cards are visible at a glance.
#pragma once

#include "CheckItem.h"

#include <QAbstractTableModel>

#include <vector>

namespace rdt {

class CheckListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { StatusColumn, CheckColumn, DetailColumn, HintColumn, ColumnCount };

    explicit CheckListModel(QObject *parent = nullptr);

    void setItems(const QList<CheckItem> &items);
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        CheckStatus status = CheckStatus::Ok;
        QString check;
        QString detail;
        QString hint;
        bool isGpu = false;
    };
    std::vector<Row> m_rows;
};

} // namespace rdt
