// Flattens CheckItems (and their GPU rows) into table rows with status icons and colours.
#include "CheckListModel.h"

#include <QApplication>
#include <QBrush>
#include <QColor>
#include <QStyle>

namespace rdt {
namespace {

QString optionalText(const std::optional<qint64> &value)
{
    return value ? QString::number(*value) : QStringLiteral("n/a");
}

QString gpuDetail(const GpuInfo &gpu)
{
    return QStringLiteral("%1 — memory %2 / %3 MiB, utilisation %4, %5")
        .arg(gpu.name, optionalText(gpu.memoryUsedMiB), optionalText(gpu.memoryTotalMiB),
             gpu.utilizationPercent ? QStringLiteral("%1 %").arg(*gpu.utilizationPercent) : QStringLiteral("n/a"),
             gpu.temperatureCelsius ? QStringLiteral("%1 °C").arg(*gpu.temperatureCelsius) : QStringLiteral("n/a"));
}

QStyle::StandardPixmap iconFor(CheckStatus status)
{
    switch (status) {
    case CheckStatus::Ok: return QStyle::SP_DialogApplyButton;
    case CheckStatus::Warning: return QStyle::SP_MessageBoxWarning;
    case CheckStatus::Failed: return QStyle::SP_MessageBoxCritical;
    }
    return QStyle::SP_MessageBoxQuestion;
}

} // namespace

CheckListModel::CheckListModel(QObject *parent) : QAbstractTableModel(parent) {}

void CheckListModel::setItems(const QList<CheckItem> &items)
{
    beginResetModel();
    m_rows.clear();
    for (const CheckItem &item : items) {
        m_rows.push_back(Row{item.status, item.title, item.detail, item.status == CheckStatus::Ok ? QString() : item.hint});
        for (const GpuInfo &gpu : item.gpus) {
            const CheckStatus status = gpu.isBusy() ? CheckStatus::Warning : CheckStatus::Ok;
            m_rows.push_back(Row{status, QStringLiteral("    GPU %1").arg(gpu.index), gpuDetail(gpu),
                                 gpu.isBusy() ? QStringLiteral("in use by another process") : QString(), true});
        }
    }
    endResetModel();
}

void CheckListModel::clear()
{
    setItems({});
}

int CheckListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CheckListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CheckListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case StatusColumn: return row.isGpu ? QString() : CheckItem::statusName(row.status);
        case CheckColumn: return row.check;
        case DetailColumn: return row.detail;
        case HintColumn: return row.hint;
        }
        return {};
    case Qt::DecorationRole:
        if (index.column() == StatusColumn && !row.isGpu)
            return QApplication::style()->standardIcon(iconFor(row.status));
        return {};
    case Qt::ToolTipRole:
        return row.hint.isEmpty() ? row.detail : QStringLiteral("%1\n\nHow to fix: %2").arg(row.detail, row.hint);
    case Qt::ForegroundRole:
        if (index.column() == HintColumn)
            return QBrush(QColor(0x60, 0x60, 0x60));
        return {};
    }
    return {};
}

QVariant CheckListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StatusColumn: return tr("Status");
    case CheckColumn: return tr("Check");
    case DetailColumn: return tr("Detail");
    case HintColumn: return tr("How to fix");
    }
    return {};
}

} // namespace rdt
