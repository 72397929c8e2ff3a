// The host profiles as a table: name, host, jump hosts and remote root, one row per profile,
// so the user can tell the servers apart and see how each is reached.
#pragma once

#include "HostProfile.h"

#include <QAbstractTableModel>
#include <QList>

#include <vector>

namespace rdt {

class HostProfileListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, HostColumn, JumpsColumn, RemoteRootColumn, ColumnCount };

    explicit HostProfileListModel(QObject *parent = nullptr);

    void setProfiles(const QList<HostProfile> &profiles);
    // nullptr outside the rows; valid until the next setProfiles().
    const HostProfile *profileAt(int row) const;
    // -1 when no profile has that name.
    int rowOf(const QString &name) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<HostProfile> m_rows;
};

} // namespace rdt
