// The comparison table model.
#include "ComparisonTableModel.h"

#include <QApplication>
#include <QFont>
#include <QLocale>
#include <QStyle>

namespace rdt {

namespace {

QString sizeText(const std::optional<FileChecksum> &file)
{
    return file ? QLocale().formattedDataSize(file->size) : QStringLiteral("—");
}

QString md5Text(const std::optional<FileChecksum> &file)
{
    return file ? file->md5 : QStringLiteral("—");
}

} // namespace

ComparisonTableModel::ComparisonTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void ComparisonTableModel::setPart(const QString &part, const FileComparison &comparison)
{
    beginResetModel();
    std::vector<Row> rows;
    for (const Row &row : m_rows)
        if (row.part != part)
            rows.push_back(row);
    for (const ComparedFile &file : comparison.files())
        rows.push_back(Row{part, file});
    m_rows = std::move(rows);
    endResetModel();
}

void ComparisonTableModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

int ComparisonTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ComparisonTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ComparisonTableModel::stateText(FileState state)
{
    switch (state) {
    case FileState::Same: return tr("same");
    case FileState::Different: return tr("different");
    case FileState::MissingThere: return tr("missing on the server");
    case FileState::MissingHere: return tr("on the server only");
    }
    return {};
}

QVariant ComparisonTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    const ComparedFile &file = row.file;
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case FileColumn: return QStringLiteral("%1: %2").arg(row.part, file.relativePath);
        case LocalSizeColumn: return sizeText(file.local);
        case LocalMd5Column: return md5Text(file.local);
        case RemoteSizeColumn: return sizeText(file.remote);
        case RemoteMd5Column: return md5Text(file.remote);
        case StateColumn: return stateText(file.state);
        }
    }
    if (role == Qt::DecorationRole && index.column() == StateColumn) {
        const QStyle::StandardPixmap icon = file.state == FileState::Same ? QStyle::SP_DialogApplyButton
                                          : file.state == FileState::MissingHere ? QStyle::SP_MessageBoxInformation
                                                                                 : QStyle::SP_MessageBoxWarning;
        return QApplication::style()->standardIcon(icon);
    }
    if (role == Qt::FontRole && (index.column() == LocalMd5Column || index.column() == RemoteMd5Column)) {
        QFont font(QStringLiteral("monospace"));
        font.setStyleHint(QFont::Monospace);
        return font;
    }
    if (role == Qt::TextAlignmentRole && (index.column() == LocalSizeColumn || index.column() == RemoteSizeColumn))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant ComparisonTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case FileColumn: return tr("File");
    case LocalSizeColumn: return tr("Local size");
    case LocalMd5Column: return tr("Local MD5");
    case RemoteSizeColumn: return tr("Remote size");
    case RemoteMd5Column: return tr("Remote MD5");
    case StateColumn: return tr("State");
    }
    return {};
}

} // namespace rdt
