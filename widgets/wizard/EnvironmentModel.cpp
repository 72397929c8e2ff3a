// The environment table model.
#include "EnvironmentModel.h"

#include <QBrush>
#include <QColor>

namespace rdt {

EnvironmentModel::EnvironmentModel(QObject *parent) : QAbstractTableModel(parent) {}

void EnvironmentModel::setVariables(const EnvironmentList &variables)
{
    beginResetModel();
    m_rows.clear();
    for (const auto &[name, value] : variables)
        m_rows.push_back(Row{QString::fromUtf8(name), QString::fromUtf8(value)});
    endResetModel();
}

EnvironmentList EnvironmentModel::variables() const
{
    EnvironmentList list;
    for (const Row &row : m_rows)
        if (!row.name.trimmed().isEmpty())
            list.append({row.name.trimmed().toUtf8(), row.value.toUtf8()});
    return list;
}

void EnvironmentModel::addRow()
{
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
    m_rows.push_back(Row{});
    endInsertRows();
}

void EnvironmentModel::removeRowAt(int row)
{
    if (row < 0 || row >= int(m_rows.size()))
        return;
    beginRemoveRows({}, row, row);
    m_rows.erase(m_rows.begin() + row);
    endRemoveRows();
}

void EnvironmentModel::setVariable(const QByteArray &name, const QByteArray &value)
{
    for (size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].name == QString::fromUtf8(name)) {
            m_rows[i].value = QString::fromUtf8(value);
            Q_EMIT dataChanged(index(int(i), ValueColumn), index(int(i), ValueColumn));
            return;
        }
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
    m_rows.push_back(Row{QString::fromUtf8(name), QString::fromUtf8(value)});
    endInsertRows();
}

int EnvironmentModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EnvironmentModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EnvironmentModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    if (role == Qt::DisplayRole || role == Qt::EditRole)
        return index.column() == NameColumn ? row.name : row.value;
    if (role == Qt::ForegroundRole && index.column() == NameColumn && !row.name.isEmpty()
        && !isValidEnvironmentName(row.name.toUtf8()))
        return QBrush(QColor(0xa4, 0, 0));   // not a shell identifier: the launch refuses it
    return {};
}

bool EnvironmentModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || role != Qt::EditRole || index.row() >= int(m_rows.size()))
        return false;
    Row &row = m_rows[size_t(index.row())];
    (index.column() == NameColumn ? row.name : row.value) = value.toString();
    Q_EMIT dataChanged(index, index);
    return true;
}

Qt::ItemFlags EnvironmentModel::flags(const QModelIndex &index) const
{
    return QAbstractTableModel::flags(index) | Qt::ItemIsEditable;
}

QVariant EnvironmentModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == NameColumn ? tr("Variable") : tr("Value");
}

} // namespace rdt
