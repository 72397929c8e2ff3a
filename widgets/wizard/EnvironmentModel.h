// The run's environment variables as an editable two-column table (name, value); an empty
// name drops the row when the list is read back.
#pragma once

#include "ShellQuote.h"

#include <QAbstractTableModel>

#include <vector>

namespace rdt {

class EnvironmentModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, ValueColumn, ColumnCount };

    explicit EnvironmentModel(QObject *parent = nullptr);

    void setVariables(const EnvironmentList &variables);
    EnvironmentList variables() const;
    void addRow();
    void removeRowAt(int row);
    // Sets or adds one variable, keeping the others.
    void setVariable(const QByteArray &name, const QByteArray &value);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString name;
        QString value;
    };
    std::vector<Row> m_rows;
};

} // namespace rdt
